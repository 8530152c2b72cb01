/**
 * What the insertion step needs to reject hopeless positions in O(1): per position the departure time
 * and the latest feasible arrival, per gap the trip's load so far and at its end, and the fuel margin
 * until the next refuel. The filters are lenient (breaks and time-dependent travel are ignored in the
 * backward pass); every accepted candidate is confirmed by `simulateRoute`.
 */
import { facilityOf, travelTime, type PreparedProblem } from './prepared-problem.js';
import { newFigures, ScheduleTrace, simulateRoute, type RouteFigures } from './route-simulation.js';

export interface RouteCache {
  vehicle: number;
  codes: number[];
  /** Cost under the objective (0 for an empty route), Infinity when infeasible. */
  cost: number;
  figures: RouteFigures;
  /** Positions 0 (start) … L + 1 (end). */
  location: Int32Array;
  departure: Float64Array;
  latestArrival: Float64Array;
  /** Per gap g (between positions g and g + 1), dims values: load after position g. */
  loadAfter: Float64Array;
  /** Per gap: the trip's load at its end (its maximum), dims values. */
  tripEndLoad: Float64Array;
  /** Per gap: litres that may still be spent before the next refuel (Infinity without a fuel model). */
  fuelMargin: Float64Array;
  jobCount: number;
  shiftLoad: number;
}

let scratch: ScheduleTrace | undefined;

export function buildRouteCache(pp: PreparedProblem, vehicle: number, codes: number[]): RouteCache {
  const figures = newFigures();
  const spec = pp.problem.vehicles[vehicle]!;
  const L = codes.length;
  const dims = pp.dims;
  if (scratch?.dims !== dims) scratch = new ScheduleTrace(dims);
  const trace = scratch;
  const cost = simulateRoute(pp, vehicle, codes, figures, L > 0 ? trace : undefined);
  const location = new Int32Array(L + 2);
  const departure = new Float64Array(L + 2);
  const latestArrival = new Float64Array(L + 2);
  const loadAfter = new Float64Array((L + 1) * dims);
  const tripEndLoad = new Float64Array((L + 1) * dims);
  const fuelMargin = new Float64Array(L + 1).fill(Infinity);
  location[0] = spec.start;
  location[L + 1] = spec.end;
  for (let k = 0; k < L; k++) {
    const code = codes[k]!;
    location[k + 1] = code >= 0 ? pp.jobLocation[code]! : pp.facilityLocation[facilityOf(code)]!;
  }
  let jobCount = 0;
  let shiftLoad = 0;
  for (const code of codes) {
    if (code >= 0) {
      jobCount++;
      shiftLoad += pp.jobAmount[code * dims]!;
    }
  }
  const cache: RouteCache = {
    vehicle,
    codes,
    cost,
    figures,
    location,
    departure,
    latestArrival,
    loadAfter,
    tripEndLoad,
    fuelMargin,
    jobCount,
    shiftLoad,
  };
  if (L === 0) {
    departure[0] = spec.shift[0];
    latestArrival[1] = Math.min(spec.shift[1], spec.shift[0] + spec.maxDuration);
    for (let d = 0; d < dims; d++) {
      loadAfter[d] = spec.initialLoad[d] ?? 0;
      tripEndLoad[d] = loadAfter[d]!;
    }
    if (spec.fuel) fuelMargin[0] = spec.fuel.initialL - spec.fuel.reserveL;
    return cache;
  }
  if (cost === Infinity) {
    // Infeasible routes (a fixed prefix that cannot be kept) accept nothing.
    departure.fill(Infinity);
    return cache;
  }
  // Schedule positions: the record without its break entries.
  const begin = new Float64Array(L + 2);
  departure.set(trace.departure.subarray(0, L + 2));
  begin.set(trace.begin.subarray(0, L + 2));
  loadAfter.set(trace.load.subarray(0, (L + 1) * dims));
  latestArrival[L + 1] = Math.min(spec.shift[1], departure[0]! + spec.maxDuration);
  for (let q = L; q >= 1; q--) {
    const code = codes[q - 1]!;
    const service = departure[q]! - begin[q]!;
    const close = code >= 0 ? pp.jobLastClose[code]! : lastClose(pp, facilityOf(code));
    const next =
      latestArrival[q + 1]! - travelTime(pp, location[q]!, location[q + 1]!, departure[q]!) - service;
    latestArrival[q] = Math.min(close, next);
  }
  // Trip end loads: scan backwards, resetting after each disposal stop.
  const end = new Float64Array(dims);
  for (let g = L; g >= 0; g--) {
    const atNext = g < L ? codes[g]! : 0;
    const nextIsDisposal = g < L && atNext < 0 && pp.isFuel[facilityOf(atNext)] === 0;
    for (let d = 0; d < dims; d++) {
      if (g === L || nextIsDisposal) end[d] = loadAfter[g * dims + d]!;
      tripEndLoad[g * dims + d] = end[d]!;
    }
  }
  const fuel = spec.fuel;
  if (fuel) {
    // Margin of gap g: the smallest (arrival level − reserve) from position g + 1 to the next fuel stop.
    const arrivalLevel = new Float64Array(L + 2);
    let level = fuel.initialL;
    for (let q = 1; q <= L + 1; q++) {
      const leg = pp.distance[location[q - 1]! * pp.n + location[q]!]!;
      const share = spec.capacity[0]! > 0 ? Math.min(1, loadAfter[(q - 1) * dims]! / spec.capacity[0]!) : 0;
      level -= leg * (fuel.perMetreEmpty + (fuel.perMetreLoaded - fuel.perMetreEmpty) * share);
      arrivalLevel[q] = level;
      if (q <= L) {
        const code = codes[q - 1]!;
        if (code < 0 && pp.isFuel[facilityOf(code)] === 1) level = fuel.tankL;
        else level -= (departure[q]! - begin[q]!) * fuel.idlePerSecond;
      }
    }
    let margin = Infinity;
    for (let g = L; g >= 0; g--) {
      margin = Math.min(margin, arrivalLevel[g + 1]! - fuel.reserveL);
      fuelMargin[g] = margin;
      const code = g >= 1 ? codes[g - 1]! : 0;
      if (g >= 1 && code < 0 && pp.isFuel[facilityOf(code)] === 1) margin = Infinity;
    }
  }
  return cache;
}

function lastClose(pp: PreparedProblem, facility: number): number {
  const hours = pp.problem.facilities[facility]!.hours;
  return hours.length === 0 ? Infinity : Math.max(...hours.map((h) => h[1]));
}
