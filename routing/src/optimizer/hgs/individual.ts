// A solution of the genetic search: the giant tour (chromosome) and its cut into routes. Routes are
// consecutive pieces of the giant tour, so one Int32Array holds both (HGS-CVRP's chromT and chromR).

import type { Instance } from './instance.js';
import type { RouteEvaluator } from './route-evaluation.js';

/** Time warp and load excess below this count as zero (float sums of non-integer matrices). */
export const FEASIBILITY_EPS = 1e-6;

export class Individual {
  /** Giant tour: every customer 1..n-1 once. */
  readonly tour: Int32Array;
  /** Route r is tour[routeStart[r], routeStart[r + 1]); empty routes allowed. */
  readonly routeStart: Int32Array;
  /** Successor / predecessor of each customer (0 = depot), for the broken-pairs distance. */
  readonly succ: Int32Array;
  readonly pred: Int32Array;
  /** Pool slot, used by the population's distance matrix. */
  readonly id: number;
  nbRoutes = 0;
  /** Objective without penalties: travel distance plus vehicle fixed costs. */
  objective = 0;
  loadExcess = 0;
  timeWarp = 0;
  penalizedCost = 0;
  feasible = false;
  biasedFitness = 0;

  constructor(inst: Instance, id: number) {
    const n = inst.customerCount;
    this.tour = new Int32Array(n);
    this.routeStart = new Int32Array(inst.routeSlots + 1);
    this.succ = new Int32Array(inst.nodeCount);
    this.pred = new Int32Array(inst.nodeCount);
    this.id = id;
  }

  get routeSlots(): number {
    return this.routeStart.length - 1;
  }

  copyFrom(o: Individual): void {
    this.tour.set(o.tour);
    this.routeStart.set(o.routeStart);
    this.succ.set(o.succ);
    this.pred.set(o.pred);
    this.nbRoutes = o.nbRoutes;
    this.objective = o.objective;
    this.loadExcess = o.loadExcess;
    this.timeWarp = o.timeWarp;
    this.penalizedCost = o.penalizedCost;
    this.feasible = o.feasible;
    this.biasedFitness = o.biasedFitness;
  }

  /** Recomputes every cost component, successors and predecessors from tour + routeStart. */
  evaluate(inst: Instance, ev: RouteEvaluator, pc: number, ptw: number): void {
    let distance = 0;
    let excess = 0;
    let warp = 0;
    let routes = 0;
    const K = this.routeSlots;
    for (let r = 0; r < K; r++) {
      const from = this.routeStart[r]!;
      const to = this.routeStart[r + 1]!;
      if (to === from) continue;
      routes++;
      ev.evaluateRoute(this.tour, from, to);
      distance += ev.routeDistance;
      excess += ev.loadExcess(ev.routeLoad);
      warp += ev.routeTimeWarp;
      for (let k = from; k < to; k++) {
        const c = this.tour[k]!;
        this.pred[c] = k === from ? 0 : this.tour[k - 1]!;
        this.succ[c] = k === to - 1 ? 0 : this.tour[k + 1]!;
      }
    }
    this.nbRoutes = routes;
    this.objective = distance + routes * inst.fixedCost;
    this.loadExcess = excess;
    this.timeWarp = warp;
    this.feasible = excess <= FEASIBILITY_EPS && warp <= FEASIBILITY_EPS;
    this.penalise(pc, ptw);
  }

  /** Objective plus penalties under the current penalty weights. */
  penalise(pc: number, ptw: number): void {
    this.penalizedCost = this.objective + pc * this.loadExcess + ptw * this.timeWarp;
  }

  routes(): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < this.routeSlots; r++) {
      const from = this.routeStart[r]!;
      const to = this.routeStart[r + 1]!;
      if (to > from) out.push(Array.from(this.tour.subarray(from, to)));
    }
    return out;
  }
}

/**
 * Broken-pairs distance (HGS-CVRP Population.cpp): the share of customers whose successor in `a` is neither
 * their successor nor predecessor in `b`, plus route starts of `a` that are mid-route in `b`.
 */
export function brokenPairsDistance(a: Individual, b: Individual, customerCount: number): number {
  let differences = 0;
  const as = a.succ;
  const ap = a.pred;
  const bs = b.succ;
  const bp = b.pred;
  for (let j = 1; j <= customerCount; j++) {
    const s = as[j]!;
    if (s !== bs[j]! && s !== bp[j]!) differences++;
    if (ap[j] === 0 && bp[j] !== 0 && bs[j] !== 0) differences++;
  }
  return differences / customerCount;
}
