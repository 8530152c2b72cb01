// Two subpopulations (feasible / infeasible) with biased fitness = cost rank + diversity rank, where the
// diversity contribution is the mean broken-pairs distance to the nbClose closest individuals (Vidal et al.
// 2012 §4.3; HGS-CVRP Population.cpp). Individuals live in a fixed pool; distances in a pool×pool matrix.

import { brokenPairsDistance, FEASIBILITY_EPS, Individual } from './individual.js';
import type { Instance } from './instance.js';
import type { Prng } from './prng.js';

const EPS = 1e-5;
const HISTORY = 100;

/** Penalty weights shared by Split, the local search and the evaluation. */
export interface Penalties {
  pc: number;
  ptw: number;
  pcMin: number;
  pcMax: number;
  ptwMin: number;
  ptwMax: number;
}

export class Population {
  readonly feasible: Individual[] = [];
  readonly infeasible: Individual[] = [];
  /** Best feasible individual since the last restart (valid when hasBestRestart). */
  readonly bestRestart: Individual;
  hasBestRestart = false;
  private readonly inst: Instance;
  private readonly rng: Prng;
  private readonly pool: Individual[];
  private readonly free: Int32Array;
  private freeCount: number;
  private readonly poolSize: number;
  private readonly distances: Float64Array;
  private readonly historyLoad: Uint8Array;
  private readonly historyTw: Uint8Array;
  private historyPos = 0;
  private dirtyFeasible = true;
  private dirtyInfeasible = true;
  private readonly divKey: Float64Array;
  private readonly rankIdx: Int32Array;
  /** Per pool slot, the nbClose smallest distances to the other members of its subpopulation, ascending. */
  private readonly nearest: Float64Array;
  private readonly nearestCount: Int32Array;
  private readonly k: number;

  constructor(inst: Instance, rng: Prng) {
    this.inst = inst;
    this.rng = rng;
    const { mu, lambda, nbClose } = inst.params;
    this.poolSize = 2 * (mu + lambda + 1) + 2;
    this.pool = [];
    this.free = new Int32Array(this.poolSize);
    for (let i = 0; i < this.poolSize; i++) {
      this.pool.push(new Individual(inst, i));
      this.free[i] = this.poolSize - 1 - i;
    }
    this.freeCount = this.poolSize;
    this.distances = new Float64Array(this.poolSize * this.poolSize);
    this.historyLoad = new Uint8Array(HISTORY).fill(1);
    this.historyTw = new Uint8Array(HISTORY).fill(1);
    this.divKey = new Float64Array(this.poolSize);
    this.rankIdx = new Int32Array(this.poolSize);
    this.k = Math.max(1, nbClose);
    this.nearest = new Float64Array(this.poolSize * this.k);
    this.nearestCount = new Int32Array(this.poolSize);
    this.bestRestart = new Individual(inst, -1);
  }

  get size(): number {
    return this.feasible.length + this.infeasible.length;
  }

  /**
   * Inserts a copy of `indiv`; runs survivor selection when a subpopulation exceeds mu + lambda.
   * Returns true if it improves the best feasible solution of the current restart.
   */
  add(indiv: Individual, updateFeasibility: boolean): boolean {
    if (updateFeasibility) {
      this.historyLoad[this.historyPos] = indiv.loadExcess <= FEASIBILITY_EPS ? 1 : 0;
      this.historyTw[this.historyPos] = indiv.timeWarp <= FEASIBILITY_EPS ? 1 : 0;
      this.historyPos = (this.historyPos + 1) % HISTORY;
    }
    const sub = indiv.feasible ? this.feasible : this.infeasible;
    const me = this.pool[this.free[--this.freeCount]!]!;
    me.copyFrom(indiv);
    const P = this.poolSize;
    const n = this.inst.customerCount;
    for (const other of sub) {
      const d = brokenPairsDistance(me, other, n);
      this.distances[me.id * P + other.id] = d;
      this.distances[other.id * P + me.id] = d;
      this.offerNearest(other.id, d);
    }
    this.rebuildNearest(me, sub);
    let place = sub.length;
    sub.push(me);
    while (place > 0 && sub[place - 1]!.penalizedCost > me.penalizedCost - EPS) {
      sub[place] = sub[place - 1]!;
      place--;
    }
    sub[place] = me;
    this.markDirty(sub);
    const { mu, lambda } = this.inst.params;
    if (sub.length > mu + lambda) {
      while (sub.length > mu) this.removeWorstBiasedFitness(sub);
    }
    if (
      indiv.feasible &&
      (!this.hasBestRestart || indiv.penalizedCost < this.bestRestart.penalizedCost - EPS)
    ) {
      this.bestRestart.copyFrom(indiv);
      this.hasBestRestart = true;
      return true;
    }
    return false;
  }

  /** Binary tournament on biased fitness over both subpopulations. */
  tournament(): Individual {
    const nf = this.feasible.length;
    const total = nf + this.infeasible.length;
    const p1 = this.rng.nextInt(total);
    const p2 = this.rng.nextInt(total);
    const a = p1 < nf ? this.feasible[p1]! : this.infeasible[p1 - nf]!;
    const b = p2 < nf ? this.feasible[p2]! : this.infeasible[p2 - nf]!;
    if (this.dirtyFeasible) {
      this.updateBiasedFitnesses(this.feasible);
      this.dirtyFeasible = false;
    }
    if (this.dirtyInfeasible) {
      this.updateBiasedFitnesses(this.infeasible);
      this.dirtyInfeasible = false;
    }
    return a.biasedFitness < b.biasedFitness ? a : b;
  }

  /** Adapts the penalty weights towards the target share of feasible local-search outcomes. */
  managePenalties(pen: Penalties): void {
    const { targetFeasible, penaltyIncrease, penaltyDecrease } = this.inst.params;
    let okLoad = 0;
    let okTw = 0;
    for (let i = 0; i < HISTORY; i++) {
      okLoad += this.historyLoad[i]!;
      okTw += this.historyTw[i]!;
    }
    const fracLoad = okLoad / HISTORY;
    const fracTw = okTw / HISTORY;
    if (fracLoad < targetFeasible - 0.05 && pen.pc < pen.pcMax)
      pen.pc = Math.min(pen.pc * penaltyIncrease, pen.pcMax);
    else if (fracLoad > targetFeasible + 0.05 && pen.pc > pen.pcMin) {
      pen.pc = Math.max(pen.pc * penaltyDecrease, pen.pcMin);
    }
    if (this.inst.hasTimeWindows) {
      if (fracTw < targetFeasible - 0.05 && pen.ptw < pen.ptwMax)
        pen.ptw = Math.min(pen.ptw * penaltyIncrease, pen.ptwMax);
      else if (fracTw > targetFeasible + 0.05 && pen.ptw > pen.ptwMin) {
        pen.ptw = Math.max(pen.ptw * penaltyDecrease, pen.ptwMin);
      }
    }
    const sub = this.infeasible;
    for (const ind of sub) ind.penalise(pen.pc, pen.ptw);
    for (let i = 1; i < sub.length; i++) {
      const x = sub[i]!;
      let j = i - 1;
      while (j >= 0 && sub[j]!.penalizedCost > x.penalizedCost + EPS) {
        sub[j + 1] = sub[j]!;
        j--;
      }
      sub[j + 1] = x;
    }
    this.dirtyInfeasible = true;
  }

  /** Empties both subpopulations (restart); the caller rebuilds an initial population. */
  clear(): void {
    for (const sub of [this.feasible, this.infeasible]) {
      for (const ind of sub) this.free[this.freeCount++] = ind.id;
      sub.length = 0;
    }
    this.hasBestRestart = false;
    this.dirtyFeasible = true;
    this.dirtyInfeasible = true;
  }

  /** Mean distance of `ind` to its min(k, nbClose) closest others in its subpopulation. */
  private averageClosest(ind: Individual, k: number): number {
    const count = Math.min(k, this.nearestCount[ind.id]!);
    if (count === 0) return 0;
    const o = ind.id * this.k;
    let s = 0;
    for (let i = 0; i < count; i++) s += this.nearest[o + i]!;
    return s / count;
  }

  /** Inserts distance d into the sorted nearest list of pool slot id if it belongs there. */
  private offerNearest(id: number, d: number): void {
    const k = this.k;
    const o = id * k;
    const near = this.nearest;
    let count = this.nearestCount[id]!;
    if (count === k && d >= near[o + k - 1]!) return;
    let p = count < k ? count++ : k - 1;
    while (p > 0 && near[o + p - 1]! > d) {
      near[o + p] = near[o + p - 1]!;
      p--;
    }
    near[o + p] = d;
    this.nearestCount[id] = count;
  }

  private rebuildNearest(ind: Individual, sub: Individual[]): void {
    this.nearestCount[ind.id] = 0;
    const row = ind.id * this.poolSize;
    for (const other of sub) {
      if (other !== ind) this.offerNearest(ind.id, this.distances[row + other.id]!);
    }
  }

  private updateBiasedFitnesses(sub: Individual[]): void {
    const m = sub.length;
    if (m === 0) return;
    if (m === 1) {
      sub[0]!.biasedFitness = 0;
      return;
    }
    const { nbClose, nbElite } = this.inst.params;
    const key = this.divKey;
    const idx = this.rankIdx;
    for (let i = 0; i < m; i++) {
      key[i] = this.averageClosest(sub[i]!, nbClose);
      idx[i] = i;
    }
    // Decreasing diversity contribution; ties keep the better-cost individual first.
    for (let i = 1; i < m; i++) {
      const x = idx[i]!;
      const kx = key[x]!;
      let j = i - 1;
      while (j >= 0 && key[idx[j]!]! < kx) {
        idx[j + 1] = idx[j]!;
        j--;
      }
      idx[j + 1] = x;
    }
    for (let i = 0; i < m; i++) {
      const divRank = i / (m - 1);
      const fitRank = idx[i]! / (m - 1);
      const ind = sub[idx[i]!]!;
      ind.biasedFitness = m <= nbElite ? fitRank : fitRank + (1 - nbElite / m) * divRank;
    }
  }

  private removeWorstBiasedFitness(sub: Individual[]): void {
    this.updateBiasedFitnesses(sub);
    let worst = -1;
    let worstIsClone = false;
    let worstFitness = -Infinity;
    for (let i = 1; i < sub.length; i++) {
      const isClone = this.averageClosest(sub[i]!, 1) < EPS;
      const f = sub[i]!.biasedFitness;
      if ((isClone && !worstIsClone) || (isClone === worstIsClone && f > worstFitness)) {
        worst = i;
        worstIsClone = isClone;
        worstFitness = f;
      }
    }
    const removed = sub[worst]!;
    for (let i = worst; i < sub.length - 1; i++) sub[i] = sub[i + 1]!;
    sub.length--;
    this.free[this.freeCount++] = removed.id;
    // Members that counted the removed individual among their closest rebuild their list.
    const P = this.poolSize;
    const k = this.k;
    for (const other of sub) {
      const count = this.nearestCount[other.id]!;
      const d = this.distances[other.id * P + removed.id]!;
      if (count < k || d <= this.nearest[other.id * k + count - 1]!) this.rebuildNearest(other, sub);
    }
    this.markDirty(sub);
  }

  private markDirty(sub: Individual[]): void {
    if (sub === this.feasible) this.dirtyFeasible = true;
    else this.dirtyInfeasible = true;
  }
}
