const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two WGS84 points in degrees. */
export function haversineM(latA: number, lonA: number, latB: number, lonB: number): number {
  const dLat = (latB - latA) * RAD;
  const dLon = (lonB - lonA) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(latA * RAD) * Math.cos(latB * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from A to B, degrees clockwise from true north, in [0, 360). */
export function bearingDeg(latA: number, lonA: number, latB: number, lonB: number): number {
  const la1 = latA * RAD;
  const la2 = latB * RAD;
  const dLon = (lonB - lonA) * RAD;
  const y = Math.sin(dLon) * Math.cos(la2);
  const x = Math.cos(la1) * Math.sin(la2) - Math.sin(la1) * Math.cos(la2) * Math.cos(dLon);
  return normalizeDeg(Math.atan2(y, x) / RAD);
}

/** Wraps any angle into [0, 360). */
export function normalizeDeg(deg: number): number {
  const wrapped = deg % 360;
  const positive = wrapped < 0 ? wrapped + 360 : wrapped;
  // -1e-15 % 360 + 360 rounds to exactly 360.
  return positive >= 360 ? 0 : positive;
}

/** Smallest absolute difference between two bearings, in [0, 180]. */
export function turnAngleDeg(fromDeg: number, toDeg: number): number {
  const diff = Math.abs(normalizeDeg(toDeg - fromDeg));
  return diff > 180 ? 360 - diff : diff;
}

/** Degrees of latitude and longitude per metre near `lat` (small offsets: GNSS noise, grid spacing). */
export function degreesPerMetre(lat: number): { lat: number; lon: number } {
  const latPerM = 1 / (EARTH_RADIUS_M * RAD);
  return { lat: latPerM, lon: latPerM / Math.cos(lat * RAD) };
}
