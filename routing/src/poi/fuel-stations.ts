/**
 * Fuel stations from an OSM extract (`amenity=fuel`, as nodes or as station outlines), for the optimizer's
 * refuelling stops when the fleet has no stations of its own. Refuse trucks burn diesel: a station
 * tagged `fuel:diesel=no` is left out, one that does not say is kept as `diesel: 'unknown'`. Opening hours
 * become daily windows when OSM's `opening_hours` is `24/7` or one `Mo-Su hh:mm-hh:mm` span; anything
 * more elaborate is kept verbatim and treated as unknown (open) by callers.
 */
import { readOsm } from '../osm/osm-reader.js';

export interface FuelStation {
  /** `node/123` or `way/456`. */
  osmId: string;
  lon: number;
  lat: number;
  name: string;
  brand: string;
  diesel: 'yes' | 'unknown';
  /** Seconds after local midnight, [open, close]; null when always open or unknown. */
  dailyHours: [open: number, close: number] | null;
  /** OSM `opening_hours` as tagged ('' when absent). */
  openingHours: string;
}

interface Candidate {
  osmId: string;
  tags: Record<string, string>;
}

/** Reads the extract twice: fuel ways first (their node ids), then nodes (fuel nodes and way coordinates). */
export async function findFuelStations(path: string): Promise<FuelStation[]> {
  const ways: { candidate: Candidate; refs: number[] }[] = [];
  await readOsm(path, {
    way: (way) => {
      if (way.tags.amenity === 'fuel')
        ways.push({ candidate: { osmId: `way/${way.id}`, tags: way.tags }, refs: way.refs });
    },
  });
  const wanted = new Set(ways.flatMap((w) => w.refs));
  const coordinates = new Map<number, [number, number]>();
  const stations: FuelStation[] = [];
  await readOsm(path, {
    node: (node) => {
      if (wanted.has(node.id)) coordinates.set(node.id, [node.lon, node.lat]);
      if (node.tags?.amenity === 'fuel') {
        const station = toStation({ osmId: `node/${node.id}`, tags: node.tags }, node.lon, node.lat);
        if (station) stations.push(station);
      }
    },
  });
  for (const { candidate, refs } of ways) {
    const points = refs.flatMap((ref) => {
      const point = coordinates.get(ref);
      return point ? [point] : [];
    });
    if (points.length === 0) continue;
    // The outline's vertex mean is a good enough entrance point for a station forecourt.
    const lon = points.reduce((sum, p) => sum + p[0], 0) / points.length;
    const lat = points.reduce((sum, p) => sum + p[1], 0) / points.length;
    const station = toStation(candidate, lon, lat);
    if (station) stations.push(station);
  }
  return stations.sort((a, b) => a.osmId.localeCompare(b.osmId));
}

function toStation(candidate: Candidate, lon: number, lat: number): FuelStation | null {
  const { tags } = candidate;
  const diesel = tags['fuel:diesel'];
  if (diesel === 'no') return null;
  const openingHours = tags.opening_hours ?? '';
  return {
    osmId: candidate.osmId,
    lon,
    lat,
    name: tags.name ?? '',
    brand: tags.brand ?? tags.operator ?? '',
    diesel: diesel === 'yes' ? 'yes' : 'unknown',
    dailyHours: parseDailyHours(openingHours),
    openingHours,
  };
}

/** `Mo-Su 07:00-23:00` (or without the days) → [25200, 82800]; `24/7` and everything else → null. */
export function parseDailyHours(value: string): [number, number] | null {
  const match = /^\s*(?:Mo-Su\s+)?(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(value);
  if (!match) return null;
  const open = Number(match[1]) * 3600 + Number(match[2]) * 60;
  const close = Number(match[3]) * 3600 + Number(match[4]) * 60;
  if (open > 86_400 || close > 86_400 || close <= open) return null;
  return [open, close];
}

/** GeoJSON FeatureCollection of the stations (lon, lat order). */
export function fuelStationsGeoJson(stations: readonly FuelStation[]): {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    geometry: { type: 'Point'; coordinates: [number, number] };
    properties: Omit<FuelStation, 'lon' | 'lat'>;
  }[];
} {
  return {
    type: 'FeatureCollection',
    features: stations.map(({ lon, lat, ...properties }) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties,
    })),
  };
}
