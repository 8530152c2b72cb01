/**
 * Douglas–Peucker simplification of a [lon, lat] line (OSRM's `overview=simplified`), tolerance
 * in metres measured in a local equirectangular frame. Keeps both ends.
 */
export function simplifyLine(points: readonly [number, number][], toleranceM: number): [number, number][] {
  if (points.length <= 2) return points.slice();
  const lat0 = (points[0]![1] * Math.PI) / 180;
  const kx = Math.cos(lat0) * 111_320;
  const ky = 110_574;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    const [ax, ay] = [points[first]![0] * kx, points[first]![1] * ky];
    const [bx, by] = [points[last]![0] * kx, points[last]![1] * ky];
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSquared = dx * dx + dy * dy;
    let farthest = -1;
    let farthestDistance = toleranceM;
    for (let i = first + 1; i < last; i++) {
      const px = points[i]![0] * kx;
      const py = points[i]![1] * ky;
      let t = lengthSquared > 0 ? ((px - ax) * dx + (py - ay) * dy) / lengthSquared : 0;
      t = Math.max(0, Math.min(1, t));
      const distance = Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
      if (distance > farthestDistance) {
        farthest = i;
        farthestDistance = distance;
      }
    }
    if (farthest >= 0) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}
