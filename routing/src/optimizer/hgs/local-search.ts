// Granular local search of HGS-CVRP (Vidal 2022, §4; LocalSearch.cpp): RELOCATE of 1–2 customers (also
// reversed), SWAP 1-1 / 2-1 / 2-2, 2-OPT, 2-OPT* and SWAP* between routes whose circle sectors overlap,
// first-improvement, restricted to Γ correlated customers. Infeasibility is penalised (load excess, time
// warp). Inter-route moves are priced in O(1) from forward/backward concatenation data
// (route-evaluation.ts); intra-route moves with time windows are priced exactly in O(route length) once the
// distance change alone cannot rule them out. Moves are applied by relinking the affected routes from a
// scratch sequence, which costs the same O(route length) as refreshing the route data.
//
// Node ids: customers keep their problem index 1..N-1; route r has start depot N + r and end depot
// N + K + r. All state lives in typed arrays allocated once; nothing is allocated per move.

import { positiveMod } from './embedding.js';
import type { Individual } from './individual.js';
import type { Instance } from './instance.js';
import type { Prng } from './prng.js';
import { RouteEvaluator } from './route-evaluation.js';

const EPS = 1e-5;
const NO_NODE = -1;

export class LocalSearch {
  private readonly inst: Instance;
  private readonly ev: RouteEvaluator;
  private readonly rng: Prng;
  private readonly N: number;
  private readonly n: number;
  private readonly K: number;
  private readonly M: number;
  private readonly dist: Float64Array;
  private readonly demand: Float64Array;
  private readonly hasTw: boolean;
  private readonly fixedCost: number;
  private readonly capacity: number;

  private readonly cityOf: Int32Array;
  private readonly nxt: Int32Array;
  private readonly prv: Int32Array;
  private readonly rte: Int32Array;
  private readonly pos: Int32Array;
  private readonly cumLoad: Float64Array;
  private readonly cumDist: Float64Array;
  /** Distance of the prefix driven backwards (for reversals with asymmetric matrices). */
  private readonly cumRev: Float64Array;
  private readonly lastTestedRI: Float64Array;

  private readonly rLoad: Float64Array;
  private readonly rDist: Float64Array;
  private readonly rTw: Float64Array;
  /** Penalty part of the route cost: pc·excess + ptw·timeWarp. */
  private readonly rPen: Float64Array;
  private readonly rNb: Int32Array;
  private readonly rWhenMod: Float64Array;
  private readonly rWhenSwapStar: Float64Array;
  private readonly secStart: Int32Array;
  private readonly secEnd: Int32Array;
  private readonly sumX: Float64Array;
  private readonly sumY: Float64Array;

  private readonly orderNodes: Int32Array;
  private readonly orderRoutes: Int32Array;
  private readonly neighStart: Int32Array;
  private readonly neigh: Int32Array;

  // SWAP* preprocessing: three best insertion positions of each customer in each route.
  private readonly insCost: Float64Array;
  private readonly insLoc: Int32Array;
  private readonly insWhen: Float64Array;
  private readonly remDelta: Float64Array;
  private readonly remTw: Float64Array;

  private readonly bufA: Int32Array;
  private readonly bufB: Int32Array;
  private readonly routeOrder: Int32Array;
  private readonly routeAngle: Float64Array;

  private nbMoves = 0;
  private searchCompleted = false;
  private loopID = 0;
  private pc = 1;
  private ptw = 1;
  private activeRoutes = 0;
  private emptyDirty = true;
  private firstEmpty = -1;
  /** Moves applied since construction (statistics). */
  movesApplied = 0;

  // Current move: U, X = next(U), PU = prev(U), XN = next(X); V, Y, PV, YN likewise; c* are cities.
  private nU = 0;
  private nX = 0;
  private nPU = 0;
  private nXN = 0;
  private cU = 0;
  private cX = 0;
  private cPU = 0;
  private cXN = 0;
  private rU = 0;
  private dU = 0;
  private dX = 0;
  private nV = 0;
  private nY = 0;
  private nPV = 0;
  private nYN = 0;
  private cV = 0;
  private cY = 0;
  private cPV = 0;
  private cYN = 0;
  private rV = 0;
  private dV = 0;
  private dY = 0;
  private intra = false;
  private ssPos = 0;
  private remCacheNode = -1;
  private remCacheStamp = -1;
  private remCache1 = -1;
  private remCache2 = -1;

  constructor(inst: Instance, rng: Prng) {
    this.inst = inst;
    this.rng = rng;
    const N = inst.nodeCount;
    const K = inst.routeSlots;
    this.N = N;
    this.n = N - 1;
    this.K = K;
    this.M = N + 2 * K;
    this.dist = inst.dist;
    this.demand = inst.demand;
    this.hasTw = inst.hasTimeWindows;
    this.fixedCost = inst.fixedCost;
    this.capacity = inst.capacity;
    const M = this.M;
    this.ev = new RouteEvaluator(inst, 2 * M);
    this.cityOf = new Int32Array(M);
    for (let k = 0; k < N; k++) this.cityOf[k] = k;
    this.nxt = new Int32Array(M);
    this.prv = new Int32Array(M);
    this.rte = new Int32Array(M);
    this.pos = new Int32Array(M);
    for (let r = 0; r < K; r++) {
      this.rte[N + r] = r;
      this.rte[N + K + r] = r;
    }
    this.cumLoad = new Float64Array(M);
    this.cumDist = new Float64Array(M);
    this.cumRev = new Float64Array(M);
    this.lastTestedRI = new Float64Array(N);
    this.rLoad = new Float64Array(K);
    this.rDist = new Float64Array(K);
    this.rTw = new Float64Array(K);
    this.rPen = new Float64Array(K);
    this.rNb = new Int32Array(K);
    this.rWhenMod = new Float64Array(K);
    this.rWhenSwapStar = new Float64Array(K);
    this.secStart = new Int32Array(K);
    this.secEnd = new Int32Array(K);
    this.sumX = new Float64Array(K);
    this.sumY = new Float64Array(K);
    this.orderNodes = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) this.orderNodes[i] = i + 1;
    this.orderRoutes = new Int32Array(K);
    for (let r = 0; r < K; r++) this.orderRoutes[r] = r;
    this.neighStart = inst.neighbourStart;
    this.neigh = Int32Array.from(inst.neighbours);
    this.insCost = new Float64Array(K * N * 3);
    this.insLoc = new Int32Array(K * N * 3);
    this.insWhen = new Float64Array(K * N).fill(-1);
    this.remDelta = new Float64Array(N);
    this.remTw = new Float64Array(N);
    this.bufA = new Int32Array(N + 2);
    this.bufB = new Int32Array(N + 2);
    this.routeOrder = new Int32Array(K);
    this.routeAngle = new Float64Array(K);
  }

  /**
   * Improves `indiv` in place under penalty weights (pc, ptw), using only routes [0, activeRoutes).
   * The individual is re-evaluated with the same weights; callers re-penalise with the global ones.
   */
  run(indiv: Individual, pc: number, ptw: number, activeRoutes: number): void {
    this.pc = pc;
    this.ptw = ptw;
    this.activeRoutes = Math.min(activeRoutes, this.K);
    this.loadIndividual(indiv);
    const rng = this.rng;
    rng.shuffle(this.orderNodes);
    rng.shuffle(this.orderRoutes);
    const gamma = this.inst.params.nbGranular;
    for (let i = 1; i <= this.n; i++) {
      // O(n/Γ) shuffles of neighbour lists per call keeps the cost linear (HGS-CVRP).
      if (rng.nextInt(gamma) === 0) rng.shuffle(this.neigh, this.neighStart[i]!, this.neighStart[i + 1]!);
    }
    const N = this.N;
    const K = this.K;
    const prv = this.prv;
    const rte = this.rte;
    const neigh = this.neigh;
    const neighStart = this.neighStart;
    const rWhenMod = this.rWhenMod;
    this.searchCompleted = false;
    for (this.loopID = 0; !this.searchCompleted; this.loopID++) {
      // At least two loops: moves into an empty route are skipped in the first.
      if (this.loopID > 1) this.searchCompleted = true;
      for (let posU = 0; posU < this.n; posU++) {
        const u = this.orderNodes[posU]!;
        const lastTest = this.lastTestedRI[u]!;
        this.lastTestedRI[u] = this.nbMoves;
        const nEnd = neighStart[u + 1]!;
        for (let q = neighStart[u]!; q < nEnd; q++) {
          const v = neigh[q]!;
          if (this.loopID === 0 || Math.max(rWhenMod[rte[u]!]!, rWhenMod[rte[v]!]!) > lastTest) {
            this.setU(u);
            this.setV(v);
            if (this.move1()) continue;
            if (this.move2()) continue;
            if (this.move3()) continue;
            if (this.nU <= this.nV && this.move4()) continue;
            if (this.move5()) continue;
            if (this.nU <= this.nV && this.move6()) continue;
            if (this.intra && this.move7()) continue;
            if (!this.intra && !this.hasTw && this.move8()) continue;
            if (!this.intra && this.move9()) continue;
            // The same moves with U inserted right after the depot.
            const pv = prv[v]!;
            if (pv >= N) {
              this.setV(pv);
              if (this.move1()) continue;
              if (this.move2()) continue;
              if (this.move3()) continue;
              if (!this.intra && !this.hasTw && this.move8()) continue;
              if (!this.intra && this.move9()) continue;
            }
          }
        }
        if (this.loopID > 0) {
          const empty = this.findEmptyRoute();
          if (empty >= 0) {
            this.setU(u);
            this.setV(N + empty);
            if (this.move1()) continue;
            if (this.move2()) continue;
            if (this.move3()) continue;
            if (this.move9()) continue;
          }
        }
      }
      // SWAP* between routes whose circle sectors overlap.
      const orderRoutes = this.orderRoutes;
      for (let a = 0; a < K; a++) {
        const ru = orderRoutes[a]!;
        if (ru >= this.activeRoutes || this.rNb[ru] === 0) continue;
        const lastTest = this.rWhenSwapStar[ru]!;
        this.rWhenSwapStar[ru] = this.nbMoves;
        for (let b = 0; b < K; b++) {
          const rv = orderRoutes[b]!;
          if (rv >= this.activeRoutes || rv <= ru) continue;
          if (this.rNb[ru] === 0 || this.rNb[rv] === 0) continue;
          if (this.loopID > 0 && Math.max(rWhenMod[ru]!, rWhenMod[rv]!) <= lastTest) continue;
          if (!this.sectorsOverlap(ru, rv)) continue;
          this.swapStar(ru, rv);
        }
      }
    }
    this.exportIndividual(indiv);
  }

  // ---------------------------------------------------------------------------------------------------
  // Loading, route data, export

  private loadIndividual(indiv: Individual): void {
    this.nbMoves++;
    const K = this.K;
    const rs = indiv.routeStart;
    const tour = indiv.tour;
    for (let r = 0; r < K; r++) {
      const from = rs[r]!;
      const to = rs[r + 1]!;
      let len = 0;
      for (let k = from; k < to; k++) this.bufA[len++] = tour[k]!;
      this.setRoute(r, this.bufA, len);
      this.rWhenSwapStar[r] = -1;
    }
    for (let i = 1; i <= this.n; i++) this.lastTestedRI[i] = -1;
  }

  private setRoute(r: number, buf: Int32Array, len: number): void {
    const N = this.N;
    let prev = N + r;
    for (let i = 0; i < len; i++) {
      const c = buf[i]!;
      this.nxt[prev] = c;
      this.prv[c] = prev;
      this.rte[c] = r;
      prev = c;
    }
    const end = N + this.K + r;
    this.nxt[prev] = end;
    this.prv[end] = prev;
    this.updateRouteData(r);
  }

  private updateRouteData(r: number): void {
    const N = this.N;
    const dist = this.dist;
    const cityOf = this.cityOf;
    const ev = this.ev;
    const hasTw = this.hasTw;
    const angle = this.inst.angle;
    const fwd0 = N;
    const start = N + r;
    const end = N + this.K + r;
    this.pos[start] = 0;
    this.cumLoad[start] = 0;
    this.cumDist[start] = 0;
    this.cumRev[start] = 0;
    if (hasTw) ev.copy(fwd0 + start, 0);
    let place = 0;
    let load = 0;
    let d = 0;
    let rv = 0;
    let sx = 0;
    let sy = 0;
    let prev = start;
    let k = this.nxt[start]!;
    for (;;) {
      place++;
      const cp = cityOf[prev]!;
      const ck = cityOf[k]!;
      d += dist[cp * N + ck]!;
      rv += dist[ck * N + cp]!;
      if (k < N) load += this.demand[ck]!;
      this.pos[k] = place;
      this.cumDist[k] = d;
      this.cumRev[k] = rv;
      this.cumLoad[k] = load;
      if (hasTw) ev.concat(fwd0 + k, fwd0 + prev, ck);
      if (k === end) break;
      const a = angle[ck]!;
      if (place === 1) {
        this.secStart[r] = a;
        this.secEnd[r] = a;
      } else {
        this.extendSector(r, a);
      }
      sx += this.inst.x[ck]!;
      sy += this.inst.y[ck]!;
      prev = k;
      k = this.nxt[k]!;
    }
    const nb = place - 1;
    this.rNb[r] = nb;
    this.rLoad[r] = load;
    this.rDist[r] = d;
    this.sumX[r] = sx;
    this.sumY[r] = sy;
    if (hasTw) {
      const bwd0 = N + this.M;
      ev.copy(bwd0 + end, 0);
      let j = this.prv[end]!;
      let nextJ = end;
      for (;;) {
        ev.concat(bwd0 + j, cityOf[j]!, bwd0 + nextJ);
        if (j === start) break;
        nextJ = j;
        j = this.prv[j]!;
      }
      this.rTw[r] = ev.timeWarp(fwd0 + end);
    } else {
      this.rTw[r] = 0;
    }
    this.rPen[r] = this.ev.penalty(load, this.rTw[r]!, this.pc, this.ptw);
    this.rWhenMod[r] = this.nbMoves;
    this.emptyDirty = true;
  }

  private findEmptyRoute(): number {
    if (this.emptyDirty) {
      this.firstEmpty = -1;
      for (let r = 0; r < this.activeRoutes; r++) {
        if (this.rNb[r] === 0) {
          this.firstEmpty = r;
          break;
        }
      }
      this.emptyDirty = false;
    }
    return this.firstEmpty;
  }

  private extendSector(r: number, point: number): void {
    const s = this.secStart[r]!;
    const e = this.secEnd[r]!;
    if (positiveMod(point - s) <= positiveMod(e - s)) return;
    if (positiveMod(point - e) <= positiveMod(s - point)) this.secEnd[r] = point;
    else this.secStart[r] = point;
  }

  private sectorsOverlap(a: number, b: number): boolean {
    const sa = this.secStart[a]!;
    const ea = this.secEnd[a]!;
    const sb = this.secStart[b]!;
    const eb = this.secEnd[b]!;
    return positiveMod(sb - sa) <= positiveMod(ea - sa) || positiveMod(sa - sb) <= positiveMod(eb - sb);
  }

  /** Writes the routes back, ordered by the polar angle of their barycentre (empty routes last). */
  private exportIndividual(indiv: Individual): void {
    const K = this.K;
    const x0 = this.inst.x[0]!;
    const y0 = this.inst.y[0]!;
    const order = this.routeOrder;
    const ang = this.routeAngle;
    for (let r = 0; r < K; r++) {
      order[r] = r;
      const nb = this.rNb[r]!;
      ang[r] = nb === 0 ? 1e30 : Math.atan2(this.sumY[r]! / nb - y0, this.sumX[r]! / nb - x0);
    }
    for (let i = 1; i < K; i++) {
      const r = order[i]!;
      const a = ang[r]!;
      let j = i - 1;
      while (j >= 0 && ang[order[j]!]! > a) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = r;
    }
    const tour = indiv.tour;
    const rs = indiv.routeStart;
    let p = 0;
    for (let i = 0; i < K; i++) {
      const r = order[i]!;
      rs[i] = p;
      const end = this.N + K + r;
      for (let k = this.nxt[this.N + r]!; k !== end; k = this.nxt[k]!) tour[p++] = k;
    }
    rs[K] = p;
    indiv.evaluate(this.inst, this.ev, this.pc, this.ptw);
  }

  // ---------------------------------------------------------------------------------------------------
  // Move helpers

  private setU(u: number): void {
    const N = this.N;
    this.nU = u;
    this.rU = this.rte[u]!;
    this.nX = this.nxt[u]!;
    this.nPU = this.prv[u]!;
    this.nXN = this.nX >= N ? this.nX : this.nxt[this.nX]!;
    this.cU = u;
    this.cX = this.cityOf[this.nX]!;
    this.cPU = this.cityOf[this.nPU]!;
    this.cXN = this.cityOf[this.nXN]!;
    this.dU = this.demand[u]!;
    this.dX = this.nX >= N ? 0 : this.demand[this.nX]!;
  }

  private setV(v: number): void {
    const N = this.N;
    this.nV = v;
    this.rV = this.rte[v]!;
    this.nY = this.nxt[v]!;
    this.nPV = v >= N ? v : this.prv[v]!;
    this.nYN = this.nY >= N ? this.nY : this.nxt[this.nY]!;
    this.cV = this.cityOf[v]!;
    this.cY = this.cityOf[this.nY]!;
    this.cPV = this.cityOf[this.nPV]!;
    this.cYN = this.cityOf[this.nYN]!;
    this.dV = v >= N ? 0 : this.demand[v]!;
    this.dY = this.nY >= N ? 0 : this.demand[this.nY]!;
    this.intra = this.rU === this.rV;
  }

  private d(a: number, b: number): number {
    return this.dist[a * this.N + b]!;
  }

  private loadPen(load: number): number {
    const e = load - this.capacity;
    return e > 0 ? this.pc * e : 0;
  }

  private fwd(k: number): number {
    return this.N + k;
  }

  private bwd(k: number): number {
    return this.N + this.M + k;
  }

  /**
   * Shared tail of inter-route moves: distance deltas costU/costV (fixed costs included) and the new loads
   * give a lower bound; only if it can still improve are the new time warps computed (route U first, so
   * that route V is skipped when U alone already rules the move out). Returns the total delta, or
   * Infinity when the move is pruned.
   */
  private interDelta(costU: number, costV: number, loadU: number, loadV: number, kind: number): number {
    const penU = this.rPen[this.rU]!;
    const penV = this.rPen[this.rV]!;
    if (costU + costV >= penU + penV) return Infinity;
    let delta = costU + costV + this.loadPen(loadU) + this.loadPen(loadV) - penU - penV;
    if (delta > -EPS) return Infinity;
    if (this.hasTw) {
      delta += this.ptw * this.timeWarpRouteU(kind);
      if (delta > -EPS) return Infinity;
      delta += this.ptw * this.timeWarpRouteV(kind);
      if (delta > -EPS) return Infinity;
    }
    return delta;
  }

  /** Time warp of U's new route for inter-route move `kind` (1–6, 9). */
  private timeWarpRouteU(kind: number): number {
    const ev = this.ev;
    if (kind <= 3) {
      // Removing U (or U, X) does not depend on V: cache it while U's route is unchanged.
      const stamp = this.rWhenMod[this.rU]!;
      if (this.remCacheNode !== this.nU || this.remCacheStamp !== stamp) {
        this.remCacheNode = this.nU;
        this.remCacheStamp = stamp;
        this.remCache1 = -1;
        this.remCache2 = -1;
      }
      if (kind === 1) {
        if (this.remCache1 < 0) this.remCache1 = ev.timeWarp2(this.fwd(this.nPU), this.bwd(this.nX));
        return this.remCache1;
      }
      if (this.remCache2 < 0) this.remCache2 = ev.timeWarp2(this.fwd(this.nPU), this.bwd(this.nXN));
      return this.remCache2;
    }
    switch (kind) {
      case 4:
        return ev.timeWarp3(this.fwd(this.nPU), this.cV, this.bwd(this.nX));
      case 5:
        return ev.timeWarp3(this.fwd(this.nPU), this.cV, this.bwd(this.nXN));
      case 6:
        return ev.timeWarp4(this.fwd(this.nPU), this.cV, this.cY, this.bwd(this.nXN));
      default:
        return ev.timeWarp2(this.fwd(this.nU), this.bwd(this.nY));
    }
  }

  /** Time warp of V's new route for inter-route move `kind` (1–6, 9). */
  private timeWarpRouteV(kind: number): number {
    const ev = this.ev;
    switch (kind) {
      case 1:
        return ev.timeWarp3(this.fwd(this.nV), this.cU, this.bwd(this.nY));
      case 2:
        return ev.timeWarp4(this.fwd(this.nV), this.cU, this.cX, this.bwd(this.nY));
      case 3:
        return ev.timeWarp4(this.fwd(this.nV), this.cX, this.cU, this.bwd(this.nY));
      case 4:
        return ev.timeWarp3(this.fwd(this.nPV), this.cU, this.bwd(this.nY));
      case 5:
        return ev.timeWarp4(this.fwd(this.nPV), this.cU, this.cX, this.bwd(this.nY));
      case 6:
        return ev.timeWarp4(this.fwd(this.nPV), this.cU, this.cX, this.bwd(this.nYN));
      default:
        return ev.timeWarp2(this.fwd(this.nV), this.bwd(this.nX));
    }
  }

  /**
   * Can an intra-route move with distance change `delta` improve? Without time windows this is exact;
   * with them, the new time warp is at least 0, so the current time-warp penalty bounds the gain.
   */
  private intraPromising(delta: number): boolean {
    if (!this.hasTw) return delta <= -EPS;
    return delta - this.ptw * this.rTw[this.rU]! <= -EPS;
  }

  /** Exact check of an intra-route move whose new route is bufA[0, len). */
  private intraAccept(delta: number, len: number): boolean {
    if (!this.hasTw) return true;
    this.ev.evaluateRoute(this.bufA, 0, len);
    return delta + this.ptw * (this.ev.routeTimeWarp - this.rTw[this.rU]!) <= -EPS;
  }

  private commitIntra(len: number): void {
    this.nbMoves++;
    this.movesApplied++;
    this.searchCompleted = false;
    this.setRoute(this.rU, this.bufA, len);
  }

  private commitInter(lenA: number, lenB: number): void {
    this.nbMoves++;
    this.movesApplied++;
    this.searchCompleted = false;
    this.setRoute(this.rU, this.bufA, lenA);
    this.setRoute(this.rV, this.bufB, lenB);
  }

  /** Customers from the first of k's route up to k (none if k is a start depot). */
  private emitPrefix(buf: Int32Array, len: number, k: number): number {
    const N = this.N;
    if (k >= N) return len;
    let c = this.nxt[N + this.rte[k]!]!;
    for (;;) {
      buf[len++] = c;
      if (c === k) return len;
      c = this.nxt[c]!;
    }
  }

  /** Customers from k to the last of its route (none if k is an end depot). */
  private emitSuffix(buf: Int32Array, len: number, k: number): number {
    const N = this.N;
    for (let c = k; c < N; c = this.nxt[c]!) buf[len++] = c;
    return len;
  }

  /** Customers from k back to the first of its route. */
  private emitPrefixReversed(buf: Int32Array, len: number, k: number): number {
    const N = this.N;
    for (let c = k; c < N; c = this.prv[c]!) buf[len++] = c;
    return len;
  }

  /** Customers from the last of k's route back to k. */
  private emitSuffixReversed(buf: Int32Array, len: number, k: number): number {
    const N = this.N;
    if (k >= N) return len;
    let c = this.prv[N + this.K + this.rte[k]!]!;
    for (;;) {
      buf[len++] = c;
      if (c === k) return len;
      c = this.prv[c]!;
    }
  }

  /** Route rU with segment [a] / [a, b] removed and reinserted (as given) after node `after`. */
  private buildIntraRelocate(a: number, b: number, first: number, second: number, after: number): number {
    const N = this.N;
    const buf = this.bufA;
    let len = 0;
    if (after >= N) {
      buf[len++] = first;
      if (second !== NO_NODE) buf[len++] = second;
    }
    const end = N + this.K + this.rU;
    for (let c = this.nxt[N + this.rU]!; c !== end; c = this.nxt[c]!) {
      if (c === a || c === b) continue;
      buf[len++] = c;
      if (c === after) {
        buf[len++] = first;
        if (second !== NO_NODE) buf[len++] = second;
      }
    }
    return len;
  }

  /** Route rU with segments starting at a (length la) and b (length lb) exchanged. */
  private buildIntraSwap(a: number, la: number, b: number, lb: number): number {
    const N = this.N;
    const buf = this.bufA;
    let len = 0;
    const end = N + this.K + this.rU;
    let c = this.nxt[N + this.rU]!;
    while (c !== end) {
      if (c === a) {
        buf[len++] = b;
        if (lb === 2) buf[len++] = this.nxt[b]!;
        c = la === 2 ? this.nxt[this.nxt[c]!]! : this.nxt[c]!;
      } else if (c === b) {
        buf[len++] = a;
        if (la === 2) buf[len++] = this.nxt[a]!;
        c = lb === 2 ? this.nxt[this.nxt[c]!]! : this.nxt[c]!;
      } else {
        buf[len++] = c;
        c = this.nxt[c]!;
      }
    }
    return len;
  }

  // ---------------------------------------------------------------------------------------------------
  // Moves (numbering of HGS-CVRP)

  /** RELOCATE U after V. */
  private move1(): boolean {
    if (this.nU === this.nY) return false;
    let costU = this.d(this.cPU, this.cX) - this.d(this.cPU, this.cU) - this.d(this.cU, this.cX);
    let costV = this.d(this.cV, this.cU) + this.d(this.cU, this.cY) - this.d(this.cV, this.cY);
    if (this.intra) {
      const delta = costU + costV;
      if (!this.intraPromising(delta)) return false;
      const len = this.buildIntraRelocate(this.nU, NO_NODE, this.nU, NO_NODE, this.nV);
      if (!this.intraAccept(delta, len)) return false;
      this.commitIntra(len);
      return true;
    }
    if (this.rNb[this.rU] === 1) costU -= this.fixedCost;
    if (this.rNb[this.rV] === 0) costV += this.fixedCost;
    const delta = this.interDelta(
      costU,
      costV,
      this.rLoad[this.rU]! - this.dU,
      this.rLoad[this.rV]! + this.dU,
      1,
    );
    if (delta === Infinity) return false;
    let la = this.emitPrefix(this.bufA, 0, this.nPU);
    la = this.emitSuffix(this.bufA, la, this.nX);
    let lb = this.emitPrefix(this.bufB, 0, this.nV);
    this.bufB[lb++] = this.nU;
    lb = this.emitSuffix(this.bufB, lb, this.nY);
    this.commitInter(la, lb);
    return true;
  }

  /** RELOCATE (U, X) after V. */
  private move2(): boolean {
    const N = this.N;
    if (this.nU === this.nY || this.nV === this.nX || this.nX >= N) return false;
    let costU = this.d(this.cPU, this.cXN) - this.d(this.cPU, this.cU) - this.d(this.cX, this.cXN);
    let costV = this.d(this.cV, this.cU) + this.d(this.cX, this.cY) - this.d(this.cV, this.cY);
    if (this.intra) {
      const delta = costU + costV;
      if (!this.intraPromising(delta)) return false;
      const len = this.buildIntraRelocate(this.nU, this.nX, this.nU, this.nX, this.nV);
      if (!this.intraAccept(delta, len)) return false;
      this.commitIntra(len);
      return true;
    }
    if (this.rNb[this.rU] === 2) costU -= this.fixedCost;
    if (this.rNb[this.rV] === 0) costV += this.fixedCost;
    const moved = this.dU + this.dX;
    const delta = this.interDelta(
      costU,
      costV,
      this.rLoad[this.rU]! - moved,
      this.rLoad[this.rV]! + moved,
      2,
    );
    if (delta === Infinity) return false;
    let la = this.emitPrefix(this.bufA, 0, this.nPU);
    la = this.emitSuffix(this.bufA, la, this.nXN);
    let lb = this.emitPrefix(this.bufB, 0, this.nV);
    this.bufB[lb++] = this.nU;
    this.bufB[lb++] = this.nX;
    lb = this.emitSuffix(this.bufB, lb, this.nY);
    this.commitInter(la, lb);
    return true;
  }

  /** RELOCATE (X, U) after V (the pair reversed). */
  private move3(): boolean {
    const N = this.N;
    if (this.nU === this.nY || this.nX === this.nV || this.nX >= N) return false;
    let costU =
      this.d(this.cPU, this.cXN) -
      this.d(this.cPU, this.cU) -
      this.d(this.cU, this.cX) -
      this.d(this.cX, this.cXN);
    let costV =
      this.d(this.cV, this.cX) +
      this.d(this.cX, this.cU) +
      this.d(this.cU, this.cY) -
      this.d(this.cV, this.cY);
    if (this.intra) {
      const delta = costU + costV;
      if (!this.intraPromising(delta)) return false;
      const len = this.buildIntraRelocate(this.nU, this.nX, this.nX, this.nU, this.nV);
      if (!this.intraAccept(delta, len)) return false;
      this.commitIntra(len);
      return true;
    }
    if (this.rNb[this.rU] === 2) costU -= this.fixedCost;
    if (this.rNb[this.rV] === 0) costV += this.fixedCost;
    const moved = this.dU + this.dX;
    const delta = this.interDelta(
      costU,
      costV,
      this.rLoad[this.rU]! - moved,
      this.rLoad[this.rV]! + moved,
      3,
    );
    if (delta === Infinity) return false;
    let la = this.emitPrefix(this.bufA, 0, this.nPU);
    la = this.emitSuffix(this.bufA, la, this.nXN);
    let lb = this.emitPrefix(this.bufB, 0, this.nV);
    this.bufB[lb++] = this.nX;
    this.bufB[lb++] = this.nU;
    lb = this.emitSuffix(this.bufB, lb, this.nY);
    this.commitInter(la, lb);
    return true;
  }

  /** SWAP U and V. */
  private move4(): boolean {
    const N = this.N;
    if (this.nV >= N || this.nU === this.nPV || this.nU === this.nY) return false;
    const costU =
      this.d(this.cPU, this.cV) +
      this.d(this.cV, this.cX) -
      this.d(this.cPU, this.cU) -
      this.d(this.cU, this.cX);
    const costV =
      this.d(this.cPV, this.cU) +
      this.d(this.cU, this.cY) -
      this.d(this.cPV, this.cV) -
      this.d(this.cV, this.cY);
    if (this.intra) {
      const delta = costU + costV;
      if (!this.intraPromising(delta)) return false;
      const len = this.buildIntraSwap(this.nU, 1, this.nV, 1);
      if (!this.intraAccept(delta, len)) return false;
      this.commitIntra(len);
      return true;
    }
    const delta = this.interDelta(
      costU,
      costV,
      this.rLoad[this.rU]! - this.dU + this.dV,
      this.rLoad[this.rV]! + this.dU - this.dV,
      4,
    );
    if (delta === Infinity) return false;
    let la = this.emitPrefix(this.bufA, 0, this.nPU);
    this.bufA[la++] = this.nV;
    la = this.emitSuffix(this.bufA, la, this.nX);
    let lb = this.emitPrefix(this.bufB, 0, this.nPV);
    this.bufB[lb++] = this.nU;
    lb = this.emitSuffix(this.bufB, lb, this.nY);
    this.commitInter(la, lb);
    return true;
  }

  /** SWAP (U, X) and V. */
  private move5(): boolean {
    const N = this.N;
    if (this.nV >= N || this.nU === this.nPV || this.nX === this.nPV || this.nU === this.nY || this.nX >= N) {
      return false;
    }
    const costU =
      this.d(this.cPU, this.cV) +
      this.d(this.cV, this.cXN) -
      this.d(this.cPU, this.cU) -
      this.d(this.cX, this.cXN);
    const costV =
      this.d(this.cPV, this.cU) +
      this.d(this.cX, this.cY) -
      this.d(this.cPV, this.cV) -
      this.d(this.cV, this.cY);
    if (this.intra) {
      const delta = costU + costV;
      if (!this.intraPromising(delta)) return false;
      const len = this.buildIntraSwap(this.nU, 2, this.nV, 1);
      if (!this.intraAccept(delta, len)) return false;
      this.commitIntra(len);
      return true;
    }
    const moved = this.dU + this.dX;
    const delta = this.interDelta(
      costU,
      costV,
      this.rLoad[this.rU]! - moved + this.dV,
      this.rLoad[this.rV]! + moved - this.dV,
      5,
    );
    if (delta === Infinity) return false;
    let la = this.emitPrefix(this.bufA, 0, this.nPU);
    this.bufA[la++] = this.nV;
    la = this.emitSuffix(this.bufA, la, this.nXN);
    let lb = this.emitPrefix(this.bufB, 0, this.nPV);
    this.bufB[lb++] = this.nU;
    this.bufB[lb++] = this.nX;
    lb = this.emitSuffix(this.bufB, lb, this.nY);
    this.commitInter(la, lb);
    return true;
  }

  /** SWAP (U, X) and (V, Y). */
  private move6(): boolean {
    const N = this.N;
    if (
      this.nV >= N ||
      this.nX >= N ||
      this.nY >= N ||
      this.nY === this.nPU ||
      this.nU === this.nY ||
      this.nX === this.nV ||
      this.nV === this.nXN
    ) {
      return false;
    }
    const costU =
      this.d(this.cPU, this.cV) +
      this.d(this.cY, this.cXN) -
      this.d(this.cPU, this.cU) -
      this.d(this.cX, this.cXN);
    const costV =
      this.d(this.cPV, this.cU) +
      this.d(this.cX, this.cYN) -
      this.d(this.cPV, this.cV) -
      this.d(this.cY, this.cYN);
    if (this.intra) {
      const delta = costU + costV;
      if (!this.intraPromising(delta)) return false;
      const len = this.buildIntraSwap(this.nU, 2, this.nV, 2);
      if (!this.intraAccept(delta, len)) return false;
      this.commitIntra(len);
      return true;
    }
    const movedU = this.dU + this.dX;
    const movedV = this.dV + this.dY;
    const delta = this.interDelta(
      costU,
      costV,
      this.rLoad[this.rU]! - movedU + movedV,
      this.rLoad[this.rV]! + movedU - movedV,
      6,
    );
    if (delta === Infinity) return false;
    let la = this.emitPrefix(this.bufA, 0, this.nPU);
    this.bufA[la++] = this.nV;
    this.bufA[la++] = this.nY;
    la = this.emitSuffix(this.bufA, la, this.nXN);
    let lb = this.emitPrefix(this.bufB, 0, this.nPV);
    this.bufB[lb++] = this.nU;
    this.bufB[lb++] = this.nX;
    lb = this.emitSuffix(this.bufB, lb, this.nYN);
    this.commitInter(la, lb);
    return true;
  }

  /** 2-OPT inside a route: reverse X..V. */
  private move7(): boolean {
    const N = this.N;
    if (this.nV >= N || this.pos[this.nU]! > this.pos[this.nV]! || this.nxt[this.nU] === this.nV)
      return false;
    const reversal =
      this.cumRev[this.nV]! - this.cumRev[this.nX]! - (this.cumDist[this.nV]! - this.cumDist[this.nX]!);
    const delta =
      this.d(this.cU, this.cV) +
      this.d(this.cX, this.cY) -
      this.d(this.cU, this.cX) -
      this.d(this.cV, this.cY) +
      reversal;
    if (!this.intraPromising(delta)) return false;
    let len = this.emitPrefix(this.bufA, 0, this.nU);
    for (let c = this.nV; ; c = this.prv[c]!) {
      this.bufA[len++] = c;
      if (c === this.nX) break;
    }
    len = this.emitSuffix(this.bufA, len, this.nY);
    if (!this.intraAccept(delta, len)) return false;
    this.commitIntra(len);
    return true;
  }

  /** 2-OPT* joining U→V and X→Y, both tails reversed (without time windows only). */
  private move8(): boolean {
    const N = this.N;
    const K = this.K;
    const rU = this.rU;
    const rV = this.rV;
    const newDistU = this.cumDist[this.nU]! + this.d(this.cU, this.cV) + this.cumRev[this.nV]!;
    const newDistV =
      this.cumRev[N + K + rU]! -
      this.cumRev[this.nX]! +
      this.d(this.cX, this.cY) +
      (this.rDist[rV]! - this.cumDist[this.nY]!);
    const nbU = this.pos[this.nU]! + this.pos[this.nV]!;
    const nbV = this.rNb[rU]! - this.pos[this.nU]! + this.rNb[rV]! - this.pos[this.nV]!;
    const fixedDelta =
      this.fixedCost *
      ((nbU > 0 ? 1 : 0) + (nbV > 0 ? 1 : 0) - (this.rNb[rU]! > 0 ? 1 : 0) - (this.rNb[rV]! > 0 ? 1 : 0));
    const costU = newDistU - this.rDist[rU]! + fixedDelta;
    const costV = newDistV - this.rDist[rV]!;
    const loadU = this.cumLoad[this.nU]! + this.cumLoad[this.nV]!;
    const loadV = this.rLoad[rU]! + this.rLoad[rV]! - loadU;
    const delta = this.interDelta(costU, costV, loadU, loadV, 8);
    if (delta === Infinity) return false;
    let la = this.emitPrefix(this.bufA, 0, this.nU);
    la = this.emitPrefixReversed(this.bufA, la, this.nV);
    let lb = this.emitSuffixReversed(this.bufB, 0, this.nX);
    lb = this.emitSuffix(this.bufB, lb, this.nY);
    this.commitInter(la, lb);
    return true;
  }

  /** 2-OPT* exchanging the tails after U and after V. */
  private move9(): boolean {
    const rU = this.rU;
    const rV = this.rV;
    const newDistU =
      this.cumDist[this.nU]! + this.d(this.cU, this.cY) + this.rDist[rV]! - this.cumDist[this.nY]!;
    const newDistV =
      this.cumDist[this.nV]! + this.d(this.cV, this.cX) + this.rDist[rU]! - this.cumDist[this.nX]!;
    const nbU = this.pos[this.nU]! + this.rNb[rV]! - this.pos[this.nV]!;
    const nbV = this.pos[this.nV]! + this.rNb[rU]! - this.pos[this.nU]!;
    const fixedDelta =
      this.fixedCost *
      ((nbU > 0 ? 1 : 0) + (nbV > 0 ? 1 : 0) - (this.rNb[rU]! > 0 ? 1 : 0) - (this.rNb[rV]! > 0 ? 1 : 0));
    const costU = newDistU - this.rDist[rU]! + fixedDelta;
    const costV = newDistV - this.rDist[rV]!;
    const loadU = this.cumLoad[this.nU]! + this.rLoad[rV]! - this.cumLoad[this.nV]!;
    const loadV = this.cumLoad[this.nV]! + this.rLoad[rU]! - this.cumLoad[this.nU]!;
    const delta = this.interDelta(costU, costV, loadU, loadV, 9);
    if (delta === Infinity) return false;
    let la = this.emitPrefix(this.bufA, 0, this.nU);
    la = this.emitSuffix(this.bufA, la, this.nY);
    let lb = this.emitPrefix(this.bufB, 0, this.nV);
    lb = this.emitSuffix(this.bufB, lb, this.nX);
    this.commitInter(la, lb);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------
  // SWAP* (Vidal 2022, §4): exchange U ∈ rU and V ∈ rV, each reinserted at its best position in the other
  // route (not necessarily in place of the other). With time windows the insertion costs include the
  // time-warp change; the chosen move is re-evaluated exactly before it is applied.

  private swapStar(ru: number, rv: number): boolean {
    const N = this.N;
    const nxt = this.nxt;
    this.preprocessInsertions(ru, rv);
    this.preprocessInsertions(rv, ru);
    const loadU = this.rLoad[ru]!;
    const loadV = this.rLoad[rv]!;
    const penLoadU = this.loadPen(loadU);
    const penLoadV = this.loadPen(loadV);
    let bestCost = -EPS;
    let bestU = NO_NODE;
    let bestV = NO_NODE;
    let bestPosU = NO_NODE;
    let bestPosV = NO_NODE;
    const endU = N + this.K + ru;
    const endV = N + this.K + rv;
    for (let u = nxt[N + ru]!; u !== endU; u = nxt[u]!) {
      const du = this.demand[u]!;
      const remU = this.remDelta[u]!;
      for (let v = nxt[N + rv]!; v !== endV; v = nxt[v]!) {
        const dv = this.demand[v]!;
        const deltaPenU = this.loadPen(loadU + dv - du) - penLoadU;
        const deltaPenV = this.loadPen(loadV + du - dv) - penLoadV;
        const base = deltaPenU + remU + deltaPenV + this.remDelta[v]!;
        if (base > 0) continue;
        const extraV = this.cheapestInsertSimultRemoval(u, v, rv);
        const posU = this.ssPos;
        const extraU = this.cheapestInsertSimultRemoval(v, u, ru);
        const posV = this.ssPos;
        const cost = base + extraU + extraV;
        if (cost < bestCost) {
          bestCost = cost;
          bestU = u;
          bestV = v;
          bestPosU = posU;
          bestPosV = posV;
        }
      }
    }
    // RELOCATE of one customer to its best position in the other route comes for free here.
    for (let u = nxt[N + ru]!; u !== endU; u = nxt[u]!) {
      const du = this.demand[u]!;
      const idx = (rv * N + u) * 3;
      let cost =
        this.remDelta[u]! +
        this.insCost[idx]! +
        this.loadPen(loadU - du) -
        penLoadU +
        this.loadPen(loadV + du) -
        penLoadV;
      if (this.rNb[ru] === 1) cost -= this.fixedCost;
      if (cost < bestCost) {
        bestCost = cost;
        bestU = u;
        bestV = NO_NODE;
        bestPosU = this.insLoc[idx]!;
        bestPosV = NO_NODE;
      }
    }
    for (let v = nxt[N + rv]!; v !== endV; v = nxt[v]!) {
      const dv = this.demand[v]!;
      const idx = (ru * N + v) * 3;
      let cost =
        this.remDelta[v]! +
        this.insCost[idx]! +
        this.loadPen(loadV - dv) -
        penLoadV +
        this.loadPen(loadU + dv) -
        penLoadU;
      if (this.rNb[rv] === 1) cost -= this.fixedCost;
      if (cost < bestCost) {
        bestCost = cost;
        bestU = NO_NODE;
        bestV = v;
        bestPosU = NO_NODE;
        bestPosV = this.insLoc[idx]!;
      }
    }
    if (bestU === NO_NODE && bestV === NO_NODE) return false;
    // Exact evaluation of the two new routes.
    const la = this.buildExchange(this.bufA, ru, bestU, bestV, bestPosV);
    const lb = this.buildExchange(this.bufB, rv, bestV, bestU, bestPosU);
    const ev = this.ev;
    ev.evaluateRoute(this.bufA, 0, la);
    const newA = ev.cost(ev.routeDistance, ev.routeLoad, ev.routeTimeWarp, la > 0, this.pc, this.ptw);
    ev.evaluateRoute(this.bufB, 0, lb);
    const newB = ev.cost(ev.routeDistance, ev.routeLoad, ev.routeTimeWarp, lb > 0, this.pc, this.ptw);
    const old =
      this.rDist[ru]! +
      this.rPen[ru]! +
      this.rDist[rv]! +
      this.rPen[rv]! +
      this.fixedCost * ((this.rNb[ru]! > 0 ? 1 : 0) + (this.rNb[rv]! > 0 ? 1 : 0));
    if (newA + newB - old > -EPS) return false;
    this.nbMoves++;
    this.movesApplied++;
    this.searchCompleted = false;
    this.setRoute(ru, this.bufA, la);
    this.setRoute(rv, this.bufB, lb);
    return true;
  }

  /** Route r without `removed` and with `inserted` placed after node `after` (a node of r). */
  private buildExchange(
    buf: Int32Array,
    r: number,
    removed: number,
    inserted: number,
    after: number,
  ): number {
    const N = this.N;
    let len = 0;
    if (inserted !== NO_NODE && after === N + r) buf[len++] = inserted;
    const end = N + this.K + r;
    for (let c = this.nxt[N + r]!; c !== end; c = this.nxt[c]!) {
      if (c !== removed) buf[len++] = c;
      if (inserted !== NO_NODE && c === after) buf[len++] = inserted;
    }
    return len;
  }

  private preprocessInsertions(r1: number, r2: number): void {
    const N = this.N;
    const K = this.K;
    const nxt = this.nxt;
    const ev = this.ev;
    const hasTw = this.hasTw;
    const ptw = this.ptw;
    const end1 = N + K + r1;
    const end2 = N + K + r2;
    const tw2 = this.rTw[r2]!;
    const tw1 = this.rTw[r1]!;
    for (let u = nxt[N + r1]!; u !== end1; u = nxt[u]!) {
      const pu = this.prv[u]!;
      const xu = nxt[u]!;
      const cpu = this.cityOf[pu]!;
      const cxu = this.cityOf[xu]!;
      let rem = this.d(cpu, cxu) - this.d(cpu, u) - this.d(u, cxu);
      if (hasTw) {
        const twRem = ev.timeWarp2(this.fwd(pu), this.bwd(xu));
        this.remTw[u] = twRem;
        rem += ptw * (twRem - tw1);
      }
      this.remDelta[u] = rem;
      const slot = r2 * N + u;
      if (this.rWhenMod[r2]! <= this.insWhen[slot]!) continue;
      this.insWhen[slot] = this.nbMoves;
      const idx = slot * 3;
      const costs = this.insCost;
      const locs = this.insLoc;
      costs[idx] = 1e30;
      costs[idx + 1] = 1e30;
      costs[idx + 2] = 1e30;
      locs[idx] = NO_NODE;
      locs[idx + 1] = NO_NODE;
      locs[idx + 2] = NO_NODE;
      for (let p = N + r2; p !== end2; p = nxt[p]!) {
        const np = nxt[p]!;
        const cp = this.cityOf[p]!;
        const cnp = this.cityOf[np]!;
        let cost = this.d(cp, u) + this.d(u, cnp) - this.d(cp, cnp);
        if (hasTw) cost += ptw * (ev.timeWarp3(this.fwd(p), u, this.bwd(np)) - tw2);
        if (cost >= costs[idx + 2]!) continue;
        if (cost >= costs[idx + 1]!) {
          costs[idx + 2] = cost;
          locs[idx + 2] = p;
        } else if (cost >= costs[idx]!) {
          costs[idx + 2] = costs[idx + 1]!;
          locs[idx + 2] = locs[idx + 1]!;
          costs[idx + 1] = cost;
          locs[idx + 1] = p;
        } else {
          costs[idx + 2] = costs[idx + 1]!;
          locs[idx + 2] = locs[idx + 1]!;
          costs[idx + 1] = costs[idx]!;
          locs[idx + 1] = locs[idx]!;
          costs[idx] = cost;
          locs[idx] = p;
        }
      }
    }
  }

  /**
   * Cheapest insertion of u into route r (which contains v) when v is removed at the same time: among the
   * three best positions those not adjacent to v, or in place of v. Sets this.ssPos.
   */
  private cheapestInsertSimultRemoval(u: number, v: number, r: number): number {
    const nxt = this.nxt;
    const idx = (r * this.N + u) * 3;
    let pos = NO_NODE;
    let cost = Infinity;
    for (let k = 0; k < 3; k++) {
      const p = this.insLoc[idx + k]!;
      if (p === NO_NODE) break;
      if (p !== v && nxt[p] !== v) {
        pos = p;
        cost = this.insCost[idx + k]!;
        break;
      }
    }
    const pv = this.prv[v]!;
    const nv = nxt[v]!;
    const cpv = this.cityOf[pv]!;
    const cnv = this.cityOf[nv]!;
    let inPlace = this.d(cpv, u) + this.d(u, cnv) - this.d(cpv, cnv);
    if (this.hasTw) {
      inPlace += this.ptw * (this.ev.timeWarp3(this.fwd(pv), u, this.bwd(nv)) - this.remTw[v]!);
    }
    if (pos === NO_NODE || inPlace < cost) {
      pos = pv;
      cost = inPlace;
    }
    this.ssPos = pos;
    return cost;
  }
}
