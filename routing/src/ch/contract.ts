import { ContractionHierarchy, NO_MIDDLE } from './contraction-hierarchy.js';
import { ChError, isLess, validateGraph, WEIGHT_INFINITY, type DirectedGraph } from './graph.js';
import { MinHeap } from './min-heap.js';

export interface ContractOptions {
  /**
   * Contract in exactly this order (rank → node id), typically `h.order` of a hierarchy of the same
   * graph under another metric: customization (traffic speeds, a vehicle class with edges closed)
   * without computing a new order.
   */
  order?: Uint32Array;
}

// Witness searches are cut off after this many settled nodes or this many edges from the source; a
// cut-off search only costs a superfluous shortcut, never a wrong distance. Priority simulation uses
// tighter limits: it only estimates.
const CONTRACT_SETTLE_LIMIT = Number(process.env.CSL ?? 500);
const CONTRACT_HOP_LIMIT = 64;
const SIMULATE_SETTLE_LIMIT = Number(process.env.SSL ?? 60);
const SIMULATE_HOP_LIMIT = Number(process.env.SHL ?? 8);

const NONE = 0xffffffff;
const SMIN = Number(process.env.SMIN ?? 0), SK = Number(process.env.SK ?? 1e9), CMIN = Number(process.env.CMIN ?? 0), CK = Number(process.env.CK ?? 1e9);
const H1 = Number(process.env.H1 ?? 0),
  H2 = Number(process.env.H2 ?? 0),
  H3 = Number(process.env.H3 ?? 0),
  H4 = Number(process.env.H4 ?? 0);
const PE = Number(process.env.PE ?? 1),
  PA = Number(process.env.PA ?? 1),
  PH = Number(process.env.PH ?? 1),
  PD = Number(process.env.PD ?? 0);
const INITIAL_SLACK = 2;

/**
 * Builds a contraction hierarchy of `graph`. Without `options.order`, nodes are ordered by priority
 * (RoutingKit / OSRM style: level + added/removed edges + added/removed original edges represented,
 * neighbours re-evaluated after each contraction, lazy re-check before each one). Closed edges
 * (WEIGHT_INFINITY) are dropped, so no path ever uses them. Paths are shortest by (weight, distance)
 * lexicographically.
 */
export const STATS = {
  priority: 0,
  searches: 0,
  settled: 0,
  contractSearches: 0,
  contractSettled: 0,
  requeue: 0,
  last: performance.now(),
};
let sim = false;
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
  private liveEdges = 0;

  // Witness search state, allocated once.
  private readonly heap: MinHeap;
  private readonly hops: Uint8Array;
  private readonly mark: Uint32Array;
  private markGeneration = 0;
  private simAdded = 0;
  private simAddedHops = 0;

  // Shortcuts found for one in-neighbour, inserted after its witness search.
  private pendingTo: Uint32Array = new Uint32Array(16);
  private pendingW: Float64Array = new Float64Array(16);
  private pendingD: Float64Array = new Float64Array(16);
  private pendingRef2: Uint32Array = new Uint32Array(16);
  private pendingHops: Uint32Array = new Uint32Array(16);

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
        if (w === WEIGHT_INFINITY || to === v) continue;
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
        const record = this.newEdgeRecord(w, d, NO_MIDDLE, e, NONE, 1);
        this.liveEdges += 1;
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

  /** Greedy order by priority with neighbour updates and a lazy re-check of the node about to go. */
  contractByPriority(): void {
    const n = this.n;
    const queue = new MinHeap(n);
    for (let v = 0; v < n; v++) queue.push(v, this.priority(v), v);
    const neighbours = new Uint32Array(n);
    const seen = new Uint32Array(n).fill(NONE);
    const dirty = new Uint8Array(n);
    const lazy = process.env.MODE === 'lazy';
    while (queue.size > 0) {
      const x = queue.peek();
      if (!lazy || dirty[x] === 1) {
        dirty[x] = 0;
        const p = this.priority(x);
        if (p > queue.minKey()) {
          queue.update(x, p, x);
          if (queue.peek() !== x) {
            STATS.requeue++;
            continue;
          }
        }
      }
      queue.pop();
      {
        const c = this.contractedCount;
        if (c % Math.ceil(n / 10) === 0) {
          const now = performance.now();
          (STATS as Record<string, number>)['t' + Math.round((10 * c) / n)] = Math.round(
            now - (STATS as Record<string, number>).last!,
          );
          (STATS as Record<string, number>)['deg' + Math.round((10 * c) / n)] =
            this.inLen[x]! + this.outLen[x]!;
          (STATS as Record<string, number>).last = now;
        }
      }
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
        if (before < nextLevel) this.level[y] = nextLevel;
        if (lazy) {
          dirty[y] = 1;
          queue.update(y, queue.key(y) + PE * (this.level[y]! - before), y);
        } else {
          queue.update(y, this.priority(y), y);
        }
      }
    }
  }

  /** Gives x the next rank: emits its remaining edges, adds the shortcuts it needs, removes it. */
  contractNode(x: number): void {
    const r = this.contractedCount++;
    this.rankOf[x] = r;

    // x's remaining edges all lead to higher ranks: they are its final upward/downward edges.
    this.upFirst[r] = this.upCount;
    this.downFirst[r] = this.downCount;
    {
      const start = this.outStart[x]!;
      const end = start + this.outLen[x]!;
      this.reserveOutput(this.outLen[x]!, this.inLen[x]!);
      for (let i = start; i < end; i++) {
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
      const inStart = this.inStart[x]!;
      const inEnd = inStart + this.inLen[x]!;
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
    }
    this.upFirst[r + 1] = this.upCount;
    this.downFirst[r + 1] = this.downCount;

    this.findShortcuts(x, false);

    // Remove x from its neighbours' lists.
    const outStart = this.outStart[x]!;
    const outEnd = outStart + this.outLen[x]!;
    for (let i = outStart; i < outEnd; i++) this.removeIn(this.outTo[i]!, x);
    const inStart = this.inStart[x]!;
    const inEnd = inStart + this.inLen[x]!;
    for (let i = inStart; i < inEnd; i++) this.removeOut(this.inFrom[i]!, x);
  }

  /** RoutingKit's priority: level + added/removed edges + added/removed original edges represented. */
  private priority(x: number): number {
    const removed = this.inLen[x]! + this.outLen[x]!;
    if (removed === 0) return this.level[x]!;
    let removedHops = 0;
    const outStart = this.outStart[x]!;
    const outEnd = outStart + this.outLen[x]!;
    for (let i = outStart; i < outEnd; i++) removedHops += this.eHops[this.outEdge[i]!]!;
    const inStart = this.inStart[x]!;
    const inEnd = inStart + this.inLen[x]!;
    for (let i = inStart; i < inEnd; i++) removedHops += this.eHops[this.inEdge[i]!]!;
    STATS.priority++;
    this.findShortcuts(x, true);
    return (
      PE * this.level[x]! +
      (PA * this.simAdded) / removed +
      (PH * this.simAddedHops) / removedHops +
      PD * (this.simAdded - removed)
    );
  }

  /**
   * For each in-neighbour u of x: a witness search from u avoiding x; every out-neighbour v not
   * reached within weight(u→x→v) needs the shortcut u→v. Simulation only counts them.
   */
  private findShortcuts(x: number, simulate: boolean): void {
    const avg = this.liveEdges / (this.n - this.contractedCount);
    const staged = avg < H1 ? 1 : avg < H2 ? 2 : avg < H3 ? 3 : avg < H4 ? 5 : 64;
    const hopLimit = Math.min(staged, simulate ? SIMULATE_HOP_LIMIT : CONTRACT_HOP_LIMIT);
    const settleLimit = simulate
      ? Math.max(SMIN, Math.min(SIMULATE_SETTLE_LIMIT, SK / avg))
      : Math.max(CMIN, Math.min(CONTRACT_SETTLE_LIMIT, CK / avg));
    const heap = this.heap;
    let added = 0;
    let addedHops = 0;
    const inStart = this.inStart[x]!;
    const inEnd = inStart + this.inLen[x]!;
    const outStart = this.outStart[x]!;
    const outEnd = outStart + this.outLen[x]!;
    for (let a = inStart; a < inEnd; a++) {
      // Pools may have grown while inserting the previous neighbour's shortcuts: read them afresh.
      const outTo = this.outTo;
      const outEdge = this.outEdge;
      const eWeight = this.eWeight;
      const eDist = this.eDist;
      const u = this.inFrom[a]!;
      const uEdge = this.inEdge[a]!;
      const wu = eWeight[uEdge]!;
      const du = eDist[uEdge]!;

      const generation = ++this.markGeneration;
      let targets = 0;
      let maxW = -1;
      let maxD = -1;
      for (let b = outStart; b < outEnd; b++) {
        const v = outTo[b]!;
        if (v === u) continue;
        this.mark[v] = generation;
        targets += 1;
        const vEdge = outEdge[b]!;
        const w = wu + eWeight[vEdge]!;
        const d = du + eDist[vEdge]!;
        if (isLess(maxW, maxD, w, d)) {
          maxW = w;
          maxD = d;
        }
      }
      if (targets === 0) continue;
      sim = simulate; this.witnessSearch(u, x, maxW, maxD, settleLimit, hopLimit, targets, generation);

      let pending = 0;
      for (let b = outStart; b < outEnd; b++) {
        const v = outTo[b]!;
        if (v === u) continue;
        const vEdge = outEdge[b]!;
        const w = wu + eWeight[vEdge]!;
        const d = du + eDist[vEdge]!;
        if (heap.has(v) && !isLess(w, d, heap.key(v), heap.key2(v))) continue; // witnessed
        if (simulate) {
          added += 1;
          addedHops += this.eHops[uEdge]! + this.eHops[vEdge]!;
          continue;
        }
        if (pending === this.pendingTo.length) this.growPending();
        this.pendingTo[pending] = v;
        this.pendingW[pending] = w;
        this.pendingD[pending] = d;
        this.pendingRef2[pending] = this.eOut[vEdge]!;
        this.pendingHops[pending] = this.eHops[uEdge]! + this.eHops[vEdge]!;
        pending += 1;
      }
      const ref1 = this.eOut[uEdge]!;
      for (let i = 0; i < pending; i++) {
        const w = this.pendingW[i]!;
        if (w >= WEIGHT_INFINITY) {
          throw new ChError(
            'WeightOverflow',
            `shortcut weight ${w} does not fit 32 bits below WEIGHT_INFINITY`,
          );
        }
        this.addEdge(
          u,
          this.pendingTo[i]!,
          w,
          this.pendingD[i]!,
          x,
          ref1,
          this.pendingRef2[i]!,
          this.pendingHops[i]!,
        );
      }
    }
    this.simAdded = added;
    this.simAddedHops = addedHops;
  }

  /**
   * Dijkstra by (weight, distance) from `source` over uncontracted nodes except `avoid`; stops once
   * every marked target is settled, the queue passes the bound, or a limit is hit. Keys left in the
   * heap (settled or not) are lengths of real paths, hence valid witnesses.
   */
  private witnessSearch(
    source: number,
    avoid: number,
    maxW: number,
    maxD: number,
    settleLimit: number,
    hopLimit: number,
    targets: number,
    generation: number,
  ): void {
    const { heap, hops, mark, outStart, outLen, outTo, outW, outD } = this;
    heap.clear();
    heap.push(source, 0, 0);
    hops[source] = 0;
    let settled = 0;
    let remaining = targets;
    while (heap.size > 0) {
      const kw = heap.minKey();
      const kd = heap.minKey2();
      if (isLess(maxW, maxD, kw, kd)) break;
      const v = heap.pop();
      if (mark[v] === generation && --remaining === 0) break;
      if (++settled > settleLimit) break;
      if (!sim) STATS.contractSettled++;
      else STATS.settled++;
      const h = hops[v]!;
      if (h >= hopLimit) continue;
      const start = outStart[v]!;
      const end = start + outLen[v]!;
      for (let i = start; i < end; i++) {
        const to = outTo[i]!;
        if (to === avoid) continue;
        const w = kw + outW[i]!;
        const d = kd + outD[i]!;
        if (w > maxW || (w === maxW && d > maxD)) continue;
        if (heap.relax(to, w, d)) hops[to] = h + 1;
      }
    }
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
    this.liveEdges += 1;
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
      this.liveEdges -= 1;
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
      this.liveEdges -= 1;
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

  private growPending(): void {
    const capacity = this.pendingTo.length * 2;
    this.pendingTo = grow(this.pendingTo, capacity);
    this.pendingW = grow(this.pendingW, capacity);
    this.pendingD = grow(this.pendingD, capacity);
    this.pendingRef2 = grow(this.pendingRef2, capacity);
    this.pendingHops = grow(this.pendingHops, capacity);
  }

  /** Copies the output into one buffer, edge targets as ranks. */
  build(originalEdgeCount: number): ContractionHierarchy {
    const n = this.n;
    let shortcutCount = 0;
    for (let k = 0; k < this.upCount; k++) if (this.upMiddle[k] !== NO_MIDDLE) shortcutCount += 1;
    for (let k = 0; k < this.downCount; k++) if (this.downMiddle[k] !== NO_MIDDLE) shortcutCount += 1;
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
