/** Weight of a closed edge: no search ever uses it (a vehicle class that may not pass, a closed road). */
export const WEIGHT_INFINITY = 0xffffffff;

/** Directed graph in CSR form. Node ids 0..nodeCount-1. */
export interface DirectedGraph {
  nodeCount: number;
  /** Length nodeCount+1; out-edges of v are [firstEdge[v], firstEdge[v+1]). */
  firstEdge: Uint32Array;
  /** Per edge. */
  target: Uint32Array;
  /** Per edge, integer (deciseconds); WEIGHT_INFINITY means "closed" (edge unusable). */
  weight: Uint32Array;
  /** Per edge, a second metric summed along paths (metres), not optimized; finite and >= 0. */
  distance: Float32Array;
}

/**
 * A place a search starts or ends: a node plus what it already costs to get there (a source) or still
 * costs from there (a target). A phantom snapped in the middle of a road segment is two endpoints, one
 * per direction, each offset by the part of the segment not driven.
 */
export interface Endpoint {
  node: number;
  weight: number;
  distance: number;
}

/**
 * A shortest path. Ties in weight are broken by distance (the search order is lexicographic on
 * (weight, distance)), so every search over the same graph agrees on both figures.
 */
export interface PathResult {
  /** Source offset + edge weights + target offset. */
  weight: number;
  /** Source offset + edge distances + target offset. */
  distance: number;
  /** Index into the `sources` argument of the endpoint the path starts at. */
  sourceIndex: number;
  /** Index into the `targets` argument of the endpoint the path ends at. */
  targetIndex: number;
  /** Original-graph node ids, source node first, target node last (length edges.length + 1). */
  nodes: Uint32Array;
  /** Original-graph edge ids in driving order. */
  edges: Uint32Array;
}

export type ChErrorCode =
  'InvalidGraph' | 'InvalidOrder' | 'InvalidBuffer' | 'InvalidEndpoint' | 'WeightOverflow';

/** Every error of this module carries a machine-readable code (STYLE.md, rule 6). */
export class ChError extends Error {
  constructor(
    readonly code: ChErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChError';
  }
}

/** Checks the CSR shape and the metric once, so the hot loops may trust every index. */
export function validateGraph(graph: DirectedGraph): void {
  const { nodeCount, firstEdge, target, weight, distance } = graph;
  if (!Number.isInteger(nodeCount) || nodeCount < 0 || nodeCount >= WEIGHT_INFINITY) {
    throw new ChError('InvalidGraph', `nodeCount must be an integer in [0, 2^32-1), got ${nodeCount}`);
  }
  if (firstEdge.length !== nodeCount + 1) {
    throw new ChError(
      'InvalidGraph',
      `firstEdge must have nodeCount+1 = ${nodeCount + 1} entries, got ${firstEdge.length}`,
    );
  }
  const edgeCount = target.length;
  if (weight.length !== edgeCount || distance.length !== edgeCount) {
    throw new ChError(
      'InvalidGraph',
      `target, weight and distance must have the same length, got ${edgeCount}, ${weight.length}, ${distance.length}`,
    );
  }
  if (firstEdge[0] !== 0 || firstEdge[nodeCount] !== edgeCount) {
    throw new ChError('InvalidGraph', `firstEdge must start at 0 and end at the edge count ${edgeCount}`);
  }
  for (let v = 0; v < nodeCount; v++) {
    if (firstEdge[v + 1]! < firstEdge[v]!) {
      throw new ChError('InvalidGraph', `firstEdge must not decrease (node ${v})`);
    }
  }
  for (let e = 0; e < edgeCount; e++) {
    if (target[e]! >= nodeCount) {
      throw new ChError('InvalidGraph', `edge ${e} targets node ${target[e]}, beyond nodeCount ${nodeCount}`);
    }
    const d = distance[e]!;
    if (!(d >= 0) || d === Infinity) {
      throw new ChError('InvalidGraph', `edge ${e} has distance ${d}; distances must be finite and >= 0`);
    }
  }
}

/** Builds a CSR graph from parallel edge lists; edge ids of the result are CSR positions (stable by input order). */
export function graphFromEdges(
  nodeCount: number,
  from: ArrayLike<number>,
  to: ArrayLike<number>,
  weight: ArrayLike<number>,
  distance: ArrayLike<number>,
): DirectedGraph {
  const edgeCount = from.length;
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0; i < edgeCount; i++) firstEdge[from[i]! + 1]! += 1;
  for (let v = 0; v < nodeCount; v++) firstEdge[v + 1]! += firstEdge[v]!;
  const next = firstEdge.slice(0, nodeCount);
  const target = new Uint32Array(edgeCount);
  const weights = new Uint32Array(edgeCount);
  const distances = new Float32Array(edgeCount);
  for (let i = 0; i < edgeCount; i++) {
    const e = next[from[i]!]!++;
    target[e] = to[i]!;
    weights[e] = weight[i]!;
    distances[e] = distance[i]!;
  }
  return { nodeCount, firstEdge, target, weight: weights, distance: distances };
}

/** Lexicographic (weight, distance) order: the one order every search here uses. */
export function isLess(w1: number, d1: number, w2: number, d2: number): boolean {
  return w1 < w2 || (w1 === w2 && d1 < d2);
}

/** Validates endpoints against a node count; offsets must be finite. */
export function validateEndpoints(endpoints: readonly Endpoint[], nodeCount: number, role: string): void {
  for (let i = 0; i < endpoints.length; i++) {
    const { node, weight, distance } = endpoints[i]!;
    if (!Number.isInteger(node) || node < 0 || node >= nodeCount) {
      throw new ChError(
        'InvalidEndpoint',
        `${role}[${i}].node must be a node id in [0, ${nodeCount}), got ${node}`,
      );
    }
    if (!Number.isFinite(weight) || !Number.isFinite(distance)) {
      throw new ChError(
        'InvalidEndpoint',
        `${role}[${i}] offsets must be finite, got ${weight}, ${distance}`,
      );
    }
  }
}

/**
 * Lexicographic lower bound of the endpoints' offsets: (min weight, min distance among those with that
 * weight). A search towards these endpoints can never meet them for less than this.
 */
export function offsetLowerBound(endpoints: readonly Endpoint[], out: Float64Array): void {
  let w = Infinity;
  let d = Infinity;
  for (let i = 0; i < endpoints.length; i++) {
    const e = endpoints[i]!;
    if (isLess(e.weight, e.distance, w, d)) {
      w = e.weight;
      d = e.distance;
    }
  }
  out[0] = w;
  out[1] = d;
}
