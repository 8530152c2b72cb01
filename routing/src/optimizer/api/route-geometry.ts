/**
 * The road geometry of a planned route from the engine's `route` service: one GeoJSON LineString
 * ([lon, lat]) through the vehicle's stops in order. Long routes are asked in pieces within
 * osrm-routed's waypoint limit and joined.
 */
import type { GeoJsonLineString, LonLat, RouteRequest, RoutingEngine } from '../../server/osrm-types.js';
import type { PlanSolution } from '../model/plan-problem.js';
import type { PlanLayout } from './plan-request-to-problem.js';

/** osrm-routed's default `--max-viaroute-size`. */
const MAX_WAYPOINTS = 500;

/** Every route's geometry, departing at its planned time (traffic-aware paths). */
export function planGeometries(
  engine: RoutingEngine,
  solution: PlanSolution,
  layout: PlanLayout,
): Promise<(GeoJsonLineString | null)[]> {
  return Promise.all(
    solution.routes.map((route) =>
      routeGeometry(
        engine,
        route.stops.filter((s) => s.kind !== 'break').map((s) => layout.coordinates[s.location]!),
        layout.epochS + (route.stops[0]?.departure ?? 0),
      ),
    ),
  );
}

/** Null when the engine finds no route (a stop off the network); the plan is still valid without it. */
export async function routeGeometry(
  engine: RoutingEngine,
  stops: LonLat[],
  departAtS?: number,
): Promise<GeoJsonLineString | null> {
  const points = stops.filter((p, k) => k === 0 || p[0] !== stops[k - 1]![0] || p[1] !== stops[k - 1]![1]);
  if (points.length < 2)
    return points.length === 1 ? { type: 'LineString', coordinates: [points[0]!, points[0]!] } : null;
  const line: LonLat[] = [];
  for (let from = 0; from < points.length - 1; from += MAX_WAYPOINTS - 1) {
    const piece = points.slice(from, from + MAX_WAYPOINTS);
    let response = await engine.route(routeRequest(piece, from === 0 ? departAtS : undefined));
    // A real OSRM knows no departure times; the path is the same without one.
    if (response.code === 'NotImplemented') response = await engine.route(routeRequest(piece, undefined));
    if (response.code !== 'Ok' || !('routes' in response)) return null;
    const geometry = response.routes[0]?.geometry;
    if (!geometry || typeof geometry === 'string') return null;
    // Pieces share their joining point.
    line.push(...(line.length > 0 ? geometry.coordinates.slice(1) : geometry.coordinates));
  }
  return { type: 'LineString', coordinates: line };
}

function routeRequest(coordinates: LonLat[], departAtS: number | undefined): RouteRequest {
  return {
    service: 'route',
    profile: 'driving',
    coordinates,
    bearings: [],
    radiuses: [],
    hints: [],
    approaches: [],
    exclude: [],
    snapping: 'default',
    generate_hints: false,
    alternatives: 0,
    steps: false,
    annotations: [],
    geometries: 'geojson',
    overview: 'full',
    continue_straight: null,
    waypoints: [],
    ...(departAtS !== undefined ? { depart_at: Math.floor(departAtS) } : {}),
  };
}
