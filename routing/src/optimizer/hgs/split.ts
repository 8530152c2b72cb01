// Split: optimal cut of a giant tour into routes (Prins 2004; Vidal 2016 "Split algorithm in O(n) for the
// capacitated vehicle routing problem"; HGS-CVRP Split.cpp). Soft capacity (penalised excess up to 1.5·Q per
// route, as HGS-CVRP) and, with time windows, penalised time warp via the concatenation data of
// route-evaluation.ts (Bellman in topological order, O(n·route length)). A fleet limit uses the layered
// Bellman recursion (one layer per route) only when the unlimited split exceeds it.

import type { Individual } from './individual.js';
import type { Instance } from './instance.js';
import { RouteEvaluator } from './route-evaluation.js';

const EPS = 1e-9;

export class Split {
  private readonly inst: Instance;
  private readonly ev: RouteEvaluator;
  private readonly n: number;
  /** Potentials of the layered recursion: (routes + 1) × (n + 1); layer 0 doubles as the unlimited one. */
  private readonly potential: Float64Array;
  private readonly predecessor: Int32Array;
  private readonly sumLoad: Float64Array;
  private readonly sumDist: Float64Array;
  private readonly d0x: Float64Array;
  private readonly dx0: Float64Array;
  private readonly deque: Int32Array;
  private readonly cuts: Int32Array;
  private pc = 1;
  private ptw = 1;

  constructor(inst: Instance) {
    this.inst = inst;
    this.n = inst.customerCount;
    const K = inst.routeSlots;
    this.potential = new Float64Array((K + 1) * (this.n + 1));
    this.predecessor = new Int32Array((K + 1) * (this.n + 1));
    this.sumLoad = new Float64Array(this.n + 1);
    this.sumDist = new Float64Array(this.n + 1);
    this.d0x = new Float64Array(this.n + 1);
    this.dx0 = new Float64Array(this.n + 1);
    this.deque = new Int32Array(this.n + 1);
    this.cuts = new Int32Array(K + 1);
    this.ev = new RouteEvaluator(inst, 2);
  }

  /**
   * Cuts indiv.tour into at most min(fleetCap, max(maxVehicles, bin-packing bound)) routes (HGS-CVRP uses
   * the first parent's route count as maxVehicles), writes indiv.routeStart and evaluates the individual.
   */
  run(indiv: Individual, maxVehicles: number, fleetCap: number, pc: number, ptw: number): void {
    this.pc = pc;
    this.ptw = ptw;
    const inst = this.inst;
    const n = this.n;
    const N = inst.nodeCount;
    const tour = indiv.tour;
    const slots = indiv.routeSlots;
    // With time windows the layered recursion costs O(routes·n·L) concatenations, so the first parent's route
    // count is not imposed (only the hard fleet cap): the local search merges routes where it pays.
    const soft = inst.hasTimeWindows ? fleetCap : Math.max(maxVehicles, inst.minRoutes);
    const limit = Math.max(1, Math.min(slots, fleetCap, soft));
    // Prefix data over the giant tour, 1-based as in HGS-CVRP.
    this.sumLoad[0] = 0;
    this.sumDist[0] = 0;
    for (let i = 1; i <= n; i++) {
      const c = tour[i - 1]!;
      this.sumLoad[i] = this.sumLoad[i - 1]! + inst.demand[c]!;
      this.sumDist[i] = i === 1 ? 0 : this.sumDist[i - 1]! + inst.dist[tour[i - 2]! * N + c]!;
      this.d0x[i] = inst.dist[c]!;
      this.dx0[i] = inst.dist[c * N]!;
    }
    let routes: number;
    if (inst.hasTimeWindows) routes = this.bellmanUnlimited(tour);
    else routes = this.linearUnlimited();
    if (routes > limit) {
      routes = this.bellmanLimited(tour, limit, true);
      if (routes < 0) routes = this.bellmanLimited(tour, limit, false);
      if (routes < 0) {
        // Cannot happen when limit >= 1 (one route can take everything); kept as a guard.
        routes = 1;
        this.cuts[0] = 0;
        this.cuts[1] = n;
      }
    }
    const rs = indiv.routeStart;
    for (let r = 0; r <= routes; r++) rs[r] = this.cuts[r]!;
    for (let r = routes + 1; r <= slots; r++) rs[r] = n;
    indiv.evaluate(inst, this.ev, pc, ptw);
  }

  /** Cost of the route tour[i..j-1] (1-based customers i+1..j) without time windows. */
  private routeCostNoTw(i: number, j: number): number {
    const excess = this.sumLoad[j]! - this.sumLoad[i]! - this.inst.capacity;
    return (
      this.d0x[i + 1]! +
      this.sumDist[j]! -
      this.sumDist[i + 1]! +
      this.dx0[j]! +
      this.inst.fixedCost +
      (excess > 0 ? this.pc * excess : 0)
    );
  }

  private propagate(i: number, j: number): number {
    return this.potential[i]! + this.routeCostNoTw(i, j);
  }

  /** Does i dominate j (i < j) for all later nodes? (Vidal 2016, eq. 8). */
  private dominates(i: number, j: number): boolean {
    return (
      this.potential[j]! + this.d0x[j + 1]! >
      this.potential[i]! +
        this.d0x[i + 1]! +
        this.sumDist[j + 1]! -
        this.sumDist[i + 1]! +
        this.pc * (this.sumLoad[j]! - this.sumLoad[i]!)
    );
  }

  private dominatesRight(i: number, j: number): boolean {
    return (
      this.potential[j]! + this.d0x[j + 1]! <
      this.potential[i]! + this.d0x[i + 1]! + this.sumDist[j + 1]! - this.sumDist[i + 1]! + EPS
    );
  }

  /** O(n) split with penalised capacity (Vidal 2016); returns the number of routes, cuts in this.cuts. */
  private linearUnlimited(): number {
    const n = this.n;
    const pot = this.potential;
    const pred = this.predecessor;
    const dq = this.deque;
    pot[0] = 0;
    let front = 0;
    let back = 0;
    dq[0] = 0;
    for (let i = 1; i <= n; i++) {
      const f = dq[front]!;
      pot[i] = this.propagate(f, i);
      pred[i] = f;
      if (i < n) {
        if (!this.dominates(dq[back]!, i)) {
          while (back >= front && this.dominatesRight(dq[back]!, i)) back--;
          dq[++back] = i;
        }
        while (
          back > front &&
          this.propagate(dq[front]!, i + 1) > this.propagate(dq[front + 1]!, i + 1) - EPS
        ) {
          front++;
        }
      }
    }
    return this.extractCuts(0);
  }

  /** Bellman split with time windows: route cost from the concatenation data, O(n·L). */
  private bellmanUnlimited(tour: Int32Array): number {
    const n = this.n;
    const pot = this.potential;
    const pred = this.predecessor;
    pot[0] = 0;
    for (let i = 1; i <= n; i++) pot[i] = Infinity;
    for (let i = 0; i < n; i++) this.relaxFrom(tour, i, pot, pred, 0, 0, true);
    return this.extractCuts(0);
  }

  /**
   * Relaxes every route starting after position i: potential[dst + j] from potential[src + i].
   * With `bounded`, stops once the load exceeds 1.5·Q (HGS-CVRP).
   */
  private relaxFrom(
    tour: Int32Array,
    i: number,
    pot: Float64Array,
    pred: Int32Array,
    src: number,
    dst: number,
    bounded: boolean,
  ): void {
    const base = pot[src + i]!;
    if (base === Infinity) return;
    const n = this.n;
    const inst = this.inst;
    const Q = inst.capacity;
    const cap = bounded ? 1.5 * Q : Infinity;
    const ev = this.ev;
    const pc = this.pc;
    const ptw = this.ptw;
    if (inst.hasTimeWindows) {
      const cur = ev.firstFreeSlot;
      const N = inst.nodeCount;
      ev.copy(cur, 0);
      for (let j = i + 1; j <= n; j++) {
        const c = tour[j - 1]!;
        ev.concat(cur, cur, c);
        const load = ev.load(cur);
        const dist = ev.distance(cur) + inst.dist[c * N]!;
        const cost = base + ev.cost(dist, load, ev.timeWarp2(cur, 0), true, pc, ptw);
        if (cost < pot[dst + j]!) {
          pot[dst + j] = cost;
          pred[dst + j] = i;
        }
        if (load > cap) break;
      }
    } else {
      for (let j = i + 1; j <= n; j++) {
        const cost = base + this.routeCostNoTw(i, j);
        if (cost < pot[dst + j]!) {
          pot[dst + j] = cost;
          pred[dst + j] = i;
        }
        if (this.sumLoad[j]! - this.sumLoad[i]! > cap) break;
      }
    }
  }

  /** Layered Bellman with at most `limit` routes; returns the route count or -1 if n is unreachable. */
  private bellmanLimited(tour: Int32Array, limit: number, bounded: boolean): number {
    const n = this.n;
    const stride = n + 1;
    const pot = this.potential;
    const pred = this.predecessor;
    for (let k = 0; k <= limit; k++) {
      const o = k * stride;
      for (let i = 0; i <= n; i++) pot[o + i] = Infinity;
    }
    pot[0] = 0;
    for (let k = 0; k < limit; k++) {
      const src = k * stride;
      const dst = (k + 1) * stride;
      for (let i = k; i < n; i++) this.relaxFrom(tour, i, pot, pred, src, dst, bounded);
    }
    let best = -1;
    let bestCost = Infinity;
    for (let k = 1; k <= limit; k++) {
      const c = pot[k * stride + n]!;
      if (c < bestCost - EPS) {
        bestCost = c;
        best = k;
      }
    }
    if (best < 0) return -1;
    let end = n;
    for (let k = best; k >= 1; k--) {
      this.cuts[k] = end;
      end = pred[k * stride + end]!;
    }
    this.cuts[0] = 0;
    return best;
  }

  /** Walks the predecessors of the unlimited recursion (layer 0) into this.cuts; returns the route count. */
  private extractCuts(layer: number): number {
    const n = this.n;
    const o = layer * (n + 1);
    let count = 0;
    for (let end = n; end > 0; end = this.predecessor[o + end]!) count++;
    if (count > this.cuts.length - 1) {
      // More routes than slots: report it so that the caller falls back to the limited recursion.
      return count;
    }
    let end = n;
    for (let k = count; k >= 1; k--) {
      this.cuts[k] = end;
      end = this.predecessor[o + end]!;
    }
    this.cuts[0] = 0;
    return count;
  }
}
