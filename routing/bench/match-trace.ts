import { matchObservations } from '../src/engine/match-service.js';
import type { RoadRouter } from '../src/engine/road-router.js';
import { traceAlong } from '../src/engine/trace-along.js';

const TRACES = 20;
const POINTS = 100;

/**
 * Median time (ms) to map-match 100-point noisy traces (4 m) generated along random routes of at
 * least 2 km; traces the matcher splits are counted all the same (the time is what is measured).
 */
export function benchMatch(router: RoadRouter, random: () => number): number | undefined {
  const context = router.context(undefined);
  const graph = router.graph;
  const times: number[] = [];
  let attempts = 0;
  while (times.length < TRACES && attempts < TRACES * 50) {
    attempts += 1;
    const pick = (): ReturnType<RoadRouter['nearest']>[number] | undefined => {
      const point = Math.floor(random() * graph.pointCount);
      return router.nearest(context, graph.pointLon[point]!, graph.pointLat[point]!)[0];
    };
    const a = pick();
    const b = pick();
    if (!a || !b) continue;
    const trace = traceAlong(router, context, a, b, POINTS, 4, random);
    if (!trace || trace.path.distanceM < 2000 || trace.path.distanceM > 8000) continue;
    const started = performance.now();
    matchObservations(router, context, trace.points);
    times.push(performance.now() - started);
  }
  if (times.length === 0) return undefined;
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}
