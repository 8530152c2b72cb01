/**
 * Guard clauses run once before the search, so that bad input gets a precise error instead of a
 * silently wrong plan. Messages name the field (English; the HTTP layer shows Russian ones for its own
 * schema and passes these through as details).
 */
import type { PlanProblem, TimeWindow } from '../model/plan-problem.js';

export class PlanProblemError extends Error {
  readonly code = 'InvalidProblem';
  override readonly name = 'PlanProblemError';
}

const fail = (message: string): never => {
  throw new PlanProblemError(message);
};

const nonNegative = (value: number, field: string): void => {
  if (!(value >= 0)) fail(`${field} must be a number >= 0, got ${value}`);
};

function checkWindows(windows: readonly TimeWindow[], field: string): void {
  let previous = -Infinity;
  windows.forEach(([open, close], k) => {
    if (!(open <= close)) fail(`${field}[${k}] must have open <= close, got [${open}, ${close}]`);
    if (!(open >= previous)) fail(`${field} must be sorted and disjoint`);
    previous = close;
  });
}

export function validatePlanProblem(problem: PlanProblem): void {
  const { travel, vehicles, jobs, facilities } = problem;
  const n = travel.locationCount;
  if (!Number.isInteger(n) || n < 1) fail(`travel.locationCount must be an integer >= 1, got ${n}`);
  const cells = n * n;
  const matrices: [string, Float64Array][] = [
    ['travel.distance', travel.distance],
    ['travel.duration', travel.duration],
    ...(travel.durationSlots?.matrices ?? []).map((m, k): [string, Float64Array] => [
      `travel.durationSlots.matrices[${k}]`,
      m,
    ]),
  ];
  for (const [field, matrix] of matrices) {
    if (matrix.length !== cells)
      fail(`${field} must have locationCount² = ${cells} entries, got ${matrix.length}`);
    for (let k = 0; k < cells; k++)
      if (!(matrix[k]! >= 0)) fail(`${field}[${k}] must be >= 0 (Infinity = no road), got ${matrix[k]}`);
  }
  if (travel.durationSlots && !(travel.durationSlots.slotSeconds > 0))
    fail('travel.durationSlots.slotSeconds must be > 0');
  const location = (value: number, field: string): void => {
    if (!Number.isInteger(value) || value < 0 || value >= n)
      fail(`${field} must be a location index in [0, ${n}), got ${value}`);
  };
  if (vehicles.length === 0) fail('vehicles must not be empty');
  const inFixed = new Set<number>();
  vehicles.forEach((v, i) => {
    const at = `vehicles[${i}]`;
    location(v.start, `${at}.start`);
    location(v.end, `${at}.end`);
    checkWindows([v.shift], `${at}.shift`);
    v.breaks.forEach((b, k) => {
      nonNegative(b.duration, `${at}.breaks[${k}].duration`);
      if (!(b.earliestStart <= b.latestStart))
        fail(`${at}.breaks[${k}] must have earliestStart <= latestStart`);
    });
    if (v.capacity.length === 0) fail(`${at}.capacity must have at least one dimension`);
    v.capacity.forEach((c, d) => nonNegative(c, `${at}.capacity[${d}]`));
    v.initialLoad.forEach((c, d) => nonNegative(c, `${at}.initialLoad[${d}]`));
    if (v.fuel) {
      const f = v.fuel;
      for (const key of [
        'tankL',
        'initialL',
        'reserveL',
        'perMetreEmpty',
        'perMetreLoaded',
        'idlePerSecond',
      ] as const)
        nonNegative(f[key], `${at}.fuel.${key}`);
      if (f.initialL > f.tankL + 1e-9) fail(`${at}.fuel.initialL must be <= tankL`);
      if (f.reserveL > f.tankL) fail(`${at}.fuel.reserveL must be <= tankL`);
    }
    for (const key of ['fixed', 'perMetre', 'perSecond'] as const)
      nonNegative(v.costs[key], `${at}.costs.${key}`);
    nonNegative(v.maxJobs, `${at}.maxJobs`);
    nonNegative(v.maxShiftLoad, `${at}.maxShiftLoad`);
    nonNegative(v.maxDuration, `${at}.maxDuration`);
    if (v.maxDistance !== undefined) nonNegative(v.maxDistance, `${at}.maxDistance`);
    if (v.maxTravelTime !== undefined) nonNegative(v.maxTravelTime, `${at}.maxTravelTime`);
    v.fixedStops.forEach((s, k) => {
      const list = s.kind === 'job' ? jobs.length : facilities.length;
      if (!Number.isInteger(s.index) || s.index < 0 || s.index >= list)
        fail(`${at}.fixedStops[${k}] names no ${s.kind}`);
      if (s.kind === 'job') {
        if (inFixed.has(s.index)) fail(`job ${s.index} is a fixed stop of two vehicles`);
        inFixed.add(s.index);
      }
    });
  });
  jobs.forEach((job, j) => {
    const at = `jobs[${j}]`;
    location(job.location, `${at}.location`);
    job.amount.forEach((a, d) => nonNegative(a, `${at}.amount[${d}]`));
    nonNegative(job.service, `${at}.service`);
    nonNegative(job.release, `${at}.release`);
    if (!Number.isFinite(job.priority) || job.priority < 0)
      fail(`${at}.priority must be a finite number >= 0`);
    checkWindows(job.windows, `${at}.windows`);
    job.allowedVehicles?.forEach((v) => {
      if (!Number.isInteger(v) || v < 0 || v >= vehicles.length)
        fail(`${at}.allowedVehicles names no vehicle: ${v}`);
    });
  });
  facilities.forEach((f, i) => {
    const at = `facilities[${i}]`;
    location(f.location, `${at}.location`);
    nonNegative(f.service, `${at}.service`);
    nonNegative(f.secondsPerLitre, `${at}.secondsPerLitre`);
    checkWindows(f.hours, `${at}.hours`);
  });
}
