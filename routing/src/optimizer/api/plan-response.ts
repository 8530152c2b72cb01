/**
 * A solved plan in our JSON output: per vehicle the timed stops (ISO-8601 UTC) with the body's load in
 * its own compacted m³ and kg, fuel in the tank, trips, the road geometry; unserved sites with the
 * reason in Russian and English; and the independent feasibility check of the plan.
 */
import type { GeoJsonLineString, LonLat } from '../../server/osrm-types.js';
import { checkPlan, type PlanCheck } from '../model/check-plan.js';
import type { PlanProblem, PlanSolution, ScheduledStop } from '../model/plan-problem.js';
import type { PlanLayout } from './plan-request-to-problem.js';
import type { PlanRequest } from './plan-request-schema.js';
import { UNASSIGNED_REASON_TEXT } from './unassigned-reason-text.js';

export type StopType = 'start' | 'site' | 'unload' | 'refuel' | 'break' | 'end';

export interface StopOutput {
  type: StopType;
  site_id?: string;
  facility_id?: string;
  location: LonLat;
  arrival: string;
  begin: string;
  departure: string;
  /** Leg from the previous stop (m). */
  distance_m: number;
  /** Compacted m³ in the body after the stop, in this vehicle's m³. */
  load_m3: number;
  load_kg: number;
  fuel_l: number | null;
  refuel_l?: number;
  containers?: number;
}

export interface RouteOutput {
  vehicle_id: string;
  carrier_id: string | null;
  plate: string | null;
  start_at: string;
  end_at: string;
  distance_m: number;
  duration_s: number;
  waiting_s: number;
  fuel_used_l: number;
  cost: number;
  /** Trips to a disposal facility. */
  trips: number;
  stops: StopOutput[];
  geometry: GeoJsonLineString | null;
}

export interface PlanResponse {
  code: 'Ok';
  summary: {
    cost: number;
    distance_m: number;
    duration_s: number;
    waiting_s: number;
    fuel_used_l: number;
    /** Fuel bought on the road × price, where prices are given. */
    fuel_cost: number;
    vehicles_used: number;
    sites_served: number;
    sites_unassigned: number;
  };
  routes: RouteOutput[];
  unassigned: { site_id: string; reason: string; message: string; message_en: string }[];
  /** Independent recomputation of every rule (model/check-plan.ts). */
  check: PlanCheck;
}

export function planResponse(
  request: PlanRequest,
  layout: PlanLayout,
  problem: PlanProblem,
  solution: PlanSolution,
  geometries: (GeoJsonLineString | null)[],
): PlanResponse {
  const iso = (t: number): string => new Date(Math.round(layout.epochS + t) * 1000).toISOString();
  const routes = solution.routes.map((route, r): RouteOutput => {
    const vehicle = request.vehicles[route.vehicle]!;
    // Amounts are in m³ at the reference compaction; show this body's own m³.
    const toOwnM3 = layout.referenceRatio / vehicle.body.compaction_ratio;
    const stops = route.stops.map((stop) => stopOutput(stop, request, layout, problem, toOwnM3, iso));
    const first = route.stops[0];
    const last = route.stops[route.stops.length - 1];
    return {
      vehicle_id: vehicle.id,
      carrier_id: vehicle.carrier_id ?? null,
      plate: vehicle.plate ?? null,
      start_at: iso(first?.departure ?? 0),
      end_at: iso(last?.arrival ?? 0),
      distance_m: round(route.distance, 1),
      duration_s: round(route.duration, 0),
      waiting_s: round(route.waiting, 0),
      fuel_used_l: round(route.fuelUsedL, 2),
      cost: round(route.cost, 2),
      trips: stops.filter((s) => s.type === 'unload').length,
      stops,
      geometry: geometries[r] ?? null,
    };
  });
  const fuelCost = solution.routes.reduce((sum, route) => {
    const price = problem.vehicles[route.vehicle]!.costs.fuelPerL ?? 0;
    return sum + price * route.stops.reduce((litres, s) => litres + s.refuelL, 0);
  }, 0);
  return {
    code: 'Ok',
    summary: {
      cost: round(solution.cost, 2),
      distance_m: round(solution.distance, 1),
      duration_s: round(
        solution.routes.reduce((sum, r) => sum + r.duration, 0),
        0,
      ),
      waiting_s: round(
        solution.routes.reduce((sum, r) => sum + r.waiting, 0),
        0,
      ),
      fuel_used_l: round(
        solution.routes.reduce((sum, r) => sum + r.fuelUsedL, 0),
        2,
      ),
      fuel_cost: round(fuelCost, 2),
      vehicles_used: solution.routes.length,
      sites_served: problem.jobs.length - solution.unassigned.length,
      sites_unassigned: solution.unassigned.length,
    },
    routes,
    unassigned: solution.unassigned.map(({ job, reason }) => ({
      site_id: problem.jobs[job]!.id,
      reason,
      message: UNASSIGNED_REASON_TEXT[reason].ru,
      message_en: UNASSIGNED_REASON_TEXT[reason].en,
    })),
    check: checkPlan(problem, solution),
  };
}

function stopOutput(
  stop: ScheduledStop,
  request: PlanRequest,
  layout: PlanLayout,
  problem: PlanProblem,
  toOwnM3: number,
  iso: (t: number) => string,
): StopOutput {
  const base = {
    location: layout.coordinates[stop.location]!,
    arrival: iso(stop.arrival),
    begin: iso(stop.begin),
    departure: iso(stop.departure),
    distance_m: round(stop.distance, 1),
    load_m3: round((stop.load[0] ?? 0) * toOwnM3, 3),
    load_kg: round(stop.load[1] ?? 0, 1),
    fuel_l: stop.fuelL === null ? null : round(stop.fuelL, 2),
  };
  if (stop.kind === 'job') {
    const site = request.sites[stop.index]!;
    return {
      type: 'site',
      site_id: site.id,
      ...base,
      containers: site.containers.reduce((sum, c) => sum + c.count, 0),
    };
  }
  if (stop.kind === 'facility') {
    const facility = problem.facilities[stop.index]!;
    const refuel = facility.kind === 'fuel';
    return {
      type: refuel ? 'refuel' : 'unload',
      facility_id: layout.facilityOrigins[stop.index]!.id,
      ...base,
      ...(refuel ? { refuel_l: round(stop.refuelL, 2) } : {}),
    };
  }
  return { type: stop.kind, ...base };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
