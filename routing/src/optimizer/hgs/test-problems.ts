// Random small problems and an exhaustive solver, shared by the property tests of this folder.

import fc from 'fast-check';
import type { SolverProblem } from './problem.js';

export interface SmallProblemSpec {
  points: { x: number; y: number }[];
  demands: number[];
  capacity: number;
  /** Per customer: null = no window, else [ready, width]. */
  windows: ([number, number] | null)[];
  service: number;
  horizon: number | null;
  asymmetry: number[];
  maxVehicles: number | null;
  objective: 'distance' | 'vehicles-then-distance';
  vehicleCost: number;
}

/** Problems with 1..maxCustomers customers, optional time windows, fleet limit and asymmetric matrices. */
export function smallProblemArbitrary(maxCustomers: number): fc.Arbitrary<SmallProblemSpec> {
  return fc.integer({ min: 1, max: maxCustomers }).chain((n) =>
    fc.record({
      points: fc.array(
        fc.record({ x: fc.integer({ min: 0, max: 100 }), y: fc.integer({ min: 0, max: 100 }) }),
        {
          minLength: n + 1,
          maxLength: n + 1,
        },
      ),
      demands: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: n, maxLength: n }),
      capacity: fc.integer({ min: 10, max: 40 }),
      windows: fc.array(
        fc.option(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 200 })), { freq: 2 }),
        { minLength: n, maxLength: n },
      ),
      service: fc.integer({ min: 0, max: 20 }),
      horizon: fc.option(fc.integer({ min: 250, max: 600 }), { freq: 2 }),
      asymmetry: fc.array(fc.integer({ min: 0, max: 15 }), {
        minLength: (n + 1) * (n + 1),
        maxLength: (n + 1) * (n + 1),
      }),
      maxVehicles: fc.option(fc.integer({ min: 1, max: n }), { freq: 2 }),
      objective: fc.constantFrom('distance' as const, 'vehicles-then-distance' as const),
      vehicleCost: fc.constantFrom(0, 0, 25),
    }),
  );
}

export function buildSmallProblem(spec: SmallProblemSpec): SolverProblem {
  const N = spec.points.length;
  const distance = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (i === j) continue;
      const a = spec.points[i]!;
      const b = spec.points[j]!;
      distance[i * N + j] = Math.round(Math.hypot(a.x - b.x, a.y - b.y)) + spec.asymmetry[i * N + j]!;
    }
  }
  const readyTime = new Float64Array(N);
  const dueTime = new Float64Array(N).fill(Infinity);
  if (spec.horizon !== null) dueTime[0] = spec.horizon;
  for (let c = 1; c < N; c++) {
    const w = spec.windows[c - 1];
    if (w) {
      readyTime[c] = w[0];
      dueTime[c] = w[0] + w[1];
    }
  }
  const serviceTime = new Float64Array(N).fill(spec.service);
  serviceTime[0] = 0;
  return {
    nodeCount: N,
    distance,
    duration: distance,
    demand: Float64Array.from([0, ...spec.demands]),
    readyTime,
    dueTime,
    serviceTime,
    capacity: spec.capacity,
    maxVehicles: spec.maxVehicles ?? Infinity,
    objective: spec.objective,
    vehicleCost: spec.vehicleCost,
  };
}

export interface ExactOptimum {
  feasible: boolean;
  cost: number;
  routes: number;
}

/**
 * Exhaustive optimum: every order of the customers, cut optimally into feasible routes (DP over cut points
 * with a layer per route count). Routes are simulated forward with waiting; no code shared with the solver.
 */
export function bruteForceOptimum(problem: SolverProblem): ExactOptimum {
  const N = problem.nodeCount;
  const n = N - 1;
  if (n === 0) return { feasible: true, cost: 0, routes: 0 };
  const F = problem.vehicleCost ?? 0;
  const maxR = Math.min(n, problem.maxVehicles);
  const perm = Array.from({ length: n }, (_, i) => i + 1);
  let best: ExactOptimum = { feasible: false, cost: Infinity, routes: Infinity };
  const vehiclesFirst = problem.objective === 'vehicles-then-distance';
  const better = (routes: number, cost: number): boolean =>
    vehiclesFirst
      ? routes < best.routes || (routes === best.routes && cost < best.cost - 1e-9)
      : cost < best.cost - 1e-9;
  // f[r][j]: cheapest cost of the first j customers of perm in exactly r routes.
  const f = Array.from({ length: maxR + 1 }, () => new Float64Array(n + 1));
  const routeCost = new Float64Array((n + 1) * (n + 1));
  const visit = (): void => {
    for (let i = 0; i < n; i++) {
      let load = 0;
      let time = problem.readyTime[0]!;
      let dist = 0;
      let prev = 0;
      let ok = true;
      for (let j = i + 1; j <= n; j++) {
        const c = perm[j - 1]!;
        dist += problem.distance[prev * N + c]!;
        time = Math.max(time + problem.duration[prev * N + c]!, problem.readyTime[c]!);
        if (time > problem.dueTime[c]!) ok = false;
        time += problem.serviceTime[c]!;
        load += problem.demand[c]!;
        if (load > problem.capacity) ok = false;
        prev = c;
        const back = time + problem.duration[c * N]!;
        routeCost[i * (n + 1) + j] =
          ok && back <= problem.dueTime[0]! ? dist + problem.distance[c * N]! + F : Infinity;
      }
    }
    for (let r = 0; r <= maxR; r++) f[r]!.fill(Infinity);
    f[0]![0] = 0;
    for (let r = 1; r <= maxR; r++) {
      const prevRow = f[r - 1]!;
      const row = f[r]!;
      for (let j = 1; j <= n; j++) {
        let m = Infinity;
        for (let i = r - 1; i < j; i++) {
          const c = prevRow[i]! + routeCost[i * (n + 1) + j]!;
          if (c < m) m = c;
        }
        row[j] = m;
      }
      const total = row[n]!;
      if (total < Infinity && better(r, total)) best = { feasible: true, cost: total, routes: r };
    }
  };
  // Heap's algorithm over all permutations.
  const c = new Array<number>(n).fill(0);
  visit();
  let i = 0;
  while (i < n) {
    if (c[i]! < i) {
      const k = i % 2 === 0 ? 0 : c[i]!;
      const t = perm[k]!;
      perm[k] = perm[i]!;
      perm[i] = t;
      visit();
      c[i] = c[i]! + 1;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return best;
}
