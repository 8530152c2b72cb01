import { distanceM } from '../../graph/geometry.js';
import type { Observation } from './match-types.js';

export interface TidyThresholds {
  /** Metres the trace must have moved (summed along the observations) since the last kept one. */
  distanceM: number;
  /** Seconds that must have passed since the last kept one; ignored without timestamps. */
  seconds: number;
}

/** OSRM include/engine/api/match_parameters_tidy.hpp `tidy(params, Thresholds cfg = {15., 5})`. */
export const DEFAULT_TIDY_THRESHOLDS: Readonly<TidyThresholds> = { distanceM: 15, seconds: 5 };

/**
 * Indices of the observations to keep, ascending: the first, the last, and in between each one reached
 * after the trace has moved `distanceM` and (with timestamps) `seconds` since the previous kept one, as
 * OSRM's `tidy`. Distance is summed between consecutive observations, so jitter while standing still
 * counts too, as in OSRM.
 */
export function tidyTrace(
  observations: readonly Observation[],
  thresholds: Readonly<TidyThresholds> = DEFAULT_TIDY_THRESHOLDS,
): Int32Array {
  const n = observations.length;
  if (n <= 2) return Int32Array.from({ length: n }, (_, i) => i);
  const useTime = observations.every((o) => o.timeS !== undefined);
  const kept = new Int32Array(n);
  let count = 0;
  kept[count++] = 0;
  let runningM = 0;
  let runningS = 0;
  for (let next = 1; next < n - 1; next++) {
    const a = observations[next - 1]!;
    const b = observations[next]!;
    runningM += distanceM(a.lon, a.lat, b.lon, b.lat);
    if (useTime) runningS += (b.timeS ?? 0) - (a.timeS ?? 0);
    if (runningM >= thresholds.distanceM && (!useTime || runningS >= thresholds.seconds)) {
      kept[count++] = next;
      runningM = 0;
      runningS = 0;
    }
  }
  kept[count++] = n - 1;
  return kept.slice(0, count);
}
