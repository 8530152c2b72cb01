import { ContractionHierarchy, NO_MIDDLE } from './contraction-hierarchy.js';
import { ChError, validateGraph, WEIGHT_INFINITY, type DirectedGraph } from './graph.js';
import { MinHeap } from './min-heap.js';

export interface ContractOptions {
  /**
   * Contract in exactly this order (rank → node id), typically `h.order` of a hierarchy of the same
   * graph under another metric: customization (traffic speeds, a vehicle class with edges closed)
   * without computing a new order.
   */
  order?: Uint32Array;
}

// A witness search stops after this many settled nodes, and does not extend paths beyond this many
// edges; a search cut short only costs a superfluous shortcut, never a wrong distance. On our test
// graphs the searches end on their own (all targets decided, or the bounded region exhausted) long
// before either limit.
const WITNESS_SETTLE_LIMIT = 500;
const WITNESS_HOP_LIMIT = 16;
// Priorities of nodes not about to be contracted are estimates: their witness searches stop sooner.
const ESTIMATE_SETTLE_LIMIT = 50;
// Lazy updates let priorities go stale (mostly too high: a node whose neighbours were contracted
// may have become cheap). Re-estimating every queued node each time the queue halves costs about two
// extra evaluations per node and gives ~25 % fewer shortcuts and ~30–40 % smaller query search
// spaces on our grid benchmarks.
const REFRESH_FACTOR = 0.5;
const REFRESH_MIN_QUEUE = 100;

// Priority weights (OSRM's proportions, with half its depth weight: fewer shortcuts and smaller
// search spaces on our grid benchmarks than RoutingKit's 1:1:1).
const LEVEL_WEIGHT = 0.5;
const EDGE_QUOTIENT_WEIGHT = 2;
const HOP_QUOTIENT_WEIGHT = 4;

const NONE = 0xffffffff;
const INITIAL_SLACK = 2;
// Module-local copies: hot loops read no imported binding (a getter call under some loaders).
const ORIGINAL_EDGE = NO_MIDDLE;
const CLOSED = WEIGHT_INFINITY;

/**
 * Builds a contraction hierarchy of `graph`; paths are shortest by (weight, distance)
 * lexicographically. Closed edges (WEIGHT_INFINITY) are dropped, so no path ever uses them.
 *
 * Without `options.order` nodes are ordered by priority: level (depth of contracted neighbours) +
 * shortcuts added / edges removed + original edges represented by them / by the removed ones. Updates
 * are lazy: a neighbour's level rises when a node is contracted, the node about to be contracted is
 * re-evaluated first and put back if it is no longer the minimum (the witness searches of that
 * re-evaluation are the ones its contraction uses), and all queued nodes are re-estimated each time
 * the queue halves.
 */
export function contract(graph: DirectedGraph, options: ContractOptions = {}): ContractionHierarchy {
  validateGraph(graph);
  const { order } = options;
  if (order !== undefined) validateOrder(order, graph.nodeCount);
  const contractor = new Contractor(graph);
  if (order !== undefined) {
    for (let r = 0; r < order.length; r++) contractor.contractNode(order[r]!);
  } else {
    contractor.contractByPriority();
  }
  return contractor.build(graph.target.length);
}

function validateOrder(order: Uint32Array, nodeCount: number): void {
  if (order.length !== nodeCount) {
    throw new ChError('InvalidOrder', `order must list all ${nodeCount} nodes, got ${order.length}`);
  }
  const seen = new Uint8Array(nodeCount);
  for (let r = 0; r < nodeCount; r++) {
    const v = order[r]!;
    if (v >= nodeCount || seen[v] === 1) {
      throw new ChError(
        'InvalidOrder',
        `order must be a permutation of 0..${nodeCount - 1}; bad entry at ${r}`,
      );
    }
    seen[v] = 1;
  }
}

/**
 * The shrinking graph of uncontracted nodes, as typed-array adjacency lists in growable pools: each
 * node owns a block of out-entries (to, weight, distance, edge record) and of in-entries (from, edge
 * record); a full block moves to the end of its pool with twice the room.
 */
class Contractor {
  private readonly n: number;

  // Edge records: every edge and shortcut ever inserted. Weight and distance are duplicated in the
  // out-entries so witness searches read one contiguous block.
  private edgeCount = 0;
  private eWeight: Uint32Array;
  private eDist: Float64Array;
  private eMiddle: Uint32Array;
  private eRef1: Uint32Array;
  private eRef2: Uint32Array;
  /** Original edges the edge stands for. */
  private eHops: Uint32Array;
  /** Index of the edge in the output up/down arrays once its lower end is contracted. */
  private eOut: Uint32Array;

  private readonly outStart: Uint32Array;
  private readonly outLen: Uint32Array;
  private readonly outCap: Uint32Array;
  private outPool = 0;
  private outTo: Uint32Array;
  private outW: Uint32Array;
  private outD: Float64Array;
  private outEdge: Uint32Array;

  private readonly inStart: Uint32Array;
  private readonly inLen: Uint32Array;
  private readonly inCap: Uint32Array;
  private inPool = 0;
  private inFrom: Uint32Array;
  private inEdge: Uint32Array;

  private readonly rankOf: Uint32Array;
  private readonly level: Uint32Array;
  private contractedCount = 0;

  // Witness search state, allocated once. Per target (an out-neighbour of the node being
  // contracted): its via-x cost and whether it is decided, valid while its mark is the generation.
  private readonly heap: MinHeap;
  private readonly hops: Uint8Array;
  private readonly mark: Uint32Array;
  private markGeneration = 0;
  private readonly decided: Uint32Array;
  private readonly viaW: Float64Array;
  private readonly viaD: Float64Array;
  private targetsStart = 0;
  private targetsEnd = 0;
  private boundW = 0;
  private boundD = 0;

  // Shortcuts x needs, from the last `findShortcuts(x)`: u→v via in-edge u→x and out-edge x→v.
  private foundFor = NONE;
  private foundCount = 0;
  private foundFrom: Uint32Array = new Uint32Array(64);
  private foundTo: Uint32Array = new Uint32Array(64);
  private foundInEdge: Uint32Array = new Uint32Array(64);
  private foundOutEdge: Uint32Array = new Uint32Array(64);

  // Output, in rank order.
  private readonly upFirst: Uint32Array;
  private upCount = 0;
  private upTarget: Uint32Array;
  private upWeight: Uint32Array;
  private upDistance: Float64Array;
  private upMiddle: Uint32Array;
  private upRef1: Uint32Array;
  private upRef2: Uint32Array;
  private readonly downFirst: Uint32Array;
  private downCount = 0;
  private downTarget: Uint32Array;
  private downWeight: Uint32Array;
  private downDistance: Float64Array;
  private downMiddle: Uint32Array;
  private downRef1: Uint32Array;
  private downRef2: Uint32Array;

  constructor(graph: DirectedGraph) {
    const n = graph.nodeCount;
    const { firstEdge, target, weight, distance } = graph;
    this.n = n;
    const m = target.length;

    const edgeCapacity = Math.max(16, m + (m >> 1));
    this.eWeight = new Uint32Array(edgeCapacity);
    this.eDist = new Float64Array(edgeCapacity);
    this.eMiddle = new Uint32Array(edgeCapacity);
    this.eRef1 = new Uint32Array(edgeCapacity);
    this.eRef2 = new Uint32Array(edgeCapacity);
    this.eHops = new Uint32Array(edgeCapacity);
    this.eOut = new Uint32Array(edgeCapacity);

    this.outStart = new Uint32Array(n);
    this.outLen = new Uint32Array(n);
    this.outCap = new Uint32Array(n);
    this.inStart = new Uint32Array(n);
    this.inLen = new Uint32Array(n);
    this.inCap = new Uint32Array(n);

    // In-degree bound for block sizes (before parallel edges are merged).
    const inDegree = new Uint32Array(n);
    for (let e = 0; e < m; e++) inDegree[target[e]!]! += 1;
    let outTotal = 0;
    let inTotal = 0;
    for (let v = 0; v < n; v++) {
      const outCap = firstEdge[v + 1]! - firstEdge[v]! + INITIAL_SLACK;
      this.outStart[v] = outTotal;
      this.outCap[v] = outCap;
      outTotal += outCap;
      const inCap = inDegree[v]! + INITIAL_SLACK;
      this.inStart[v] = inTotal;
      this.inCap[v] = inCap;
      inTotal += inCap;
    }
    this.outPool = outTotal;
    this.inPool = inTotal;
    const outPoolCapacity = outTotal + (outTotal >> 1) + 16;
    const inPoolCapacity = inTotal + (inTotal >> 1) + 16;
    this.outTo = new Uint32Array(outPoolCapacity);
    this.outW = new Uint32Array(outPoolCapacity);
    this.outD = new Float64Array(outPoolCapacity);
    this.outEdge = new Uint32Array(outPoolCapacity);
    this.inFrom = new Uint32Array(inPoolCapacity);
    this.inEdge = new Uint32Array(inPoolCapacity);

    this.rankOf = new Uint32Array(n).fill(NONE);
    this.level = new Uint32Array(n);
    this.heap = new MinHeap(n);
    this.hops = new Uint8Array(n);
    this.mark = new Uint32Array(n);
    this.decided = new Uint32Array(n);
    this.viaW = new Float64Array(n);
    this.viaD = new Float64Array(n);

    this.upFirst = new Uint32Array(n + 1);
    this.downFirst = new Uint32Array(n + 1);
    const outputCapacity = Math.max(16, m);
    this.upTarget = new Uint32Array(outputCapacity);
    this.upWeight = new Uint32Array(outputCapacity);
    this.upDistance = new Float64Array(outputCapacity);
    this.upMiddle = new Uint32Array(outputCapacity);
    this.upRef1 = new Uint32Array(outputCapacity);
    this.upRef2 = new Uint32Array(outputCapacity);
    this.downTarget = new Uint32Array(outputCapacity);
    this.downWeight = new Uint32Array(outputCapacity);
    this.downDistance = new Float64Array(outputCapacity);
    this.downMiddle = new Uint32Array(outputCapacity);
    this.downRef1 = new Uint32Array(outputCapacity);
    this.downRef2 = new Uint32Array(outputCapacity);

    // Original edges: closed ones and self-loops dropped (neither is on any shortest path), parallel
    // ones merged into the (weight, distance)-smallest.
    const slot = this.mark;
    const slotOwner = new Uint32Array(n).fill(NONE);
    for (let v = 0; v < n; v++) {
      for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
        const w = weight[e]!;
        const to = target[e]!;
        if (w === CLOSED || to === v) continue;
        const d = distance[e]!;
        if (slotOwner[to] === v) {
          const i = slot[to]!;
          if (isLess(w, d, this.outW[i]!, this.outD[i]!)) {
            const record = this.outEdge[i]!;
            this.outW[i] = w;
            this.outD[i] = d;
            this.eWeight[record] = w;
            this.eDist[record] = d;
            this.eRef1[record] = e;
          }
          continue;
        }
        const record = this.newEdgeRecord(w, d, ORIGINAL_EDGE, e, NONE, 1);
        const i = this.outStart[v]! + this.outLen[v]!++;
        this.outTo[i] = to;
        this.outW[i] = w;
        this.outD[i] = d;
        this.outEdge[i] = record;
        slotOwner[to] = v;
        slot[to] = i;
      }
    }
    slot.fill(0);
    for (let v = 0; v < n; v++) {
      const start = this.outStart[v]!;
      const end = start + this.outLen[v]!;
      for (let i = start; i < end; i++) {
        const to = this.outTo[i]!;
        const j = this.inStart[to]! + this.inLen[to]!++;
        this.inFrom[j] = v;
        this.inEdge[j] = this.outEdge[i]!;
      }
    }
  }

  /** Greedy order by priority with lazy updates (see `contract`). */
  contractByPriority(): void {
    const n = this.n;
    const queue = new MinHeap(n);
    for (let v = 0; v < n; v++) queue.push(v, this.evaluate(v, ESTIMATE_SETTLE_LIMIT), v);
    const neighbours = new Uint32Array(n);
    const seen = new Uint32Array(n).fill(NONE);
    let nextRefresh = Math.floor(n * REFRESH_FACTOR);
    while (queue.size > 0) {
      if (queue.size <= nextRefresh && queue.size > REFRESH_MIN_QUEUE) {
        nextRefresh = Math.floor(queue.size * REFRESH_FACTOR);
        for (let v = 0; v < n; v++)
          if (queue.isQueued(v)) queue.update(v, this.evaluate(v, ESTIMATE_SETTLE_LIMIT), v);
      }
      const x = queue.peek();
      const priority = this.evaluate(x);
      if (priority > queue.minKey()) {
        queue.update(x, priority, x);
        if (queue.peek() !== x) continue;
      }
      queue.pop();
      // Neighbours are read before contraction removes x from their lists.
      let count = 0;
      const inStart = this.inStart[x]!;
      const inEnd = inStart + this.inLen[x]!;
      for (let i = inStart; i < inEnd; i++) {
        const u = this.inFrom[i]!;
        if (seen[u] !== x) {
          seen[u] = x;
          neighbours[count++] = u;
        }
      }
      const outStart = this.outStart[x]!;
      const outEnd = outStart + this.outLen[x]!;
      for (let i = outStart; i < outEnd; i++) {
        const v = this.outTo[i]!;
        if (seen[v] !== x) {
          seen[v] = x;
          neighbours[count++] = v;
        }
      }
      this.contractNode(x);
      const nextLevel = this.level[x]! + 1;
      for (let i = 0; i < count; i++) {
        const y = neighbours[i]!;
        const before = this.level[y]!;
        if (before >= nextLevel) continue;
        this.level[y] = nextLevel;
        queue.update(y, queue.key(y) + LEVEL_WEIGHT * (nextLevel - before), y);
      }
    }
  }

  /** Gives x the next rank: emits its remaining edges, removes it, inserts the shortcuts it needs. */
  contractNode(x: number): void {
    if (this.foundFor !== x) this.findShortcuts(x, WITNESS_SETTLE_LIMIT);
    const r = this.contractedCount++;
    this.rankOf[x] = r;

    // x's remaining edges all lead to higher ranks: they are its final upward/downward edges.
    const outStart = this.outStart[x]!;
    const outEnd = outStart + this.outLen[x]!;
    const inStart = this.inStart[x]!;
    const inEnd = inStart + this.inLen[x]!;
    this.reserveOutput(this.outLen[x]!, this.inLen[x]!);
    this.upFirst[r] = this.upCount;
    for (let i = outStart; i < outEnd; i++) {
      const e = this.outEdge[i]!;
      const k = this.upCount++;
      this.upTarget[k] = this.outTo[i]!;
      this.upWeight[k] = this.eWeight[e]!;
      this.upDistance[k] = this.eDist[e]!;
      this.upMiddle[k] = this.eMiddle[e]!;
      this.upRef1[k] = this.eRef1[e]!;
      this.upRef2[k] = this.eRef2[e]!;
      this.eOut[e] = k;
    }
    this.upFirst[r + 1] = this.upCount;
    this.downFirst[r] = this.downCount;
    for (let i = inStart; i < inEnd; i++) {
      const e = this.inEdge[i]!;
      const k = this.downCount++;
      this.downTarget[k] = this.inFrom[i]!;
      this.downWeight[k] = this.eWeight[e]!;
      this.downDistance[k] = this.eDist[e]!;
      this.downMiddle[k] = this.eMiddle[e]!;
      this.downRef1[k] = this.eRef1[e]!;
      this.downRef2[k] = this.eRef2[e]!;
      this.eOut[e] = k;
    }
    this.downFirst[r + 1] = this.downCount;

    for (let i = outStart; i < outEnd; i++) this.removeIn(this.outTo[i]!, x);
    for (let i = inStart; i < inEnd; i++) this.removeOut(this.inFrom[i]!, x);

    this.foundFor = NONE;
    for (let k = 0; k < this.foundCount; k++) {
      const uEdge = this.foundInEdge[k]!;
      const vEdge = this.foundOutEdge[k]!;
      const w = this.eWeight[uEdge]! + this.eWeight[vEdge]!;
      if (w >= CLOSED) {
        throw new ChError(
          'WeightOverflow',
          `shortcut weight ${w} does not fit 32 bits below WEIGHT_INFINITY`,
        );
      }
      this.addEdge(
        this.foundFrom[k]!,
        this.foundTo[k]!,
        w,
        this.eDist[uEdge]! + this.eDist[vEdge]!,
        x,
        this.eOut[uEdge]!,
        this.eOut[vEdge]!,
        this.eHops[uEdge]! + this.eHops[vEdge]!,
      );
    }
  }

  /** Finds x's shortcuts (kept for `contractNode(x)`) and returns x's priority. */
  private evaluate(x: number, settleLimit = WITNESS_SETTLE_LIMIT): number {
    this.findShortcuts(x, settleLimit);
    const removed = this.inLen[x]! + this.outLen[x]!;
    if (removed === 0) return LEVEL_WEIGHT * this.level[x]!;
    const { eHops, outEdge, inEdge, foundInEdge, foundOutEdge } = this;
    let removedHops = 0;
    const outStart = this.outStart[x]!;
    const outEnd = outStart + this.outLen[x]!;
    for (let i = outStart; i < outEnd; i++) removedHops += eHops[outEdge[i]!]!;
    const inStart = this.inStart[x]!;
    const inEnd = inStart + this.inLen[x]!;
    for (let i = inStart; i < inEnd; i++) removedHops += eHops[inEdge[i]!]!;
    const added = this.foundCount;
    let addedHops = 0;
    for (let k = 0; k < added; k++) addedHops += eHops[foundInEdge[k]!]! + eHops[foundOutEdge[k]!]!;
    return (
      LEVEL_WEIGHT * this.level[x]! +
      (EDGE_QUOTIENT_WEIGHT * added) / removed +
      (HOP_QUOTIENT_WEIGHT * addedHops) / removedHops
    );
  }

  /**
   * For each in-neighbour u of x: a witness search from u avoiding x; every out-neighbour v not
   * reached within the cost of u→x→v needs the shortcut u→v. Records them in `found*`.
   */
  private findShortcuts(x: number, settleLimit: number): void {
    const { heap, outTo, outEdge, eWeight, eDist, mark, viaW, viaD } = this;
    let found = 0;
    const inStart = this.inStart[x]!;
    const inEnd = inStart + this.inLen[x]!;
    const outStart = this.outStart[x]!;
    const outEnd = outStart + this.outLen[x]!;
    this.targetsStart = outStart;
    this.targetsEnd = outEnd;
    for (let a = inStart; a < inEnd; a++) {
      const u = this.inFrom[a]!;
      const uEdge = this.inEdge[a]!;
      const wu = eWeight[uEdge]!;
      const du = eDist[uEdge]!;
      const generation = this.nextGeneration();
      let targets = 0;
      for (let b = outStart; b < outEnd; b++) {
        const v = outTo[b]!;
        if (v === u) continue;
        const vEdge = outEdge[b]!;
        mark[v] = generation;
        viaW[v] = wu + eWeight[vEdge]!;
        viaD[v] = du + eDist[vEdge]!;
        targets += 1;
      }
      if (targets === 0) continue;
      this.witnessSearch(u, x, targets, generation, settleLimit);
      for (let b = outStart; b < outEnd; b++) {
        const v = outTo[b]!;
        if (v === u) continue;
        if (heap.has(v) && !isLess(viaW[v]!, viaD[v]!, heap.key(v), heap.key2(v))) continue; // witnessed
        if (found === this.foundFrom.length) this.growFound();
        this.foundFrom[found] = u;
        this.foundTo[found] = v;
        this.foundInEdge[found] = uEdge;
        this.foundOutEdge[found] = outEdge[b]!;
        found += 1;
      }
    }
    this.foundCount = found;
    this.foundFor = settleLimit === WITNESS_SETTLE_LIMIT ? x : NONE;
  }

  /**
   * Dijkstra by (weight, distance) from `source` over uncontracted nodes except `avoid`. A target is
   * decided once reached within its via cost (witnessed) or settled beyond it (shortcut needed); the
   * search stops when all are decided, when the queue passes the largest via cost still undecided,
   * or at a limit. Keys left in the heap are lengths of real paths, hence valid witnesses.
   */
  private witnessSearch(
    source: number,
    avoid: number,
    targets: number,
    generation: number,
    settleLimit: number,
  ): void {
    const { heap, hops, mark, decided, viaW, viaD, outStart, outLen, outTo, outW, outD } = this;
    heap.clear();
    heap.push(source, 0, 0);
    hops[source] = 0;
    let settled = 0;
    let remaining = targets;
    this.updateBound(generation);
    let boundW = this.boundW;
    let boundD = this.boundD;
    while (heap.size > 0) {
      const kw = heap.minKey();
      const kd = heap.minKey2();
      if (isLess(boundW, boundD, kw, kd)) return;
      const v = heap.pop();
      if (mark[v] === generation && decided[v] !== generation) {
        decided[v] = generation;
        if (--remaining === 0) return;
        if (viaW[v] === boundW && viaD[v] === boundD) {
          this.updateBound(generation);
          boundW = this.boundW;
          boundD = this.boundD;
        }
      }
      if (++settled > settleLimit) return;
      const h = hops[v]!;
      if (h >= WITNESS_HOP_LIMIT) continue;
      for (let i = outStart[v]!, end = i + outLen[v]!; i < end; i++) {
        const to = outTo[i]!;
        if (to === avoid) continue;
        const w = kw + outW[i]!;
        const d = kd + outD[i]!;
        if (w > boundW || (w === boundW && d > boundD)) continue;
        if (!heap.relax(to, w, d)) continue;
        hops[to] = h + 1;
        if (mark[to] === generation && decided[to] !== generation && !isLess(viaW[to]!, viaD[to]!, w, d)) {
          decided[to] = generation;
          if (--remaining === 0) return;
          if (viaW[to] === boundW && viaD[to] === boundD) {
            this.updateBound(generation);
            boundW = this.boundW;
            boundD = this.boundD;
          }
        }
      }
    }
  }

  /** A fresh stamp for `mark`/`decided`; both are wiped on the (distant) wrap-around. */
  private nextGeneration(): number {
    if (this.markGeneration === 0xfffffffe) {
      this.mark.fill(0);
      this.decided.fill(0);
      this.markGeneration = 0;
    }
    return ++this.markGeneration;
  }

  /** The largest via cost among targets not yet decided: no witness can be useful beyond it. */
  private updateBound(generation: number): void {
    const { outTo, mark, decided, viaW, viaD } = this;
    let w = -1;
    let d = -1;
    for (let b = this.targetsStart; b < this.targetsEnd; b++) {
      const v = outTo[b]!;
      if (mark[v] !== generation || decided[v] === generation) continue;
      if (isLess(w, d, viaW[v]!, viaD[v]!)) {
        w = viaW[v]!;
        d = viaD[v]!;
      }
    }
    this.boundW = w;
    this.boundD = d;
  }

  /** Inserts u→v, or improves an existing u→v. */
  private addEdge(
    u: number,
    v: number,
    w: number,
    d: number,
    middle: number,
    ref1: number,
    ref2: number,
    hopCount: number,
  ): void {
    const start = this.outStart[u]!;
    const end = start + this.outLen[u]!;
    for (let i = start; i < end; i++) {
      if (this.outTo[i] !== v) continue;
      if (!isLess(w, d, this.outW[i]!, this.outD[i]!)) return;
      // Both ends are uncontracted, so nothing refers to this record yet: overwrite it.
      const record = this.outEdge[i]!;
      this.outW[i] = w;
      this.outD[i] = d;
      this.eWeight[record] = w;
      this.eDist[record] = d;
      this.eMiddle[record] = middle;
      this.eRef1[record] = ref1;
      this.eRef2[record] = ref2;
      this.eHops[record] = hopCount;
      return;
    }
    const record = this.newEdgeRecord(w, d, middle, ref1, ref2, hopCount);
    if (this.outLen[u] === this.outCap[u]) this.moveOutBlock(u);
    const i = this.outStart[u]! + this.outLen[u]!++;
    this.outTo[i] = v;
    this.outW[i] = w;
    this.outD[i] = d;
    this.outEdge[i] = record;
    if (this.inLen[v] === this.inCap[v]) this.moveInBlock(v);
    const j = this.inStart[v]! + this.inLen[v]!++;
    this.inFrom[j] = u;
    this.inEdge[j] = record;
  }

  private removeOut(u: number, to: number): void {
    const start = this.outStart[u]!;
    const last = start + this.outLen[u]! - 1;
    for (let i = start; i <= last; i++) {
      if (this.outTo[i] !== to) continue;
      this.outTo[i] = this.outTo[last]!;
      this.outW[i] = this.outW[last]!;
      this.outD[i] = this.outD[last]!;
      this.outEdge[i] = this.outEdge[last]!;
      this.outLen[u]! -= 1;
      return;
    }
  }

  private removeIn(v: number, from: number): void {
    const start = this.inStart[v]!;
    const last = start + this.inLen[v]! - 1;
    for (let i = start; i <= last; i++) {
      if (this.inFrom[i] !== from) continue;
      this.inFrom[i] = this.inFrom[last]!;
      this.inEdge[i] = this.inEdge[last]!;
      this.inLen[v]! -= 1;
      return;
    }
  }

  private newEdgeRecord(
    w: number,
    d: number,
    middle: number,
    ref1: number,
    ref2: number,
    hops: number,
  ): number {
    if (this.edgeCount === this.eWeight.length) {
      const capacity = this.edgeCount * 2;
      this.eWeight = grow(this.eWeight, capacity);
      this.eDist = grow(this.eDist, capacity);
      this.eMiddle = grow(this.eMiddle, capacity);
      this.eRef1 = grow(this.eRef1, capacity);
      this.eRef2 = grow(this.eRef2, capacity);
      this.eHops = grow(this.eHops, capacity);
      this.eOut = grow(this.eOut, capacity);
    }
    const record = this.edgeCount++;
    this.eWeight[record] = w;
    this.eDist[record] = d;
    this.eMiddle[record] = middle;
    this.eRef1[record] = ref1;
    this.eRef2[record] = ref2;
    this.eHops[record] = hops;
    return record;
  }

  private moveOutBlock(u: number): void {
    const len = this.outLen[u]!;
    const capacity = Math.max(4, len * 2);
    if (this.outPool + capacity > this.outTo.length) {
      const poolCapacity = Math.max(this.outTo.length * 2, this.outPool + capacity);
      this.outTo = grow(this.outTo, poolCapacity);
      this.outW = grow(this.outW, poolCapacity);
      this.outD = grow(this.outD, poolCapacity);
      this.outEdge = grow(this.outEdge, poolCapacity);
    }
    const from = this.outStart[u]!;
    const to = this.outPool;
    this.outTo.copyWithin(to, from, from + len);
    this.outW.copyWithin(to, from, from + len);
    this.outD.copyWithin(to, from, from + len);
    this.outEdge.copyWithin(to, from, from + len);
    this.outStart[u] = to;
    this.outCap[u] = capacity;
    this.outPool += capacity;
  }

  private moveInBlock(v: number): void {
    const len = this.inLen[v]!;
    const capacity = Math.max(4, len * 2);
    if (this.inPool + capacity > this.inFrom.length) {
      const poolCapacity = Math.max(this.inFrom.length * 2, this.inPool + capacity);
      this.inFrom = grow(this.inFrom, poolCapacity);
      this.inEdge = grow(this.inEdge, poolCapacity);
    }
    const from = this.inStart[v]!;
    const to = this.inPool;
    this.inFrom.copyWithin(to, from, from + len);
    this.inEdge.copyWithin(to, from, from + len);
    this.inStart[v] = to;
    this.inCap[v] = capacity;
    this.inPool += capacity;
  }

  private reserveOutput(up: number, down: number): void {
    if (this.upCount + up > this.upTarget.length) {
      const capacity = Math.max(this.upTarget.length * 2, this.upCount + up);
      this.upTarget = grow(this.upTarget, capacity);
      this.upWeight = grow(this.upWeight, capacity);
      this.upDistance = grow(this.upDistance, capacity);
      this.upMiddle = grow(this.upMiddle, capacity);
      this.upRef1 = grow(this.upRef1, capacity);
      this.upRef2 = grow(this.upRef2, capacity);
    }
    if (this.downCount + down > this.downTarget.length) {
      const capacity = Math.max(this.downTarget.length * 2, this.downCount + down);
      this.downTarget = grow(this.downTarget, capacity);
      this.downWeight = grow(this.downWeight, capacity);
      this.downDistance = grow(this.downDistance, capacity);
      this.downMiddle = grow(this.downMiddle, capacity);
      this.downRef1 = grow(this.downRef1, capacity);
      this.downRef2 = grow(this.downRef2, capacity);
    }
  }

  private growFound(): void {
    const capacity = this.foundFrom.length * 2;
    this.foundFrom = grow(this.foundFrom, capacity);
    this.foundTo = grow(this.foundTo, capacity);
    this.foundInEdge = grow(this.foundInEdge, capacity);
    this.foundOutEdge = grow(this.foundOutEdge, capacity);
  }

  /** Copies the output into one buffer, edge targets as ranks. */
  build(originalEdgeCount: number): ContractionHierarchy {
    const n = this.n;
    let shortcutCount = 0;
    for (let k = 0; k < this.upCount; k++) if (this.upMiddle[k] !== ORIGINAL_EDGE) shortcutCount += 1;
    for (let k = 0; k < this.downCount; k++) if (this.downMiddle[k] !== ORIGINAL_EDGE) shortcutCount += 1;
    const h = ContractionHierarchy.allocate({
      nodeCount: n,
      upEdgeCount: this.upCount,
      downEdgeCount: this.downCount,
      shortcutCount,
      originalEdgeCount,
    });
    const rankOf = this.rankOf;
    h.rank.set(rankOf);
    for (let v = 0; v < n; v++) h.order[rankOf[v]!] = v;
    h.upFirst.set(this.upFirst);
    h.downFirst.set(this.downFirst);
    for (let k = 0; k < this.upCount; k++) h.upTarget[k] = rankOf[this.upTarget[k]!]!;
    for (let k = 0; k < this.downCount; k++) h.downTarget[k] = rankOf[this.downTarget[k]!]!;
    h.upWeight.set(this.upWeight.subarray(0, this.upCount));
    h.upDistance.set(this.upDistance.subarray(0, this.upCount));
    h.upMiddle.set(this.upMiddle.subarray(0, this.upCount));
    h.upRef1.set(this.upRef1.subarray(0, this.upCount));
    h.upRef2.set(this.upRef2.subarray(0, this.upCount));
    h.downWeight.set(this.downWeight.subarray(0, this.downCount));
    h.downDistance.set(this.downDistance.subarray(0, this.downCount));
    h.downMiddle.set(this.downMiddle.subarray(0, this.downCount));
    h.downRef1.set(this.downRef1.subarray(0, this.downCount));
    h.downRef2.set(this.downRef2.subarray(0, this.downCount));
    return h;
  }
}

function grow(array: Uint32Array, capacity: number): Uint32Array;
function grow(array: Float64Array, capacity: number): Float64Array;
function grow(array: Uint32Array | Float64Array, capacity: number): Uint32Array | Float64Array {
  const next = array instanceof Uint32Array ? new Uint32Array(capacity) : new Float64Array(capacity);
  next.set(array);
  return next;
}

/** (weight, distance) lexicographic order; a local copy so the hot loops call no imported binding. */
function isLess(w1: number, d1: number, w2: number, d2: number): boolean {
  return w1 < w2 || (w1 === w2 && d1 < d2);
}
