import { open, rename, rm } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { PbfWriter } from 'pbf';
import type { OsmBbox, OsmMemberType, OsmNode, OsmRelation, OsmWay } from './osm-types.js';
import type { OsmXmlInput } from './osm-xml-writer.js';

export interface OsmPbfWriteOptions {
  /** Blob compression; default zlib. */
  compression?: 'zlib' | 'none';
  /** DenseNodes (default) or one Node message per node. */
  denseNodes?: boolean;
  /** Entities per PrimitiveBlock; default 8000 (as osmium). */
  entitiesPerBlock?: number;
  /** Nanodegrees per coordinate unit; default 100. */
  granularity?: number;
  /** Nanodegrees; default 0. */
  latOffset?: number;
  lonOffset?: number;
  /** HeaderBlock required_features; default what the file uses. */
  requiredFeatures?: string[];
  bbox?: OsmBbox;
}

const MEMBER_TYPE_CODES: Record<OsmMemberType, number> = { node: 0, way: 1, relation: 2 };

/**
 * OSM PBF bytes of a dataset: one OSMHeader blob, then nodes, ways and relations in blocks.
 * Coordinates are rounded to the granularity. Small and unoptimised: fixtures and demo data.
 */
export function encodeOsmPbf(data: OsmXmlInput, options: OsmPbfWriteOptions = {}): Buffer {
  const dense = options.denseNodes ?? true;
  const perBlock = options.entitiesPerBlock ?? 8000;
  const frames: Buffer[] = [];
  const features =
    options.requiredFeatures ?? (dense ? ['OsmSchema-V0.6', 'DenseNodes'] : ['OsmSchema-V0.6']);

  const header = new PbfWriter();
  if (options.bbox) {
    const [minLon, minLat, maxLon, maxLat] = options.bbox;
    header.writeMessage(
      1,
      (b: OsmBbox, pbf: PbfWriter) => {
        pbf.writeSVarintField(1, Math.round(b[0] * 1e9));
        pbf.writeSVarintField(2, Math.round(b[2] * 1e9));
        pbf.writeSVarintField(3, Math.round(b[3] * 1e9));
        pbf.writeSVarintField(4, Math.round(b[1] * 1e9));
      },
      [minLon, minLat, maxLon, maxLat] as OsmBbox,
    );
  }
  for (const feature of features) writeString(header, 4, feature);
  writeString(header, 16, 'msw-fleet routing');
  frames.push(encodeFrame('OSMHeader', encodeBlob(header.finish(), options.compression ?? 'zlib')));

  const blocks: Array<(block: BlockWriter) => void> = [];
  for (const chunk of chunks(data.nodes ?? [], perBlock)) {
    blocks.push((block) => (dense ? block.writeDenseNodes(chunk) : block.writeNodes(chunk)));
  }
  for (const chunk of chunks(data.ways ?? [], perBlock)) blocks.push((block) => block.writeWays(chunk));
  for (const chunk of chunks(data.relations ?? [], perBlock))
    blocks.push((block) => block.writeRelations(chunk));
  for (const write of blocks) {
    const block = new BlockWriter(options.granularity ?? 100, options.latOffset ?? 0, options.lonOffset ?? 0);
    write(block);
    frames.push(encodeFrame('OSMData', encodeBlob(block.finish(), options.compression ?? 'zlib')));
  }
  return Buffer.concat(frames);
}

/** Writes {@link encodeOsmPbf} to `path` (beside it first, then renamed into place). */
export async function writeOsmPbf(
  path: string,
  data: OsmXmlInput,
  options: OsmPbfWriteOptions = {},
): Promise<void> {
  const bytes = encodeOsmPbf(data, options);
  const partial = `${path}.${process.pid}.partial`;
  const file = await open(partial, 'w');
  try {
    await file.write(bytes);
  } catch (err) {
    await file.close();
    await rm(partial, { force: true });
    throw err;
  }
  await file.close();
  await rename(partial, path);
}

/** A Blob message holding `payload`. */
export function encodeBlob(payload: Uint8Array, compression: 'zlib' | 'none'): Uint8Array {
  const blob = new PbfWriter();
  if (compression === 'none') {
    blob.writeBytesField(1, payload);
  } else {
    blob.writeVarintField(2, payload.length);
    blob.writeBytesField(3, deflateSync(payload));
  }
  return blob.finish();
}

/** The length prefix, BlobHeader and Blob of one file block. */
export function encodeFrame(type: string, blob: Uint8Array): Buffer {
  const header = new PbfWriter();
  writeString(header, 1, type);
  header.writeVarintField(3, blob.length);
  const headerBytes = header.finish();
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(headerBytes.length, 0);
  return Buffer.concat([prefix, headerBytes, blob]);
}

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** One PrimitiveBlock with one PrimitiveGroup. */
class BlockWriter {
  // Entry 0 is reserved: DenseNodes keys_vals uses index 0 as its end-of-node mark, so even a
  // tag that is "" gets an index of its own.
  private readonly table: string[] = [''];
  private readonly strings = new Map<string, number>();
  private readonly group = new PbfWriter();
  private readonly granularity: number;
  private readonly latOffset: number;
  private readonly lonOffset: number;

  constructor(granularity: number, latOffset: number, lonOffset: number) {
    this.granularity = granularity;
    this.latOffset = latOffset;
    this.lonOffset = lonOffset;
  }

  writeDenseNodes(nodes: OsmNode[]): void {
    const ids: number[] = [];
    const lats: number[] = [];
    const lons: number[] = [];
    const keysVals: number[] = [];
    const hasTags = nodes.some((node) => node.tags && Object.keys(node.tags).length > 0);
    let id = 0;
    let lat = 0;
    let lon = 0;
    for (const node of nodes) {
      const nodeLat = this.latUnits(node.lat);
      const nodeLon = this.lonUnits(node.lon);
      ids.push(node.id - id);
      lats.push(nodeLat - lat);
      lons.push(nodeLon - lon);
      id = node.id;
      lat = nodeLat;
      lon = nodeLon;
      if (hasTags) {
        for (const key of Object.keys(node.tags ?? {}))
          keysVals.push(this.string(key), this.string(node.tags![key]!));
        keysVals.push(0);
      }
    }
    this.group.writeMessage(
      2,
      (_: null, pbf: PbfWriter) => {
        pbf.writePackedSVarint(1, ids);
        pbf.writePackedSVarint(8, lats);
        pbf.writePackedSVarint(9, lons);
        pbf.writePackedVarint(10, keysVals);
      },
      null,
    );
  }

  writeNodes(nodes: OsmNode[]): void {
    for (const node of nodes) {
      const [keys, vals] = this.tagIndexes(node.tags ?? {});
      this.group.writeMessage(
        1,
        (_: null, pbf: PbfWriter) => {
          pbf.writeSVarintField(1, node.id);
          pbf.writePackedVarint(2, keys);
          pbf.writePackedVarint(3, vals);
          pbf.writeSVarintField(8, this.latUnits(node.lat));
          pbf.writeSVarintField(9, this.lonUnits(node.lon));
        },
        null,
      );
    }
  }

  writeWays(ways: OsmWay[]): void {
    for (const way of ways) {
      const [keys, vals] = this.tagIndexes(way.tags);
      this.group.writeMessage(
        3,
        (_: null, pbf: PbfWriter) => {
          pbf.writeVarintField(1, way.id);
          pbf.writePackedVarint(2, keys);
          pbf.writePackedVarint(3, vals);
          pbf.writePackedSVarint(8, deltas(way.refs));
        },
        null,
      );
    }
  }

  writeRelations(relations: OsmRelation[]): void {
    for (const relation of relations) {
      const [keys, vals] = this.tagIndexes(relation.tags);
      const roles = relation.members.map((member) => this.string(member.role));
      const types = relation.members.map((member) => MEMBER_TYPE_CODES[member.type]);
      this.group.writeMessage(
        4,
        (_: null, pbf: PbfWriter) => {
          pbf.writeVarintField(1, relation.id);
          pbf.writePackedVarint(2, keys);
          pbf.writePackedVarint(3, vals);
          pbf.writePackedVarint(8, roles);
          pbf.writePackedSVarint(9, deltas(relation.members.map((member) => member.ref)));
          pbf.writePackedVarint(10, types);
        },
        null,
      );
    }
  }

  finish(): Uint8Array {
    const block = new PbfWriter();
    const table = this.table;
    block.writeMessage(
      1,
      (strings: string[], pbf: PbfWriter) => {
        for (const s of strings) writeString(pbf, 1, s);
      },
      table,
    );
    block.writeBytesField(2, this.group.finish());
    // Real writers put these after the groups; readers must not depend on field order.
    if (this.granularity !== 100) block.writeVarintField(17, this.granularity);
    if (this.latOffset !== 0) block.writeVarintField(19, this.latOffset);
    if (this.lonOffset !== 0) block.writeVarintField(20, this.lonOffset);
    return block.finish();
  }

  private latUnits(lat: number): number {
    return Math.round((Math.round(lat * 1e9) - this.latOffset) / this.granularity);
  }

  private lonUnits(lon: number): number {
    return Math.round((Math.round(lon * 1e9) - this.lonOffset) / this.granularity);
  }

  private string(s: string): number {
    let index = this.strings.get(s);
    if (index === undefined) {
      index = this.table.length;
      this.table.push(s);
      this.strings.set(s, index);
    }
    return index;
  }

  private tagIndexes(tags: Record<string, string>): [number[], number[]] {
    const keys: number[] = [];
    const vals: number[] = [];
    for (const key of Object.keys(tags)) {
      keys.push(this.string(key));
      vals.push(this.string(tags[key]!));
    }
    return [keys, vals];
  }
}

/**
 * pbf 5.1.2's own UTF-8 encoder ORs instead of adds 0x10000 when it joins a surrogate pair, so
 * code points from U+20000 come out wrong (U+A0000 as U+90000); Node's encoder is correct.
 */
function writeString(pbf: PbfWriter, field: number, s: string): void {
  pbf.writeBytesField(field, Buffer.from(s, 'utf8'));
}

function deltas(values: number[]): number[] {
  const out: number[] = [];
  let previous = 0;
  for (const value of values) {
    out.push(value - previous);
    previous = value;
  }
  return out;
}
