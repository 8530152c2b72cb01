import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import sax from 'sax';
import { roadClassOf } from './road-class.js';

/** Travel direction of a way relative to its node order. */
export type Oneway = -1 | 0 | 1;

export interface OsmRoadWay {
  osmId: number;
  /** OSM node ids in way order. */
  refs: number[];
  roadClass: number;
  oneway: Oneway;
}

/** The drivable ways of an OSM extract and the coordinates of every node it holds. */
export interface OsmRoads {
  nodeIds: number[];
  lat: number[];
  lon: number[];
  /** OSM node id -> index into nodeIds/lat/lon. */
  nodeIndex: Map<number, number>;
  ways: OsmRoadWay[];
}

const NO_ACCESS = new Set(['no']);

/**
 * Reads OSM XML (gzip or plain, told apart by the magic bytes, not the name) with a streaming
 * parser, so a large extract never sits in memory as one string.
 */
export async function loadOsmRoads(file: string): Promise<OsmRoads> {
  const handle = await open(file, 'r');
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = createReadStream(file);
  let text: NodeJS.ReadableStream & AsyncIterable<string | Buffer> = raw;
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    const gunzip = createGunzip();
    // pipe() does not forward errors; a read error must end the iteration below.
    raw.on('error', (error) => gunzip.destroy(error));
    text = raw.pipe(gunzip);
  }
  // The decoder inside setEncoding keeps multi-byte UTF-8 characters (Cyrillic names) whole across chunks.
  text.setEncoding('utf8');
  try {
    return await parseOsmRoads(text as AsyncIterable<string>);
  } finally {
    raw.destroy();
  }
}

/** Parses OSM XML text chunks; keeps every node's coordinates and the ways trucks may drive. */
export async function parseOsmRoads(chunks: AsyncIterable<string>): Promise<OsmRoads> {
  const roads: OsmRoads = { nodeIds: [], lat: [], lon: [], nodeIndex: new Map(), ways: [] };
  const parser = sax.parser(true, { trim: false, normalize: false, position: false });
  let way: { osmId: number; refs: number[]; tags: Map<string, string> } | undefined;
  let failure: Error | undefined;

  parser.onerror = (error) => {
    failure ??= error;
  };
  parser.onopentag = (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'node': {
        const id = Number(attributes.id);
        const lat = Number(attributes.lat);
        const lon = Number(attributes.lon);
        // Deleted nodes in osmChange-like files carry no coordinates.
        if (!Number.isFinite(id) || !Number.isFinite(lat) || !Number.isFinite(lon)) return;
        roads.nodeIndex.set(id, roads.nodeIds.length);
        roads.nodeIds.push(id);
        roads.lat.push(lat);
        roads.lon.push(lon);
        return;
      }
      case 'way':
        way = { osmId: Number(attributes.id), refs: [], tags: new Map() };
        return;
      case 'nd':
        if (way) way.refs.push(Number(attributes.ref));
        return;
      case 'tag':
        if (way && attributes.k !== undefined) way.tags.set(attributes.k, attributes.v ?? '');
        return;
    }
  };
  parser.onclosetag = (name) => {
    if (name !== 'way' || !way) return;
    const road = toRoadWay(way.osmId, way.refs, way.tags);
    if (road) roads.ways.push(road);
    way = undefined;
  };

  for await (const chunk of chunks) {
    parser.write(chunk);
    if (failure) throw new Error(`OSM XML is malformed: ${failure.message.split('\n')[0]}`);
  }
  parser.close();
  if (failure) throw new Error(`OSM XML is malformed: ${failure.message.split('\n')[0]}`);
  return roads;
}

function toRoadWay(osmId: number, refs: number[], tags: Map<string, string>): OsmRoadWay | undefined {
  const roadClass = roadClassOf(tags.get('highway') ?? '');
  if (roadClass === undefined || refs.length < 2) return undefined;
  // A pedestrian square drawn as a closed highway area is not a road.
  if (tags.get('area') === 'yes') return undefined;
  for (const key of ['access', 'vehicle', 'motor_vehicle']) {
    if (NO_ACCESS.has(tags.get(key) ?? '')) return undefined;
  }
  return { osmId, refs, roadClass, oneway: onewayOf(tags) };
}

/** OSM oneway semantics, including the implied oneway of roundabouts and motorways. */
export function onewayOf(tags: Map<string, string>): Oneway {
  const value = tags.get('oneway');
  if (value === 'yes' || value === 'true' || value === '1') return 1;
  if (value === '-1' || value === 'reverse') return -1;
  if (value === 'no' || value === 'false' || value === '0') return 0;
  const highway = tags.get('highway');
  if (tags.get('junction') === 'roundabout' || highway === 'motorway' || highway === 'motorway_link')
    return 1;
  return 0;
}
