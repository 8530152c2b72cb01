import { legGeometry } from './leg-geometry.js';
import type { MetricContext, RoadRouter, LegPath } from './road-router.js';
import type { Phantom } from './snap-index.js';

export interface SyntheticTrace {
  points: { lon: number; lat: number; timeS: number }[];
  path: LegPath;
  /** OSM node ids along the true path. */
  trueNodes: number[];
}

/** For tests and benchmarks: a GNSS trace along the route from a to b: `count` points evenly in time, Gaussian noise of `noiseM`. */
export function traceAlong(
  router: RoadRouter,
  context: MetricContext,
  a: Phantom,
  b: Phantom,
  count: number,
  noiseM: number,
  random: () => number,
): SyntheticTrace | undefined {
  const path = router.route(context, a, b);
  if (!path) return undefined;
  const layout = legGeometry(router.graph, path, { metric: context.metric });
  const total = layout.totalDurationS;
  if (total <= 0) return undefined;
  const cumulative = [0];
  for (const d of layout.durationS) cumulative.push(cumulative[cumulative.length - 1]! + d);
  const points = [];
  for (let k = 0; k < count; k++) {
    const t = (k / (count - 1)) * cumulative[cumulative.length - 1]!;
    let i = 0;
    while (i + 1 < cumulative.length - 1 && cumulative[i + 1]! < t) i++;
    const span = cumulative[i + 1]! - cumulative[i]!;
    const f = span > 0 ? (t - cumulative[i]!) / span : 0;
    const [lonA, latA] = layout.coordinates[i]!;
    const [lonB, latB] = layout.coordinates[i + 1]!;
    const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const north = gauss() * noiseM;
    const east = gauss() * noiseM;
    const lat = latA + (latB - latA) * f + north / 111_320;
    const lon = lonA + (lonB - lonA) * f + east / (111_320 * Math.cos((lat * Math.PI) / 180));
    points.push({ lon, lat, timeS: 1_800_000_000 + Math.round(t) + k * 0 });
  }
  // Timestamps must not repeat: spread equal seconds.
  for (let k = 1; k < points.length; k++)
    if (points[k]!.timeS <= points[k - 1]!.timeS) points[k]!.timeS = points[k - 1]!.timeS + 1;
  return { points, path, trueNodes: layout.osmNodes };
}
