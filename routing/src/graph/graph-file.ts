import { readFile, writeFile } from 'node:fs/promises';
import type { RoadGraph } from './road-graph.js';

// File layout: 8-byte magic, u32 format version, u32 header length, JSON header (section table,
// names, limits, metadata), then 8-byte-aligned typed-array sections. Loading creates views into
// one ArrayBuffer: no parsing, no per-element work.
const MAGIC = 'MSWROUTE';
export const ROUTING_FILE_VERSION = 1;

type TypedArray = Float64Array | Float32Array | Uint32Array | Int32Array | Uint8Array;
type TypedArrayName = 'Float64Array' | 'Float32Array' | 'Uint32Array' | 'Int32Array' | 'Uint8Array';
const CONSTRUCTORS = { Float64Array, Float32Array, Uint32Array, Int32Array, Uint8Array } as const;

interface SectionEntry {
  name: string;
  type: TypedArrayName;
  offset: number;
  length: number;
}

interface Header {
  sections: SectionEntry[];
  names: string[];
  limits: {
    maxHeightM: number | null;
    maxWidthM: number | null;
    maxLengthM: number | null;
    maxWeightT: number | null;
    maxAxleLoadT: number | null;
  }[];
  source: string;
  pointCount: number;
  pieceCount: number;
  meta: Record<string, unknown>;
}

const GRAPH_ARRAYS = [
  'pointLon',
  'pointLat',
  'pointOsmId',
  'pieceGeomStart',
  'geomPoint',
  'geomLengthM',
  'pieceLengthM',
  'pieceSpeedKmh',
  'pieceReverse',
  'pieceWayId',
  'pieceName',
  'pieceRoadClass',
  'pieceLimits',
  'pieceEndDelayS',
  'turnFirst',
  'turnTarget',
  'turnPenaltyDs',
] as const;

export interface RoutingFile {
  graph: RoadGraph;
  /** Extra sections by name (the contraction hierarchy, node order, ...). */
  extra: Map<string, Uint8Array>;
  meta: Record<string, unknown>;
}

export async function writeRoutingFile(
  path: string,
  graph: RoadGraph,
  extra: ReadonlyMap<string, Uint8Array>,
  meta: Record<string, unknown>,
): Promise<void> {
  const arrays: [string, TypedArray][] = GRAPH_ARRAYS.map((name) => [name, graph[name]]);
  for (const [name, bytes] of extra) arrays.push([`extra:${name}`, bytes]);
  let offset = 0;
  const sections: SectionEntry[] = arrays.map(([name, array]) => {
    const entry = { name, type: array.constructor.name as TypedArrayName, offset, length: array.length };
    offset = align8(offset + array.byteLength);
    return entry;
  });
  const header: Header = {
    sections,
    names: graph.names,
    limits: graph.limits.map((l) => ({
      maxHeightM: finite(l.maxHeightM),
      maxWidthM: finite(l.maxWidthM),
      maxLengthM: finite(l.maxLengthM),
      maxWeightT: finite(l.maxWeightT),
      maxAxleLoadT: finite(l.maxAxleLoadT),
    })),
    source: graph.source,
    pointCount: graph.pointCount,
    pieceCount: graph.pieceCount,
    meta,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = align8(16 + headerBytes.length);
  const out = Buffer.alloc(dataStart + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(ROUTING_FILE_VERSION, 8);
  out.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(out, 16);
  arrays.forEach(([, array], i) => {
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(out, dataStart + sections[i]!.offset);
  });
  await writeFile(path, out);
}

export async function readRoutingFile(path: string): Promise<RoutingFile> {
  const file = await readFile(path);
  // Typed-array views need an aligned buffer of their own.
  const buffer = file.byteOffset % 8 === 0 ? file.buffer : new Uint8Array(file).buffer;
  const base = file.byteOffset % 8 === 0 ? file.byteOffset : 0;
  const bytes = new Uint8Array(buffer, base, file.length);
  if (file.length < 16 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) {
    throw new Error(`${path}: not a routing file (run "npm run routing -- build --osm FILE --out DIR")`);
  }
  const view = new DataView(buffer, base, file.length);
  const version = view.getUint32(8, true);
  if (version !== ROUTING_FILE_VERSION) {
    throw new Error(
      `${path}: routing file version ${version}, this build reads ${ROUTING_FILE_VERSION}; rebuild it`,
    );
  }
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(16, 16 + headerLength)).toString('utf8')) as Header;
  const dataStart = base + align8(16 + headerLength);
  const arrays = new Map<string, TypedArray>();
  for (const section of header.sections) {
    const Constructor = CONSTRUCTORS[section.type];
    arrays.set(section.name, new Constructor(buffer, dataStart + section.offset, section.length));
  }
  const get = <T extends TypedArray>(name: string): T => {
    const array = arrays.get(name);
    if (!array) throw new Error(`${path}: section ${name} missing`);
    return array as T;
  };
  const graph: RoadGraph = {
    pointCount: header.pointCount,
    pieceCount: header.pieceCount,
    pointLon: get('pointLon'),
    pointLat: get('pointLat'),
    pointOsmId: get('pointOsmId'),
    pieceGeomStart: get('pieceGeomStart'),
    geomPoint: get('geomPoint'),
    geomLengthM: get('geomLengthM'),
    pieceLengthM: get('pieceLengthM'),
    pieceSpeedKmh: get('pieceSpeedKmh'),
    pieceReverse: get('pieceReverse'),
    pieceWayId: get('pieceWayId'),
    pieceName: get('pieceName'),
    pieceRoadClass: get('pieceRoadClass'),
    pieceLimits: get('pieceLimits'),
    pieceEndDelayS: get('pieceEndDelayS'),
    turnFirst: get('turnFirst'),
    turnTarget: get('turnTarget'),
    turnPenaltyDs: get('turnPenaltyDs'),
    names: header.names,
    limits: header.limits.map((l) => ({
      maxHeightM: l.maxHeightM ?? Infinity,
      maxWidthM: l.maxWidthM ?? Infinity,
      maxLengthM: l.maxLengthM ?? Infinity,
      maxWeightT: l.maxWeightT ?? Infinity,
      maxAxleLoadT: l.maxAxleLoadT ?? Infinity,
    })),
    source: header.source,
  };
  const extra = new Map<string, Uint8Array>();
  for (const [name, array] of arrays) {
    if (name.startsWith('extra:')) extra.set(name.slice(6), array as Uint8Array);
  }
  return { graph, extra, meta: header.meta };
}

function align8(value: number): number {
  return Math.ceil(value / 8) * 8;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
