import { open, type FileHandle } from 'node:fs/promises';
import { OsmReadError } from './osm-read-error.js';
import type { OsmData, OsmHandlers, OsmReadSummary } from './osm-types.js';
import { readOsmPbf } from './pbf-reader.js';
import { readOsmXml } from './xml-reader.js';

export type {
  OsmBbox,
  OsmData,
  OsmHandlers,
  OsmMember,
  OsmMemberType,
  OsmNode,
  OsmReadSummary,
  OsmRelation,
  OsmWay,
} from './osm-types.js';
export { OsmReadError, type OsmReadErrorCode } from './osm-read-error.js';

export type OsmFileFormat = 'pbf' | 'xml' | 'xml.gz';

const SNIFF_BYTES = 64;

/**
 * Streams every entity of an OSM file (PBF, OSM XML or gzip-compressed OSM XML; told apart by
 * content, not by name) to the handlers, in file order. Kinds without a handler are counted but
 * not decoded. Rejects with an {@link OsmReadError} when the file is truncated, corrupt or uses
 * what this reader does not support; an exception thrown by a handler rejects unchanged.
 */
export async function readOsm(path: string, handlers: OsmHandlers): Promise<OsmReadSummary> {
  const file = await open(path, 'r');
  try {
    const format = await detectFormat(file, path);
    if (format === 'pbf') return await readOsmPbf(file, path, handlers);
    return await readOsmXml(file, path, format === 'xml.gz', handlers);
  } finally {
    await file.close();
  }
}

/** The whole file in memory: for small files (fixtures, the demo town), not for extracts. */
export async function readOsmData(path: string): Promise<OsmData & { summary: OsmReadSummary }> {
  const data: OsmData = { nodes: [], ways: [], relations: [] };
  const summary = await readOsm(path, {
    node: (node) => data.nodes.push(node),
    way: (way) => data.ways.push(way),
    relation: (relation) => data.relations.push(relation),
  });
  return { ...data, summary };
}

/** The format of an open file, from its first bytes. */
export async function detectFormat(file: FileHandle, name: string): Promise<OsmFileFormat> {
  const head = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
  const format = formatOfHead(head.subarray(0, bytesRead));
  if (format === undefined) {
    throw new OsmReadError(
      'OSM_UNKNOWN_FORMAT',
      name,
      bytesRead === 0
        ? 'the file is empty'
        : 'not an OSM file: expected OSM PBF, OSM XML or gzip-compressed OSM XML',
    );
  }
  if (format.startsWith('unsupported:')) {
    const compression = format.slice('unsupported:'.length);
    throw new OsmReadError(
      'OSM_UNSUPPORTED',
      name,
      `${compression}-compressed input is not supported; decompress it or convert it to .osm.pbf`,
    );
  }
  return format as OsmFileFormat;
}

/** `undefined` when unrecognised, `unsupported:<compression>` for compressions we do not read. */
function formatOfHead(head: Buffer): OsmFileFormat | `unsupported:${string}` | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'xml.gz';
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') return 'unsupported:bzip2';
  if (head.length >= 6 && head.readUInt32BE(0) === 0xfd377a58 && head[4] === 0x5a) return 'unsupported:xz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'unsupported:zstd';
  if (isPbfHead(head)) return 'pbf';
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d))
    i++;
  if (head[i] === 0x3c) return 'xml';
  return undefined;
}

/** A 4-byte BlobHeader length, then BlobHeader field 1 (type) holding "OSMHeader" or "OSMData". */
function isPbfHead(head: Buffer): boolean {
  if (head.length < 6) return false;
  const headerLength = head.readUInt32BE(0);
  if (headerLength === 0 || headerLength > 64 * 1024 || head[4] !== 0x0a) return false;
  const typeLength = head[5]!;
  // A file cut short inside its first BlobHeader is still a PBF (a truncated one).
  const type = head.toString('latin1', 6, 6 + typeLength);
  return ['OSMHeader', 'OSMData'].some((name) => name.length === typeLength && name.startsWith(type));
}
