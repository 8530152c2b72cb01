import { bearingDeg, distanceM } from '../graph/geometry.js';
import type { VehicleDimensions } from '../profile/truck-profile.js';
import type {
  Annotation,
  BaseRequest,
  Geometry,
  LonLat,
  MatchRequest,
  MatchResponse,
  NearestRequest,
  NearestResponse,
  OsrmError,
  Overview,
  RouteLeg,
  RouteRequest,
  RouteResponse,
  RoutingEngine,
  TableRequest,
  TableResponse,
  Waypoint,
  Geometries,
  RouteAnnotation,
} from '../server/osrm-types.js';
import { encodePolyline } from '../server/polyline.js';
import { legGeometry, type LegGeometry } from './leg-geometry.js';
import { matchService } from './match-service.js';
import type { LegPath, MetricContext, RoadRouter } from './road-router.js';
import { buildSteps } from './route-steps.js';
import { simplifyLine } from './simplify.js';
import type { Phantom } from './snap-index.js';

// Tolerance of `overview=simplified`, metres.
const SIMPLIFY_TOLERANCE_M = 5;

/**
 * Our engine behind the OSRM v1 HTTP API: requests arrive parsed and validated; this class snaps,
 * searches and lays the results out as OSRM does.
 */
export class OsrmEngine implements RoutingEngine {
  constructor(
    readonly router: RoadRouter,
    private readonly options: { utcOffsetMinutes?: number; dataVersion?: string } = {},
  ) {}

  async route(request: RouteRequest): Promise<RouteResponse | OsrmError> {
    const context = this.contextOf(request);
    const phantoms = this.snapAll(context, request, Infinity);
    if (!Array.isArray(phantoms)) return phantoms;
    const waypointSet = new Set(request.waypoints.length > 0 ? request.waypoints : phantoms.map((_, i) => i));
    let clockMs = departMs(request);
    const legs: RouteLeg[] = [];
    const lines: LonLat[][] = [];
    let distance = 0;
    let duration = 0;
    let weight = 0;
    // Legs end at waypoints; other coordinates are via points inside a leg.
    let current: { legs: LegGeometry[]; paths: LegPath[] } = { legs: [], paths: [] };
    for (let i = 0; i + 1 < phantoms.length; i++) {
      const path = this.router.route(context, phantoms[i]!, phantoms[i + 1]!);
      if (!path) return { code: 'NoRoute', message: 'Impossible route between points' };
      const layout = legGeometry(this.router.graph, path, {
        metric: context.metric,
        traffic: this.router.traffic,
        departMs: clockMs,
        utcOffsetMinutes: this.options.utcOffsetMinutes,
      });
      if (clockMs !== undefined) clockMs += layout.totalDurationS * 1000;
      current.legs.push(layout);
      current.paths.push(path);
      if (waypointSet.has(i + 1) || i + 2 === phantoms.length) {
        const leg = this.buildLeg(request, current.legs, current.paths);
        legs.push(leg);
        distance += leg.distance;
        duration += leg.duration;
        weight += leg.weight;
        for (const layoutPart of current.legs) lines.push(layoutPart.coordinates);
        current = { legs: [], paths: [] };
      }
    }
    const geometry = overviewGeometry(lines, request.overview, request.geometries);
    return {
      code: 'Ok',
      waypoints: phantoms.filter((_, i) => waypointSet.has(i)).map((p) => waypointOf(p)),
      routes: [
        {
          distance: round1(distance),
          duration: round1(duration),
          weight: round1(weight),
          weight_name: 'duration',
          ...(geometry !== undefined ? { geometry } : {}),
          legs,
        },
      ],
      ...(this.options.dataVersion ? { data_version: this.options.dataVersion } : {}),
    };
  }

  async table(request: TableRequest): Promise<TableResponse | OsrmError> {
    const context = this.contextOf(request);
    const phantoms = this.snapAll(context, request, Infinity);
    if (!Array.isArray(phantoms)) return phantoms;
    const all = phantoms.map((_, i) => i);
    const sourceIndices = request.sources.length > 0 ? request.sources : all;
    const targetIndices = request.destinations.length > 0 ? request.destinations : all;
    const table = this.router.table(
      context,
      sourceIndices.map((i) => phantoms[i]!),
      targetIndices.map((i) => phantoms[i]!),
    );
    const wantDurations = request.annotations.includes('duration');
    const wantDistances = request.annotations.includes('distance');
    const durations: (number | null)[][] = [];
    const distances: (number | null)[][] = [];
    const fallbackCells: [number, number][] = [];
    sourceIndices.forEach((si, row) => {
      const durationRow: (number | null)[] = [];
      const distanceRow: (number | null)[] = [];
      targetIndices.forEach((ti, column) => {
        const cell = row * targetIndices.length + column;
        let seconds: number | null = Number.isFinite(table.weights[cell]!) ? table.weights[cell]! / 10 : null;
        let metres: number | null = Number.isFinite(table.distances[cell]!) ? table.distances[cell]! : null;
        if (seconds === null && request.fallback_speed !== undefined) {
          const [a, b] =
            request.fallback_coordinate === 'snapped'
              ? [phantoms[si]!, phantoms[ti]!].map((p) => [p.lon, p.lat] as LonLat)
              : [request.coordinates[si]!, request.coordinates[ti]!];
          metres = distanceM(a![0], a![1], b![0], b![1]);
          seconds = metres / request.fallback_speed;
          fallbackCells.push([row, column]);
        }
        durationRow.push(seconds === null ? null : round1(seconds * request.scale_factor));
        distanceRow.push(metres === null ? null : round1(metres));
      });
      durations.push(durationRow);
      distances.push(distanceRow);
    });
    return {
      code: 'Ok',
      ...(wantDurations ? { durations } : {}),
      ...(wantDistances ? { distances } : {}),
      sources: sourceIndices.map((i) => waypointOf(phantoms[i]!)),
      destinations: targetIndices.map((i) => waypointOf(phantoms[i]!)),
      ...(request.fallback_speed !== undefined && fallbackCells.length > 0
        ? { fallback_speed_cells: fallbackCells }
        : {}),
    };
  }

  async nearest(request: NearestRequest): Promise<NearestResponse | OsrmError> {
    const context = this.contextOf(request);
    const [lon, lat] = request.coordinates[0]!;
    const radius = request.radiuses[0] ?? Infinity;
    const phantoms = this.router.nearest(context, lon, lat, request.number, radius);
    if (phantoms.length === 0)
      return { code: 'NoSegment', message: 'Could not find a matching segment for coordinate 0' };
    const graph = this.router.graph;
    return {
      code: 'Ok',
      waypoints: phantoms.map((p) => {
        const piece = p.forwardPiece >= 0 ? p.forwardPiece : p.reversePiece;
        const first = graph.geomPoint[graph.pieceGeomStart[piece]!]!;
        const last = graph.geomPoint[graph.pieceGeomStart[piece + 1]! - 1]!;
        return {
          ...waypointOf(p),
          nodes: [graph.pointOsmId[first]!, graph.pointOsmId[last]!] as [number, number],
        };
      }),
    };
  }

  async match(request: MatchRequest): Promise<MatchResponse | OsrmError> {
    return matchService(this, request);
  }

  /** The metric for a request's departure time and vehicle. */
  contextOf(request: BaseRequest): MetricContext {
    return this.router.context(departMs(request), vehicleOf(request));
  }

  /** Snaps every coordinate (bearing and radius filters apply), or the OSRM error for the first failure. */
  snapAll(context: MetricContext, request: BaseRequest, defaultRadiusM: number): Phantom[] | OsrmError {
    const phantoms: Phantom[] = [];
    for (let i = 0; i < request.coordinates.length; i++) {
      const [lon, lat] = request.coordinates[i]!;
      const radius = request.radiuses[i] ?? defaultRadiusM;
      const bearing = request.bearings[i];
      const candidates = this.router.nearest(context, lon, lat, bearing ? 8 : 1, radius);
      const phantom = bearing
        ? candidates.map((c) => this.withBearing(c, bearing.value, bearing.range)).find(Boolean)
        : candidates[0];
      if (!phantom)
        return { code: 'NoSegment', message: `Could not find a matching segment for coordinate ${i}` };
      phantoms.push(phantom);
    }
    return phantoms;
  }

  /** Keeps only the directions of a phantom whose travel bearing is within range of `value`. */
  private withBearing(phantom: Phantom, value: number, range: number): Phantom | undefined {
    const graph = this.router.graph;
    const fits = (piece: number): boolean => {
      if (piece < 0) return false;
      const a = graph.geomPoint[graph.pieceGeomStart[piece]!]!;
      const b = graph.geomPoint[graph.pieceGeomStart[piece + 1]! - 1]!;
      const bearing = bearingDeg(
        graph.pointLon[a]!,
        graph.pointLat[a]!,
        graph.pointLon[b]!,
        graph.pointLat[b]!,
      );
      const difference = Math.abs(((bearing - value + 540) % 360) - 180);
      return difference <= range;
    };
    const forward = fits(phantom.forwardPiece) ? phantom.forwardPiece : -1;
    const reverse = fits(phantom.reversePiece) ? phantom.reversePiece : -1;
    return forward < 0 && reverse < 0
      ? undefined
      : { ...phantom, forwardPiece: forward, reversePiece: reverse };
  }

  /** One OSRM leg from the parts between consecutive waypoints. */
  buildLeg(
    request: { steps: boolean; annotations: RouteAnnotation[]; geometries: Geometries },
    parts: readonly LegGeometry[],
    paths: readonly LegPath[],
  ): RouteLeg {
    const graph = this.router.graph;
    let distance = 0;
    let duration = 0;
    let weight = 0;
    const byName = new Map<string, number>();
    for (let k = 0; k < parts.length; k++) {
      distance += parts[k]!.totalDistanceM;
      duration += parts[k]!.totalDurationS;
      weight += paths[k]!.weightDs / 10;
      for (const piece of paths[k]!.pieces) {
        const name = graph.names[graph.pieceName[piece]!] ?? '';
        if (name) byName.set(name, (byName.get(name) ?? 0) + graph.pieceLengthM[piece]!);
      }
    }
    const summary = [...byName.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([name]) => name)
      .join(', ');
    const encode = (coordinates: LonLat[]): Geometry => encodeGeometry(coordinates, request.geometries);
    const steps = request.steps ? parts.flatMap((part, k) => buildSteps(graph, paths[k]!, part, encode)) : [];
    return {
      distance: round1(distance),
      duration: round1(duration),
      weight: round1(weight),
      summary,
      steps: request.steps ? mergeViaSteps(steps) : [],
      ...(request.annotations.length > 0 ? { annotation: annotationOf(parts, request.annotations) } : {}),
    };
  }
}

/** Between two parts of one leg, drop the inner arrive/depart pair (a via point is not a stop). */
function mergeViaSteps<T extends { maneuver: { type: string } }>(steps: T[]): T[] {
  return steps.filter((step, i) => {
    if (step.maneuver.type === 'arrive') return i === steps.length - 1;
    if (step.maneuver.type === 'depart') return i === 0;
    return true;
  });
}

function annotationOf(parts: readonly LegGeometry[], wanted: readonly RouteAnnotation[]): Annotation {
  const distance = parts.flatMap((p) => p.distanceM.map(round1));
  const duration = parts.flatMap((p) => p.durationS.map(round1));
  const annotation: Annotation = {};
  if (wanted.includes('distance')) annotation.distance = distance;
  if (wanted.includes('duration')) annotation.duration = duration;
  if (wanted.includes('weight')) annotation.weight = duration;
  if (wanted.includes('speed'))
    annotation.speed = distance.map((d, i) => (duration[i]! > 0 ? round1(d / duration[i]!) : 0));
  if (wanted.includes('nodes')) annotation.nodes = parts.flatMap((p) => p.osmNodes);
  if (wanted.includes('datasources')) {
    annotation.datasources = distance.map(() => 0);
    annotation.metadata = { datasource_names: ['lua profile'] };
  }
  return annotation;
}

export function waypointOf(phantom: Phantom): Waypoint {
  return {
    distance: round1(phantom.distanceM),
    name: phantom.name,
    location: [round6(phantom.lon), round6(phantom.lat)],
  };
}

export function encodeGeometry(coordinates: LonLat[], geometries: Geometries): Geometry {
  if (geometries === 'geojson')
    return { type: 'LineString', coordinates: coordinates.map(([lon, lat]) => [round6(lon), round6(lat)]) };
  return encodePolyline(coordinates, geometries === 'polyline6' ? 6 : 5);
}

/** The whole route's line per `overview` (undefined for `false`). */
export function overviewGeometry(
  lines: readonly LonLat[][],
  overview: Overview,
  geometries: Geometries,
): Geometry | undefined {
  if (overview === 'false') return undefined;
  const joined: LonLat[] = [];
  for (const line of lines) {
    for (const point of line) {
      const last = joined[joined.length - 1];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) joined.push(point);
    }
  }
  if (joined.length === 1) joined.push(joined[0]!);
  const line = overview === 'simplified' ? simplifyLine(joined, SIMPLIFY_TOLERANCE_M) : joined;
  return encodeGeometry(line, geometries);
}

export function departMs(request: BaseRequest): number | undefined {
  return request.depart_at === undefined ? undefined : request.depart_at * 1000;
}

export function vehicleOf(request: BaseRequest): VehicleDimensions {
  return {
    heightM: request.vehicle_height,
    widthM: request.vehicle_width,
    lengthM: request.vehicle_length,
    weightT: request.vehicle_weight,
    axleLoadT: request.vehicle_axleload,
  };
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
