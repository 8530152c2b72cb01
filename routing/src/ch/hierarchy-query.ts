import { NO_MIDDLE, type ContractionHierarchy } from './contraction-hierarchy.js';
import { offsetLowerBound, validateEndpoints, type Endpoint, type PathResult } from './graph.js';
import { MinHeap } from './min-heap.js';

const NONE = 0xffffffff;
// Module-local copy: hot loops read no imported binding (a getter call under some loaders).
const ORIGINAL_EDGE = NO_MIDDLE;

/** A |sources|×|targets| table, row-major; unreachable pairs are Infinity in both arrays. */
export interface DistanceTable {
  weights: Float64Array;
  distances: Float64Array;
}

/**
 * Queries over one hierarchy with state allocated once (OSRM's reused search heaps): heaps, parent
 * arrays and bucket heads are sized by the node count here, and a query touches only what it reaches.
 * Not re-entrant: one query at a time per instance (one instance per worker).
 */
export class HierarchyQuery {
  readonly hierarchy: ContractionHierarchy;
  /** Nodes settled by the last `route` (both directions), for benchmarks. */
  settledCount = 0;

  private readonly forward: MinHeap;
  private readonly backward: MinHeap;
  private readonly forwardParentEdge: Uint32Array;
  private readonly forwardParent: Uint32Array;
  private readonly forwardOrigin: Uint32Array;
  private readonly backwardParentEdge: Uint32Array;
  private readonly backwardParent: Uint32Array;
  private readonly backwardOrigin: Uint32Array;
  private readonly bound = new Float64Array(2);

  // Path unpacking; these grow with the longest path seen, never with the graph.
  private chainEdge = new Uint32Array(64);
  private chainHead = new Uint32Array(64);
  private stackCode = new Uint32Array(64);
  private stackHead = new Uint32Array(64);
  private pathEdges = new Uint32Array(256);
  private pathNodes = new Uint32Array(257);
  private pathLength = 0;

  // Buckets of the table search: per rank a linked list of entries, valid while the stamp matches.
  private readonly bucketHead: Int32Array;
  private readonly bucketStamp: Uint32Array;
  private bucketGeneration = 0;
  private entryCount = 0;
  private entryNext = new Int32Array(1024);
  private entryTarget = new Uint32Array(1024);
  private entryWeight = new Float64Array(1024);
  private entryDistance = new Float64Array(1024);

  constructor(hierarchy: ContractionHierarchy) {
    this.hierarchy = hierarchy;
    const n = hierarchy.nodeCount;
    this.forward = new MinHeap(n);
    this.backward = new MinHeap(n);
    this.forwardParentEdge = new Uint32Array(n);
    this.forwardParent = new Uint32Array(n);
    this.forwardOrigin = new Uint32Array(n);
    this.backwardParentEdge = new Uint32Array(n);
    this.backwardParent = new Uint32Array(n);
    this.backwardOrigin = new Uint32Array(n);
    this.bucketHead = new Int32Array(n);
    this.bucketStamp = new Uint32Array(n);
  }

  /**
   * Shortest path from any source endpoint to any target endpoint: bidirectional upward Dijkstra with
   * stall-on-demand, then shortcuts unpacked into original nodes and edges. Undefined if unreachable.
   */
  route(sources: readonly Endpoint[], targets: readonly Endpoint[]): PathResult | undefined {
    const h = this.hierarchy;
    validateEndpoints(sources, h.nodeCount, 'sources');
    validateEndpoints(targets, h.nodeCount, 'targets');
    this.settledCount = 0;
    if (sources.length === 0 || targets.length === 0) return undefined;

    const { forward, backward, forwardParentEdge, backwardParentEdge, bound } = this;
    const { rank, upFirst, upTarget, upWeight, upDistance, downFirst, downTarget, downWeight, downDistance } =
      h;
    forward.clear();
    backward.clear();
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      const r = rank[s.node]!;
      if (forward.relax(r, s.weight, s.distance)) {
        forwardParentEdge[r] = NONE;
        this.forwardOrigin[r] = i;
      }
    }
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const r = rank[t.node]!;
      if (backward.relax(r, t.weight, t.distance)) {
        backwardParentEdge[r] = NONE;
        this.backwardOrigin[r] = i;
      }
    }
    // A search may stop once its queue minimum plus the least the other side can add reaches the best.
    offsetLowerBound(sources, bound);
    const sourceW = bound[0]!;
    const sourceD = bound[1]!;
    offsetLowerBound(targets, bound);
    const targetW = bound[0]!;
    const targetD = bound[1]!;

    let bestW = Infinity;
    let bestD = Infinity;
    let meet = NONE;
    let settled = 0;
    for (;;) {
      const forwardActive =
        forward.size > 0 && isLess(forward.minKey() + targetW, forward.minKey2() + targetD, bestW, bestD);
      const backwardActive =
        backward.size > 0 && isLess(backward.minKey() + sourceW, backward.minKey2() + sourceD, bestW, bestD);
      if (!forwardActive && !backwardActive) break;
      settled += 1;
      if (forwardActive && (!backwardActive || forward.minKey() <= backward.minKey())) {
        const v = forward.pop();
        const kw = forward.key(v);
        const kd = forward.key2(v);
        if (backward.has(v)) {
          const w = kw + backward.key(v);
          const d = kd + backward.key2(v);
          if (isLess(w, d, bestW, bestD)) {
            bestW = w;
            bestD = d;
            meet = v;
          }
        }
        // Stall on demand: a higher node already reached with a shorter path into v.
        let stalled = false;
        for (let e = downFirst[v]!, end = downFirst[v + 1]!; e < end; e++) {
          const u = downTarget[e]!;
          if (
            forward.has(u) &&
            isLess(forward.key(u) + downWeight[e]!, forward.key2(u) + downDistance[e]!, kw, kd)
          ) {
            stalled = true;
            break;
          }
        }
        if (stalled) continue;
        for (let e = upFirst[v]!, end = upFirst[v + 1]!; e < end; e++) {
          const to = upTarget[e]!;
          if (forward.relax(to, kw + upWeight[e]!, kd + upDistance[e]!)) {
            forwardParentEdge[to] = e;
            this.forwardParent[to] = v;
          }
        }
      } else {
        const v = backward.pop();
        const kw = backward.key(v);
        const kd = backward.key2(v);
        if (forward.has(v)) {
          const w = kw + forward.key(v);
          const d = kd + forward.key2(v);
          if (isLess(w, d, bestW, bestD)) {
            bestW = w;
            bestD = d;
            meet = v;
          }
        }
        let stalled = false;
        for (let e = upFirst[v]!, end = upFirst[v + 1]!; e < end; e++) {
          const u = upTarget[e]!;
          if (
            backward.has(u) &&
            isLess(backward.key(u) + upWeight[e]!, backward.key2(u) + upDistance[e]!, kw, kd)
          ) {
            stalled = true;
            break;
          }
        }
        if (stalled) continue;
        for (let e = downFirst[v]!, end = downFirst[v + 1]!; e < end; e++) {
          const to = downTarget[e]!;
          if (backward.relax(to, kw + downWeight[e]!, kd + downDistance[e]!)) {
            backwardParentEdge[to] = e;
            this.backwardParent[to] = v;
          }
        }
      }
    }
    this.settledCount = settled;
    if (meet === NONE) return undefined;
    return this.unpackPath(meet, bestW, bestD);
  }

  /**
   * Shortest weights and distances between every source and every target (each a set of endpoints,
   * e.g. the two directions of a phantom): backward searches fill per-node buckets, forward searches
   * scan them (Knopp et al. 2007).
   */
  manyToMany(
    sources: readonly (readonly Endpoint[])[],
    targets: readonly (readonly Endpoint[])[],
  ): DistanceTable {
    const h = this.hierarchy;
    for (let i = 0; i < sources.length; i++) validateEndpoints(sources[i]!, h.nodeCount, `sources[${i}]`);
    for (let j = 0; j < targets.length; j++) validateEndpoints(targets[j]!, h.nodeCount, `targets[${j}]`);
    const columns = targets.length;
    const weights = new Float64Array(sources.length * columns).fill(Infinity);
    const distances = new Float64Array(sources.length * columns).fill(Infinity);
    const { rank, upFirst, upTarget, upWeight, upDistance, downFirst, downTarget, downWeight, downDistance } =
      h;
    const { forward, backward, bucketHead, bucketStamp } = this;

    this.bucketGeneration += 1;
    if (this.bucketGeneration === 0xffffffff) {
      bucketStamp.fill(0);
      this.bucketGeneration = 1;
    }
    const generation = this.bucketGeneration;
    this.entryCount = 0;

    for (let j = 0; j < columns; j++) {
      const group = targets[j]!;
      backward.clear();
      for (let k = 0; k < group.length; k++) {
        const t = group[k]!;
        backward.relax(rank[t.node]!, t.weight, t.distance);
      }
      while (backward.size > 0) {
        const v = backward.pop();
        const kw = backward.key(v);
        const kd = backward.key2(v);
        let stalled = false;
        for (let e = upFirst[v]!, end = upFirst[v + 1]!; e < end; e++) {
          const u = upTarget[e]!;
          if (
            backward.has(u) &&
            isLess(backward.key(u) + upWeight[e]!, backward.key2(u) + upDistance[e]!, kw, kd)
          ) {
            stalled = true;
            break;
          }
        }
        if (stalled) continue;
        if (this.entryCount === this.entryNext.length) this.growEntries();
        const entry = this.entryCount++;
        this.entryNext[entry] = bucketStamp[v] === generation ? bucketHead[v]! : -1;
        this.entryTarget[entry] = j;
        this.entryWeight[entry] = kw;
        this.entryDistance[entry] = kd;
        bucketStamp[v] = generation;
        bucketHead[v] = entry;
        for (let e = downFirst[v]!, end = downFirst[v + 1]!; e < end; e++) {
          backward.relax(downTarget[e]!, kw + downWeight[e]!, kd + downDistance[e]!);
        }
      }
    }

    const { entryNext, entryTarget, entryWeight, entryDistance } = this;
    for (let i = 0; i < sources.length; i++) {
      const group = sources[i]!;
      const row = i * columns;
      forward.clear();
      for (let k = 0; k < group.length; k++) {
        const s = group[k]!;
        forward.relax(rank[s.node]!, s.weight, s.distance);
      }
      while (forward.size > 0) {
        const v = forward.pop();
        const kw = forward.key(v);
        const kd = forward.key2(v);
        let stalled = false;
        for (let e = downFirst[v]!, end = downFirst[v + 1]!; e < end; e++) {
          const u = downTarget[e]!;
          if (
            forward.has(u) &&
            isLess(forward.key(u) + downWeight[e]!, forward.key2(u) + downDistance[e]!, kw, kd)
          ) {
            stalled = true;
            break;
          }
        }
        if (stalled) continue;
        if (bucketStamp[v] === generation) {
          for (let entry = bucketHead[v]!; entry !== -1; entry = entryNext[entry]!) {
            const cell = row + entryTarget[entry]!;
            const w = kw + entryWeight[entry]!;
            const d = kd + entryDistance[entry]!;
            if (isLess(w, d, weights[cell]!, distances[cell]!)) {
              weights[cell] = w;
              distances[cell] = d;
            }
          }
        }
        for (let e = upFirst[v]!, end = upFirst[v + 1]!; e < end; e++) {
          forward.relax(upTarget[e]!, kw + upWeight[e]!, kd + upDistance[e]!);
        }
      }
    }
    return { weights, distances };
  }

  /** Walks both parent chains from the meeting rank and unpacks every edge, without recursion. */
  private unpackPath(meet: number, weight: number, distance: number): PathResult {
    const { order } = this.hierarchy;
    let chain = 0;
    let z = meet;
    while (this.forwardParentEdge[z] !== NONE) {
      if (chain === this.chainEdge.length) {
        this.chainEdge = growU32(this.chainEdge, chain * 2);
        this.chainHead = growU32(this.chainHead, chain * 2);
      }
      this.chainEdge[chain] = this.forwardParentEdge[z]! * 2;
      this.chainHead[chain] = order[z]!;
      chain += 1;
      z = this.forwardParent[z]!;
    }
    const sourceIndex = this.forwardOrigin[z]!;
    this.pathNodes[0] = order[z]!;
    this.pathLength = 0;
    for (let c = chain - 1; c >= 0; c--) this.unpackEdge(this.chainEdge[c]!, this.chainHead[c]!);
    z = meet;
    while (this.backwardParentEdge[z] !== NONE) {
      const y = this.backwardParent[z]!;
      this.unpackEdge(this.backwardParentEdge[z]! * 2 + 1, order[y]!);
      z = y;
    }
    const targetIndex = this.backwardOrigin[z]!;
    return {
      weight,
      distance,
      sourceIndex,
      targetIndex,
      nodes: this.pathNodes.slice(0, this.pathLength + 1),
      edges: this.pathEdges.slice(0, this.pathLength),
    };
  }

  /**
   * Appends the original edges of one hierarchy edge. `code` is 2·index (+1 for a downward edge);
   * `head` the original node id the edge ends at. A shortcut u→head via m is the down edge u→m
   * (stored at m, ending at m) followed by the up edge m→head.
   */
  private unpackEdge(code: number, head: number): void {
    const h = this.hierarchy;
    let top = 0;
    this.stackCode[0] = code;
    this.stackHead[0] = head;
    top = 1;
    while (top > 0) {
      top -= 1;
      const c = this.stackCode[top]!;
      const at = this.stackHead[top]!;
      const index = c >>> 1;
      const down = (c & 1) === 1;
      const middle = down ? h.downMiddle[index]! : h.upMiddle[index]!;
      if (middle === ORIGINAL_EDGE) {
        if (this.pathLength === this.pathEdges.length) {
          this.pathEdges = growU32(this.pathEdges, this.pathLength * 2);
          this.pathNodes = growU32(this.pathNodes, this.pathLength * 2 + 1);
        }
        this.pathEdges[this.pathLength] = down ? h.downRef1[index]! : h.upRef1[index]!;
        this.pathNodes[++this.pathLength] = at;
        continue;
      }
      if (top + 2 > this.stackCode.length) {
        this.stackCode = growU32(this.stackCode, this.stackCode.length * 2);
        this.stackHead = growU32(this.stackHead, this.stackHead.length * 2);
      }
      // Second half first, so the first half is unpacked (popped) first.
      this.stackCode[top] = (down ? h.downRef2[index]! : h.upRef2[index]!) * 2;
      this.stackHead[top] = at;
      this.stackCode[top + 1] = (down ? h.downRef1[index]! : h.upRef1[index]!) * 2 + 1;
      this.stackHead[top + 1] = middle;
      top += 2;
    }
  }

  private growEntries(): void {
    const capacity = this.entryNext.length * 2;
    const next = new Int32Array(capacity);
    next.set(this.entryNext);
    this.entryNext = next;
    this.entryTarget = growU32(this.entryTarget, capacity);
    const weight = new Float64Array(capacity);
    weight.set(this.entryWeight);
    this.entryWeight = weight;
    const distance = new Float64Array(capacity);
    distance.set(this.entryDistance);
    this.entryDistance = distance;
  }
}

function growU32(array: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(capacity);
  next.set(array);
  return next;
}

/** (weight, distance) lexicographic order; a local copy so the hot loops call no imported binding. */
function isLess(w1: number, d1: number, w2: number, d2: number): boolean {
  return w1 < w2 || (w1 === w2 && d1 < d2);
}
