const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two points given in 1e-7 degrees. */
export function haversineE7(latA: number, lonA: number, latB: number, lonB: number): number {
  const la1 = latA * 1e-7 * RAD;
  const la2 = latB * 1e-7 * RAD;
  const dLat = la2 - la1;
  const dLon = (lonB - lonA) * 1e-7 * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(la1) * Math.cos(la2) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
