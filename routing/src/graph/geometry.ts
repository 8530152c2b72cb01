const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres. */
export function distanceM(lonA: number, latA: number, lonB: number, latB: number): number {
  const la1 = latA * RAD;
  const la2 = latB * RAD;
  const h =
    Math.sin((la2 - la1) / 2) ** 2 + Math.cos(la1) * Math.cos(la2) * Math.sin(((lonB - lonA) * RAD) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from A to B, degrees clockwise from north, [0, 360). */
export function bearingDeg(lonA: number, latA: number, lonB: number, latB: number): number {
  const la1 = latA * RAD;
  const la2 = latB * RAD;
  const dLon = (lonB - lonA) * RAD;
  const y = Math.sin(dLon) * Math.cos(la2);
  const x = Math.cos(la1) * Math.sin(la2) - Math.sin(la1) * Math.cos(la2) * Math.cos(dLon);
  return (Math.atan2(y, x) / RAD + 360) % 360;
}

/** Signed turn from bearing `from` to bearing `to`, (-180, 180]; negative is a left turn. */
export function turnAngleDeg(from: number, to: number): number {
  let angle = (to - from) % 360;
  if (angle > 180) angle -= 360;
  if (angle <= -180) angle += 360;
  return angle;
}

/**
 * Projects point P onto segment AB in a local equirectangular frame (accurate at street scale).
 * Returns the fraction along AB in [0, 1] and the distance from P to the projection, metres.
 */
export function projectOnSegment(
  lonP: number,
  latP: number,
  lonA: number,
  latA: number,
  lonB: number,
  latB: number,
): { fraction: number; distanceM: number; lon: number; lat: number } {
  const kx = Math.cos(latP * RAD) * RAD * EARTH_RADIUS_M;
  const ky = RAD * EARTH_RADIUS_M;
  const ax = (lonA - lonP) * kx;
  const ay = (latA - latP) * ky;
  const bx = (lonB - lonP) * kx;
  const by = (latB - latP) * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared > 0 ? -(ax * dx + ay * dy) / lengthSquared : 0;
  t = Math.max(0, Math.min(1, t));
  const x = ax + t * dx;
  const y = ay + t * dy;
  return {
    fraction: t,
    distanceM: Math.hypot(x, y),
    lon: lonA + (lonB - lonA) * t,
    lat: latA + (latB - latA) * t,
  };
}
