/** WGS84 degrees, `[minLon, minLat, maxLon, maxLat]` (OSRM/GeoJSON order). */
export type OsmBbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface OsmNode {
  id: number;
  lat: number;
  lon: number;
  /** Present only when the node has at least one tag. */
  tags?: Record<string, string>;
}

export interface OsmWay {
  id: number;
  refs: number[];
  tags: Record<string, string>;
}

export type OsmMemberType = 'node' | 'way' | 'relation';

export interface OsmMember {
  type: OsmMemberType;
  ref: number;
  role: string;
}

export interface OsmRelation {
  id: number;
  members: OsmMember[];
  tags: Record<string, string>;
}

/** Called synchronously, in file order. A kind without a handler is counted but not decoded. */
export interface OsmHandlers {
  node?(node: OsmNode): void;
  way?(way: OsmWay): void;
  relation?(relation: OsmRelation): void;
}

export interface OsmReadSummary {
  format: 'pbf' | 'xml';
  nodes: number;
  ways: number;
  relations: number;
  /** The bounds the file declares (PBF HeaderBBox, XML `<bounds>`); absent when it declares none. */
  bbox?: OsmBbox;
}

/** A whole dataset in memory, as the writers take it. */
export interface OsmData {
  nodes: OsmNode[];
  ways: OsmWay[];
  relations: OsmRelation[];
}

/**
 * Sets a tag on a plain object. A `__proto__` key (legal in OSM) would otherwise replace the
 * object's prototype instead of becoming a tag.
 */
export function setTag(tags: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') {
    Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    tags[key] = value;
  }
}
