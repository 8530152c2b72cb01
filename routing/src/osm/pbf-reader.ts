import type { FileHandle } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { PbfReader } from 'pbf';
import { FileChunkReader } from './file-chunk-reader.js';
import { OsmReadError, type OsmReadErrorCode } from './osm-read-error.js';
import {
  setTag,
  type OsmBbox,
  type OsmHandlers,
  type OsmMember,
  type OsmMemberType,
  type OsmNode,
  type OsmReadSummary,
  type OsmRelation,
  type OsmWay,
} from './osm-types.js';

// Format: https://wiki.openstreetmap.org/wiki/PBF_Format (fileformat.proto, osmformat.proto).
// "The BlobHeader is limited to 64 KiB, the uncompressed Blob to 32 MiB."
const MAX_BLOB_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
export const SUPPORTED_PBF_FEATURES: readonly string[] = ['OsmSchema-V0.6', 'DenseNodes'];

// Protobuf wire types.
const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

// Relation.MemberType enum order.
const MEMBER_TYPES: readonly OsmMemberType[] = ['node', 'way', 'relation'];
const BLOB_COMPRESSIONS: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' };

/** A decoding failure inside one blob; the caller adds the file name and the blob's position. */
class BlobError extends Error {
  readonly code: OsmReadErrorCode;
  constructor(code: OsmReadErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function corrupt(message: string): BlobError {
  return new BlobError('OSM_CORRUPT', message);
}

/** End of the length-delimited field whose length varint `p` is at; never past `limit`. */
function fieldEnd(p: PbfReader, limit: number): number {
  const length = p.readVarint();
  const end = p.pos + length;
  if (end > limit) throw corrupt(`a field of ${length} bytes overruns its message`);
  return end;
}

function skipField(p: PbfReader, wireType: number, limit: number): void {
  if (wireType === VARINT) p.readVarint();
  else if (wireType === BYTES) p.pos = fieldEnd(p, limit);
  else if (wireType === FIXED64) p.pos += 8;
  else if (wireType === FIXED32) p.pos += 4;
  else throw corrupt(`unexpected protobuf wire type ${wireType}`);
}

function expectEnd(p: PbfReader, end: number, what: string): void {
  if (p.pos !== end) throw corrupt(`${what} does not end where its length says`);
}

interface BlobHeader {
  type: string;
  dataSize: number;
}

function parseBlobHeader(buf: Buffer): BlobHeader {
  const p = new PbfReader(buf);
  const end = buf.length;
  let type: string | undefined;
  let dataSize = -1;
  while (p.pos < end) {
    const tag = p.readVarint();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === BYTES) {
      const stringEnd = fieldEnd(p, end);
      type = buf.toString('utf8', p.pos, stringEnd);
      p.pos = stringEnd;
    } else if (field === 3 && wireType === VARINT) {
      dataSize = p.readVarint();
    } else {
      skipField(p, wireType, end);
    }
  }
  expectEnd(p, end, 'BlobHeader');
  if (type === undefined) throw corrupt('BlobHeader has no type');
  if (dataSize < 0) throw corrupt('BlobHeader has no datasize');
  if (dataSize > MAX_BLOB_BYTES) throw corrupt(`BlobHeader datasize ${dataSize} exceeds 32 MiB`);
  return { type, dataSize };
}

/** The blob's uncompressed bytes. */
function unpackBlob(buf: Buffer): Buffer {
  const p = new PbfReader(buf);
  const end = buf.length;
  let rawSize = -1;
  let data: Buffer | undefined;
  let compressed: Buffer | undefined;
  while (p.pos < end) {
    const tag = p.readVarint();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 2 && wireType === VARINT) {
      rawSize = p.readVarint();
    } else if ((field === 1 || field === 3) && wireType === BYTES) {
      const dataEnd = fieldEnd(p, end);
      const bytes = buf.subarray(p.pos, dataEnd);
      if (field === 1) data = bytes;
      else compressed = bytes;
      p.pos = dataEnd;
    } else if (BLOB_COMPRESSIONS[field] !== undefined) {
      throw new BlobError(
        'OSM_UNSUPPORTED',
        `${BLOB_COMPRESSIONS[field]}-compressed blob is not supported (only raw and zlib); ` +
          'recompress the file, e.g. `osmium cat in.osm.pbf -o out.osm.pbf`',
      );
    } else {
      skipField(p, wireType, end);
    }
  }
  expectEnd(p, end, 'Blob');
  if (data) return data;
  if (!compressed) throw corrupt('Blob holds no data');
  if (rawSize > MAX_BLOB_BYTES) throw corrupt(`Blob raw_size ${rawSize} exceeds 32 MiB`);
  try {
    // One output chunk of the announced size: no concatenation of 16 KiB pieces.
    data = inflateSync(compressed, {
      chunkSize: Math.max(rawSize, 1024),
      maxOutputLength: MAX_BLOB_BYTES,
    });
  } catch (err) {
    throw corrupt(`zlib: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (rawSize >= 0 && data.length !== rawSize) {
    throw corrupt(`inflated to ${data.length} bytes, raw_size says ${rawSize}`);
  }
  return data;
}

interface HeaderBlock {
  bbox: OsmBbox | undefined;
  requiredFeatures: string[];
}

function parseHeaderBlock(buf: Buffer): HeaderBlock {
  const p = new PbfReader(buf);
  const end = buf.length;
  const requiredFeatures: string[] = [];
  let bbox: OsmBbox | undefined;
  while (p.pos < end) {
    const tag = p.readVarint();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === BYTES) {
      const bboxEnd = fieldEnd(p, end);
      // HeaderBBox: left, right, top, bottom in nanodegrees.
      const sides = [0, 0, 0, 0];
      while (p.pos < bboxEnd) {
        const bboxTag = p.readVarint();
        const side = bboxTag >>> 3;
        if (side >= 1 && side <= 4 && (bboxTag & 7) === VARINT) sides[side - 1] = p.readSVarint() / 1e9;
        else skipField(p, bboxTag & 7, bboxEnd);
      }
      expectEnd(p, bboxEnd, 'HeaderBBox');
      bbox = [sides[0]!, sides[3]!, sides[1]!, sides[2]!];
    } else if (field === 4 && wireType === BYTES) {
      const stringEnd = fieldEnd(p, end);
      requiredFeatures.push(buf.toString('utf8', p.pos, stringEnd));
      p.pos = stringEnd;
    } else {
      skipField(p, wireType, end);
    }
  }
  expectEnd(p, end, 'HeaderBlock');
  return { bbox, requiredFeatures };
}

/**
 * Decodes PrimitiveBlocks one after another, calling the handlers. Keeps its scratch state
 * (string table offsets, cursors) between blocks.
 */
class PrimitiveBlockDecoder {
  nodes = 0;
  ways = 0;
  relations = 0;
  /** True while a handler runs: an exception then is the handler's, not a decoding error. */
  inHandler = false;

  private readonly handlers: OsmHandlers;
  private data: Buffer = Buffer.alloc(0);
  private stringStart = new Int32Array(1024);
  private stringEnd = new Int32Array(1024);
  private stringCount = 0;
  private strings: (string | undefined)[] = [];
  private readonly groupBounds: number[] = [];
  private granularity = 100;
  private latOffset = 0;
  private lonOffset = 0;
  // Cursors into `data` for fields read in parallel (ids with lats with lons, keys with vals).
  private c1 = new PbfReader(this.data);
  private c2 = new PbfReader(this.data);
  private c3 = new PbfReader(this.data);
  private c4 = new PbfReader(this.data);

  constructor(handlers: OsmHandlers) {
    this.handlers = handlers;
  }

  decode(data: Buffer): void {
    this.data = data;
    const p = new PbfReader(data);
    this.c1 = new PbfReader(data);
    this.c2 = new PbfReader(data);
    this.c3 = new PbfReader(data);
    this.c4 = new PbfReader(data);
    this.stringCount = 0;
    this.granularity = 100;
    this.latOffset = 0;
    this.lonOffset = 0;
    const groups = this.groupBounds;
    groups.length = 0;
    const end = data.length;
    let tableStart = -1;
    let tableEnd = -1;
    // Groups precede granularity and offsets on the wire: collect first, decode after.
    while (p.pos < end) {
      const tag = p.readVarint();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 1 && wireType === BYTES) {
        tableEnd = fieldEnd(p, end);
        tableStart = p.pos;
        p.pos = tableEnd;
      } else if (field === 2 && wireType === BYTES) {
        const groupEnd = fieldEnd(p, end);
        groups.push(p.pos, groupEnd);
        p.pos = groupEnd;
      } else if (field === 17 && wireType === VARINT) {
        this.granularity = p.readVarint();
      } else if (field === 19 && wireType === VARINT) {
        this.latOffset = p.readVarint(true);
      } else if (field === 20 && wireType === VARINT) {
        this.lonOffset = p.readVarint(true);
      } else {
        skipField(p, wireType, end);
      }
    }
    expectEnd(p, end, 'PrimitiveBlock');
    if (tableStart >= 0) this.indexStringTable(p, tableStart, tableEnd);
    this.strings = new Array<string | undefined>(this.stringCount);
    for (let i = 0; i < groups.length; i += 2) this.decodeGroup(p, groups[i]!, groups[i + 1]!);
  }

  private indexStringTable(p: PbfReader, start: number, end: number): void {
    p.pos = start;
    let count = 0;
    while (p.pos < end) {
      const tag = p.readVarint();
      if (tag >>> 3 === 1 && (tag & 7) === BYTES) {
        const stringEnd = fieldEnd(p, end);
        if (count === this.stringStart.length) {
          const grownStart = new Int32Array(count * 2);
          const grownEnd = new Int32Array(count * 2);
          grownStart.set(this.stringStart);
          grownEnd.set(this.stringEnd);
          this.stringStart = grownStart;
          this.stringEnd = grownEnd;
        }
        this.stringStart[count] = p.pos;
        this.stringEnd[count] = stringEnd;
        count += 1;
        p.pos = stringEnd;
      } else {
        skipField(p, tag & 7, end);
      }
    }
    expectEnd(p, end, 'StringTable');
    this.stringCount = count;
  }

  /** Entry `index` of the block's string table, decoded on first use. */
  private string(index: number): string {
    if (!(index < this.stringCount)) {
      throw corrupt(`string index ${index} is outside the string table (${this.stringCount} entries)`);
    }
    let s = this.strings[index];
    if (s === undefined) {
      s = this.data.toString('utf8', this.stringStart[index], this.stringEnd[index]);
      this.strings[index] = s;
    }
    return s;
  }

  private decodeGroup(p: PbfReader, start: number, end: number): void {
    const { node, way, relation } = this.handlers;
    p.pos = start;
    while (p.pos < end) {
      const tag = p.readVarint();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (wireType !== BYTES) {
        skipField(p, wireType, end);
        continue;
      }
      const entityEnd = fieldEnd(p, end);
      if (field === 1) {
        this.nodes += 1;
        if (node) this.decodeNode(p, entityEnd, node);
      } else if (field === 2) {
        if (node) this.decodeDenseNodes(p, entityEnd, node);
        else this.nodes += this.countDenseNodes(p, entityEnd);
      } else if (field === 3) {
        this.ways += 1;
        if (way) this.decodeWay(p, entityEnd, way);
      } else if (field === 4) {
        this.relations += 1;
        if (relation) this.decodeRelation(p, entityEnd, relation);
      }
      // Field 5 holds changesets: not entities of the map.
      p.pos = entityEnd;
    }
    expectEnd(p, end, 'PrimitiveGroup');
  }

  /** Ids are the one varint per node that is always present: count their final bytes. */
  private countDenseNodes(p: PbfReader, end: number): number {
    const data = this.data;
    let count = 0;
    while (p.pos < end) {
      const tag = p.readVarint();
      if (tag >>> 3 === 1 && (tag & 7) === BYTES) {
        const idsEnd = fieldEnd(p, end);
        for (let i = p.pos; i < idsEnd; i++) if (data[i]! < 0x80) count += 1;
        p.pos = idsEnd;
      } else {
        skipField(p, tag & 7, end);
      }
    }
    expectEnd(p, end, 'DenseNodes');
    return count;
  }

  private decodeDenseNodes(p: PbfReader, end: number, handler: (node: OsmNode) => void): void {
    let idsEnd = -1;
    let latsEnd = -1;
    let lonsEnd = -1;
    let tagsEnd = -1;
    const ids = this.c1;
    const lats = this.c2;
    const lons = this.c3;
    const keysVals = this.c4;
    while (p.pos < end) {
      const tag = p.readVarint();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (wireType === BYTES && (field === 1 || field === 8 || field === 9 || field === 10)) {
        const fieldLimit = fieldEnd(p, end);
        if (field === 1) {
          ids.pos = p.pos;
          idsEnd = fieldLimit;
        } else if (field === 8) {
          lats.pos = p.pos;
          latsEnd = fieldLimit;
        } else if (field === 9) {
          lons.pos = p.pos;
          lonsEnd = fieldLimit;
        } else {
          keysVals.pos = p.pos;
          tagsEnd = fieldLimit;
        }
        p.pos = fieldLimit;
      } else {
        skipField(p, wireType, end);
      }
    }
    expectEnd(p, end, 'DenseNodes');
    if (idsEnd < 0) {
      if (latsEnd >= 0 || lonsEnd >= 0) throw corrupt('DenseNodes has coordinates but no ids');
      return;
    }
    if (latsEnd < 0 || lonsEnd < 0) throw corrupt('DenseNodes has ids but no lat or no lon');
    const granularity = this.granularity;
    const latOffset = this.latOffset;
    const lonOffset = this.lonOffset;
    const hasTags = tagsEnd >= 0;
    let id = 0;
    let lat = 0;
    let lon = 0;
    let count = 0;
    while (ids.pos < idsEnd) {
      if (lats.pos >= latsEnd || lons.pos >= lonsEnd) throw corrupt('DenseNodes has fewer lat/lon than ids');
      id += ids.readSVarint();
      lat += lats.readSVarint();
      lon += lons.readSVarint();
      let tags: Record<string, string> | undefined;
      if (hasTags) {
        // Per node: key, value, key, value, …, 0.
        if (keysVals.pos >= tagsEnd) throw corrupt('DenseNodes keys_vals ends before its last node');
        let key = keysVals.readVarint();
        while (key !== 0) {
          const value = keysVals.readVarint();
          if (keysVals.pos >= tagsEnd) throw corrupt('DenseNodes keys_vals is not terminated');
          tags ??= {};
          setTag(tags, this.string(key), this.string(value));
          key = keysVals.readVarint();
        }
      }
      // Division (not multiplication by 1e-9) yields the double nearest to the decimal value,
      // the same one parsing "55.7512345" from OSM XML yields.
      const latDeg = (latOffset + granularity * lat) / 1e9;
      const lonDeg = (lonOffset + granularity * lon) / 1e9;
      const node: OsmNode = tags ? { id, lat: latDeg, lon: lonDeg, tags } : { id, lat: latDeg, lon: lonDeg };
      count += 1;
      this.inHandler = true;
      handler(node);
      this.inHandler = false;
    }
    this.nodes += count;
    expectEnd(ids, idsEnd, 'DenseNodes id');
    if (lats.pos !== latsEnd || lons.pos !== lonsEnd) throw corrupt('DenseNodes has more lat/lon than ids');
    if (hasTags) expectEnd(keysVals, tagsEnd, 'DenseNodes keys_vals');
  }

  private decodeNode(p: PbfReader, end: number, handler: (node: OsmNode) => void): void {
    let id = 0;
    let lat = 0;
    let lon = 0;
    let keysEnd = 0;
    let valsEnd = 0;
    const keys = this.c1;
    const vals = this.c2;
    keys.pos = 0;
    vals.pos = 0;
    while (p.pos < end) {
      const tag = p.readVarint();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 1 && wireType === VARINT) id = p.readSVarint();
      else if (field === 8 && wireType === VARINT) lat = p.readSVarint();
      else if (field === 9 && wireType === VARINT) lon = p.readSVarint();
      else if (field === 2 && wireType === BYTES) keysEnd = this.mark(p, keys, end);
      else if (field === 3 && wireType === BYTES) valsEnd = this.mark(p, vals, end);
      else skipField(p, wireType, end);
    }
    expectEnd(p, end, 'Node');
    const latDeg = (this.latOffset + this.granularity * lat) / 1e9;
    const lonDeg = (this.lonOffset + this.granularity * lon) / 1e9;
    const hasTags = keysEnd > keys.pos || valsEnd > vals.pos;
    const node: OsmNode = hasTags
      ? { id, lat: latDeg, lon: lonDeg, tags: this.readTags(keys, keysEnd, vals, valsEnd) }
      : { id, lat: latDeg, lon: lonDeg };
    this.inHandler = true;
    handler(node);
    this.inHandler = false;
  }

  private decodeWay(p: PbfReader, end: number, handler: (way: OsmWay) => void): void {
    let id = 0;
    let keysEnd = 0;
    let valsEnd = 0;
    let refsEnd = 0;
    const keys = this.c1;
    const vals = this.c2;
    const refCursor = this.c3;
    keys.pos = 0;
    vals.pos = 0;
    refCursor.pos = 0;
    while (p.pos < end) {
      const tag = p.readVarint();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 1 && wireType === VARINT) id = p.readVarint(true);
      else if (field === 2 && wireType === BYTES) keysEnd = this.mark(p, keys, end);
      else if (field === 3 && wireType === BYTES) valsEnd = this.mark(p, vals, end);
      else if (field === 8 && wireType === BYTES) refsEnd = this.mark(p, refCursor, end);
      else skipField(p, wireType, end);
    }
    expectEnd(p, end, 'Way');
    const tags = this.readTags(keys, keysEnd, vals, valsEnd);
    const refs: number[] = [];
    let ref = 0;
    while (refCursor.pos < refsEnd) {
      ref += refCursor.readSVarint();
      refs.push(ref);
    }
    if (refsEnd > 0) expectEnd(refCursor, refsEnd, 'Way refs');
    this.inHandler = true;
    handler({ id, refs, tags });
    this.inHandler = false;
  }

  private decodeRelation(p: PbfReader, end: number, handler: (relation: OsmRelation) => void): void {
    let id = 0;
    let keysEnd = 0;
    let valsEnd = 0;
    let rolesEnd = 0;
    let memidsEnd = 0;
    let typesEnd = 0;
    const keys = this.c1;
    const vals = this.c2;
    const roles = this.c3;
    const memids = this.c4;
    keys.pos = 0;
    vals.pos = 0;
    roles.pos = 0;
    memids.pos = 0;
    let typesStart = 0;
    while (p.pos < end) {
      const tag = p.readVarint();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 1 && wireType === VARINT) id = p.readVarint(true);
      else if (field === 2 && wireType === BYTES) keysEnd = this.mark(p, keys, end);
      else if (field === 3 && wireType === BYTES) valsEnd = this.mark(p, vals, end);
      else if (field === 8 && wireType === BYTES) rolesEnd = this.mark(p, roles, end);
      else if (field === 9 && wireType === BYTES) memidsEnd = this.mark(p, memids, end);
      else if (field === 10 && wireType === BYTES) {
        typesEnd = fieldEnd(p, end);
        typesStart = p.pos;
        p.pos = typesEnd;
      } else skipField(p, wireType, end);
    }
    expectEnd(p, end, 'Relation');
    const tags = this.readTags(keys, keysEnd, vals, valsEnd);
    // Types are one-byte varints (0..2); read them directly.
    const data = this.data;
    let typeAt = typesStart;
    const members: OsmMember[] = [];
    let ref = 0;
    while (memids.pos < memidsEnd) {
      if (roles.pos >= rolesEnd || typeAt >= typesEnd)
        throw corrupt('Relation has fewer roles or types than members');
      ref += memids.readSVarint();
      const role = this.string(roles.readVarint());
      const type = MEMBER_TYPES[data[typeAt]!];
      if (type === undefined)
        throw new BlobError('OSM_INVALID', `Relation ${id} has a member of unknown type ${data[typeAt]}`);
      typeAt += 1;
      members.push({ type, ref, role });
    }
    if (memidsEnd > 0) expectEnd(memids, memidsEnd, 'Relation memids');
    if (roles.pos !== rolesEnd || typeAt !== typesEnd)
      throw corrupt('Relation has more roles or types than members');
    this.inHandler = true;
    handler({ id, members, tags });
    this.inHandler = false;
  }

  /** Points `cursor` at the packed field `p` is at, moves `p` past it, returns the field's end. */
  private mark(p: PbfReader, cursor: PbfReader, limit: number): number {
    const end = fieldEnd(p, limit);
    cursor.pos = p.pos;
    p.pos = end;
    return end;
  }

  private readTags(
    keys: PbfReader,
    keysEnd: number,
    vals: PbfReader,
    valsEnd: number,
  ): Record<string, string> {
    const tags: Record<string, string> = {};
    while (keys.pos < keysEnd) {
      if (vals.pos >= valsEnd) throw corrupt('more tag keys than values');
      setTag(tags, this.string(keys.readVarint()), this.string(vals.readVarint()));
    }
    if (keysEnd > 0) expectEnd(keys, keysEnd, 'tag keys');
    if (vals.pos !== valsEnd && valsEnd > 0) throw corrupt('more tag values than keys');
    return tags;
  }
}

/**
 * Streams a PBF file (already opened; the caller closes it) to the handlers.
 * `name` is used in error messages.
 */
export async function readOsmPbf(
  file: FileHandle,
  name: string,
  handlers: OsmHandlers,
): Promise<OsmReadSummary> {
  const { size } = await file.stat();
  const reader = new FileChunkReader(file, size);
  const decoder = new PrimitiveBlockDecoder(handlers);
  let bbox: OsmBbox | undefined;
  let sawHeader = false;
  for (let blobIndex = 0; reader.remaining > 0; blobIndex++) {
    const blobOffset = reader.offset;
    const where = `blob #${blobIndex} at byte ${blobOffset}`;
    const truncated = (part: string, needed: number): OsmReadError =>
      new OsmReadError(
        'OSM_TRUNCATED',
        name,
        `truncated PBF: ${where} needs ${needed} bytes for its ${part} at byte ${reader.offset}, ` +
          `but the file ends at byte ${size}`,
        blobOffset,
      );
    const prefix = await reader.read(4);
    if (!prefix) throw truncated('length prefix', 4);
    const headerLength = prefix.readUInt32BE(0);
    if (headerLength === 0 || headerLength > MAX_BLOB_HEADER_BYTES) {
      throw new OsmReadError(
        'OSM_CORRUPT',
        name,
        `corrupt PBF: ${where} announces a BlobHeader of ${headerLength} bytes (limit 64 KiB)`,
        blobOffset,
      );
    }
    const headerBytes = await reader.read(headerLength);
    if (!headerBytes) throw truncated('BlobHeader', headerLength);
    let header: BlobHeader;
    try {
      header = parseBlobHeader(headerBytes);
    } catch (err) {
      throw wrapBlobError(err, name, `${where} (BlobHeader)`, blobOffset);
    }
    const blobBytes = await reader.read(header.dataSize);
    if (!blobBytes) throw truncated(`${header.type} Blob`, header.dataSize);
    try {
      if (header.type === 'OSMHeader') {
        const block = parseHeaderBlock(unpackBlob(blobBytes));
        for (const feature of block.requiredFeatures) {
          if (!SUPPORTED_PBF_FEATURES.includes(feature)) {
            throw new BlobError(
              'OSM_UNSUPPORTED',
              `the file requires PBF feature "${feature}", which this reader does not support ` +
                `(supported: ${SUPPORTED_PBF_FEATURES.join(', ')})`,
            );
          }
        }
        bbox = block.bbox;
        sawHeader = true;
      } else if (header.type === 'OSMData') {
        if (!sawHeader) throw corrupt('OSMData blob before the OSMHeader blob');
        decoder.decode(unpackBlob(blobBytes));
      }
      // Other blob types: "a parser should skip blobs of unknown type".
    } catch (err) {
      if (decoder.inHandler) throw err;
      throw wrapBlobError(err, name, `${where} (${header.type})`, blobOffset);
    }
  }
  if (!sawHeader) throw new OsmReadError('OSM_CORRUPT', name, 'PBF file has no OSMHeader blob');
  const summary: OsmReadSummary = {
    format: 'pbf',
    nodes: decoder.nodes,
    ways: decoder.ways,
    relations: decoder.relations,
  };
  if (bbox) summary.bbox = bbox;
  return summary;
}

function wrapBlobError(err: unknown, name: string, where: string, offset: number): OsmReadError {
  if (err instanceof BlobError) {
    const kind = err.code === 'OSM_UNSUPPORTED' ? 'unsupported PBF' : 'corrupt PBF';
    return new OsmReadError(err.code, name, `${kind}: ${where}: ${err.message}`, offset);
  }
  // The protobuf library's own failures (over-long varints and the like).
  const message = err instanceof Error ? err.message : String(err);
  return new OsmReadError('OSM_CORRUPT', name, `corrupt PBF: ${where}: ${message}`, offset, err);
}
