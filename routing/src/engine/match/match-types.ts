/** A GNSS observation, WGS84 degrees. */
export interface Observation {
  lon: number;
  lat: number;
  /** Seconds (any epoch); either every observation of a trace has one or none has. */
  timeS?: number;
  /** GPS precision (standard deviation) of this fix, metres, as OSRM's `radiuses`; overrides `sigmaZ`. */
  radiusM?: number;
}

/** A candidate road position for one observation (the caller produces these by snapping). */
export interface Candidate {
  /** Opaque to the matcher (positions in the arrays are what count); handy for the caller. */
  id: number;
  /** Great-circle distance from the observation to the snapped point, metres. */
  distanceM: number;
}

export interface MatchNetwork<C extends Candidate = Candidate> {
  /**
   * Candidates of observation `index` (an index into the caller's observations, also when `tidy` dropped
   * others) within its search radius, `searchRadiusM(observation, options)`; possibly empty. Called at most
   * once per observation.
   */
  candidates(index: number): readonly C[];
  /**
   * Network (driving) distances in metres from each of `from` to each of `to`, row-major |from|×|to|,
   * Infinity when unreachable. `from` is the subset of `fromIndex`'s candidates still viable, `to` all of
   * `toIndex`'s candidates (`toIndex` > `fromIndex`, usually the next observation). Called once per
   * transition, so it can be one many-to-many query. Distances of `maxDistanceM` or more make the
   * transition impossible anyway: the search may stop there and report Infinity.
   */
  transitionDistances(
    from: readonly C[],
    to: readonly C[],
    fromIndex: number,
    toIndex: number,
    maxDistanceM: number,
  ): Float64Array;
}

export interface MatchOptions {
  /** GPS noise standard deviation, metres, for observations without `radiusM`. Default 4.07 (Newson & Krumm). */
  sigmaZ?: number;
  /** Scale of the exponential transition probability, metres. Default 10 (OSRM `MATCHING_BETA`). */
  beta?: number;
  /**
   * With timestamps: a transition whose route needs more than this speed is impossible, and so is one whose
   * |route − great-circle| exceeds the distance drivable at it (OSRM). Default 180 (OSRM car profile
   * `max_speed_for_map_matching`).
   */
  maxSpeedKmh?: number;
  /** 'split' (default, OSRM): with timestamps, a time gap over `gapSeconds` ends the sub-matching. */
  gaps?: 'split' | 'ignore';
  /** Default: 10 × the median sampling interval, at least 1 s (OSRM `MAX_BROKEN_STATES` × median). */
  gapSeconds?: number;
  /** Drop observations until the trace has moved `tidyDistanceM` (and `tidySeconds`), OSRM `tidy`. Default false. */
  tidy?: boolean;
  /** Default 15 m (OSRM `tidy::Thresholds`). */
  tidyDistanceM?: number;
  /** Default 5 s (OSRM `tidy::Thresholds`); used only when the trace has timestamps. */
  tidySeconds?: number;
}

export interface SubMatching<C extends Candidate = Candidate> {
  /** Observation indices (into the caller's observations) in this sub-matching, ascending, at least 2. */
  observations: number[];
  /** The chosen candidate for each of `observations`, as returned by `MatchNetwork.candidates`. */
  candidates: C[];
  /** OSRM-style confidence in [0, 1]. */
  confidence: number;
}

export interface MatchResult<C extends Candidate = Candidate> {
  matchings: SubMatching<C>[];
  /** Per observation: index into `matchings`, or -1 when unmatched (no candidate, broken, tidied away). */
  matchingOf: Int32Array;
}
