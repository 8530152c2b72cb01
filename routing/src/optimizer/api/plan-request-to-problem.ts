/**
 * Our JSON request → the solver's PlanProblem, in two steps: `layoutPlanRequest` fixes the plan's clock
 * (epoch, horizon) and its list of distinct locations (for the travel-time tables), then
 * `planRequestToProblem` builds the problem on the travel matrix computed for those locations.
 *
 * Amounts: dimension 0 is compacted m³, dimension 1 kg. A site yields count × volume × fill loose m³;
 * a body compacts `compaction_ratio` loose m³ into one. Because a job's amount cannot depend on the
 * truck, amounts are expressed in m³ compacted at the fleet's reference ratio (the first vehicle's) and
 * each vehicle's capacity is scaled by its own ratio over the reference one — exact compacted m³
 * when the fleet shares one ratio, the same feasibility when it does not.
 */
import type { LonLat } from '../../server/osrm-types.js';
import type {
  PlanFacility,
  PlanJob,
  PlanProblem,
  PlanVehicle,
  RouteStop,
  TimeWindow,
  TravelMatrix,
} from '../model/plan-problem.js';
import { OptimizerInputError } from './optimizer-error.js';
import type { PlanRequest } from './plan-request-schema.js';

export type FacilityOrigin = 'landfill' | 'transfer' | 'sorting' | 'fuel';

export interface PlanLayout {
  /** Unix seconds of model time 0 (the first shift's start, down to the hour, so slots are whole hours). */
  epochS: number;
  /** Model seconds the traffic slots must cover (to the last shift's end). */
  horizonS: number;
  /** Distinct locations, indexed as in the travel matrix. */
  coordinates: LonLat[];
  /** Loose m³ per compacted m³ that amounts of dimension 0 are expressed in. */
  referenceRatio: number;
  /** Facility index → where it came from (facilities first, then fuel stations). */
  facilityOrigins: { id: string; kind: FacilityOrigin }[];
}

const HOUR_S = 3600;

export function layoutPlanRequest(request: PlanRequest): PlanLayout {
  checkUniqueIds('vehicles', request.vehicles);
  checkUniqueIds('sites', request.sites);
  checkUniqueIds('facilities', [...request.facilities, ...request.fuel_stations]);
  const starts = request.vehicles.map((v) => Date.parse(v.shift.from) / 1000);
  const ends = request.vehicles.map((v) => Date.parse(v.shift.to) / 1000);
  const epochS = Math.floor(Math.min(...starts) / HOUR_S) * HOUR_S;
  const coordinates: LonLat[] = [];
  const seen = new Map<string, number>();
  const add = (point: LonLat): void => {
    const key = `${point[0]},${point[1]}`;
    if (!seen.has(key)) {
      seen.set(key, coordinates.length);
      coordinates.push([point[0], point[1]]);
    }
  };
  for (const v of request.vehicles) {
    add(v.start);
    add(v.end ?? v.start);
  }
  for (const site of request.sites) add(site.location);
  for (const f of request.facilities) add(f.location);
  for (const f of request.fuel_stations) add(f.location);
  return {
    epochS,
    horizonS: Math.max(HOUR_S, Math.max(...ends) - epochS),
    coordinates,
    referenceRatio: request.vehicles[0]!.body.compaction_ratio,
    facilityOrigins: [
      ...request.facilities.map((f) => ({ id: f.id, kind: f.kind })),
      ...request.fuel_stations.map((f) => ({ id: f.id, kind: 'fuel' as const })),
    ],
  };
}

export function planRequestToProblem(
  request: PlanRequest,
  layout: PlanLayout,
  travel: TravelMatrix,
): PlanProblem {
  const locationOf = locationIndex(layout.coordinates);
  const at = (iso: string): number => Date.parse(iso) / 1000 - layout.epochS;
  const vehicleIndex = new Map(request.vehicles.map((v, i) => [v.id, i]));
  const hasDisposal = request.facilities.length > 0;

  const vehicles = request.vehicles.map((v): PlanVehicle => {
    const scale = v.body.compaction_ratio / layout.referenceRatio;
    const shift = window(at(v.shift.from), at(v.shift.to), `vehicles.${v.id}.shift`);
    const perLitre = (per100km: number): number => per100km / 100_000;
    return {
      id: v.id,
      start: locationOf(v.start),
      end: locationOf(v.end ?? v.start),
      shift,
      breaks: v.breaks
        .map((b, k) => {
          const [earliestStart, latestStart] = window(
            at(b.earliest),
            at(b.latest),
            `vehicles.${v.id}.breaks[${k}]`,
          );
          return { duration: b.duration_s, earliestStart, latestStart };
        })
        .sort((a, b) => a.earliestStart - b.earliestStart),
      capacity: [v.body.volume_m3 * scale, v.body.max_payload_kg ?? Infinity],
      initialLoad: [(v.initial_load?.volume_m3 ?? 0) * scale, v.initial_load?.kg ?? 0],
      skills: v.skills,
      fuel: v.fuel
        ? {
            tankL: v.fuel.tank_l,
            initialL: v.fuel.level_l,
            reserveL: v.fuel.reserve_l,
            perMetreEmpty: perLitre(v.fuel.consumption_l_per_100km.empty),
            perMetreLoaded: perLitre(v.fuel.consumption_l_per_100km.loaded),
            idlePerSecond: v.fuel.idle_l_per_hour / HOUR_S,
          }
        : null,
      costs: {
        fixed: v.costs?.fixed ?? 0,
        perMetre: (v.costs?.per_km ?? 0) / 1000,
        perSecond: (v.costs?.per_hour ?? 0) / HOUR_S,
        ...(v.costs?.fuel_per_l !== undefined ? { fuelPerL: v.costs.fuel_per_l } : {}),
      },
      maxJobs: v.max_jobs ?? Infinity,
      maxShiftLoad: v.max_shift_volume_m3 !== undefined ? v.max_shift_volume_m3 * scale : Infinity,
      // Without any disposal facility in the request the truck cannot end empty; the rule is moot.
      mustEndEmpty: v.must_end_empty && hasDisposal,
      maxDuration: v.max_shift_hours !== undefined ? v.max_shift_hours * HOUR_S : Infinity,
      ...(v.max_distance_km !== undefined ? { maxDistance: v.max_distance_km * 1000 } : {}),
      ...(v.max_driving_hours !== undefined ? { maxTravelTime: v.max_driving_hours * HOUR_S } : {}),
      fixedStops: committedStops(request, v),
    };
  });
  if (vehicles.some((v) => v.fuel && v.fuel.initialL > v.fuel.tankL)) {
    throw new OptimizerInputError(
      'InvalidInput',
      'Уровень топлива больше объёма бака (fuel.level_l > fuel.tank_l)',
      'fuel.level_l exceeds fuel.tank_l',
    );
  }

  const jobs = request.sites.map((site): PlanJob => {
    const loose = site.containers.reduce((sum, c) => sum + c.count * c.volume_m3 * c.fill, 0);
    const containers = site.containers.reduce((sum, c) => sum + c.count, 0);
    const density = site.density_kg_m3 ?? request.defaults.density_kg_m3;
    const perContainer = site.service_s_per_container ?? request.defaults.service_s_per_container;
    const allowed = site.allowed_vehicles?.map((vehicleId) => {
      const index = vehicleIndex.get(vehicleId);
      if (index === undefined) {
        throw new OptimizerInputError(
          'InvalidInput',
          `Площадка ${site.id}: в allowed_vehicles указана неизвестная машина ${vehicleId}`,
          `site ${site.id}: allowed_vehicles names an unknown vehicle ${vehicleId}`,
        );
      }
      return index;
    });
    return {
      id: site.id,
      location: locationOf(site.location),
      amount: [loose / layout.referenceRatio, loose * density],
      service: containers * perContainer,
      windows: windows(site.windows, at, `sites.${site.id}.windows`),
      skills: site.skills,
      priority: site.priority,
      wasteType: site.waste_type,
      release: site.release_at !== undefined ? Math.max(0, at(site.release_at)) : 0,
      ...(allowed !== undefined ? { allowedVehicles: allowed } : {}),
    };
  });

  const facilities: PlanFacility[] = [
    ...request.facilities.map((f): PlanFacility => ({
      id: f.id,
      kind: 'disposal',
      location: locationOf(f.location),
      hours: windows(f.hours, at, `facilities.${f.id}.hours`),
      service: f.service_s,
      secondsPerLitre: 0,
      accepts: f.accepts,
    })),
    ...request.fuel_stations.map((f): PlanFacility => ({
      id: f.id,
      kind: 'fuel',
      location: locationOf(f.location),
      hours: windows(f.hours, at, `fuel_stations.${f.id}.hours`),
      service: f.service_s,
      secondsPerLitre: f.seconds_per_litre,
      accepts: [],
    })),
  ];

  const problem: PlanProblem = { travel, vehicles, jobs, facilities, objective: request.objective };
  // Without one, the solver's default makes serving any job beat leaving it out.
  if (request.unassigned_penalty !== undefined) problem.unassignedPenalty = request.unassigned_penalty;
  return problem;
}

function locationIndex(coordinates: LonLat[]): (point: LonLat) => number {
  const index = new Map(coordinates.map((c, i) => [`${c[0]},${c[1]}`, i]));
  return (point) => index.get(`${point[0]},${point[1]}`)!;
}

function window(open: number, close: number, field: string): TimeWindow {
  if (!(open <= close)) {
    throw new OptimizerInputError(
      'InvalidInput',
      `${field}: начало интервала позже его конца`,
      `${field}: the window opens after it closes`,
    );
  }
  return [open, close];
}

/** Sorted, overlapping windows merged: the solver wants them sorted and disjoint. */
function windows(
  list: readonly { from: string; to: string }[],
  at: (iso: string) => number,
  field: string,
): TimeWindow[] {
  const sorted = list
    .map((w, k) => window(at(w.from), at(w.to), `${field}[${k}]`))
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [open, close] of sorted) {
    const last = merged[merged.length - 1];
    if (last && open <= last[1]) last[1] = Math.max(last[1], close);
    else merged.push([open, close]);
  }
  return merged;
}

function checkUniqueIds(field: string, items: readonly { id: string }[]): void {
  const seen = new Set<string>();
  for (const { id } of items) {
    if (seen.has(id)) {
      throw new OptimizerInputError(
        'InvalidInput',
        `Повторяющийся идентификатор в ${field}: ${id}`,
        `duplicate id in ${field}: ${id}`,
      );
    }
    seen.add(id);
  }
}

/** A vehicle's committed stops as model stops (facilities first, then fuel stations, as laid out). */
function committedStops(request: PlanRequest, vehicle: PlanRequest['vehicles'][number]): RouteStop[] {
  return vehicle.committed_stops.map((stop): RouteStop => {
    const list =
      stop.kind === 'site'
        ? request.sites
        : stop.kind === 'facility'
          ? request.facilities
          : request.fuel_stations;
    const index = list.findIndex((item) => item.id === stop.id);
    if (index < 0) {
      throw new OptimizerInputError(
        'InvalidInput',
        `Машина ${vehicle.id}: в committed_stops указан неизвестный объект ${stop.kind} ${stop.id}`,
        `vehicle ${vehicle.id}: committed_stops names an unknown ${stop.kind} ${stop.id}`,
      );
    }
    if (stop.kind === 'site') return { kind: 'job', index };
    return { kind: 'facility', index: stop.kind === 'facility' ? index : request.facilities.length + index };
  });
}
