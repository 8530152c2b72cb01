// Shared by the *.test.ts files of this folder only (fast-check is a dev dependency).
import fc from 'fast-check';
import {
  graphFromEdges,
  WEIGHT_INFINITY,
  type DirectedGraph,
  type Endpoint,
  type PathResult,
} from './graph.js';

export interface EdgeList {
  nodeCount: number;
  from: number[];
  to: number[];
  weight: number[];
  distance: number[];
}

/** Distances that are multiples of 1/8 below 2^14: every sum is exact, so equal paths compare equal. */
export const exactDistance = fc.integer({ min: 0, max: 8 * 2000 }).map((x) => x / 8);

/** Any finite float32 in [0, 1e6], subnormals included: sums depend on their order. */
export const anyDistance = fc
  .float({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })
  .map((x) => Math.fround(x));

/** Weights 0–1000 with zeros and closed edges over-represented. */
export const edgeWeight = fc.oneof(
  { weight: 1, arbitrary: fc.constant(WEIGHT_INFINITY) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 1000 }) },
);

/** Few distinct weights and distances: many equal-weight paths, so tie-breaking is exercised. */
export const tieWeight = fc.oneof(
  { weight: 1, arbitrary: fc.constant(WEIGHT_INFINITY) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }) },
);
export const tieDistance = fc.integer({ min: 0, max: 4 }).map((x) => x / 2);

/**
 * Random directed graphs of 2–300 nodes: parallel edges, self-loops, zero and closed weights, and
 * (being sparse) disconnected parts.
 */
export function edgeListArbitrary(
  distance: fc.Arbitrary<number> = exactDistance,
  weight: fc.Arbitrary<number> = edgeWeight,
  maxNodes = 300,
): fc.Arbitrary<EdgeList> {
  return fc.integer({ min: 2, max: maxNodes }).chain((nodeCount) =>
    fc
      .array(
        fc.tuple(
          fc.integer({ min: 0, max: nodeCount - 1 }),
          fc.integer({ min: 0, max: nodeCount - 1 }),
          weight,
          distance,
        ),
        { maxLength: nodeCount * 3, size: 'max' },
      )
      .map((edges) => ({
        nodeCount,
        from: edges.map((e) => e[0]),
        to: edges.map((e) => e[1]),
        weight: edges.map((e) => e[2]),
        distance: edges.map((e) => e[3]),
      })),
  );
}

export function toGraph(edges: EdgeList): DirectedGraph {
  return graphFromEdges(edges.nodeCount, edges.from, edges.to, edges.weight, edges.distance);
}

/** 1–3 endpoints with offsets (zero offsets frequent). */
export function endpointsArbitrary(nodeCount: number): fc.Arbitrary<Endpoint[]> {
  const offset = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 }));
  return fc.array(
    fc.record({
      node: fc.integer({ min: 0, max: nodeCount - 1 }),
      weight: offset,
      distance: offset.map((x) => x / 4),
    }),
    { minLength: 1, maxLength: 3 },
  );
}

/**
 * Checks that `result` is a real path of `graph` between the chosen endpoints, using no closed edge,
 * and that its figures are the sums along it. Returns a description of the first fault, or ''.
 */
export function pathFault(
  graph: DirectedGraph,
  result: PathResult,
  sources: readonly Endpoint[],
  targets: readonly Endpoint[],
): string {
  const source = sources[result.sourceIndex];
  const target = targets[result.targetIndex];
  if (!source || !target) return `bad endpoint index ${result.sourceIndex}/${result.targetIndex}`;
  const { nodes, edges } = result;
  if (nodes.length !== edges.length + 1) return `nodes ${nodes.length} vs edges ${edges.length}`;
  if (nodes[0] !== source.node) return `starts at ${nodes[0]}, source is ${source.node}`;
  if (nodes[nodes.length - 1] !== target.node)
    return `ends at ${nodes[nodes.length - 1]}, target is ${target.node}`;
  let weight = source.weight;
  let distance = source.distance;
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    const from = nodes[i]!;
    if (e < graph.firstEdge[from]! || e >= graph.firstEdge[from + 1]!)
      return `edge ${e} does not leave ${from}`;
    if (graph.target[e] !== nodes[i + 1]) return `edge ${e} does not reach ${nodes[i + 1]}`;
    if (graph.weight[e] === WEIGHT_INFINITY) return `edge ${e} is closed`;
    weight += graph.weight[e]!;
    distance += graph.distance[e]!;
  }
  weight += target.weight;
  distance += target.distance;
  if (weight !== result.weight) return `summed weight ${weight} vs ${result.weight}`;
  if (!closeTo(distance, result.distance)) return `summed distance ${distance} vs ${result.distance}`;
  return '';
}

/** Equal up to float summation order. */
export function closeTo(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
