import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contract } from './contract.js';
import { GraphDijkstra } from './dijkstra.js';
import { ChError, graphFromEdges, WEIGHT_INFINITY, type DirectedGraph, type Endpoint } from './graph.js';
import { HierarchyQuery } from './hierarchy-query.js';
import {
  anyDistance,
  closeTo,
  edgeListArbitrary,
  edgeWeight,
  endpointsArbitrary,
  exactDistance,
  pathFault,
  tieDistance,
  tieWeight,
  toGraph,
  type EdgeList,
} from './test-helpers.js';

/** A graph and endpoint pairs on it. */
function caseArbitrary(
  distance: fc.Arbitrary<number>,
  weight: fc.Arbitrary<number> = edgeWeight,
): fc.Arbitrary<{ edges: EdgeList; queries: [Endpoint[], Endpoint[]][] }> {
  return edgeListArbitrary(distance, weight).chain((edges) =>
    fc.record({
      edges: fc.constant(edges),
      queries: fc.array(fc.tuple(endpointsArbitrary(edges.nodeCount), endpointsArbitrary(edges.nodeCount)), {
        minLength: 1,
        maxLength: 8,
      }),
    }),
  );
}

/** Route on the hierarchy and with Dijkstra; both must agree, and the CH path must be real. */
function expectSameAsDijkstra(
  graph: DirectedGraph,
  query: HierarchyQuery,
  reference: GraphDijkstra,
  sources: Endpoint[],
  targets: Endpoint[],
  exact: boolean,
): void {
  const expected = reference.route(sources, targets);
  const actual = query.route(sources, targets);
  if (expected === undefined) {
    expect(actual).toBeUndefined();
    return;
  }
  expect(actual).toBeDefined();
  expect(actual!.weight).toBe(expected.weight);
  // Ties in weight go to the shorter distance in both searches, so distances agree too.
  if (exact) expect(actual!.distance).toBe(expected.distance);
  else expect(closeTo(actual!.distance, expected.distance)).toBe(true);
  expect(pathFault(graph, actual!, sources, targets)).toBe('');
}

/** The random endpoint queries, plus every pair among the first nodes (long paths, many ties). */
function expectAgreement(
  graph: DirectedGraph,
  query: HierarchyQuery,
  reference: GraphDijkstra,
  queries: [Endpoint[], Endpoint[]][],
  exact: boolean,
): void {
  for (const [sources, targets] of queries) {
    expectSameAsDijkstra(graph, query, reference, sources, targets, exact);
  }
  const first = Math.min(graph.nodeCount, 12);
  for (let s = 0; s < first; s++) {
    for (let t = 0; t < first; t++) {
      const source = [{ node: s, weight: 0, distance: 0 }];
      const target = [{ node: t, weight: 0, distance: 0 }];
      expectSameAsDijkstra(graph, query, reference, source, target, exact);
    }
  }
}

describe('contract + route', () => {
  it('finds the (weight, distance)-shortest paths Dijkstra finds, as real paths', () => {
    fc.assert(
      fc.property(caseArbitrary(exactDistance), ({ edges, queries }) => {
        const graph = toGraph(edges);
        const query = new HierarchyQuery(contract(graph));
        const reference = new GraphDijkstra(graph);
        expectAgreement(graph, query, reference, queries, true);
      }),
      { numRuns: 300 },
    );
  });

  it('breaks ties in weight by distance exactly as Dijkstra does', () => {
    fc.assert(
      fc.property(caseArbitrary(tieDistance, tieWeight), ({ edges, queries }) => {
        const graph = toGraph(edges);
        const query = new HierarchyQuery(contract(graph));
        const reference = new GraphDijkstra(graph);
        expectAgreement(graph, query, reference, queries, true);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees up to summation order with arbitrary float32 distances', () => {
    fc.assert(
      fc.property(caseArbitrary(anyDistance), ({ edges, queries }) => {
        const graph = toGraph(edges);
        const query = new HierarchyQuery(contract(graph));
        const reference = new GraphDijkstra(graph);
        expectAgreement(graph, query, reference, queries, false);
      }),
      { numRuns: 100 },
    );
  });

  it('re-contracted in the same order under another metric (customization), still equals Dijkstra', () => {
    const arbitrary = edgeListArbitrary().chain((edges) =>
      fc.record({
        edges: fc.constant(edges),
        weightsB: fc.array(edgeWeight, { minLength: edges.from.length, maxLength: edges.from.length }),
        queries: fc.array(
          fc.tuple(endpointsArbitrary(edges.nodeCount), endpointsArbitrary(edges.nodeCount)),
          { minLength: 1, maxLength: 8 },
        ),
      }),
    );
    fc.assert(
      fc.property(arbitrary, ({ edges, weightsB, queries }) => {
        const hierarchyA = contract(toGraph(edges));
        const graphB = toGraph({ ...edges, weight: weightsB });
        const hierarchyB = contract(graphB, { order: hierarchyA.order });
        expect(Array.from(hierarchyB.order)).toEqual(Array.from(hierarchyA.order));
        const query = new HierarchyQuery(hierarchyB);
        const reference = new GraphDijkstra(graphB);
        expectAgreement(graphB, query, reference, queries, true);
      }),
      { numRuns: 200 },
    );
  });

  it('never uses a closed edge, however cheap the detour it saves', () => {
    // 0 → 1 → 2 closed in the middle; the only open way is 0 → 3 → 2 (weight 1000).
    const graph = graphFromEdges(4, [0, 1, 0, 3], [1, 2, 3, 2], [1, WEIGHT_INFINITY, 500, 500], [1, 1, 1, 1]);
    const route = new HierarchyQuery(contract(graph)).route(
      [{ node: 0, weight: 0, distance: 0 }],
      [{ node: 2, weight: 0, distance: 0 }],
    );
    expect(route?.weight).toBe(1000);
    expect(Array.from(route!.nodes)).toEqual([0, 3, 2]);
  });

  it('keeps the node order it was given', () => {
    const graph = graphFromEdges(3, [0, 1], [1, 2], [5, 5], [1, 1]);
    const order = Uint32Array.of(2, 0, 1);
    const h = contract(graph, { order });
    expect(Array.from(h.order)).toEqual([2, 0, 1]);
    expect(Array.from(h.rank)).toEqual([1, 2, 0]);
  });

  it('rejects malformed graphs and orders with a code', () => {
    const graph = graphFromEdges(3, [0, 1], [1, 2], [5, 5], [1, 1]);
    const bad: [DirectedGraph, string][] = [
      [{ ...graph, firstEdge: Uint32Array.of(0, 1, 2) }, 'InvalidGraph'],
      [{ ...graph, target: Uint32Array.of(1, 3) }, 'InvalidGraph'],
      [{ ...graph, distance: Float32Array.of(1, -1) }, 'InvalidGraph'],
      [{ ...graph, distance: Float32Array.of(1, NaN) }, 'InvalidGraph'],
      [{ ...graph, weight: Uint32Array.of(1) }, 'InvalidGraph'],
    ];
    for (const [g, code] of bad) expect(() => contract(g)).toThrowError(expect.objectContaining({ code }));
    expect(() => contract(graph, { order: Uint32Array.of(0, 1) })).toThrowError(ChError);
    expect(() => contract(graph, { order: Uint32Array.of(0, 1, 1) })).toThrowError(
      expect.objectContaining({ code: 'InvalidOrder' }),
    );
  });

  it('reports a shortcut that would not fit 32 bits', () => {
    const big = WEIGHT_INFINITY - 10;
    const graph = graphFromEdges(3, [0, 1], [1, 2], [big, big], [1, 1]);
    expect(() => contract(graph, { order: Uint32Array.of(1, 0, 2) })).toThrowError(
      expect.objectContaining({ code: 'WeightOverflow' }),
    );
  });
});
