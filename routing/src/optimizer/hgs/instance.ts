// Problem data prepared once per solve: typed-array views, granular neighbour lists, polar angles, the
// number of route slots of the local search, and the algorithm parameters.

import { embedDistanceMatrix, polarAngles } from './embedding.js';
import type { SolverProblem } from './problem.js';

export interface HgsParameters {
  /** Γ: size of each customer's granular neighbourhood before symmetrisation. */
  nbGranular: number;
  /** Minimum subpopulation size. */
  mu: number;
  /** Generation size (survivor selection at mu + lambda). */
  lambda: number;
  nbElite: number;
  /** Number of closest individuals in the diversity contribution. */
  nbClose: number;
  /** Target fraction of load- (resp. time-) feasible local-search outcomes. */
  targetFeasible: number;
  /** Iterations without improvement of the restart's best solution before the population is rebuilt. */
  nbIterRestart: number;
  nbIterPenaltyManagement: number;
  penaltyIncrease: number;
  penaltyDecrease: number;
  repairProbability: number;
}

/** HGS-CVRP defaults (Vidal 2022, Table 1); wider neighbourhoods for time windows as in PyVRP. */
export function defaultParameters(hasTimeWindows: boolean): HgsParameters {
  return {
    nbGranular: hasTimeWindows ? 30 : 20,
    mu: 25,
    lambda: 40,
    nbElite: 4,
    nbClose: 5,
    targetFeasible: 0.2,
    nbIterRestart: 20000,
    nbIterPenaltyManagement: 100,
    penaltyIncrease: 1.2,
    penaltyDecrease: 0.85,
    repairProbability: 0.5,
  };
}

export class Instance {
  /** Nodes including the depot (node 0). */
  readonly nodeCount: number;
  readonly customerCount: number;
  readonly dist: Float64Array;
  readonly dur: Float64Array;
  readonly demand: Float64Array;
  readonly ready: Float64Array;
  readonly due: Float64Array;
  readonly service: Float64Array;
  readonly capacity: number;
  readonly fixedCost: number;
  /** False when no due time is finite: then waiting never costs and time warp is always 0. */
  readonly hasTimeWindows: boolean;
  readonly totalDemand: number;
  readonly maxDemand: number;
  readonly maxDist: number;
  readonly maxDur: number;
  /** CSR lists of correlated customers (granular neighbourhood), symmetric as in HGS-CVRP. */
  readonly neighbourStart: Int32Array;
  readonly neighbours: Int32Array;
  readonly angle: Int32Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Route slots of the local search and of Split: the largest fleet the search ever uses. */
  readonly routeSlots: number;
  /** Trivial bin-packing lower bound on the number of routes. */
  readonly minRoutes: number;
  readonly params: HgsParameters;

  constructor(problem: SolverProblem, params?: Partial<HgsParameters>) {
    const N = problem.nodeCount;
    this.nodeCount = N;
    this.customerCount = N - 1;
    this.dist = problem.distance;
    this.dur = problem.duration;
    this.demand = problem.demand;
    this.ready = problem.readyTime;
    this.due = problem.dueTime;
    this.service = problem.serviceTime;
    this.capacity = problem.capacity;
    this.fixedCost = problem.vehicleCost ?? 0;
    let hasTw = false;
    for (let i = 0; i < N; i++) if (Number.isFinite(problem.dueTime[i]!)) hasTw = true;
    this.hasTimeWindows = hasTw;
    this.params = { ...defaultParameters(hasTw), ...params };

    let total = 0;
    let maxDemand = 0;
    for (let i = 1; i < N; i++) {
      total += problem.demand[i]!;
      if (problem.demand[i]! > maxDemand) maxDemand = problem.demand[i]!;
    }
    this.totalDemand = total;
    this.maxDemand = maxDemand;
    let maxDist = 0;
    let maxDur = 0;
    for (let k = 0; k < N * N; k++) {
      if (problem.distance[k]! > maxDist) maxDist = problem.distance[k]!;
      if (problem.duration[k]! > maxDur) maxDur = problem.duration[k]!;
    }
    this.maxDist = maxDist;
    this.maxDur = maxDur;

    const emb = embedDistanceMatrix(N, problem.distance);
    this.x = emb.x;
    this.y = emb.y;
    this.angle = polarAngles(emb);

    const lists = this.buildNeighbours(this.params.nbGranular);
    this.neighbourStart = lists.start;
    this.neighbours = lists.items;

    const n = N - 1;
    const Q = this.capacity;
    this.minRoutes = Number.isFinite(Q) && Q > 0 ? Math.max(1, Math.ceil(total / Q - 1e-9)) : 1;
    let slots: number;
    if (Number.isFinite(problem.maxVehicles)) {
      slots = Math.min(problem.maxVehicles, n);
    } else {
      const byDemand = Number.isFinite(Q) ? Math.ceil((1.3 * total) / Q) + 3 : 3;
      const byGreedy = hasTw ? Math.ceil(1.2 * this.greedyRouteCount()) + 2 : 0;
      slots = Math.min(n, Math.max(byDemand, byGreedy));
    }
    this.routeSlots = Math.max(1, slots);
  }

  /**
   * Γ nearest customers by proximity; with time windows the proximity adds the minimum waiting time
   * (weight 0.2) and minimum time warp (weight 1) of going i→j, symmetrised (PyVRP's compute_neighbours).
   * If j is among i's nearest, i is also correlated with j (HGS-CVRP Params.cpp).
   */
  private buildNeighbours(gamma: number): { start: Int32Array; items: Int32Array } {
    const N = this.nodeCount;
    const n = N - 1;
    const g = Math.min(gamma, Math.max(0, n - 1));
    const prox = (i: number, j: number): number => {
      let p = this.dist[i * N + j]!;
      if (this.hasTimeWindows) {
        const t = this.dur[i * N + j]!;
        const wait = this.ready[j]! - this.service[i]! - t - this.due[i]!;
        const warp = this.ready[i]! + this.service[i]! + t - this.due[j]!;
        if (wait > 0) p += 0.2 * wait;
        if (warp > 0) p += warp;
      }
      return p;
    };
    const marks = new Uint8Array(N * N > 4e7 ? 0 : N * N);
    const useMarks = marks.length > 0;
    const sets: Set<number>[] = useMarks ? [] : Array.from({ length: N }, () => new Set<number>());
    const bestKey = new Float64Array(g + 1);
    const bestIdx = new Int32Array(g + 1);
    for (let i = 1; i < N; i++) {
      let size = 0;
      for (let j = 1; j < N; j++) {
        if (j === i) continue;
        const key = Math.min(prox(i, j), prox(j, i));
        if (size === g && key >= bestKey[g - 1]!) continue;
        let p = size < g ? size++ : g - 1;
        while (p > 0 && bestKey[p - 1]! > key) {
          bestKey[p] = bestKey[p - 1]!;
          bestIdx[p] = bestIdx[p - 1]!;
          p--;
        }
        bestKey[p] = key;
        bestIdx[p] = j;
      }
      for (let k = 0; k < size; k++) {
        const j = bestIdx[k]!;
        if (useMarks) {
          marks[i * N + j] = 1;
          marks[j * N + i] = 1;
        } else {
          sets[i]!.add(j);
          sets[j]!.add(i);
        }
      }
    }
    const start = new Int32Array(N + 1);
    const items: number[] = [];
    for (let i = 0; i < N; i++) {
      start[i] = items.length;
      if (i === 0) continue;
      if (useMarks) {
        for (let j = 1; j < N; j++) if (marks[i * N + j]) items.push(j);
      } else {
        for (const j of [...sets[i]!].sort((a, b) => a - b)) items.push(j);
      }
    }
    start[N] = items.length;
    return { start, items: Int32Array.from(items) };
  }

  /** Routes of a time-oriented nearest-neighbour construction (Solomon 1987), to size the route slots. */
  private greedyRouteCount(): number {
    const N = this.nodeCount;
    const routed = new Uint8Array(N);
    let left = N - 1;
    let routes = 0;
    while (left > 0) {
      routes++;
      let cur = 0;
      let time = this.ready[0]!;
      let load = 0;
      let served = 0;
      for (;;) {
        let best = -1;
        let bestScore = Infinity;
        let bestStart = 0;
        for (let j = 1; j < N; j++) {
          if (routed[j]) continue;
          if (load + this.demand[j]! > this.capacity) continue;
          const start = Math.max(time + this.dur[cur * N + j]!, this.ready[j]!);
          if (start > this.due[j]!) continue;
          if (start + this.service[j]! + this.dur[j * N]! > this.due[0]!) continue;
          const score = this.dist[cur * N + j]! + (start - time);
          if (score < bestScore) {
            bestScore = score;
            best = j;
            bestStart = start;
          }
        }
        if (best < 0) break;
        routed[best] = 1;
        left--;
        served++;
        load += this.demand[best]!;
        time = bestStart + this.service[best]!;
        cur = best;
      }
      if (served === 0) {
        // A customer no route can serve on time: it still needs a route of its own.
        for (let j = 1; j < N; j++) {
          if (!routed[j]) {
            routed[j] = 1;
            left--;
            break;
          }
        }
      }
    }
    return routes;
  }
}
