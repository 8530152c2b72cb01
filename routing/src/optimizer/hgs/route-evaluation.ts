// Route evaluation by concatenation of sub-sequences (Vidal, Crainic, Gendreau & Prins 2013, "A hybrid
// genetic algorithm with adaptive diversity management for a large class of vehicle routing problems with
// time-windows", §3 and Prop. 1; PyVRP's DurationSegment). Every resource of a route lives here: a segment
// (a sub-sequence of visits) is summarised by a few numbers, two summaries concatenate in O(1), and the
// local search, Split and the individual evaluation all price routes with the same rules. A move is
// evaluated as prefix(…) ⊕ [moved visits] ⊕ suffix(…) from the forward/backward data of the routes.
//
// Time windows are relaxed with "time warp" (Nagata et al. 2010): arriving after the window closes is
// allowed by travelling back in time, and the total time warp is penalised. Load above capacity is
// penalised likewise. To add a resource dimension (fuel, a second capacity, max duration): add fields to
// the stride, their merge rule to `concat`, their singleton to `setSingleton`, and their penalty to
// `penalty`.

import type { Instance } from './instance.js';

/** Summary of a segment: Float64Array slot of SEG_STRIDE numbers. */
export const SEG_STRIDE = 8;
/** Travel distance inside the segment. */
export const SEG_DIST = 0;
/** Total demand. */
export const SEG_LOAD = 1;
/** Minimum duration (travel + service + unavoidable waiting). */
export const SEG_DUR = 2;
/** Minimum total time warp. */
export const SEG_TW = 3;
/** Earliest start of service at the first visit without avoidable waiting. */
export const SEG_EARLY = 4;
/** Latest start of service at the first visit without extra time warp. */
export const SEG_LATE = 5;
/** First and last node (for the travel times of the connecting edges). */
export const SEG_FIRST = 6;
export const SEG_LAST = 7;

export class RouteEvaluator {
  readonly seg: Float64Array;
  readonly slotCount: number;
  /** Results of `evaluateRoute`. */
  routeDistance = 0;
  routeLoad = 0;
  routeTimeWarp = 0;
  private readonly N: number;
  private readonly dist: Float64Array;
  private readonly dur: Float64Array;
  private readonly ready: Float64Array;
  private readonly due: Float64Array;
  private readonly service: Float64Array;
  private readonly capacity: number;
  private readonly fixedCost: number;
  private readonly scratch: number;

  /** Slots [0, nodeCount) hold the singleton segment of each node; `extraSlots` more are free for the caller. */
  constructor(inst: Instance, extraSlots: number) {
    this.N = inst.nodeCount;
    this.dist = inst.dist;
    this.dur = inst.dur;
    this.ready = inst.ready;
    this.due = inst.due;
    this.service = inst.service;
    this.capacity = inst.capacity;
    this.fixedCost = inst.fixedCost;
    this.slotCount = this.N + extraSlots + 2;
    this.scratch = this.N + extraSlots;
    this.seg = new Float64Array(this.slotCount * SEG_STRIDE);
    for (let i = 0; i < this.N; i++) {
      const o = i * SEG_STRIDE;
      this.seg[o + SEG_DIST] = 0;
      this.seg[o + SEG_LOAD] = i === 0 ? 0 : inst.demand[i]!;
      this.seg[o + SEG_DUR] = i === 0 ? 0 : inst.service[i]!;
      this.seg[o + SEG_TW] = 0;
      this.seg[o + SEG_EARLY] = inst.ready[i]!;
      this.seg[o + SEG_LATE] = inst.due[i]!;
      this.seg[o + SEG_FIRST] = i;
      this.seg[o + SEG_LAST] = i;
    }
  }

  /** First caller-owned slot. */
  get firstFreeSlot(): number {
    return this.N;
  }

  copy(out: number, a: number): void {
    const s = this.seg;
    const oo = out * SEG_STRIDE;
    const oa = a * SEG_STRIDE;
    for (let k = 0; k < SEG_STRIDE; k++) s[oo + k] = s[oa + k]!;
  }

  /** out = a ⊕ b. `out` may alias `a` or `b`. */
  concat(out: number, a: number, b: number): void {
    const s = this.seg;
    const oa = a * SEG_STRIDE;
    const ob = b * SEG_STRIDE;
    const edge = (s[oa + SEG_LAST]! | 0) * this.N + (s[ob + SEG_FIRST]! | 0);
    const t = this.dur[edge]!;
    const durA = s[oa + SEG_DUR]!;
    const twA = s[oa + SEG_TW]!;
    const earlyA = s[oa + SEG_EARLY]!;
    const lateA = s[oa + SEG_LATE]!;
    const earlyB = s[ob + SEG_EARLY]!;
    const lateB = s[ob + SEG_LATE]!;
    // Start of service at b's first visit, relative to the start of service at a's first visit.
    const delta = durA - twA + t;
    const waitB = earlyB - delta - lateA;
    const deltaWait = waitB > 0 ? waitB : 0;
    const warpB = earlyA + delta - lateB;
    const deltaWarp = warpB > 0 ? warpB : 0;
    const e1 = earlyB - delta;
    const l1 = lateB - delta;
    const oo = out * SEG_STRIDE;
    s[oo + SEG_DIST] = s[oa + SEG_DIST]! + s[ob + SEG_DIST]! + this.dist[edge]!;
    s[oo + SEG_LOAD] = s[oa + SEG_LOAD]! + s[ob + SEG_LOAD]!;
    s[oo + SEG_TW] = twA + s[ob + SEG_TW]! + deltaWarp;
    s[oo + SEG_DUR] = durA + s[ob + SEG_DUR]! + t + deltaWait;
    s[oo + SEG_EARLY] = (e1 > earlyA ? e1 : earlyA) - deltaWait;
    s[oo + SEG_LATE] = (l1 < lateA ? l1 : lateA) + deltaWarp;
    s[oo + SEG_FIRST] = s[oa + SEG_FIRST]!;
    s[oo + SEG_LAST] = s[ob + SEG_LAST]!;
  }

  timeWarp(slot: number): number {
    return this.seg[slot * SEG_STRIDE + SEG_TW]!;
  }

  load(slot: number): number {
    return this.seg[slot * SEG_STRIDE + SEG_LOAD]!;
  }

  distance(slot: number): number {
    return this.seg[slot * SEG_STRIDE + SEG_DIST]!;
  }

  // The timeWarpN functions price a ⊕ [c…] ⊕ b without writing any slot: the local search only needs the
  // time warp of the merged route, so intermediate summaries stay in registers.

  /** Time warp of a ⊕ b. */
  timeWarp2(a: number, b: number): number {
    const s = this.seg;
    const oa = a * SEG_STRIDE;
    const ob = b * SEG_STRIDE;
    const t = this.dur[(s[oa + SEG_LAST]! | 0) * this.N + (s[ob + SEG_FIRST]! | 0)]!;
    const twA = s[oa + SEG_TW]!;
    const warp = s[oa + SEG_EARLY]! + s[oa + SEG_DUR]! - twA + t - s[ob + SEG_LATE]!;
    return twA + s[ob + SEG_TW]! + (warp > 0 ? warp : 0);
  }

  /** Time warp of a ⊕ [c] ⊕ b (c a node). */
  timeWarp3(a: number, c: number, b: number): number {
    const s = this.seg;
    const oa = a * SEG_STRIDE;
    const ob = b * SEG_STRIDE;
    const N = this.N;
    const dur = this.dur;
    // a ⊕ [c]
    const t1 = dur[(s[oa + SEG_LAST]! | 0) * N + c]!;
    const durA = s[oa + SEG_DUR]!;
    const twA = s[oa + SEG_TW]!;
    const earlyA = s[oa + SEG_EARLY]!;
    const lateA = s[oa + SEG_LATE]!;
    const ec = this.ready[c]!;
    const lc = this.due[c]!;
    const delta = durA - twA + t1;
    const w1 = ec - delta - lateA;
    const wait = w1 > 0 ? w1 : 0;
    const x1 = earlyA + delta - lc;
    const warp = x1 > 0 ? x1 : 0;
    const dur1 = durA + this.service[c]! + t1 + wait;
    const tw1 = twA + warp;
    const e1 = ec - delta;
    const early1 = (e1 > earlyA ? e1 : earlyA) - wait;
    // … ⊕ b
    const t2 = dur[c * N + (s[ob + SEG_FIRST]! | 0)]!;
    const x2 = early1 + dur1 - tw1 + t2 - s[ob + SEG_LATE]!;
    return tw1 + s[ob + SEG_TW]! + (x2 > 0 ? x2 : 0);
  }

  /** Time warp of a ⊕ [c1, c2] ⊕ b. */
  timeWarp4(a: number, c1: number, c2: number, b: number): number {
    const s = this.seg;
    const oa = a * SEG_STRIDE;
    const ob = b * SEG_STRIDE;
    const N = this.N;
    const dur = this.dur;
    const ready = this.ready;
    const due = this.due;
    // a ⊕ [c1]
    const t1 = dur[(s[oa + SEG_LAST]! | 0) * N + c1]!;
    const durA = s[oa + SEG_DUR]!;
    const twA = s[oa + SEG_TW]!;
    const earlyA = s[oa + SEG_EARLY]!;
    const lateA = s[oa + SEG_LATE]!;
    let ec = ready[c1]!;
    let lc = due[c1]!;
    let delta = durA - twA + t1;
    let w = ec - delta - lateA;
    let wait = w > 0 ? w : 0;
    let x = earlyA + delta - lc;
    let warp = x > 0 ? x : 0;
    let d = durA + this.service[c1]! + t1 + wait;
    let tw = twA + warp;
    let e = ec - delta;
    let early = (e > earlyA ? e : earlyA) - wait;
    const l = lc - delta;
    const late = (l < lateA ? l : lateA) + warp;
    // … ⊕ [c2]
    const t2 = dur[c1 * N + c2]!;
    ec = ready[c2]!;
    lc = due[c2]!;
    delta = d - tw + t2;
    w = ec - delta - late;
    wait = w > 0 ? w : 0;
    x = early + delta - lc;
    warp = x > 0 ? x : 0;
    d = d + this.service[c2]! + t2 + wait;
    tw = tw + warp;
    e = ec - delta;
    early = (e > early ? e : early) - wait;
    // … ⊕ b
    const t3 = dur[c2 * N + (s[ob + SEG_FIRST]! | 0)]!;
    const x3 = early + d - tw + t3 - s[ob + SEG_LATE]!;
    return tw + s[ob + SEG_TW]! + (x3 > 0 ? x3 : 0);
  }

  /** Evaluates depot → nodes[from, to) → depot into routeDistance / routeLoad / routeTimeWarp. */
  evaluateRoute(nodes: Int32Array, from: number, to: number): void {
    const s0 = this.scratch + 1;
    this.copy(s0, 0);
    for (let k = from; k < to; k++) this.concat(s0, s0, nodes[k]!);
    this.concat(s0, s0, 0);
    const o = s0 * SEG_STRIDE;
    this.routeDistance = this.seg[o + SEG_DIST]!;
    this.routeLoad = this.seg[o + SEG_LOAD]!;
    this.routeTimeWarp = this.seg[o + SEG_TW]!;
  }

  /** Penalised cost of a route from its resources. */
  cost(distance: number, load: number, timeWarp: number, nonEmpty: boolean, pc: number, ptw: number): number {
    const excess = load - this.capacity;
    return distance + (nonEmpty ? this.fixedCost : 0) + (excess > 0 ? pc * excess : 0) + ptw * timeWarp;
  }

  /** Penalty part only (excess load and time warp). */
  penalty(load: number, timeWarp: number, pc: number, ptw: number): number {
    const excess = load - this.capacity;
    return (excess > 0 ? pc * excess : 0) + ptw * timeWarp;
  }

  loadExcess(load: number): number {
    const excess = load - this.capacity;
    return excess > 0 ? excess : 0;
  }
}
