/**
 * Routing benchmark on a real extract: build (import + contraction), load of the prepared file,
 * point-to-point CH queries against plain Dijkstra (every answer verified), a 100×100 table and map
 * matching of 100-point traces. Seeded, several runs; one JSON line last.
 *
 *   npm run bench:routing -- --osm ../shared/data/osm/heidelberg.osm.pbf [--pairs 2000] [--seed 1]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GraphDijkstra } from '../src/ch/dijkstra.js';
import { createRandom } from '../src/ch/synthetic-graph.js';
import type { Endpoint } from '../src/ch/graph.js';
import { RoadRouter, type MetricContext } from '../src/engine/road-router.js';
import type { Phantom } from '../src/engine/snap-index.js';
import { loadPreparedNetwork, prepareNetwork, savePreparedNetwork } from '../src/prepare.js';
import { benchMatch } from './match-trace.js';

const { values } = parseArgs({
  options: {
    osm: { type: 'string' },
    pairs: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
  },
});
if (!values.osm) {
  process.stderr.write('usage: npm run bench:routing -- --osm FILE [--pairs N] [--seed N]\n');
  process.exit(1);
}
const log = (line: string): boolean => process.stderr.write(`${line}\n`);

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Random snapped points on the network: random road points (so every pair is on real roads). */
function randomPhantoms(
  router: RoadRouter,
  context: MetricContext,
  count: number,
  random: () => number,
): Phantom[] {
  const graph = router.graph;
  const out: Phantom[] = [];
  while (out.length < count) {
    const point = Math.floor(random() * graph.pointCount);
    const jitter = 0.0003;
    const lon = graph.pointLon[point]! + (random() - 0.5) * jitter;
    const lat = graph.pointLat[point]! + (random() - 0.5) * jitter;
    const phantom = router.nearest(context, lon, lat)[0];
    if (phantom) out.push(phantom);
  }
  return out;
}

async function main(): Promise<void> {
  const osm = values.osm!;
  const pairs = Number(values.pairs);
  const random = createRandom(Number(values.seed));

  const buildStarted = performance.now();
  const { network, timings } = await prepareNetwork(osm);
  const buildS = (performance.now() - buildStarted) / 1000;
  log(
    `built in ${buildS.toFixed(1)} s (import ${timings.importS.toFixed(1)} s, contraction ${timings.contractS.toFixed(1)} s)`,
  );
  const dir = await mkdtemp(path.join(tmpdir(), 'msw-bench-routing-'));
  const file = path.join(dir, 'network.mswroute');
  await savePreparedNetwork(file, network);
  const loadTimes: number[] = [];
  let loaded = network;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    loaded = await loadPreparedNetwork(file);
    loadTimes.push(performance.now() - started);
  }
  await rm(dir, { recursive: true, force: true });

  const router = new RoadRouter(loaded.graph, loaded.hierarchy);
  const context = router.context(undefined);
  const searchGraph = router.searchGraph(context.metric);
  const dijkstra = new GraphDijkstra(searchGraph);
  const phantoms = randomPhantoms(router, context, pairs * 2, random);

  // Warm-up, then timed CH queries.
  for (let i = 0; i < Math.min(200, pairs); i++)
    router.route(context, phantoms[2 * i]!, phantoms[2 * i + 1]!);
  const chTimes: number[] = [];
  const chWeights: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const started = process.hrtime.bigint();
    const leg = router.route(context, phantoms[2 * i]!, phantoms[2 * i + 1]!);
    chTimes.push(Number(process.hrtime.bigint() - started) / 1000);
    chWeights.push(leg ? leg.weightDs : Infinity);
  }

  // The same pairs with plain Dijkstra on the edge-expanded graph; every CH answer is checked.
  const dijkstraTimes: number[] = [];
  let mismatches = 0;
  for (let i = 0; i < pairs; i++) {
    const a = phantoms[2 * i]!;
    const b = phantoms[2 * i + 1]!;
    const started = process.hrtime.bigint();
    const reference = referenceWeight(router, context, searchGraph, dijkstra, a, b);
    dijkstraTimes.push(Number(process.hrtime.bigint() - started) / 1000);
    const got = chWeights[i]!;
    if (!(reference === got || Math.abs(reference - got) < 1e-6)) mismatches += 1;
  }

  const tablePoints = phantoms.slice(0, 100);
  router.table(context, tablePoints, tablePoints);
  const tableTimes: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    router.table(context, tablePoints, tablePoints);
    tableTimes.push(performance.now() - started);
  }

  const matchMs = benchMatch(router, random);

  const result = {
    name: 'routing',
    dataset: path.basename(osm),
    nodes: loaded.graph.pointCount,
    edges: loaded.graph.pieceCount,
    turns: loaded.graph.turnTarget.length,
    shortcuts: loaded.hierarchy.shortcutCount,
    build_s: Math.round(buildS * 100) / 100,
    load_ms: Math.round(percentile(loadTimes, 0.5) * 10) / 10,
    pairs,
    route_p50_us: Math.round(percentile(chTimes, 0.5)),
    route_p99_us: Math.round(percentile(chTimes, 0.99)),
    dijkstra_p50_us: Math.round(percentile(dijkstraTimes, 0.5)),
    table_100x100_ms: Math.round(percentile(tableTimes, 0.5) * 10) / 10,
    match_100pts_ms: matchMs === undefined ? null : Math.round(matchMs * 10) / 10,
    mismatches,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Plain Dijkstra from the phantoms' endpoints (staying on one piece only forwards). */
function referenceWeight(
  router: RoadRouter,
  context: MetricContext,
  graph: ReturnType<RoadRouter['searchGraph']>,
  dijkstra: GraphDijkstra,
  a: Phantom,
  b: Phantom,
): number {
  const sources = router.sourceEndpoints(context, a);
  const targets = router.targetEndpoints(context, b);
  let best = Infinity;
  for (const s of sources)
    for (const t of targets)
      if (s.node === t.node && t.weight >= -s.weight) best = Math.min(best, s.weight + t.weight);
  const expanded: Endpoint[] = [];
  for (const s of sources) {
    for (let e = graph.firstEdge[s.node]!; e < graph.firstEdge[s.node + 1]!; e++) {
      if (graph.weight[e] !== 0xffffffff) {
        expanded.push({
          node: graph.target[e]!,
          weight: s.weight + graph.weight[e]!,
          distance: s.distance + graph.distance[e]!,
        });
      }
    }
  }
  const path = expanded.length > 0 ? dijkstra.route(expanded, targets) : undefined;
  return Math.min(best, path ? path.weight : Infinity);
}

main().catch((error: unknown) => {
  log(`bench:routing failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
