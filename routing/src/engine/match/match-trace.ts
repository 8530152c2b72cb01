// Hidden-Markov-model map matching (Newson & Krumm 2009) as OSRM's /match does it
// (src/engine/routing_algorithms/map_matching.cpp), over an abstract `MatchNetwork` so the road graph,
// snapping and many-to-many queries stay with the caller. Viterbi in log space; a trace breaks into
// sub-matchings where no candidate of an observation is reachable, and at time gaps.
import { distanceM } from '../../graph/geometry.js';
import { emissionLogProbability, transitionLogProbability } from './hmm-log-probability.js';
import { MatchError } from './match-error.js';
import type {
  Candidate,
  MatchNetwork,
  MatchOptions,
  MatchResult,
  Observation,
  SubMatching,
} from './match-types.js';
import { matchingConfidence } from './matching-confidence.js';
import { DEFAULT_TIDY_THRESHOLDS, tidyTrace } from './tidy-trace.js';

export type {
  Candidate,
  MatchNetwork,
  MatchOptions,
  MatchResult,
  Observation,
  SubMatching,
} from './match-types.js';

/** Newson & Krumm's GPS noise estimate, metres. (OSRM's `DEFAULT_GPS_PRECISION` is 5.) */
export const DEFAULT_SIGMA_Z_M = 4.07;
/** OSRM map_matching.cpp `MATCHING_BETA`. */
export const DEFAULT_BETA_M = 10;
/** OSRM car.lua `max_speed_for_map_matching = 180/3.6`. */
export const DEFAULT_MAX_SPEED_KMH = 180;
/** OSRM match plugin: search radius = GPS precision × 3 ("> 99% confidence" for a Gaussian). */
export const RADIUS_MULTIPLIER = 3;
/** OSRM map_matching.cpp: more observations than this between two chained ones end a sub-matching. */
export const MAX_BROKEN_STATES = 10;
/** OSRM map_matching.cpp: without timestamps, a larger |route − great-circle| is an impossible transition. */
export const MAX_DISTANCE_DELTA_M = 2000;

/** Radius within which the caller should snap candidates for `observation`: 3 × its GPS precision (OSRM). */
export function searchRadiusM(observation: Observation, options: MatchOptions = {}): number {
  return (observation.radiusM ?? options.sigmaZ ?? DEFAULT_SIGMA_Z_M) * RADIUS_MULTIPLIER;
}

interface ResolvedOptions {
  sigmaZ: number;
  beta: number;
  maxSpeedMps: number;
  splitGaps: boolean;
  gapSeconds: number | undefined;
  tidy: boolean;
  tidyDistanceM: number;
  tidySeconds: number;
}

function positiveOption(options: MatchOptions, name: keyof MatchOptions, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new MatchError('InvalidOptions', `${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

function resolveOptions(options: MatchOptions): ResolvedOptions {
  const gaps = options.gaps ?? 'split';
  if (gaps !== 'split' && gaps !== 'ignore') {
    throw new MatchError('InvalidOptions', `gaps must be 'split' or 'ignore', got ${String(gaps)}`);
  }
  return {
    sigmaZ: positiveOption(options, 'sigmaZ', DEFAULT_SIGMA_Z_M),
    beta: positiveOption(options, 'beta', DEFAULT_BETA_M),
    maxSpeedMps: positiveOption(options, 'maxSpeedKmh', DEFAULT_MAX_SPEED_KMH) / 3.6,
    splitGaps: gaps === 'split',
    gapSeconds: options.gapSeconds === undefined ? undefined : positiveOption(options, 'gapSeconds', 1),
    tidy: options.tidy ?? false,
    tidyDistanceM: positiveOption(options, 'tidyDistanceM', DEFAULT_TIDY_THRESHOLDS.distanceM),
    tidySeconds: positiveOption(options, 'tidySeconds', DEFAULT_TIDY_THRESHOLDS.seconds),
  };
}

/** OSRM plugin guards: valid coordinates, timestamps all-or-none and non-decreasing. Returns "has timestamps". */
function validateObservations(observations: readonly Observation[]): boolean {
  let timed = 0;
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    if (!(Math.abs(o.lon) <= 180) || !(Math.abs(o.lat) <= 90)) {
      throw new MatchError('InvalidValue', `Invalid coordinate value at observation ${i}.`);
    }
    if (o.radiusM !== undefined && !(o.radiusM > 0 && o.radiusM < Infinity)) {
      throw new MatchError(
        'InvalidValue',
        `radiusM of observation ${i} must be a positive number of metres.`,
      );
    }
    if (o.timeS !== undefined) {
      if (!Number.isFinite(o.timeS)) {
        throw new MatchError('InvalidValue', `timeS of observation ${i} must be a finite number of seconds.`);
      }
      timed++;
    }
  }
  if (timed !== 0 && timed !== observations.length) {
    throw new MatchError('InvalidValue', 'Timestamps must be given for every observation or for none.');
  }
  if (timed === 0) return false;
  for (let i = 1; i < observations.length; i++) {
    if (observations[i]!.timeS! < observations[i - 1]!.timeS!) {
      throw new MatchError('InvalidValue', 'Timestamps need to be monotonically increasing.');
    }
  }
  return true;
}

/** OSRM getMedianSampleTime: the upper median of the sampling intervals. */
function medianIntervalS(timeS: Float64Array): number {
  const intervals = new Float64Array(timeS.length - 1);
  for (let i = 1; i < timeS.length; i++) intervals[i - 1] = timeS[i]! - timeS[i - 1]!;
  intervals.sort();
  return intervals[intervals.length >> 1] ?? 0;
}

/**
 * The Viterbi lattice over the kept observations ("steps"), flattened: the candidates of step k occupy
 * slots offsets[k] .. offsets[k+1]−1 of every per-candidate array. Log probabilities are renormalised so
 * each step's best is 0, which keeps them small however long the trace.
 */
class Lattice<C extends Candidate> {
  readonly steps: number;
  readonly offsets: Int32Array;
  readonly candidates: (readonly C[])[];
  readonly emission: Float64Array;
  readonly viterbi: Float64Array;
  /** Local index (within the previous chained step) of the best predecessor, -1 at a chain start. */
  readonly parent: Int32Array;
  /** Route distance of the transition that reached this candidate, metres. */
  readonly routeM: Float64Array;
  /** Search radius of the step's observation, metres, the slack of the speed check. */
  readonly radiusM: Float64Array;
  /** Whether the step has at least one candidate with a finite emission probability. */
  readonly hasCandidates: Uint8Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly timeS: Float64Array | undefined;

  constructor(
    private readonly network: MatchNetwork<C>,
    private readonly options: ResolvedOptions,
    observations: readonly Observation[],
    readonly original: Int32Array,
    useTimestamps: boolean,
  ) {
    const steps = original.length;
    this.steps = steps;
    this.offsets = new Int32Array(steps + 1);
    this.candidates = new Array<readonly C[]>(steps);
    this.radiusM = new Float64Array(steps);
    this.lon = new Float64Array(steps);
    this.lat = new Float64Array(steps);
    this.timeS = useTimestamps ? new Float64Array(steps) : undefined;
    const sigma = new Float64Array(steps);
    for (let k = 0; k < steps; k++) {
      const o = observations[original[k]!]!;
      this.lon[k] = o.lon;
      this.lat[k] = o.lat;
      if (this.timeS !== undefined) this.timeS[k] = o.timeS ?? 0;
      sigma[k] = o.radiusM ?? options.sigmaZ;
      this.radiusM[k] = sigma[k]! * RADIUS_MULTIPLIER;
      const list = network.candidates(original[k]!);
      this.candidates[k] = list;
      this.offsets[k + 1] = this.offsets[k]! + list.length;
    }
    const slots = this.offsets[steps]!;
    this.emission = new Float64Array(slots);
    this.viterbi = new Float64Array(slots).fill(-Infinity);
    this.parent = new Int32Array(slots).fill(-1);
    this.routeM = new Float64Array(slots);
    this.hasCandidates = new Uint8Array(steps);
    for (let k = 0; k < steps; k++) {
      const list = this.candidates[k]!;
      const base = this.offsets[k]!;
      for (let j = 0; j < list.length; j++) {
        const d = list[j]!.distanceM;
        // A candidate with an unusable distance is never viable rather than poisoning the lattice with NaN.
        const e = d >= 0 && d < Infinity ? emissionLogProbability(d, sigma[k]!) : -Infinity;
        this.emission[base + j] = e;
        if (e > -Infinity) this.hasCandidates[k] = 1;
      }
    }
  }

  /** OSRM HiddenMarkovModel::initialize: the first step at or after `from` with a candidate starts a chain. */
  start(from: number): number {
    for (let k = from; k < this.steps; k++) {
      if (this.hasCandidates[k] === 0) continue;
      const a = this.offsets[k]!;
      const b = this.offsets[k + 1]!;
      let best = -Infinity;
      for (let s = a; s < b; s++) if (this.emission[s]! > best) best = this.emission[s]!;
      for (let s = a; s < b; s++) {
        this.viterbi[s] = this.emission[s]! - best;
        this.parent[s] = -1;
        this.routeM[s] = 0;
      }
      return k;
    }
    return -1;
  }

  /**
   * One Viterbi step from chained step `from` to step `to`; false (and `to` all −∞) when no candidate of
   * `to` is reachable from a viable candidate of `from` — OSRM's "breakage".
   */
  advance(from: number, to: number): boolean {
    const fa = this.offsets[from]!;
    const fb = this.offsets[from + 1]!;
    const ta = this.offsets[to]!;
    const tb = this.offsets[to + 1]!;
    const toCount = tb - ta;
    for (let s = ta; s < tb; s++) {
      this.viterbi[s] = -Infinity;
      this.parent[s] = -1;
    }
    const fromList = this.candidates[from]!;
    const sources: C[] = [];
    const sourceSlots: number[] = [];
    for (let s = fa; s < fb; s++) {
      if (this.viterbi[s]! > -Infinity) {
        sources.push(fromList[s - fa]!);
        sourceSlots.push(s);
      }
    }
    if (sources.length === 0 || toCount === 0) return false;

    const greatCircleM = distanceM(this.lon[from]!, this.lat[from]!, this.lon[to]!, this.lat[to]!);
    let maxDeltaM = MAX_DISTANCE_DELTA_M;
    let maxRouteM = Infinity;
    if (this.timeS !== undefined) {
      // OSRM: max_distance_delta = step_time × max speed. Equal timestamps are allowed, so at least 1 s
      // (OSRM would prune every transition there). Beyond OSRM: the route itself must be drivable at the
      // max speed, with both search radii as slack for where on the road the fixes really were.
      const stepS = Math.max(1, this.timeS[to]! - this.timeS[from]!);
      maxDeltaM = stepS * this.options.maxSpeedMps;
      maxRouteM = maxDeltaM + this.radiusM[from]! + this.radiusM[to]!;
    }
    const toList = this.candidates[to]!;
    const matrix = this.network.transitionDistances(
      sources,
      toList,
      this.original[from]!,
      this.original[to]!,
      greatCircleM + maxDeltaM,
    );
    if (matrix.length !== sources.length * toCount) {
      throw new MatchError(
        'InvalidNetwork',
        `transitionDistances(${this.original[from]}, ${this.original[to]}) returned ${matrix.length} distances, ` +
          `expected ${sources.length}×${toCount}`,
      );
    }

    const beta = this.options.beta;
    for (let r = 0; r < sources.length; r++) {
      const slot = sourceSlots[r]!;
      const base = this.viterbi[slot]!;
      const row = r * toCount;
      for (let j = 0; j < toCount; j++) {
        const emission = this.emission[ta + j]!;
        if (emission === -Infinity) continue;
        const route = matrix[row + j]!;
        const delta = Math.abs(route - greatCircleM);
        // `!(<)` also rejects NaN and Infinity (unreachable).
        if (!(delta < maxDeltaM) || route > maxRouteM) continue;
        const value = base + emission + transitionLogProbability(delta, beta);
        if (value > this.viterbi[ta + j]!) {
          this.viterbi[ta + j] = value;
          this.parent[ta + j] = slot - fa;
          this.routeM[ta + j] = route;
        }
      }
    }

    let best = -Infinity;
    for (let s = ta; s < tb; s++) if (this.viterbi[s]! > best) best = this.viterbi[s]!;
    if (best === -Infinity) return false;
    for (let s = ta; s < tb; s++) this.viterbi[s] = this.viterbi[s]! - best;
    return true;
  }

  /** Whether chaining `to` after `from` would bridge too long a gap (OSRM `gap_in_trace`). */
  isGap(from: number, to: number, maxGapS: number): boolean {
    if (to - from > MAX_BROKEN_STATES) return true;
    return this.timeS !== undefined && this.timeS[to]! - this.timeS[from]! > maxGapS;
  }

  /** Backtracks `chain` from its best last candidate into a sub-matching; undefined under 2 observations. */
  backtrack(chain: readonly number[]): SubMatching<C> | undefined {
    if (chain.length < 2) return undefined;
    const last = chain[chain.length - 1]!;
    let local = 0;
    for (let s = this.offsets[last]! + 1; s < this.offsets[last + 1]!; s++) {
      if (this.viterbi[s]! > this.viterbi[this.offsets[last]! + local]!) local = s - this.offsets[last]!;
    }
    const observations = new Array<number>(chain.length);
    const candidates = new Array<C>(chain.length);
    let matchedM = 0;
    let traceM = 0;
    for (let p = chain.length - 1; p >= 0; p--) {
      const k = chain[p]!;
      const slot = this.offsets[k]! + local;
      observations[p] = this.original[k]!;
      candidates[p] = this.candidates[k]![local]!;
      if (p > 0) {
        const previous = chain[p - 1]!;
        matchedM += this.routeM[slot]!;
        traceM += distanceM(this.lon[previous]!, this.lat[previous]!, this.lon[k]!, this.lat[k]!);
        local = this.parent[slot]!;
      }
    }
    return { observations, candidates, confidence: matchingConfidence(traceM, matchedM) };
  }
}

/**
 * Matches a GNSS trace to road positions: the most likely candidate sequence per sub-matching (Viterbi over
 * Newson & Krumm's HMM), splitting where the trace cannot be followed on the network (OSRM breakage) or
 * where timestamps gap. Observations without candidates, and isolated unreachable ones (outliers), are
 * left unmatched without splitting; sub-matchings of a single observation are dropped, as in OSRM.
 * Throws `MatchError` on invalid observations or options.
 */
export function matchTrace<C extends Candidate>(
  observations: readonly Observation[],
  network: MatchNetwork<C>,
  options: MatchOptions = {},
): MatchResult<C> {
  const resolved = resolveOptions(options);
  const useTimestamps = validateObservations(observations);
  const matchingOf = new Int32Array(observations.length).fill(-1);
  const matchings: SubMatching<C>[] = [];
  if (observations.length === 0) return { matchings, matchingOf };

  const original = resolved.tidy
    ? tidyTrace(observations, { distanceM: resolved.tidyDistanceM, seconds: resolved.tidySeconds })
    : Int32Array.from({ length: observations.length }, (_, i) => i);
  const lattice = new Lattice(network, resolved, observations, original, useTimestamps);
  const steps = lattice.steps;
  const maxGapS =
    lattice.timeS !== undefined && resolved.splitGaps && steps > 1
      ? (resolved.gapSeconds ?? Math.max(1, medianIntervalS(lattice.timeS)) * MAX_BROKEN_STATES)
      : Infinity;

  const emit = (chain: readonly number[]): void => {
    const matching = lattice.backtrack(chain);
    if (matching === undefined) return;
    for (const index of matching.observations) matchingOf[index] = matchings.length;
    matchings.push(matching);
  };

  let first = lattice.start(0);
  if (first < 0) return { matchings, matchingOf };
  // The steps of the current sub-matching, each reached from the one before it.
  let chain: number[] = [first];
  // First step of the current run of unreachable steps after the chain's end; -1 when none.
  let breakStart = -1;
  let t = first + 1;
  for (;;) {
    let restartAt = -1;
    if (t >= steps) {
      emit(chain);
      // A run of unreachable steps at the end is a trace of its own (OSRM would drop it).
      if (breakStart < 0) break;
      restartAt = breakStart;
    } else if (lattice.isGap(chain[chain.length - 1]!, t, maxGapS)) {
      emit(chain);
      // OSRM splits at the start of the breakage, so the unreachable run begins the next sub-matching.
      restartAt = breakStart >= 0 ? breakStart : t;
    } else if (lattice.hasCandidates[t] === 0) {
      // Nothing to snap to (a fix off the network): unmatched, and the chain goes on past it.
      t++;
      continue;
    } else if (lattice.advance(chain[chain.length - 1]!, t)) {
      chain.push(t);
      breakStart = -1;
    } else if (
      chain.length >= 2 &&
      !lattice.isGap(chain[chain.length - 2]!, t, maxGapS) &&
      lattice.advance(chain[chain.length - 2]!, t)
    ) {
      // The chain's last step was the outlier: t follows the one before it (OSRM drops "both ends of the
      // breakage"; trying t again first keeps the good end).
      chain[chain.length - 1] = t;
      breakStart = -1;
    } else if (chain.length === 1) {
      // A lone start nothing follows would be dropped as a one-observation sub-matching (OSRM pops it and
      // splits): start afresh here.
      restartAt = t;
    } else if (breakStart < 0) {
      breakStart = t;
    }
    if (restartAt >= 0) {
      first = lattice.start(restartAt);
      if (first < 0) break;
      chain = [first];
      breakStart = -1;
      t = first + 1;
      continue;
    }
    t++;
  }
  return { matchings, matchingOf };
}
