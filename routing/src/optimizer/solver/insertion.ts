/**
 * Cheapest feasible insertion of one job into a solution — where unloading trips and refuelling stops
 * are decided. Besides placing the job between two stops, a candidate may bring its own disposal stop
 * ([job, F] or [F, job]: the trip is split there) when the trip would overflow, or its own fuel stop
 * when the tank would not last; a new route opens an unused vehicle (one per vehicle type is tried).
 * Candidates are ranked by their O(1) cost delta, filtered leniently, and confirmed by simulation.
 */
import { buildRouteCache, type RouteCache } from './route-cache.js';
import { beginWithin, facilityCode, travelTime, type PreparedProblem } from './prepared-problem.js';
import type { Prng } from '../hgs/prng.js';
import { simulateRoute } from './route-simulation.js';

export interface Solution {
  routes: RouteCache[];
  /** Route (vehicle) index per job, −1 when unassigned. */
  routeOf: Int32Array;
}

const PLAIN = 0;
const JOB_THEN_FACILITY = 1;
const FACILITY_THEN_JOB = 2;
/** Facility, job, second facility (a new route that must refuel on both sides). */
const BETWEEN_FACILITIES = 3;

/** How many lenient candidates are simulated per job before giving up. */
const MAX_SIMULATIONS = 16;
/** From this many jobs on, insertions look first only next to each job's nearest jobs. */
const GRANULAR_FROM_JOBS = 300;
let nearMark = new Uint32Array(0);
let stamp = 0;

/** Candidate simulations per insertion: in total, and per route (so one bad route cannot use them all). */
export interface SimulationBudget {
  total: number;
  perRoute: number;
}
const DEFAULT_BUDGET: SimulationBudget = { total: MAX_SIMULATIONS, perRoute: 4 };
/** The first construction fills used routes thoroughly before opening new ones. */
export const CONSTRUCTION_BUDGET: SimulationBudget = { total: 200, perRoute: 20 };
/** Simulations of the every-station fallback. */
const EXHAUSTIVE_SIMULATIONS = 64;
const SIMULATIONS_PER_ROUTE = 4;
let perRoute = new Uint16Array(0);

class Candidates {
  delta = new Float64Array(256);
  route = new Int32Array(256);
  gap = new Int32Array(256);
  variant = new Int8Array(256);
  facility = new Int32Array(256);
  facility2 = new Int32Array(256);
  order: number[] = [];
  size = 0;
  push(delta: number, route: number, gap: number, variant: number, facility: number, facility2 = -1): void {
    if (this.size === this.delta.length) this.grow();
    const k = this.size++;
    this.delta[k] = delta;
    this.route[k] = route;
    this.gap[k] = gap;
    this.variant[k] = variant;
    this.facility[k] = facility;
    this.facility2[k] = facility2;
  }
  private grow(): void {
    const size = this.delta.length * 2;
    const copy = <T extends Float64Array | Int32Array | Int8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.delta = copy(this.delta, (n) => new Float64Array(n));
    this.route = copy(this.route, (n) => new Int32Array(n));
    this.gap = copy(this.gap, (n) => new Int32Array(n));
    this.variant = copy(this.variant, (n) => new Int8Array(n));
    this.facility = copy(this.facility, (n) => new Int32Array(n));
    this.facility2 = copy(this.facility2, (n) => new Int32Array(n));
  }
}

const candidates = new Candidates();

export function vehicleTypeKey(pp: PreparedProblem, vehicle: number): string {
  const v = pp.problem.vehicles[vehicle]!;
  return JSON.stringify([
    v.start,
    v.end,
    v.shift,
    v.breaks,
    v.capacity,
    v.initialLoad,
    v.skills,
    v.fuel,
    v.costs,
    v.maxJobs,
    v.maxShiftLoad,
    v.mustEndEmpty,
    v.maxDuration,
    v.maxDistance,
    v.maxTravelTime,
    v.fixedStops.length,
  ]);
}

/**
 * Inserts job `job` at its cheapest feasible place; returns false (solution unchanged) when none exists.
 * `blink`: probability of skipping a candidate (SISR's blinks, for diversity).
 */
export function insertJob(
  pp: PreparedProblem,
  solution: Solution,
  job: number,
  random: Prng,
  blink: number,
  emptyOfType: readonly number[],
  fixedCount: Int32Array,
  budget: SimulationBudget = DEFAULT_BUDGET,
): boolean {
  candidates.size = 0;
  const granular = pp.jobCount > GRANULAR_FROM_JOBS;
  addUsedRouteCandidates(pp, solution, job, fixedCount, granular);
  addNewRouteCandidates(pp, job, emptyOfType);
  let chosen = confirmCheapest(pp, solution, job, random, blink, budget.total, budget.perRoute);
  if (chosen === null && granular) {
    // Nothing near the job's neighbours worked: every gap of every route.
    candidates.size = 0;
    addUsedRouteCandidates(pp, solution, job, fixedCount, false);
    chosen = confirmCheapest(pp, solution, job, random, blink, budget.total, budget.perRoute);
  }
  if (chosen === null && emptyOfType.length > 0) {
    // The budget may have gone to lenient candidates of used routes that failed: try an empty vehicle.
    candidates.size = 0;
    addNewRouteCandidates(pp, job, emptyOfType);
    chosen = confirmCheapest(pp, solution, job, random, 0, MAX_SIMULATIONS, MAX_SIMULATIONS);
  }
  if (chosen === null && pp.fuel.length > 0) {
    // A hard job (far out, tight window): the nearest-detour stations were not enough; try them all.
    candidates.size = 0;
    addEveryStation(pp, solution, job, fixedCount);
    chosen = confirmCheapest(pp, solution, job, random, 0, EXHAUSTIVE_SIMULATIONS);
    if (chosen === null) {
      candidates.size = 0;
      addEveryStationPair(pp, job, emptyOfType);
      chosen = confirmCheapest(pp, solution, job, random, 0, EXHAUSTIVE_SIMULATIONS, EXHAUSTIVE_SIMULATIONS);
    }
  }
  if (chosen === null) return false;
  solution.routes[chosen.route] = buildRouteCache(pp, chosen.route, chosen.codes);
  solution.routeOf[job] = chosen.route;
  return true;
}

/**
 * Candidates in the used routes. `granular`: only gaps next to one of the job's nearest jobs (or to a
 * facility, the start or the end), as granular neighbourhoods do on large instances.
 */
function addUsedRouteCandidates(
  pp: PreparedProblem,
  solution: Solution,
  job: number,
  fixedCount: Int32Array,
  granular: boolean,
): void {
  const J = pp.jobCount;
  const n = pp.n;
  const dist = pp.distance;
  const dims = pp.dims;
  const c = pp.jobLocation[job]!;
  const windows = pp.problem.jobs[job]!.windows;
  const service = pp.jobService[job]!;
  const amount0 = pp.jobAmount[job * dims]!;
  const costObjective = pp.problem.objective === 'cost';
  if (granular) {
    stamp++;
    if (nearMark.length < n) nearMark = new Uint32Array(n);
    for (const k of pp.neighbours[job]!) nearMark[pp.jobLocation[k]!] = stamp;
    for (const f of pp.disposal) nearMark[pp.facilityLocation[f]!] = stamp;
    for (const f of pp.fuel) nearMark[pp.facilityLocation[f]!] = stamp;
  }
  for (let r = 0; r < solution.routes.length; r++) {
    const route = solution.routes[r]!;
    if (route.codes.length === 0 || route.cost === Infinity) continue;
    if (pp.compatible[r * J + job] === 0) continue;
    const spec = pp.problem.vehicles[r]!;
    if (route.jobCount + 1 > spec.maxJobs || route.shiftLoad + amount0 > spec.maxShiftLoad + 1e-9) continue;
    const L = route.codes.length;
    const rateEmpty = spec.fuel ? spec.fuel.perMetreEmpty : 0;
    const rateLoaded = spec.fuel ? spec.fuel.perMetreLoaded : 0;
    const perMetre = costObjective ? spec.costs.perMetre : 1;
    for (let g = fixedCount[r]!; g <= L; g++) {
      const a = route.location[g]!;
      const b = route.location[g + 1]!;
      if (granular && g > 0 && g < L && nearMark[a] !== stamp && nearMark[b] !== stamp) continue;
      const ab = dist[a * n + b]!;
      const dep = route.departure[g]!;
      const arrival = dep + travelTime(pp, a, c, dep);
      const begin = beginWithin(windows, arrival);
      if (begin === Infinity) continue;
      const leave = begin + service;
      const nextArrival = leave + travelTime(pp, c, b, leave);
      const delta = dist[a * n + c]! + dist[c * n + b]! - ab;
      const fits = fitsTrip(pp, route, spec.capacity, job, g);
      const fuelOk = delta * rateEmpty <= route.fuelMargin[g]! + 1e-9;
      // With the loaded rate the tank may not last: offer refuelling variants too.
      const fuelSure = delta * rateLoaded <= route.fuelMargin[g]! + 1e-9;
      if (fits && fuelOk && nextArrival <= route.latestArrival[g + 1]! + 1e-6) {
        candidates.push(delta * perMetre, r, g, PLAIN, -1);
      }
      if (!fits && pp.disposal.length > 0) {
        addDisposalVariants(pp, route, r, g, job, a, b, c, ab, perMetre);
      }
      if (fits && !fuelSure && pp.fuel.length > 0) {
        addFuelVariants(pp, r, g, a, b, c, ab, perMetre);
      }
    }
  }
}

/** Opening an unused vehicle (one per type): the job alone, unloading after it or refuelling around it. */
function addNewRouteCandidates(pp: PreparedProblem, job: number, emptyOfType: readonly number[]): void {
  const J = pp.jobCount;
  const n = pp.n;
  const dist = pp.distance;
  const c = pp.jobLocation[job]!;
  const costObjective = pp.problem.objective === 'cost';
  for (const v of emptyOfType) {
    if (pp.compatible[v * J + job] === 0) continue;
    const spec = pp.problem.vehicles[v]!;
    const a = spec.start;
    const b = spec.end;
    const fixed = pp.vehicleWeight + (costObjective ? spec.costs.fixed : 0);
    const perMetre = costObjective ? spec.costs.perMetre : 1;
    if (spec.mustEndEmpty && pp.disposal.length > 0) {
      const f = bestFacility(pp, pp.disposal, c, b, pp.jobWaste[job]!);
      const d =
        dist[a * n + c]! + dist[c * n + pp.facilityLocation[f]!]! + dist[pp.facilityLocation[f]! * n + b]!;
      candidates.push(fixed + d * perMetre, v, 0, JOB_THEN_FACILITY, f);
    } else {
      candidates.push(fixed + (dist[a * n + c]! + dist[c * n + b]!) * perMetre, v, 0, PLAIN, -1);
    }
    if (spec.fuel && pp.fuel.length > 0) {
      // Out of range on its own: refuel on the way there, on the way back, or both.
      const s1 = bestFacility(pp, pp.fuel, a, c);
      const s2 = bestFacility(pp, pp.fuel, c, b);
      const l1 = pp.facilityLocation[s1]!;
      const l2 = pp.facilityLocation[s2]!;
      const there = dist[a * n + l1]! + dist[l1 * n + c]!;
      const back = dist[c * n + l2]! + dist[l2 * n + b]!;
      candidates.push(fixed + (there + dist[c * n + b]!) * perMetre, v, 0, FACILITY_THEN_JOB, s1);
      candidates.push(fixed + (dist[a * n + c]! + back) * perMetre, v, 0, JOB_THEN_FACILITY, s2);
      candidates.push(fixed + (there + back) * perMetre, v, 0, BETWEEN_FACILITIES, s1, s2);
    }
  }
}

/**
 * The candidates worth simulating, cheapest first: at most `perRoute` per route (no more are ever
 * simulated for one route), chosen by partial selection over each route's run of candidates, so the
 * sort touches only the few that matter. Blinked candidates are skipped.
 */
function pickCheapest(order: number[], perRoute: number, random: Prng, blink: number): void {
  const { delta, route } = candidates;
  order.length = 0;
  let start = 0;
  while (start < candidates.size) {
    let end = start;
    while (end < candidates.size && route[end] === route[start]) end++;
    // This route's kept candidates form a max-heap on delta in order[from…]: the root is the worst.
    const from = order.length;
    for (let k = start; k < end; k++) {
      if (blink > 0 && random.nextFloat() < blink) continue;
      if (order.length - from < perRoute) {
        order.push(k);
        siftUp(order, from, order.length - 1 - from, delta);
      } else if (delta[k]! < delta[order[from]!]!) {
        order[from] = k;
        siftDown(order, from, order.length - from, delta);
      }
    }
    start = end;
  }
  order.sort((x, y) => delta[x]! - delta[y]!);
}

function siftUp(heap: number[], base: number, at: number, key: Float64Array): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (key[heap[base + parent]!]! >= key[heap[base + at]!]!) return;
    [heap[base + parent], heap[base + at]] = [heap[base + at]!, heap[base + parent]!];
    at = parent;
  }
}

function siftDown(heap: number[], base: number, size: number, key: Float64Array): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) return;
    const right = left + 1;
    const child = right < size && key[heap[base + right]!]! > key[heap[base + left]!]! ? right : left;
    if (key[heap[base + at]!]! >= key[heap[base + child]!]!) return;
    [heap[base + child], heap[base + at]] = [heap[base + at]!, heap[base + child]!];
    at = child;
  }
}

/** Simulates the collected candidates cheapest first; the best feasible one, or null. */
function confirmCheapest(
  pp: PreparedProblem,
  solution: Solution,
  job: number,
  random: Prng,
  blink: number,
  maxSimulations: number,
  simulationsPerRoute = SIMULATIONS_PER_ROUTE,
): { route: number; codes: number[] } | null {
  if (candidates.size === 0) return null;
  if (perRoute.length < solution.routes.length) perRoute = new Uint16Array(solution.routes.length);
  const costObjective = pp.problem.objective === 'cost';
  const order = candidates.order;
  pickCheapest(order, simulationsPerRoute, random, blink);
  let simulations = 0;
  let bestDelta = Infinity;
  let best: { route: number; codes: number[] } | null = null;
  let feasibleSeen = 0;
  perRoute.fill(0);
  for (let t = 0; t < order.length && simulations < maxSimulations; t++) {
    const k = order[t]!;
    const r = candidates.route[k]!;
    // A route whose cheapest candidates all fail is unlikely to take the job: spread the tries.
    if (perRoute[r]! >= simulationsPerRoute) continue;
    perRoute[r]!++;
    simulations++;
    const route = solution.routes[r]!;
    const codes = withInsertion(
      route.codes,
      candidates.gap[k]!,
      job,
      candidates.variant[k]!,
      candidates.facility[k]!,
      candidates.facility2[k]!,
    );
    const cost = simulateRoute(pp, r, codes);
    if (cost === Infinity) continue;
    const delta = cost - route.cost + (route.codes.length === 0 ? pp.vehicleWeight : 0);
    if (delta < bestDelta) {
      bestDelta = delta;
      best = { route: r, codes };
    }
    // With the distance objective the ranking delta is exact: the first feasible candidate is the best.
    if (!costObjective || ++feasibleSeen >= 3) break;
  }
  return best;
}

/** Every station before or after the job in every gap of the used routes. */
function addEveryStation(pp: PreparedProblem, solution: Solution, job: number, fixedCount: Int32Array): void {
  const J = pp.jobCount;
  const n = pp.n;
  const dist = pp.distance;
  const c = pp.jobLocation[job]!;
  const via = (a: number, s: number, b: number): number => {
    const l = pp.facilityLocation[s]!;
    return dist[a * n + l]! + dist[l * n + b]!;
  };
  solution.routes.forEach((route, r) => {
    if (route.codes.length === 0 || route.cost === Infinity || pp.compatible[r * J + job] === 0) return;
    const capacity = pp.problem.vehicles[r]!.capacity;
    for (let g = fixedCount[r]!; g <= route.codes.length; g++) {
      if (!fitsTrip(pp, route, capacity, job, g)) continue;
      const a = route.location[g]!;
      const b = route.location[g + 1]!;
      const ab = dist[a * n + b]!;
      for (const s of pp.fuel) {
        candidates.push(via(a, s, c) + dist[c * n + b]! - ab, r, g, FACILITY_THEN_JOB, s);
        candidates.push(dist[a * n + c]! + via(c, s, b) - ab, r, g, JOB_THEN_FACILITY, s);
      }
    }
  });
}

/** Every station, or pair of stations, around the job in a new route. */
function addEveryStationPair(pp: PreparedProblem, job: number, emptyOfType: readonly number[]): void {
  const J = pp.jobCount;
  const n = pp.n;
  const dist = pp.distance;
  const c = pp.jobLocation[job]!;
  const via = (a: number, s: number, b: number): number => {
    const l = pp.facilityLocation[s]!;
    return dist[a * n + l]! + dist[l * n + b]!;
  };
  for (const v of emptyOfType) {
    if (pp.compatible[v * J + job] === 0) continue;
    const spec = pp.problem.vehicles[v]!;
    for (const s1 of pp.fuel) {
      candidates.push(via(spec.start, s1, c) + dist[c * n + spec.end]!, v, 0, FACILITY_THEN_JOB, s1);
      candidates.push(dist[spec.start * n + c]! + via(c, s1, spec.end), v, 0, JOB_THEN_FACILITY, s1);
      for (const s2 of pp.fuel) {
        candidates.push(via(spec.start, s1, c) + via(c, s2, spec.end), v, 0, BETWEEN_FACILITIES, s1, s2);
      }
    }
  }
}

function fitsTrip(
  pp: PreparedProblem,
  route: RouteCache,
  capacity: readonly number[],
  job: number,
  gap: number,
): boolean {
  const dims = pp.dims;
  for (let d = 0; d < dims; d++) {
    if (route.tripEndLoad[gap * dims + d]! + pp.jobAmount[job * dims + d]! > (capacity[d] ?? Infinity) + 1e-9)
      return false;
  }
  return true;
}

function addDisposalVariants(
  pp: PreparedProblem,
  route: RouteCache,
  r: number,
  g: number,
  job: number,
  a: number,
  b: number,
  c: number,
  ab: number,
  perMetre: number,
): void {
  const dims = pp.dims;
  const capacity = pp.problem.vehicles[r]!.capacity;
  let before = true; // load so far + job fits: [job, F]
  let after = true; // job + rest of the trip fits: [F, job]
  for (let d = 0; d < dims; d++) {
    const cap = (capacity[d] ?? Infinity) + 1e-9;
    const so = route.loadAfter[g * dims + d]!;
    const amount = pp.jobAmount[job * dims + d]!;
    if (so + amount > cap) before = false;
    if (amount + route.tripEndLoad[g * dims + d]! - so > cap) after = false;
  }
  const n = pp.n;
  const dist = pp.distance;
  if (before) {
    const f = bestFacility(pp, pp.disposal, c, b, tripWaste(pp, route, g) | pp.jobWaste[job]!);
    const fl = pp.facilityLocation[f]!;
    const delta = dist[a * n + c]! + dist[c * n + fl]! + dist[fl * n + b]! - ab;
    candidates.push(delta * perMetre, r, g, JOB_THEN_FACILITY, f);
  }
  if (after) {
    const f = bestFacility(pp, pp.disposal, a, c, tripWaste(pp, route, g));
    const fl = pp.facilityLocation[f]!;
    const delta = dist[a * n + fl]! + dist[fl * n + c]! + dist[c * n + b]! - ab;
    candidates.push(delta * perMetre, r, g, FACILITY_THEN_JOB, f);
  }
}

function addFuelVariants(
  pp: PreparedProblem,
  r: number,
  g: number,
  a: number,
  b: number,
  c: number,
  ab: number,
  perMetre: number,
): void {
  const n = pp.n;
  const dist = pp.distance;
  const f1 = bestFacility(pp, pp.fuel, a, c);
  const l1 = pp.facilityLocation[f1]!;
  candidates.push(
    (dist[a * n + l1]! + dist[l1 * n + c]! + dist[c * n + b]! - ab) * perMetre,
    r,
    g,
    FACILITY_THEN_JOB,
    f1,
  );
  const f2 = bestFacility(pp, pp.fuel, c, b);
  const l2 = pp.facilityLocation[f2]!;
  candidates.push(
    (dist[a * n + c]! + dist[c * n + l2]! + dist[l2 * n + b]! - ab) * perMetre,
    r,
    g,
    JOB_THEN_FACILITY,
    f2,
  );
}

/** Waste types collected on the trip up to gap g (a disposal stop before resets them). */
function tripWaste(pp: PreparedProblem, route: RouteCache, gap: number): number {
  let mask = 0;
  for (let k = gap - 1; k >= 0; k--) {
    const code = route.codes[k]!;
    if (code >= 0) mask |= pp.jobWaste[code]!;
    else if (pp.isFuel[-code - 1] === 0) break;
  }
  return mask;
}

/**
 * The facility of the list with the smallest detour between locations a and b, among those accepting
 * every waste type of `wasteMask` (all when none does: the simulation then rejects the candidate).
 */
export function bestFacility(
  pp: PreparedProblem,
  list: readonly number[],
  a: number,
  b: number,
  wasteMask = 0,
): number {
  const n = pp.n;
  let best = list[0]!;
  let bestDetour = Infinity;
  for (const f of list) {
    if ((pp.facilityAccepts[f]! & wasteMask) !== wasteMask) continue;
    const l = pp.facilityLocation[f]!;
    const detour = pp.distance[a * n + l]! + pp.distance[l * n + b]!;
    if (detour < bestDetour) {
      bestDetour = detour;
      best = f;
    }
  }
  return best;
}

function withInsertion(
  codes: readonly number[],
  gap: number,
  job: number,
  variant: number,
  facility: number,
  facility2: number,
): number[] {
  const out = codes.slice(0, gap);
  if (variant === FACILITY_THEN_JOB || variant === BETWEEN_FACILITIES) out.push(facilityCode(facility));
  out.push(job);
  if (variant === JOB_THEN_FACILITY) out.push(facilityCode(facility));
  if (variant === BETWEEN_FACILITIES) out.push(facilityCode(facility2));
  for (let k = gap; k < codes.length; k++) out.push(codes[k]!);
  return out;
}
