const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
/** Metres per degree of latitude (and of longitude at the equator). */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

/** Great-circle distance in metres between two points, (lon, lat) degrees. */
export function haversineM(lonA: number, latA: number, lonB: number, latB: number): number {
  const dLat = (latB - latA) * RAD;
  const dLon = (lonB - lonA) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(latA * RAD) * Math.cos(latB * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Distance in metres on a local flat projection around latitude `latA`: exact to well under 0.1 %
 * for the few hundred metres a stop, a geofence or a GNSS jump spans, and no trigonometry per call
 * beyond one cosine.
 */
export function localDistanceM(lonA: number, latA: number, lonB: number, latB: number): number {
  const dx = (lonB - lonA) * Math.cos(latA * RAD) * METRES_PER_DEGREE;
  const dy = (latB - latA) * METRES_PER_DEGREE;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Degrees of longitude per metre at latitude `lat`. */
export function lonDegreesPerMetre(lat: number): number {
  return 1 / (METRES_PER_DEGREE * Math.cos(lat * RAD));
}

export const LAT_DEGREES_PER_METRE = 1 / METRES_PER_DEGREE;

/** Even-odd rule; a ring given open or closed. Points on an edge may fall either way. */
export function isInsidePolygon(
  lon: number,
  lat: number,
  ring: readonly (readonly [number, number])[],
): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as readonly [number, number];
    const b = ring[j] as readonly [number, number];
    if (a[1] > lat !== b[1] > lat && lon < ((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]) + a[0]) {
      inside = !inside;
    }
  }
  return inside;
}

/** Shortest distance in metres from a point to a polygon's boundary (0 when inside). */
export function distanceToPolygonM(
  lon: number,
  lat: number,
  ring: readonly (readonly [number, number])[],
): number {
  if (isInsidePolygon(lon, lat, ring)) return 0;
  const kx = Math.cos(lat * RAD) * METRES_PER_DEGREE;
  const ky = METRES_PER_DEGREE;
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as readonly [number, number];
    const b = ring[i] as readonly [number, number];
    const ax = (a[0] - lon) * kx;
    const ay = (a[1] - lat) * ky;
    const bx = (b[0] - lon) * kx;
    const by = (b[1] - lat) * ky;
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSq = dx * dx + dy * dy;
    const t = lengthSq > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / lengthSq)) : 0;
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}
