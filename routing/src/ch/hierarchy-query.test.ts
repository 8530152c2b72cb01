import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contract } from './contract.js';
import { GraphDijkstra } from './dijkstra.js';
import { graphFromEdges, type Endpoint } from './graph.js';
import { HierarchyQuery } from './hierarchy-query.js';
import { createRandom, roadGrid } from './synthetic-graph.js';
import {
  edgeListArbitrary,
  endpointsArbitrary,
  pathFault,
  tieDistance,
  tieWeight,
  toGraph,
} from './test-helpers.js';

const at = (node: number, weight = 0, distance = 0): Endpoint => ({ node, weight, distance });

describe('HierarchyQuery.route', () => {
  // a(0) --10--> b(1) --10--> c(2)     and a shortcut-worthy detour a --5--> d(3) --30--> c
  const line = graphFromEdges(4, [0, 1, 0, 3], [1, 2, 3, 2], [10, 10, 5, 30], [100, 100, 50, 300]);

  it('adds source and target offsets (a phantom part-way along a segment)', () => {
    const query = new HierarchyQuery(contract(line));
    const route = query.route([at(0, 4, 40)], [at(2, 3, 30)]);
    expect(route).toMatchObject({ weight: 27, distance: 270, sourceIndex: 0, targetIndex: 0 });
    expect(Array.from(route!.nodes)).toEqual([0, 1, 2]);
    expect(Array.from(route!.edges)).toEqual([0, 2]);
  });

  it('picks the best of several endpoints on each side, offsets included', () => {
    const query = new HierarchyQuery(contract(line));
    // From b with offset 25 (total 35) or from a with offset 0 (total 20): a wins.
    const route = query.route([at(1, 25), at(0, 0)], [at(2)]);
    expect(route).toMatchObject({ weight: 20, sourceIndex: 1 });
    // Offsets may be negative (a phantom's source side in OSRM's convention).
    const negative = query.route([at(1, -5), at(0, 0)], [at(2)]);
    expect(negative).toMatchObject({ weight: 5, sourceIndex: 0 });
  });

  it('returns the source alone when source and target are the same node', () => {
    const route = new HierarchyQuery(contract(line)).route([at(1, 2, 1)], [at(1, 3, 1)]);
    expect(route).toMatchObject({ weight: 5, distance: 2 });
    expect(Array.from(route!.nodes)).toEqual([1]);
    expect(route!.edges.length).toBe(0);
  });

  it('returns undefined when unreachable or without endpoints', () => {
    const query = new HierarchyQuery(contract(line));
    expect(query.route([at(2)], [at(0)])).toBeUndefined();
    expect(query.route([], [at(0)])).toBeUndefined();
  });

  it('rejects endpoints outside the graph or with non-finite offsets', () => {
    const query = new HierarchyQuery(contract(line));
    expect(() => query.route([at(4)], [at(0)])).toThrowError(
      expect.objectContaining({ code: 'InvalidEndpoint' }),
    );
    expect(() => query.route([at(0)], [at(1, NaN)])).toThrowError(
      expect.objectContaining({ code: 'InvalidEndpoint' }),
    );
    expect(() => query.manyToMany([[at(0)]], [[at(-1)]])).toThrowError(
      expect.objectContaining({ code: 'InvalidEndpoint' }),
    );
  });

  it('equals Dijkstra on 2 000 random pairs of a 20k-node perturbed road grid', () => {
    const graph = roadGrid({ width: 142, height: 142, seed: 20 });
    expect(graph.nodeCount).toBeGreaterThan(20_000);
    const query = new HierarchyQuery(contract(graph));
    const reference = new GraphDijkstra(graph);
    const random = createRandom(2000);
    let reachable = 0;
    for (let i = 0; i < 2000; i++) {
      const sources = [at(Math.floor(random() * graph.nodeCount))];
      const targets = [at(Math.floor(random() * graph.nodeCount))];
      const expected = reference.route(sources, targets);
      const actual = query.route(sources, targets);
      expect(actual?.weight).toBe(expected?.weight);
      // Exact: float32 segment lengths of ~100 m sum without rounding in any order at this size.
      expect(actual?.distance).toBe(expected?.distance);
      if (actual) {
        reachable += 1;
        expect(pathFault(graph, actual, sources, targets)).toBe('');
      }
    }
    expect(reachable).toBeGreaterThan(1500);
  });
});

describe('HierarchyQuery.manyToMany', () => {
  it('equals route for every pair, unreachable pairs included', () => {
    const arbitrary = edgeListArbitrary(tieDistance, tieWeight, 150).chain((edges) => {
      const group = fc.oneof(
        { weight: 1, arbitrary: fc.constant([]) },
        { weight: 9, arbitrary: endpointsArbitrary(edges.nodeCount) },
      );
      return fc.record({
        edges: fc.constant(edges),
        sources: fc.array(group, { minLength: 0, maxLength: 6 }),
        targets: fc.array(group, { minLength: 0, maxLength: 6 }),
      });
    });
    fc.assert(
      fc.property(arbitrary, ({ edges, sources, targets }) => {
        const query = new HierarchyQuery(contract(toGraph(edges)));
        // Twice: the second table reuses buckets and heaps of the first.
        for (let round = 0; round < 2; round++) {
          const { weights, distances } = query.manyToMany(sources, targets);
          expect(weights.length).toBe(sources.length * targets.length);
          for (let i = 0; i < sources.length; i++) {
            for (let j = 0; j < targets.length; j++) {
              const route = query.route(sources[i]!, targets[j]!);
              const cell = i * targets.length + j;
              expect(weights[cell]).toBe(route?.weight ?? Infinity);
              expect(distances[cell]).toBe(route?.distance ?? Infinity);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('computes a table of a road grid equal to Dijkstra', () => {
    const graph = roadGrid({ width: 40, height: 40, seed: 3 });
    const query = new HierarchyQuery(contract(graph));
    const reference = new GraphDijkstra(graph);
    const random = createRandom(5);
    const pick = (): Endpoint[] => [at(Math.floor(random() * graph.nodeCount), Math.floor(random() * 50))];
    const sources = Array.from({ length: 12 }, pick);
    const targets = Array.from({ length: 9 }, pick);
    const { weights, distances } = query.manyToMany(sources, targets);
    for (let i = 0; i < sources.length; i++) {
      for (let j = 0; j < targets.length; j++) {
        const expected = reference.route(sources[i]!, targets[j]!);
        expect(weights[i * targets.length + j]).toBe(expected?.weight ?? Infinity);
        expect(distances[i * targets.length + j]).toBe(expected?.distance ?? Infinity);
      }
    }
  });
});
