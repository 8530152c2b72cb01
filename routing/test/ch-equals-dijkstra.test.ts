import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphDijkstra } from '../src/ch/dijkstra.js';
import type { DirectedGraph } from '../src/ch/graph.js';
import { RoadRouter } from '../src/engine/road-router.js';
import type { Phantom } from '../src/engine/snap-index.js';
import { prepareNetwork } from '../src/prepare.js';

const DATA = new URL('../../../shared/data/osm/', import.meta.url).pathname;

// Core bboxes from ../shared/data/osm/README.md (lon_min, lat_min, lon_max, lat_max).
const EXTRACTS: [string, [number, number, number, number], number][] = [
  ['moscow-ostankino.osm.gz', [37.5814, 55.8013, 37.6324, 55.827], 1500],
  ['monaco.osm.pbf', [7.3507, 43.7204, 7.4862, 43.7692], 1500],
  ['andorra.osm.pbf', [1.4447, 42.4407, 1.7252, 42.6314], 1000],
  ['heidelberg.osm.pbf', [8.6, 49.35, 8.83, 49.49], 1000],
];

describe.each(EXTRACTS)('%s: contraction hierarchy equals Dijkstra', (file, bbox, pairs) => {
  let router: RoadRouter;
  let graph: DirectedGraph;
  let dijkstra: GraphDijkstra;

  beforeAll(async () => {
    const { network } = await prepareNetwork(DATA + file);
    router = new RoadRouter(network.graph, network.hierarchy);
    graph = router.searchGraph(router.context(undefined).metric);
    dijkstra = new GraphDijkstra(graph);
  }, 120_000);

  const point = fc.tuple(
    fc.double({ min: bbox[0], max: bbox[2], noNaN: true }),
    fc.double({ min: bbox[1], max: bbox[3], noNaN: true }),
  );

  it(`gives the same duration and distance on ${pairs} random pairs`, () => {
    const context = router.context(undefined);
    let compared = 0;
    fc.assert(
      fc.property(point, point, ([lonA, latA], [lonB, latB]) => {
        const a = router.nearest(context, lonA, latA)[0];
        const b = router.nearest(context, lonB, latB)[0];
        if (!a || !b) return;
        const leg = router.route(context, a, b);
        const reference = referenceRoute(a, b);
        if (!reference) {
          expect(leg).toBeUndefined();
          return;
        }
        expect(leg).toBeDefined();
        expect(leg!.weightDs).toBeCloseTo(reference.weight, 6);
        expect(leg!.distanceM).toBeCloseTo(reference.distance, 2);
        compared += 1;
      }),
      { numRuns: pairs, seed: 20261128 },
    );
    expect(compared).toBeGreaterThan(pairs * 0.5);
  });

  it('table(i, j) equals route(i, j)', () => {
    const context = router.context(undefined);
    const random = fc.sample(point, { numRuns: 24, seed: 7 });
    const phantoms = random.map(([lon, lat]) => router.nearest(context, lon, lat)[0]!).filter(Boolean);
    const table = router.table(context, phantoms, phantoms);
    phantoms.forEach((a, i) =>
      phantoms.forEach((b, j) => {
        const leg = router.route(context, a, b);
        const cell = table.weights[i * phantoms.length + j]!;
        if (!leg) expect(cell).toBe(Infinity);
        else {
          expect(cell).toBeCloseTo(leg.weightDs, 6);
          expect(table.distances[i * phantoms.length + j]!).toBeCloseTo(leg.distanceM, 3);
        }
      }),
    );
  });

  /** Plain Dijkstra on the edge-expanded graph from the same endpoints (same-piece cases included). */
  function referenceRoute(a: Phantom, b: Phantom): { weight: number; distance: number } | undefined {
    const context = router.context(undefined);
    const sources = router.sourceEndpoints(context, a);
    const targets = router.targetEndpoints(context, b);
    let best: { weight: number; distance: number } | undefined;
    const consider = (weight: number, distance: number): void => {
      // The same lexicographic order as the searches: weight, then distance.
      if (
        !best ||
        weight < best.weight - 1e-9 ||
        (Math.abs(weight - best.weight) <= 1e-9 && distance < best.distance)
      ) {
        best = { weight, distance };
      }
    };
    // Staying on the same piece is only valid forwards; otherwise leave the piece first.
    for (const s of sources) {
      for (const t of targets) {
        if (s.node === t.node && t.weight >= -s.weight)
          consider(s.weight + t.weight, s.distance + t.distance);
      }
    }
    const expanded = sources.flatMap((s) => {
      const out = [];
      for (let e = graph.firstEdge[s.node]!; e < graph.firstEdge[s.node + 1]!; e++) {
        if (graph.weight[e] === 0xffffffff) continue;
        out.push({
          node: graph.target[e]!,
          weight: s.weight + graph.weight[e]!,
          distance: s.distance + graph.distance[e]!,
        });
      }
      return out;
    });
    const path = expanded.length > 0 ? dijkstra.route(expanded, targets) : undefined;
    if (path) consider(path.weight, path.distance);
    return best;
  }
});
