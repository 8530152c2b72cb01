import { describe, expect, it } from 'vitest';
import { dijkstra } from './dijkstra.js';
import { graphFromEdges, WEIGHT_INFINITY } from './graph.js';

describe('dijkstra', () => {
  //   0 ──4──▶ 1 ──4──▶ 3
  //   └──2──▶ 2 ──6──▶─┘     two paths of weight 8; 0→2→3 is shorter in distance
  const graph = graphFromEdges(4, [0, 1, 0, 2], [1, 3, 2, 3], [4, 4, 2, 6], [50, 50, 30, 30]);

  it('breaks ties in weight by distance', () => {
    const route = dijkstra(
      graph,
      [{ node: 0, weight: 0, distance: 0 }],
      [{ node: 3, weight: 0, distance: 0 }],
    );
    expect(route).toMatchObject({ weight: 8, distance: 60 });
    expect(Array.from(route!.nodes)).toEqual([0, 2, 3]);
    expect(Array.from(route!.edges)).toEqual([1, 3]);
  });

  it('chooses among several targets by their offsets', () => {
    const route = dijkstra(
      graph,
      [{ node: 0, weight: 0, distance: 0 }],
      [
        { node: 3, weight: 1, distance: 0 },
        { node: 1, weight: 6, distance: 0 },
      ],
    );
    expect(route).toMatchObject({ weight: 9, targetIndex: 0 });
  });

  it('skips closed edges', () => {
    const closed = graphFromEdges(2, [0], [1], [WEIGHT_INFINITY], [1]);
    expect(
      dijkstra(closed, [{ node: 0, weight: 0, distance: 0 }], [{ node: 1, weight: 0, distance: 0 }]),
    ).toBe(undefined);
  });
});
