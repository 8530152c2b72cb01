import type {
  LonLat,
  MatchRequest,
  MatchResponse,
  MatchRoute,
  OsrmError,
  Tracepoint,
} from '../server/osrm-types.js';
import { legGeometry, type LegGeometry } from './leg-geometry.js';
import { MatchError } from './match/match-error.js';
import { matchTrace, searchRadiusM } from './match/match-trace.js';
import type { Candidate, MatchNetwork, Observation } from './match/match-types.js';
import { departMs, overviewGeometry, round1, waypointOf, type OsrmEngine } from './osrm-engine.js';
import type { LegPath, MetricContext, RoadRouter } from './road-router.js';
import type { Phantom } from './snap-index.js';

/** Candidates per observation, nearest first (OSRM considers a handful per trace point). */
const CANDIDATES_PER_POINT = 6;
/** GPS precision assumed for points without a radius: OSRM's DEFAULT_GPS_PRECISION (5 m). */
const GPS_PRECISION_M = 5;

export interface RoadCandidate extends Candidate {
  phantom: Phantom;
}

/** The HMM's view of the road network: candidates by snapping, transitions by many-to-many routing. */
export class RoadMatchNetwork implements MatchNetwork<RoadCandidate> {
  constructor(
    private readonly router: RoadRouter,
    private readonly context: MetricContext,
    private readonly observations: readonly Observation[],
  ) {}

  candidates(index: number): readonly RoadCandidate[] {
    const observation = this.observations[index]!;
    const radius = searchRadiusM(observation, { sigmaZ: GPS_PRECISION_M });
    return this.router
      .nearest(this.context, observation.lon, observation.lat, CANDIDATES_PER_POINT, radius)
      .map((phantom, id) => ({ id, distanceM: phantom.distanceM, phantom }));
  }

  transitionDistances(from: readonly RoadCandidate[], to: readonly RoadCandidate[]): Float64Array {
    return this.router.table(
      this.context,
      from.map((c) => c.phantom),
      to.map((c) => c.phantom),
    ).distances;
  }
}

/** Map-matches a trace and returns the matched road positions per sub-matching. */
export function matchObservations(
  router: RoadRouter,
  context: MetricContext,
  observations: readonly Observation[],
  options: { gaps?: 'split' | 'ignore'; tidy?: boolean } = {},
): {
  matchings: { observations: number[]; phantoms: Phantom[]; confidence: number }[];
  matchingOf: Int32Array;
} {
  const result = matchTrace(observations, new RoadMatchNetwork(router, context, observations), {
    ...options,
    sigmaZ: GPS_PRECISION_M,
  });
  return {
    matchings: result.matchings.map((m) => ({
      observations: m.observations,
      phantoms: m.candidates.map((c) => c.phantom),
      confidence: m.confidence,
    })),
    matchingOf: result.matchingOf,
  };
}

/** OSRM `/match`: HMM map matching, then each sub-matching laid out as a route through its points. */
export async function matchService(
  engine: OsrmEngine,
  request: MatchRequest,
): Promise<MatchResponse | OsrmError> {
  const router = engine.router;
  const context = engine.contextOf(request);
  const observations: Observation[] = request.coordinates.map(([lon, lat], i) => ({
    lon,
    lat,
    ...(request.timestamps.length ? { timeS: request.timestamps[i]! } : {}),
    ...(request.radiuses[i] != null && Number.isFinite(request.radiuses[i])
      ? { radiusM: request.radiuses[i]! }
      : {}),
  }));
  let matched;
  try {
    matched = matchObservations(router, context, observations, { gaps: request.gaps, tidy: request.tidy });
  } catch (error) {
    if (error instanceof MatchError) return { code: 'InvalidValue', message: error.message };
    throw error;
  }
  if (matched.matchings.length === 0) return { code: 'NoMatch', message: 'Could not match the trace.' };

  const matchings: MatchRoute[] = [];
  const tracepoints: (Tracepoint | null)[] = request.coordinates.map(() => null);
  const start = departMs(request);
  for (const [matchingIndex, matching] of matched.matchings.entries()) {
    const parts: LegGeometry[] = [];
    const paths: LegPath[] = [];
    const legs = [];
    const lines: LonLat[][] = [];
    let clockMs = start;
    for (let k = 0; k + 1 < matching.phantoms.length; k++) {
      const path = router.route(context, matching.phantoms[k]!, matching.phantoms[k + 1]!);
      if (!path) continue;
      const layout = legGeometry(router.graph, path, {
        metric: context.metric,
        traffic: router.traffic,
        departMs: clockMs,
      });
      if (clockMs !== undefined) clockMs += layout.totalDurationS * 1000;
      parts.push(layout);
      paths.push(path);
      lines.push(layout.coordinates);
      const observation = matching.observations[k + 1]!;
      const isWaypoint = request.waypoints.length === 0 || request.waypoints.includes(observation);
      if (isWaypoint || k + 2 === matching.phantoms.length) {
        legs.push(engine.buildLeg(request, parts.splice(0), paths.splice(0)));
      }
    }
    const distance = legs.reduce((sum, leg) => sum + leg.distance, 0);
    const duration = legs.reduce((sum, leg) => sum + leg.duration, 0);
    const weight = legs.reduce((sum, leg) => sum + leg.weight, 0);
    const geometry = overviewGeometry(lines, request.overview, request.geometries);
    matchings.push({
      confidence: Math.round(matching.confidence * 1e4) / 1e4,
      distance: round1(distance),
      duration: round1(duration),
      weight: round1(weight),
      weight_name: 'duration',
      ...(geometry !== undefined ? { geometry } : {}),
      legs,
    });
    matching.observations.forEach((observation, waypointIndex) => {
      tracepoints[observation] = {
        ...waypointOf(matching.phantoms[waypointIndex]!),
        matchings_index: matchingIndex,
        waypoint_index: waypointIndex,
        alternatives_count: 0,
      };
    });
  }
  return { code: 'Ok', matchings, tracepoints };
}
