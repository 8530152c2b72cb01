/**
 * Ruin and recreate with simulated annealing (SISR: Christiaens & Vanden Berghe 2020, "Slack Induction
 * by String Removals"): remove strings of consecutive jobs around a random seed job from nearby routes,
 * reinsert every free job at its cheapest feasible place (blinks for diversity), accept by annealing.
 * Unloading and refuelling stops are part of the moves: insertions add them where a trip overflows or a
 * tank runs low, removals drop the ones no longer needed, and a repositioning step slides each to the
 * cheapest gap and facility. Deterministic for a seed when stopped by `maxIterations`.
 */
import { Prng } from '../hgs/prng.js';
import {
  CONSTRUCTION_BUDGET,
  insertJob,
  vehicleTypeKey,
  type SimulationBudget,
  type Solution,
} from './insertion.js';
import { facilityCode, facilityOf, type PreparedProblem } from './prepared-problem.js';
import { buildRouteCache, type RouteCache } from './route-cache.js';
import { simulateRoute } from './route-simulation.js';
import { PlanProblemError } from './validate-plan-problem.js';

export interface SearchOptions {
  timeLimitMs: number;
  seed: number;
  /** Stop after this many iterations (deterministic runs); default unlimited. */
  maxIterations?: number;
}

export interface SearchResult {
  /** Stop codes per vehicle (job j ≥ 0, facility f as −(f + 1)). */
  routes: number[][];
  unassigned: number[];
  objective: number;
  iterations: number;
}

/** SISR's parameters: average removed jobs, longest string, blink rate. */
const AVERAGE_REMOVED = 10;
const MAX_STRING = 10;
const BLINK = 0.01;
/** Simulated candidates per facility stop when repositioning. */
const REPOSITION_SIMULATIONS = 6;

export function searchPlan(pp: PreparedProblem, options: SearchOptions): SearchResult {
  const started = performance.now();
  const random = new Prng(options.seed);
  const vehicles = pp.problem.vehicles;
  const fixedCount = Int32Array.from(vehicles, (v) => v.fixedStops.length);
  const typeOf = typesOf(pp);
  const routeOf = new Int32Array(pp.jobCount).fill(-1);
  const routes: RouteCache[] = vehicles.map((v, r) => {
    const codes = v.fixedStops.map((s) => (s.kind === 'job' ? s.index : facilityCode(s.index)));
    for (const code of codes) if (code >= 0) routeOf[code] = r;
    return completeFixedStops(pp, r, codes);
  });
  let current: Solution = { routes, routeOf };
  const free: number[] = [];
  for (let j = 0; j < pp.jobCount; j++) if (routeOf[j] === -1) free.push(j);
  const chain = nearestNeighbourChain(pp, free);
  recreate(pp, current, chain, random, 0, fixedCount, typeOf, undefined, true, CONSTRUCTION_BUDGET);
  if (pp.vehicleWeight > 0) {
    // Vehicles first: SISR's fleet minimisation takes up to 40 % of the budget before the distance phase.
    current = reduceFleet(
      pp,
      current,
      random,
      fixedCount,
      typeOf,
      started + 0.4 * options.timeLimitMs,
      options.maxIterations === undefined ? Infinity : Math.floor(0.4 * options.maxIterations),
    );
  }
  let currentObjective = objective(pp, current);
  let best = current;
  let bestObjective = currentObjective;

  const averageLeg = averageLegOf(pp, current);
  const startTemperature = 2 * averageLeg;
  const endTemperature = 0.02 * averageLeg;
  const maxIterations = options.maxIterations ?? Infinity;
  let iterations = 0;
  while (iterations < maxIterations) {
    const elapsed = performance.now() - started;
    if (elapsed >= options.timeLimitMs) break;
    iterations++;
    const progress = maxIterations < Infinity ? iterations / maxIterations : elapsed / options.timeLimitMs;
    const temperature = startTemperature * Math.pow(endTemperature / startTemperature, progress);
    const candidate: Solution = { routes: current.routes.slice(), routeOf: current.routeOf.slice() };
    const touched = new Set<number>();
    const removed = ruin(pp, candidate, random, fixedCount, touched);
    for (const r of touched) dropNeedlessFacilities(pp, candidate, r, fixedCount[r]!);
    for (let j = 0; j < pp.jobCount; j++)
      if (candidate.routeOf[j] === -1 && !removed.includes(j)) removed.push(j);
    orderJobs(pp, removed, random, random.nextInt(4));
    recreate(pp, candidate, removed, random, BLINK, fixedCount, typeOf, touched);
    for (const r of touched) repositionFacilities(pp, candidate, r, fixedCount[r]!);
    const value = objective(pp, candidate);
    if (value < currentObjective - temperature * Math.log(random.nextFloat() || 1e-12)) {
      current = candidate;
      currentObjective = value;
      if (value < bestObjective - 1e-9) {
        best = candidate;
        bestObjective = value;
      }
    }
  }
  const unassigned: number[] = [];
  for (let j = 0; j < pp.jobCount; j++) if (best.routeOf[j] === -1) unassigned.push(j);
  return { routes: best.routes.map((r) => r.codes), unassigned, objective: bestObjective, iterations };
}

/**
 * A truck's committed stops may not close a feasible day on their own (a full body that must be
 * emptied, a low tank): append the cheapest unloading and/or refuelling stop that makes them feasible.
 * Those appended stops are free to move later; the committed ones stay first.
 */
function completeFixedStops(pp: PreparedProblem, r: number, codes: number[]): RouteCache {
  const cache = buildRouteCache(pp, r, codes);
  if (codes.length === 0 || cache.cost < Infinity) return cache;
  let best: RouteCache = cache;
  const tails: number[][] = [
    ...pp.disposal.map((f) => [facilityCode(f)]),
    ...pp.fuel.map((f) => [facilityCode(f)]),
    ...pp.fuel.flatMap((s) => pp.disposal.map((f) => [facilityCode(s), facilityCode(f)])),
    ...pp.disposal.flatMap((f) => pp.fuel.map((s) => [facilityCode(f), facilityCode(s)])),
  ];
  for (const tail of tails) {
    const cost = simulateRoute(pp, r, [...codes, ...tail]);
    if (cost < best.cost) best = buildRouteCache(pp, r, [...codes, ...tail]);
  }
  if (best.cost === Infinity) {
    throw new PlanProblemError(
      `vehicles[${r}].fixedStops cannot be kept: no unloading or refuelling after them makes the day feasible`,
    );
  }
  return best;
}

/** Vehicle type per vehicle: identical vehicles share one, so only one empty one of each is tried. */
function typesOf(pp: PreparedProblem): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(pp.problem.vehicles, (_, v) => {
    const key = vehicleTypeKey(pp, v);
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  });
}

export function objective(pp: PreparedProblem, solution: Solution): number {
  let total = 0;
  for (const route of solution.routes) {
    if (route.codes.length === 0) continue;
    total += route.cost + pp.vehicleWeight;
  }
  const jobs = pp.problem.jobs;
  for (let j = 0; j < pp.jobCount; j++) {
    if (solution.routeOf[j] === -1) total += pp.unassignedPenalty * (1 + jobs[j]!.priority);
  }
  return total;
}

function averageLegOf(pp: PreparedProblem, solution: Solution): number {
  let distance = 0;
  let legs = 0;
  for (const route of solution.routes) {
    if (route.codes.length === 0) continue;
    distance += route.figures.distance;
    legs += route.codes.length + 1;
  }
  if (legs === 0 || distance === 0) return 1;
  return distance / legs;
}

/**
 * The first construction inserts jobs along a nearest-neighbour chain from the job farthest from the
 * depot: consecutive insertions are close together, so routes grow compact instead of zig-zagging.
 */
function nearestNeighbourChain(pp: PreparedProblem, jobs: readonly number[]): number[] {
  if (jobs.length === 0) return [];
  const n = pp.n;
  const depot = pp.problem.vehicles[0]?.start ?? 0;
  const left = new Set(jobs);
  let at = jobs.reduce((far, j) =>
    pp.distance[depot * n + pp.jobLocation[j]!]! > pp.distance[depot * n + pp.jobLocation[far]!]! ? j : far,
  );
  const chain: number[] = [];
  while (left.size > 0) {
    chain.push(at);
    left.delete(at);
    const from = pp.jobLocation[at]!;
    let next = -1;
    let nearest = Infinity;
    for (const j of left) {
      const d = pp.distance[from * n + pp.jobLocation[j]!]!;
      if (d < nearest) {
        nearest = d;
        next = j;
      }
    }
    // No road to any of the rest (a one-way pocket of the map): go on from any of them.
    at = next >= 0 ? next : (left.values().next().value as number);
  }
  return chain;
}

/** SISR's recreate orders: random, largest amount first, farthest first, closest first. */
function orderJobs(pp: PreparedProblem, jobs: number[], random: Prng, mode: number): void {
  for (let i = jobs.length - 1; i > 0; i--) {
    const k = random.nextInt(i + 1);
    [jobs[i], jobs[k]] = [jobs[k]!, jobs[i]!];
  }
  if (mode === 0) return;
  const depot = pp.problem.vehicles[0]?.start ?? 0;
  const key = (j: number): number => {
    if (mode === 1) return -pp.jobAmount[j * pp.dims]!;
    const d = pp.distance[depot * pp.n + pp.jobLocation[j]!]!;
    return mode === 2 ? -d : d;
  };
  jobs.sort((a, b) => key(a) - key(b));
}

function recreate(
  pp: PreparedProblem,
  solution: Solution,
  jobs: readonly number[],
  random: Prng,
  blink: number,
  fixedCount: Int32Array,
  typeOf: Int32Array,
  touched?: Set<number>,
  newRoutes = true,
  budget?: SimulationBudget,
): void {
  const emptyOfType: number[] = [];
  const seen = new Set<number>();
  const refreshEmpty = (): void => {
    emptyOfType.length = 0;
    seen.clear();
    solution.routes.forEach((route, v) => {
      if (!newRoutes || route.codes.length > 0 || seen.has(typeOf[v]!)) return;
      seen.add(typeOf[v]!);
      emptyOfType.push(v);
    });
  };
  refreshEmpty();
  for (const job of jobs) {
    if (insertJob(pp, solution, job, random, blink, emptyOfType, fixedCount, budget)) {
      const r = solution.routeOf[job]!;
      touched?.add(r);
      if (emptyOfType.includes(r)) refreshEmpty();
    }
  }
}

/**
 * SISR fleet minimisation: empty the smallest route, then ruin and recreate without opening routes,
 * accepting a candidate that leaves fewer jobs out or jobs absent less often (absence counters steer
 * the search to place hard jobs first). Each time every job is back in, one vehicle fewer is kept.
 */
function reduceFleet(
  pp: PreparedProblem,
  start: Solution,
  random: Prng,
  fixedCount: Int32Array,
  typeOf: Int32Array,
  deadline: number,
  maxIterations: number,
): Solution {
  let complete = start;
  if (complete.routeOf.includes(-1)) return complete;
  const absence = new Float64Array(pp.jobCount);
  let iterations = 0;
  for (;;) {
    let smallest = -1;
    complete.routes.forEach((route, r) => {
      if (route.codes.length === 0 || fixedCount[r]! > 0) return;
      if (smallest < 0 || route.jobCount < complete.routes[smallest]!.jobCount) smallest = r;
    });
    if (smallest < 0) return complete;
    let current: Solution = { routes: complete.routes.slice(), routeOf: complete.routeOf.slice() };
    const out: number[] = [];
    removeStops(pp, current, smallest, 0, current.routes[smallest]!.codes.length, out, true);
    recreate(pp, current, out, random, 0, fixedCount, typeOf, undefined, false);
    const weight = (solution: Solution): [number, number] => {
      let count = 0;
      let sum = 0;
      for (let j = 0; j < pp.jobCount; j++) {
        if (solution.routeOf[j] === -1) {
          count++;
          sum += absence[j]!;
        }
      }
      return [count, sum];
    };
    let [count, sum] = weight(current);
    while (count > 0) {
      if (performance.now() >= deadline || iterations >= maxIterations) return complete;
      iterations++;
      const candidate: Solution = { routes: current.routes.slice(), routeOf: current.routeOf.slice() };
      const touched = new Set<number>();
      const removed = ruin(pp, candidate, random, fixedCount, touched);
      for (const r of touched) dropNeedlessFacilities(pp, candidate, r, fixedCount[r]!);
      for (let j = 0; j < pp.jobCount; j++)
        if (candidate.routeOf[j] === -1 && !removed.includes(j)) removed.push(j);
      // Hardest (most often absent) jobs first.
      removed.sort((a, b) => absence[b]! - absence[a]!);
      recreate(pp, candidate, removed, random, BLINK, fixedCount, typeOf, touched, false);
      const [c, w] = weight(candidate);
      if (c < count || w < sum) {
        current = candidate;
        count = c;
        sum = w;
      }
      for (let j = 0; j < pp.jobCount; j++) if (current.routeOf[j] === -1) absence[j]!++;
    }
    complete = current;
  }
}

/** SISR ruin: strings of consecutive jobs from the routes nearest a random seed job. */
function ruin(
  pp: PreparedProblem,
  solution: Solution,
  random: Prng,
  fixedCount: Int32Array,
  touched: Set<number>,
): number[] {
  const removed: number[] = [];
  const assigned: number[] = [];
  for (let j = 0; j < pp.jobCount; j++) if (solution.routeOf[j]! >= 0) assigned.push(j);
  if (assigned.length === 0) return removed;
  let used = 0;
  let jobsInRoutes = 0;
  for (const route of solution.routes) {
    if (route.codes.length === 0) continue;
    used++;
    jobsInRoutes += route.jobCount;
  }
  const maxString = Math.max(1, Math.min(MAX_STRING, jobsInRoutes / Math.max(1, used)));
  const maxStrings = (4 * AVERAGE_REMOVED) / (1 + maxString) - 1;
  const strings = Math.floor(random.nextFloat() * maxStrings) + 1;
  // Vehicles first: now and then try to empty a whole short route.
  if (pp.vehicleWeight > 0 && random.nextFloat() < 0.05) {
    let shortest = -1;
    solution.routes.forEach((route, r) => {
      if (route.codes.length > 0 && fixedCount[r] === 0) {
        if (shortest < 0 || route.jobCount < solution.routes[shortest]!.jobCount) shortest = r;
      }
    });
    if (shortest >= 0) {
      removeStops(pp, solution, shortest, 0, solution.routes[shortest]!.codes.length, removed, true);
      touched.add(shortest);
    }
  }
  const seed = assigned[random.nextInt(assigned.length)]!;
  const neighbours = pp.neighbours[seed]!;
  const ruined = new Set<number>();
  for (let k = -1; k < neighbours.length && ruined.size < strings; k++) {
    const job = k < 0 ? seed : neighbours[k]!;
    const r = solution.routeOf[job]!;
    if (r < 0 || ruined.has(r)) continue;
    const route = solution.routes[r]!;
    const at = route.codes.indexOf(job);
    if (at < fixedCount[r]!) continue;
    ruined.add(r);
    touched.add(r);
    // Positions of the route's free jobs; the string is a run of them that contains `job`.
    const positions: number[] = [];
    route.codes.forEach((code, p) => {
      if (code >= 0 && p >= fixedCount[r]!) positions.push(p);
    });
    const length = Math.min(
      positions.length,
      Math.floor(random.nextFloat() * Math.min(maxString, positions.length)) + 1,
    );
    const index = positions.indexOf(at);
    const first = Math.max(0, Math.min(index - random.nextInt(length), positions.length - length));
    removeStops(pp, solution, r, positions[first]!, positions[first + length - 1]! + 1, removed, false);
  }
  return removed;
}

/** Removes the jobs at positions [from, to) of route r (and its facility stops when `all`). */
function removeStops(
  pp: PreparedProblem,
  solution: Solution,
  r: number,
  from: number,
  to: number,
  removed: number[],
  all: boolean,
): void {
  const codes = solution.routes[r]!.codes;
  const kept: number[] = [];
  codes.forEach((code, p) => {
    if (p < from || p >= to) kept.push(code);
    else if (code >= 0) {
      removed.push(code);
      solution.routeOf[code] = -1;
    } else if (!all) kept.push(code);
  });
  if (!kept.some((code) => code >= 0) && !all) kept.length = 0;
  solution.routes[r] = buildRouteCache(pp, r, kept);
}

/** Drops unloading/refuelling stops whose removal keeps the route feasible and does not cost more. */
function dropNeedlessFacilities(pp: PreparedProblem, solution: Solution, r: number, fixed: number): void {
  let route = solution.routes[r]!;
  if (route.codes.length > fixed && !route.codes.some((code, p) => code >= 0 && p >= fixed) && fixed === 0) {
    solution.routes[r] = buildRouteCache(pp, r, []);
    return;
  }
  for (let p = route.codes.length - 1; p >= fixed; p--) {
    const code = route.codes[p]!;
    if (code >= 0) continue;
    // Without this unloading its two trips become one: skip when that one cannot fit the body.
    if (pp.isFuel[facilityOf(code)] === 0 && route.cost < Infinity && !mergedTripFits(pp, route, p)) continue;
    const codes = route.codes.slice(0, p).concat(route.codes.slice(p + 1));
    const cost = simulateRoute(pp, r, codes);
    if (cost <= route.cost + 1e-9 || (route.cost === Infinity && cost < Infinity)) {
      route = buildRouteCache(pp, r, codes);
      solution.routes[r] = route;
    }
  }
}

/** Slides each facility stop to the cheapest gap between its neighbouring stops of the same kind. */
function repositionFacilities(pp: PreparedProblem, solution: Solution, r: number, fixed: number): void {
  const n = pp.n;
  const dist = pp.distance;
  for (let p = fixed; p < solution.routes[r]!.codes.length; p++) {
    const route = solution.routes[r]!;
    const code = route.codes[p]!;
    if (code >= 0) continue;
    const fuel = pp.isFuel[facilityOf(code)] === 1;
    const list = fuel ? pp.fuel : pp.disposal;
    const loc = route.location;
    // Removing the stop at position p (route positions are shifted by one: start is 0).
    const before = loc[p]!;
    const after = loc[p + 2]!;
    const here = loc[p + 1]!;
    const removal = dist[before * n + here]! + dist[here * n + after]! - dist[before * n + after]!;
    let lo = p;
    while (
      lo > fixed &&
      !(route.codes[lo - 1]! < 0 && (pp.isFuel[facilityOf(route.codes[lo - 1]!)] === 1) === fuel)
    )
      lo--;
    let hi = p + 1;
    while (
      hi < route.codes.length &&
      !(route.codes[hi]! < 0 && (pp.isFuel[facilityOf(route.codes[hi]!)] === 1) === fuel)
    )
      hi++;
    const without = route.codes.slice(0, p).concat(route.codes.slice(p + 1));
    // Every facility of the kind at every gap in range (the nearest one is not always feasible:
    // opening hours, refuelling time), cheapest first, a few confirmed by simulation.
    const moves: { gain: number; gap: number; facility: number }[] = [];
    for (let g = lo; g <= hi - 1; g++) {
      if (!fuel && !tripsFit(pp, route, p, g, hi === route.codes.length)) continue;
      // Gap g of `without`: between its positions g and g + 1 (0 = start).
      const a = g === 0 ? pp.problem.vehicles[r]!.start : locationOf(pp, without[g - 1]!);
      const b = g === without.length ? pp.problem.vehicles[r]!.end : locationOf(pp, without[g]!);
      for (const f of list) {
        const l = pp.facilityLocation[f]!;
        const gain = removal - (dist[a * n + l]! + dist[l * n + b]! - dist[a * n + b]!);
        if (gain > 1e-9) moves.push({ gain, gap: g, facility: f });
      }
    }
    moves.sort((x, y) => y.gain - x.gain);
    let bestCodes: number[] | null = null;
    for (const move of moves.slice(0, REPOSITION_SIMULATIONS)) {
      const codes = without.slice(0, move.gap);
      codes.push(facilityCode(move.facility));
      for (let k = move.gap; k < without.length; k++) codes.push(without[k]!);
      if (simulateRoute(pp, r, codes) < route.cost - 1e-9) {
        bestCodes = codes;
        break;
      }
    }
    if (bestCodes) solution.routes[r] = buildRouteCache(pp, r, bestCodes);
  }
}

/** Whether the trips on both sides of the unloading stop at code index p fit the body as one. */
function mergedTripFits(pp: PreparedProblem, route: RouteCache, p: number): boolean {
  const dims = pp.dims;
  const vehicle = pp.problem.vehicles[route.vehicle]!;
  const last = !route.codes.some((code, k) => k > p && code < 0 && pp.isFuel[facilityOf(code)] === 0);
  for (let d = 0; d < dims; d++) {
    const merged = route.loadAfter[p * dims + d]! + route.tripEndLoad[(p + 1) * dims + d]!;
    if (merged > (vehicle.capacity[d] ?? Infinity) + 1e-9) return false;
    if (d === 0 && last && vehicle.mustEndEmpty && merged > 1e-9) return false;
  }
  return true;
}

/**
 * Whether moving the unloading stop at code index p to gap g of the route without it keeps both trips
 * it separates within capacity (the cache's loads: a move earlier hands jobs to the next trip, a move
 * later adds jobs to this one).
 */
function tripsFit(
  pp: PreparedProblem,
  route: RouteCache,
  p: number,
  g: number,
  lastUnloading: boolean,
): boolean {
  const dims = pp.dims;
  const vehicle = pp.problem.vehicles[route.vehicle]!;
  const capacity = vehicle.capacity;
  // The last unloading moved earlier leaves the jobs after it on board at the end.
  if (
    g < p &&
    lastUnloading &&
    vehicle.mustEndEmpty &&
    route.loadAfter[p * dims]! > route.loadAfter[g * dims]! + 1e-9
  )
    return false;
  for (let d = 0; d < dims; d++) {
    const limit = (capacity[d] ?? Infinity) + 1e-9;
    // Load on arrival at the unloading stop (cache position p + 1).
    const arriving = route.loadAfter[p * dims + d]!;
    const load =
      g <= p
        ? arriving - route.loadAfter[g * dims + d]! + route.tripEndLoad[(p + 1) * dims + d]!
        : arriving + route.loadAfter[(g + 1) * dims + d]!;
    if (load > limit) return false;
  }
  return true;
}

function locationOf(pp: PreparedProblem, code: number): number {
  return code >= 0 ? pp.jobLocation[code]! : pp.facilityLocation[facilityOf(code)]!;
}
