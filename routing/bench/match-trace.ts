import type { RoadRouter } from '../src/engine/road-router.js';

/** Median time of matching 100-point traces (ms), or undefined until map matching is wired. */
export function benchMatch(_router: RoadRouter, _random: () => number): number | undefined {
  return undefined;
}
