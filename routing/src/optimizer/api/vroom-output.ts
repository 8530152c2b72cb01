/**
 * A PlanSolution in VROOM's output format (code, summary, unassigned, routes with steps), so VROOM
 * clients read our plans unchanged. Steps `unload` and `refuel` are ours (disposal and fuel stops, with
 * `refuel_l`); unassigned jobs carry our `reason`. Times are VROOM's: the input's time base.
 */
import type { LonLat } from '../../server/osrm-types.js';
import { encodePolyline } from '../../server/polyline.js';
import { travelSeconds } from '../model/check-plan.js';
import type { PlanProblem, PlanSolution, ScheduledStop } from '../model/plan-problem.js';
import { UNASSIGNED_REASON_TEXT } from './unassigned-reason-text.js';
import type { VroomInput, VroomLayout } from './vroom-input.js';

export interface VroomStep {
  type: 'start' | 'job' | 'break' | 'end' | 'unload' | 'refuel';
  id?: number;
  description?: string;
  location?: LonLat;
  location_index?: number;
  arrival: number;
  /** Cumulated travel time upon arrival. */
  duration: number;
  setup: number;
  service: number;
  waiting_time: number;
  violations: never[];
  load: number[];
  /** Cumulated distance upon arrival. */
  distance: number;
  refuel_l?: number;
}

export interface VroomRoute {
  vehicle: number;
  description?: string;
  cost: number;
  setup: number;
  service: number;
  duration: number;
  waiting_time: number;
  priority: number;
  violations: never[];
  delivery: number[];
  pickup: number[];
  distance: number;
  steps: VroomStep[];
  geometry?: string;
}

export interface VroomOutput {
  code: 0;
  summary: {
    cost: number;
    routes: number;
    unassigned: number;
    setup: number;
    service: number;
    duration: number;
    waiting_time: number;
    priority: number;
    violations: never[];
    delivery: number[];
    pickup: number[];
    distance: number;
    computing_times: { loading: number; solving: number; routing: number };
  };
  unassigned: {
    id: number;
    type: 'job';
    description?: string;
    location?: LonLat;
    location_index?: number;
    reason: string;
    message: string;
  }[];
  routes: VroomRoute[];
}

export function vroomOutput(
  input: VroomInput,
  layout: VroomLayout,
  problem: PlanProblem,
  solution: PlanSolution,
  extras: {
    geometries?: (LonLat[] | null)[];
    timings: { loading: number; solving: number; routing: number };
  },
): VroomOutput {
  const dims = problem.vehicles[0]!.capacity.length;
  const routes = solution.routes.map((route, r) => {
    const vehicle = input.vehicles[route.vehicle]!;
    const steps = vroomSteps(input, layout, problem, route.vehicle, route.stops);
    const jobs = route.stops.filter((s) => s.kind === 'job').map((s) => input.jobs[s.index]!);
    const pickup = Array.from({ length: dims }, (_, d) =>
      jobs.reduce((sum, j) => sum + (j.pickup?.[d] ?? 0), 0),
    );
    const line = extras.geometries?.[r];
    const last = steps[steps.length - 1]!;
    return {
      vehicle: vehicle.id,
      ...(vehicle.description !== undefined ? { description: vehicle.description } : {}),
      cost: Math.round(route.cost),
      setup: jobs.reduce((sum, j) => sum + j.setup, 0),
      service: steps.reduce((sum, s) => sum + (s.type === 'break' ? 0 : s.service), 0),
      duration: last.duration,
      waiting_time: Math.round(route.waiting),
      priority: jobs.reduce((sum, j) => sum + j.priority, 0),
      violations: [],
      delivery: new Array<number>(dims).fill(0),
      pickup,
      distance: Math.round(route.distance),
      steps,
      ...(line ? { geometry: encodePolyline(line, 5) } : {}),
    } satisfies VroomRoute;
  });
  const sum = (key: 'setup' | 'service' | 'duration' | 'waiting_time' | 'priority' | 'distance'): number =>
    routes.reduce((total, route) => total + route[key], 0);
  return {
    code: 0,
    summary: {
      cost: Math.round(solution.cost),
      routes: routes.length,
      unassigned: solution.unassigned.length,
      setup: sum('setup'),
      service: sum('service'),
      duration: sum('duration'),
      waiting_time: sum('waiting_time'),
      priority: sum('priority'),
      violations: [],
      delivery: new Array<number>(dims).fill(0),
      pickup: Array.from({ length: dims }, (_, d) =>
        routes.reduce((total, route) => total + route.pickup[d]!, 0),
      ),
      distance: sum('distance'),
      computing_times: extras.timings,
    },
    unassigned: solution.unassigned.map(({ job, reason }) => {
      const source = input.jobs[job]!;
      return {
        id: source.id,
        type: 'job' as const,
        ...(source.description !== undefined ? { description: source.description } : {}),
        ...(source.location ? { location: source.location } : {}),
        ...(source.location_index !== undefined ? { location_index: source.location_index } : {}),
        reason,
        message: UNASSIGNED_REASON_TEXT[reason].ru,
      };
    }),
    routes,
  };
}

function vroomSteps(
  input: VroomInput,
  layout: VroomLayout,
  problem: PlanProblem,
  vehicleIndex: number,
  stops: ScheduledStop[],
): VroomStep[] {
  const steps: VroomStep[] = [];
  let travel = 0;
  let distance = 0;
  let previous: ScheduledStop | undefined;
  let breakCount = 0;
  stops.forEach((stop, k) => {
    if (stop.kind !== 'break' && previous) {
      // Travel time recomputed from the matrix (a break during a drive would otherwise count as travel).
      travel += travelSeconds(problem, previous.location, stop.location, previous.departure);
      distance += stop.distance;
    }
    const place = where(
      layout,
      stop.kind === 'start' ? (stops[k + 1] ?? stop) : stop.kind === 'end' ? (previous ?? stop) : stop,
      stop,
    );
    const step: VroomStep = {
      type: 'start',
      ...place,
      arrival: Math.round(layout.epochS + (stop.kind === 'start' ? stop.departure : stop.arrival)),
      duration: Math.round(travel),
      setup: 0,
      service: 0,
      waiting_time: 0,
      violations: [],
      load: stop.load.map((x) => Math.round(x)),
      distance: Math.round(distance),
    };
    if (stop.kind === 'job') {
      const job = input.jobs[stop.index]!;
      Object.assign(step, {
        type: 'job',
        id: job.id,
        ...(job.description !== undefined ? { description: job.description } : {}),
        setup: job.setup,
        service: job.service,
        waiting_time: Math.round(stop.begin - stop.arrival),
      });
    } else if (stop.kind === 'facility') {
      const facility = input.facilities[stop.index]!;
      Object.assign(step, {
        type: facility.kind === 'fuel' ? 'refuel' : 'unload',
        id: facility.id,
        ...(facility.description !== undefined ? { description: facility.description } : {}),
        service: Math.round(stop.departure - stop.begin),
        waiting_time: Math.round(stop.begin - stop.arrival),
        ...(facility.kind === 'fuel' ? { refuel_l: Math.round(stop.refuelL * 100) / 100 } : {}),
      });
    } else if (stop.kind === 'break') {
      const id = layout.breakIds[vehicleIndex]![breakCount++];
      Object.assign(step, {
        type: 'break',
        ...(id !== undefined ? { id } : {}),
        service: Math.round(stop.departure - stop.begin),
      });
    } else if (stop.kind === 'end') {
      step.type = 'end';
    }
    steps.push(step);
    if (stop.kind !== 'break') previous = stop;
  });
  return steps;
}

/** location/location_index of a step; open-route ends (the free point) take their neighbour's place. */
function where(
  layout: VroomLayout,
  neighbour: ScheduledStop,
  stop: ScheduledStop,
): { location?: LonLat; location_index?: number } {
  const index = stop.location === layout.freeLocation ? neighbour.location : stop.location;
  if (index === layout.freeLocation) return {};
  const location = layout.coordinates[index];
  return {
    ...(location ? { location } : {}),
    ...(layout.indexed ? { location_index: index } : {}),
  };
}
