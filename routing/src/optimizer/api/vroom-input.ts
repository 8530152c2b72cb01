/**
 * VROOM's JSON input (docs/API.md of VROOM-Project/vroom, v1.14) → PlanProblem. Supported: jobs
 * (location or location_index, setup + service, pickup amounts, skills, priority, time_windows),
 * vehicles (start/end or their indices, open routes, capacity, skills, time_window, breaks with one
 * window, costs fixed/per_hour/per_km, max_tasks, a common speed_factor), custom `matrices` per profile
 * (durations, distances) or the deprecated `matrix`. Our extensions: `facilities` (disposal and fuel
 * stops) and a vehicle `fuel` tank. Everything VROOM does that our model cannot express is refused
 * with a clear error rather than silently ignored.
 */
import { z } from 'zod';
import type { LonLat } from '../../server/osrm-types.js';
import type {
  PlanFacility,
  PlanJob,
  PlanProblem,
  PlanVehicle,
  TimeWindow,
  TravelMatrix,
} from '../model/plan-problem.js';
import { OptimizerInputError } from './optimizer-error.js';

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const count = z.number().int().nonnegative();
const seconds = z.number().finite().nonnegative();
const amounts = z.array(count);
const vroomWindow = z.tuple([seconds, seconds]);

const vroomJob = z.object({
  id: z.number().int(),
  description: z.string().optional(),
  location: lonLat.optional(),
  location_index: count.optional(),
  setup: seconds.default(0),
  service: seconds.default(0),
  delivery: amounts.optional(),
  pickup: amounts.optional(),
  amount: amounts.optional(),
  skills: z.array(z.number().int()).default([]),
  priority: z.number().int().min(0).max(100).default(0),
  time_windows: z.array(vroomWindow).optional(),
  setup_per_type: z.record(z.string(), seconds).optional(),
  service_per_type: z.record(z.string(), seconds).optional(),
});

const vroomBreak = z.object({
  id: z.number().int(),
  time_windows: z.array(vroomWindow).optional(),
  service: seconds.default(0),
  description: z.string().optional(),
  max_load: amounts.optional(),
});

const vroomVehicle = z.object({
  id: z.number().int(),
  profile: z.string().default('car'),
  description: z.string().optional(),
  start: lonLat.optional(),
  start_index: count.optional(),
  end: lonLat.optional(),
  end_index: count.optional(),
  capacity: amounts.optional(),
  costs: z
    .object({
      fixed: seconds.default(0),
      per_hour: seconds.default(3600),
      per_task_hour: seconds.default(0),
      per_km: seconds.default(0),
    })
    .optional(),
  skills: z.array(z.number().int()).default([]),
  type: z.string().optional(),
  time_window: vroomWindow.optional(),
  breaks: z.array(vroomBreak).default([]),
  speed_factor: z.number().gt(0).max(5).default(1),
  max_tasks: count.optional(),
  max_travel_time: count.optional(),
  max_distance: count.optional(),
  steps: z.array(z.unknown()).optional(),
  // Our extension: a fuel tank, as in our own JSON.
  fuel: z
    .object({
      tank_l: z.number().positive(),
      level_l: z.number().nonnegative(),
      reserve_l: z.number().nonnegative().default(0),
      consumption_l_per_100km: z.object({
        empty: z.number().nonnegative(),
        loaded: z.number().nonnegative(),
      }),
      idle_l_per_hour: z.number().nonnegative().default(0),
    })
    .optional(),
  // Our extension: unload before returning (needs `facilities`).
  must_end_empty: z.boolean().default(false),
});

/** Our extension: disposal facilities (multi-trip) and fuel stations. */
const vroomFacility = z.object({
  id: z.number().int(),
  kind: z.enum(['disposal', 'fuel']),
  description: z.string().optional(),
  location: lonLat.optional(),
  location_index: count.optional(),
  service: seconds.default(0),
  time_windows: z.array(vroomWindow).optional(),
  seconds_per_litre: seconds.default(0),
});

const matrixRows = z.array(z.array(z.number().nonnegative()));

export const vroomInputSchema = z.object({
  jobs: z.array(vroomJob).default([]),
  shipments: z.array(z.unknown()).default([]),
  vehicles: z.array(vroomVehicle).min(1),
  matrices: z
    .record(
      z.string(),
      z.object({
        durations: matrixRows.optional(),
        distances: matrixRows.optional(),
        costs: matrixRows.optional(),
      }),
    )
    .optional(),
  matrix: matrixRows.optional(),
  facilities: z.array(vroomFacility).default([]),
});

export type VroomInput = z.infer<typeof vroomInputSchema>;

/** What the output needs besides the solution: ids, locations, the clock. */
export interface VroomLayout {
  /** Seconds added to model times in the output (unix epoch of model 0 for absolute times, else 0). */
  epochS: number;
  /** Matrix location → coordinates, when known. */
  coordinates: (LonLat | null)[];
  /** True for location indices given in the input (custom matrices). */
  indexed: boolean;
  /** The added "anywhere" location of open routes, or -1. */
  freeLocation: number;
  /** Model break index → VROOM break id, per vehicle (breaks are sorted by their window). */
  breakIds: number[][];
  /** Matrix-free input: the engine must give the travel matrix for `coordinates`. */
  needsEngineMatrix: boolean;
  /** Durations scale (speed_factor). */
  speedFactor: number;
}

const unsupported = (ru: string, en: string): never => {
  throw new OptimizerInputError('Unsupported', ru, en);
};
const invalid = (ru: string, en: string): never => {
  throw new OptimizerInputError('InvalidInput', ru, en);
};

/** Checks what our model cannot express and fixes the location layout. */
export function layoutVroomInput(input: VroomInput): VroomLayout {
  if (input.shipments.length > 0) {
    unsupported(
      'Перевозки (shipments: забор и доставка в одном рейсе) не поддерживаются: используйте jobs с pickup',
      'shipments (pickup-and-delivery pairs) are not supported: use jobs with pickup amounts',
    );
  }
  const profiles = new Set(input.vehicles.map((v) => v.profile));
  if (profiles.size > 1) {
    unsupported(
      'Машины с разными профилями (profile) не поддерживаются',
      'vehicles with different profiles are not supported',
    );
  }
  const speedFactors = new Set(input.vehicles.map((v) => v.speed_factor));
  if (speedFactors.size > 1) {
    unsupported(
      'Разные speed_factor у машин не поддерживаются',
      'different speed_factor values per vehicle are not supported',
    );
  }
  unique(
    'jobs',
    input.jobs.map((j) => j.id),
  );
  unique(
    'vehicles',
    input.vehicles.map((v) => v.id),
  );
  unique(
    'facilities',
    input.facilities.map((f) => f.id),
  );
  for (const job of input.jobs) {
    if (job.delivery?.some((a) => a > 0) || job.amount?.some((a) => a > 0)) {
      unsupported(
        `Задание ${job.id}: доставка (delivery/amount) не поддерживается — вывоз отходов только забирает груз (pickup)`,
        `job ${job.id}: delivery amounts are not supported; refuse collection only picks up (use pickup)`,
      );
    }
    if (job.setup_per_type || job.service_per_type) {
      unsupported(
        `Задание ${job.id}: setup_per_type/service_per_type не поддерживаются`,
        `job ${job.id}: *_per_type durations are not supported`,
      );
    }
  }
  for (const v of input.vehicles) {
    const what = [
      v.steps !== undefined && 'steps',
      (v.costs?.per_task_hour ?? 0) > 0 && 'costs.per_task_hour',
      v.breaks.some((b) => b.max_load !== undefined) && 'breaks.max_load',
      v.breaks.some((b) => (b.time_windows?.length ?? 0) > 1) && 'breaks with several time_windows',
    ].filter((x): x is string => typeof x === 'string');
    if (what.length > 0)
      unsupported(
        `Машина ${v.id}: не поддерживается ${what.join(', ')}`,
        `vehicle ${v.id}: ${what.join(', ')} not supported`,
      );
    if (!v.start && v.start_index === undefined && !v.end && v.end_index === undefined) {
      invalid(`Машина ${v.id}: нужно указать start или end`, `vehicle ${v.id}: start or end is required`);
    }
  }
  const profile = input.vehicles[0]!.profile;
  const custom = input.matrices?.[profile] ?? (input.matrix ? { durations: input.matrix } : undefined);
  if (custom?.costs)
    unsupported(
      'Пользовательская матрица стоимостей (costs) не поддерживается',
      'custom cost matrices are not supported',
    );
  const timed = [...input.vehicles.map((v) => v.time_window?.[0])].filter(
    (t): t is number => t !== undefined,
  );
  // VROOM leaves the time base to the user; timestamps after 2001 are taken as unix seconds (traffic applies).
  const absolute = timed.length > 0 && Math.min(...timed) >= 1e9;
  const epochS = absolute ? Math.floor(Math.min(...timed) / 3600) * 3600 : 0;
  const breakIds = input.vehicles.map((v) => sortedBreaks(v.breaks).map((b) => b.id));
  const openRoutes = input.vehicles.some(
    (v) => (!v.start && v.start_index === undefined) || (!v.end && v.end_index === undefined),
  );

  if (custom) {
    const durations =
      custom.durations ??
      invalid(`matrices.${profile}: нужна матрица durations`, `matrices.${profile}: durations are required`);
    const n = durations.length;
    if (
      durations.some((row) => row.length !== n) ||
      (custom.distances &&
        (custom.distances.length !== n || custom.distances.some((row) => row.length !== n)))
    ) {
      invalid('Матрицы должны быть квадратными и одного размера', 'matrices must be square and of one size');
    }
    const coordinates: (LonLat | null)[] = Array.from({ length: n }, () => null);
    const place = (index: number | undefined, location: LonLat | undefined, what: string): void => {
      if (index === undefined)
        invalid(
          `${what}: при заданной матрице нужен location_index`,
          `${what}: location_index is required with custom matrices`,
        );
      if (index! >= n)
        invalid(
          `${what}: location_index ${index} вне матрицы ${n}×${n}`,
          `${what}: location_index ${index} is outside the ${n}×${n} matrix`,
        );
      if (location) coordinates[index!] = location;
    };
    input.jobs.forEach((j) => place(j.location_index, j.location, `job ${j.id}`));
    input.facilities.forEach((f) => place(f.location_index, f.location, `facility ${f.id}`));
    input.vehicles.forEach((v) => {
      if (v.start || v.start_index !== undefined) place(v.start_index, v.start, `vehicle ${v.id} start`);
      if (v.end || v.end_index !== undefined) place(v.end_index, v.end, `vehicle ${v.id} end`);
    });
    if (openRoutes) coordinates.push(null);
    return {
      epochS,
      coordinates,
      indexed: true,
      freeLocation: openRoutes ? n : -1,
      breakIds,
      needsEngineMatrix: false,
      speedFactor: input.vehicles[0]!.speed_factor,
    };
  }
  const coordinates: LonLat[] = [];
  const seen = new Map<string, number>();
  const add = (point: LonLat | undefined, what: string): void => {
    if (!point)
      return invalid(
        `${what}: нужен location (матрица не задана)`,
        `${what}: location is required without custom matrices`,
      );
    const key = `${point[0]},${point[1]}`;
    if (!seen.has(key)) {
      seen.set(key, coordinates.length);
      coordinates.push(point);
    }
  };
  input.vehicles.forEach((v) => {
    if (v.start) add(v.start, `vehicle ${v.id} start`);
    if (v.end) add(v.end, `vehicle ${v.id} end`);
  });
  input.jobs.forEach((j) => add(j.location, `job ${j.id}`));
  input.facilities.forEach((f) => add(f.location, `facility ${f.id}`));
  return {
    epochS,
    coordinates: openRoutes ? [...coordinates, null] : coordinates,
    indexed: false,
    freeLocation: openRoutes ? coordinates.length : -1,
    breakIds,
    needsEngineMatrix: true,
    speedFactor: input.vehicles[0]!.speed_factor,
  };
}

/** The travel matrix of custom matrices (engine-free input), with the open-route point added. */
export function customTravelMatrix(input: VroomInput, layout: VroomLayout): TravelMatrix {
  const profile = input.vehicles[0]!.profile;
  const custom = input.matrices?.[profile] ?? { durations: input.matrix! };
  const durations = custom.durations!;
  const hasDistancePrice = input.vehicles.some((v) => (v.costs?.per_km ?? 0) > 0);
  if (!custom.distances && hasDistancePrice) {
    invalid('costs.per_km требует матрицу distances', 'costs.per_km needs a distances matrix');
  }
  if (!custom.distances && input.vehicles.some((v) => v.max_distance !== undefined)) {
    invalid('max_distance требует матрицу distances', 'max_distance needs a distances matrix');
  }
  return withFreeLocation(
    durations.length,
    (i, j) => durations[i]![j]!,
    (i, j) => custom.distances?.[i]?.[j] ?? 0,
    layout,
  );
}

/** The engine's matrix for `layout.coordinates` (without the open-route point), extended by it. */
export function extendEngineMatrix(engine: TravelMatrix, layout: VroomLayout): TravelMatrix {
  const n = engine.locationCount;
  const extended = withFreeLocation(
    n,
    (i, j) => engine.duration[i * n + j]!,
    (i, j) => engine.distance[i * n + j]!,
    layout,
  );
  if (engine.durationSlots) {
    extended.durationSlots = {
      slotSeconds: engine.durationSlots.slotSeconds,
      matrices: engine.durationSlots.matrices.map(
        (m) =>
          withFreeLocation(
            n,
            (i, j) => m[i * n + j]!,
            () => 0,
            layout,
          ).duration,
      ),
    };
  }
  return extended;
}

/** n × n, plus a point reached from and leaving to anywhere at no cost (VROOM's open route ends). */
function withFreeLocation(
  n: number,
  duration: (i: number, j: number) => number,
  distance: (i: number, j: number) => number,
  layout: VroomLayout,
): TravelMatrix {
  const size = layout.freeLocation >= 0 ? n + 1 : n;
  const durations = new Float64Array(size * size);
  const distances = new Float64Array(size * size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      durations[i * size + j] = duration(i, j) / layout.speedFactor;
      distances[i * size + j] = distance(i, j);
    }
  }
  return { locationCount: size, distance: distances, duration: durations };
}

export function vroomToProblem(input: VroomInput, layout: VroomLayout, travel: TravelMatrix): PlanProblem {
  const locationOf = locator(layout);
  const dims = Math.max(
    1,
    ...input.vehicles.map((v) => v.capacity?.length ?? 0),
    ...input.jobs.map((j) => j.pickup?.length ?? 0),
  );
  const t = (value: number): number => value - layout.epochS;
  const vehicles = input.vehicles.map((v): PlanVehicle => {
    const costs = v.costs ?? { fixed: 0, per_hour: 3600, per_km: 0, per_task_hour: 0 };
    return {
      id: String(v.id),
      start:
        v.start || v.start_index !== undefined ? locationOf(v.start_index, v.start) : layout.freeLocation,
      end: v.end || v.end_index !== undefined ? locationOf(v.end_index, v.end) : layout.freeLocation,
      shift: v.time_window ? [t(v.time_window[0]), t(v.time_window[1])] : [0, Infinity],
      breaks: sortedBreaks(v.breaks).map((b) => {
        const w = b.time_windows?.[0];
        return { duration: b.service, earliestStart: w ? t(w[0]) : 0, latestStart: w ? t(w[1]) : Infinity };
      }),
      capacity: Array.from({ length: dims }, (_, d) => v.capacity?.[d] ?? Infinity),
      initialLoad: new Array<number>(dims).fill(0),
      skills: v.skills.map(String),
      fuel: v.fuel
        ? {
            tankL: v.fuel.tank_l,
            initialL: v.fuel.level_l,
            reserveL: v.fuel.reserve_l,
            perMetreEmpty: v.fuel.consumption_l_per_100km.empty / 100_000,
            perMetreLoaded: v.fuel.consumption_l_per_100km.loaded / 100_000,
            idlePerSecond: v.fuel.idle_l_per_hour / 3600,
          }
        : null,
      costs: { fixed: costs.fixed, perMetre: costs.per_km / 1000, perSecond: costs.per_hour / 3600 },
      maxJobs: v.max_tasks ?? Infinity,
      maxShiftLoad: Infinity,
      mustEndEmpty: v.must_end_empty && input.facilities.some((f) => f.kind === 'disposal'),
      maxDuration: Infinity,
      ...(v.max_distance !== undefined ? { maxDistance: v.max_distance } : {}),
      ...(v.max_travel_time !== undefined ? { maxTravelTime: v.max_travel_time } : {}),
      fixedStops: [],
    };
  });
  const jobs = input.jobs.map((job): PlanJob => ({
    id: String(job.id),
    location: locationOf(job.location_index, job.location),
    amount: Array.from({ length: dims }, (_, d) => job.pickup?.[d] ?? 0),
    // Setup is paid at every job, also after a job at the same place (VROOM skips it there).
    service: job.setup + job.service,
    windows: mergeWindows(
      (job.time_windows ?? []).map(([a, b]) => [t(a), t(b)] as TimeWindow),
      `job ${job.id}`,
    ),
    skills: job.skills.map(String),
    priority: job.priority,
    wasteType: '',
    release: 0,
  }));
  const facilities = input.facilities.map((f): PlanFacility => ({
    id: String(f.id),
    kind: f.kind,
    location: locationOf(f.location_index, f.location),
    hours: mergeWindows(
      (f.time_windows ?? []).map(([a, b]) => [t(a), t(b)] as TimeWindow),
      `facility ${f.id}`,
    ),
    service: f.service,
    secondsPerLitre: f.seconds_per_litre,
    accepts: [],
  }));
  // The solver's default unassigned penalty makes serving every job it can beat leaving it out.
  return { travel, vehicles, jobs, facilities, objective: 'cost' };
}

function locator(layout: VroomLayout): (index: number | undefined, location: LonLat | undefined) => number {
  if (layout.indexed) return (index) => index!;
  const byKey = new Map<string, number>();
  layout.coordinates.forEach((c, i) => {
    if (c && !byKey.has(`${c[0]},${c[1]}`)) byKey.set(`${c[0]},${c[1]}`, i);
  });
  return (_index, location) => byKey.get(`${location![0]},${location![1]}`)!;
}

function sortedBreaks<T extends { time_windows?: [number, number][] | undefined }>(breaks: T[]): T[] {
  return [...breaks].sort((a, b) => (a.time_windows?.[0]?.[0] ?? 0) - (b.time_windows?.[0]?.[0] ?? 0));
}

function mergeWindows(windows: TimeWindow[], what: string): TimeWindow[] {
  const merged: [number, number][] = [];
  for (const [open, close] of [...windows].sort((a, b) => a[0] - b[0])) {
    if (open > close)
      invalid(
        `${what}: окно [${open}, ${close}] начинается позже конца`,
        `${what}: window [${open}, ${close}] opens after it closes`,
      );
    const last = merged[merged.length - 1];
    if (last && open <= last[1]) last[1] = Math.max(last[1], close);
    else merged.push([open, close]);
  }
  return merged;
}

function unique(what: string, ids: number[]): void {
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) invalid(`Повторяющийся id в ${what}: ${id}`, `duplicate id in ${what}: ${id}`);
    seen.add(id);
  }
}
