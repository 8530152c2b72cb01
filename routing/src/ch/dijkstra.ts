import {
  offsetLowerBound,
  validateEndpoints,
  WEIGHT_INFINITY,
  type DirectedGraph,
  type Endpoint,
  type PathResult,
} from './graph.js';
import { MinHeap } from './min-heap.js';

const NONE = 0xffffffff;
// Module-local copy: hot loops read no imported binding (a getter call under some loaders).
const CLOSED = WEIGHT_INFINITY;

/**
 * Plain Dijkstra on the original graph, the reference the hierarchy is checked against: the same
 * endpoint semantics and the same (weight, distance) order, so both agree on both figures.
 * Reusable state; one query at a time per instance.
 */
export class GraphDijkstra {
  readonly graph: DirectedGraph;
  private readonly heap: MinHeap;
  private readonly parentEdge: Uint32Array;
  private readonly parent: Uint32Array;
  private readonly origin: Uint32Array;
  /** Per node: index of its best target endpoint, valid while targetStamp matches. */
  private readonly targetAt: Uint32Array;
  private readonly targetStamp: Uint32Array;
  private generation = 0;
  private readonly bound = new Float64Array(2);

  constructor(graph: DirectedGraph) {
    this.graph = graph;
    const n = graph.nodeCount;
    this.heap = new MinHeap(n);
    this.parentEdge = new Uint32Array(n);
    this.parent = new Uint32Array(n);
    this.origin = new Uint32Array(n);
    this.targetAt = new Uint32Array(n);
    this.targetStamp = new Uint32Array(n);
  }

  route(sources: readonly Endpoint[], targets: readonly Endpoint[]): PathResult | undefined {
    const { nodeCount, firstEdge, target, weight, distance } = this.graph;
    validateEndpoints(sources, nodeCount, 'sources');
    validateEndpoints(targets, nodeCount, 'targets');
    if (sources.length === 0 || targets.length === 0) return undefined;
    const { heap, parentEdge, parent, targetAt, targetStamp } = this;
    const generation = ++this.generation;
    for (let j = 0; j < targets.length; j++) {
      const t = targets[j]!;
      if (targetStamp[t.node] !== generation) {
        targetStamp[t.node] = generation;
        targetAt[t.node] = j;
      } else {
        const k = targets[targetAt[t.node]!]!;
        if (isLess(t.weight, t.distance, k.weight, k.distance)) targetAt[t.node] = j;
      }
    }
    heap.clear();
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      if (heap.relax(s.node, s.weight, s.distance)) {
        parentEdge[s.node] = NONE;
        this.origin[s.node] = i;
      }
    }
    offsetLowerBound(targets, this.bound);
    const targetW = this.bound[0]!;
    const targetD = this.bound[1]!;
    let bestW = Infinity;
    let bestD = Infinity;
    let bestNode = NONE;
    while (heap.size > 0 && isLess(heap.minKey() + targetW, heap.minKey2() + targetD, bestW, bestD)) {
      const v = heap.pop();
      const kw = heap.key(v);
      const kd = heap.key2(v);
      if (targetStamp[v] === generation) {
        const t = targets[targetAt[v]!]!;
        if (isLess(kw + t.weight, kd + t.distance, bestW, bestD)) {
          bestW = kw + t.weight;
          bestD = kd + t.distance;
          bestNode = v;
        }
      }
      for (let e = firstEdge[v]!, end = firstEdge[v + 1]!; e < end; e++) {
        const w = weight[e]!;
        if (w === CLOSED) continue;
        const to = target[e]!;
        if (heap.relax(to, kw + w, kd + distance[e]!)) {
          parentEdge[to] = e;
          parent[to] = v;
        }
      }
    }
    if (bestNode === NONE) return undefined;
    let length = 0;
    for (let v = bestNode; parentEdge[v] !== NONE; v = parent[v]!) length += 1;
    const nodes = new Uint32Array(length + 1);
    const edges = new Uint32Array(length);
    let v = bestNode;
    nodes[length] = v;
    for (let i = length - 1; i >= 0; i--) {
      edges[i] = parentEdge[v]!;
      v = parent[v]!;
      nodes[i] = v;
    }
    return {
      weight: bestW,
      distance: bestD,
      sourceIndex: this.origin[v]!,
      targetIndex: targetAt[bestNode]!,
      nodes,
      edges,
    };
  }
}

/** One-off reference query; allocates O(nodeCount) — use GraphDijkstra for many. */
export function dijkstra(
  graph: DirectedGraph,
  sources: readonly Endpoint[],
  targets: readonly Endpoint[],
): PathResult | undefined {
  return new GraphDijkstra(graph).route(sources, targets);
}

/** (weight, distance) lexicographic order; a local copy so the hot loops call no imported binding. */
function isLess(w1: number, d1: number, w2: number, d2: number): boolean {
  return w1 < w2 || (w1 === w2 && d1 < d2);
}
