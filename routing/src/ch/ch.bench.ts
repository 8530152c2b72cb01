/**
 * Contraction hierarchy benchmark on a seeded synthetic road network. Progress on stderr, one JSON
 * line last on stdout.
 *
 *   npx tsx routing/src/ch/ch.bench.ts [--nodes 300000] [--kind grid|edge-expanded] [--queries 10000]
 *                                      [--table 100] [--runs 5] [--seed 1]
 *
 * `grid`: intersections of a perturbed grid with road classes and some oneways (nodes ≈ width²).
 * `edge-expanded`: the same network as directed segments linked by turns, the shape of our real
 * road graph (nodes ≈ 3.4·width²); much denser hierarchies than node-based graphs.
 */
import { parseArgs } from 'node:util';
import { contract } from './contract.js';
import { ContractionHierarchy, serializeHierarchy } from './contraction-hierarchy.js';
import { GraphDijkstra } from './dijkstra.js';
import type { DirectedGraph, Endpoint } from './graph.js';
import { HierarchyQuery } from './hierarchy-query.js';
import {
  createRandom,
  edgeExpandedRoadGrid,
  gridSideForNodes,
  roadGrid,
  type Random,
} from './synthetic-graph.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '300000' },
    kind: { type: 'string', default: 'grid' },
    queries: { type: 'string', default: '10000' },
    table: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
  },
});
const NODES = Number(values.nodes);
const KIND = values.kind;
const QUERIES = Number(values.queries);
const TABLE = Number(values.table);
const RUNS = Number(values.runs);
const SEED = Number(values.seed);
const log = (line: string): boolean => process.stderr.write(`${line}\n`);

function buildGraph(): DirectedGraph {
  if (KIND === 'grid') {
    const side = Math.round(Math.sqrt(NODES));
    return roadGrid({ width: side, height: side, seed: SEED });
  }
  if (KIND === 'edge-expanded') {
    const side = gridSideForNodes(NODES);
    return edgeExpandedRoadGrid({ width: side, height: side, seed: SEED });
  }
  throw new Error(`--kind must be grid or edge-expanded, got ${KIND}`);
}

/** A phantom-like endpoint set: two nodes with offsets, as a point snapped mid-segment gives. */
function randomPhantom(random: Random, nodeCount: number): Endpoint[] {
  return [
    { node: Math.floor(random() * nodeCount), weight: Math.floor(random() * 100), distance: random() * 100 },
    { node: Math.floor(random() * nodeCount), weight: Math.floor(random() * 100), distance: random() * 100 },
  ];
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const cpuSeconds = (usage: NodeJS.CpuUsage): number => round((usage.user + usage.system) / 1e6, 2);

function main(): void {
  let started = performance.now();
  const graph = buildGraph();
  log(
    `graph: ${KIND}, ${graph.nodeCount} nodes, ${graph.target.length} edges (${round(performance.now() - started)} ms)`,
  );

  // CPU time beside wall time: on a shared machine the process is not always running.
  started = performance.now();
  let cpu = process.cpuUsage();
  const built = contract(graph);
  const contractMs = performance.now() - started;
  const contractCpu = process.cpuUsage(cpu);
  log(
    `contract: ${round(contractMs / 1000, 2)} s (cpu ${cpuSeconds(contractCpu)} s), ${built.shortcutCount} shortcuts`,
  );

  // A new metric on the same order: every weight +10 % (a traffic slot), 1 % of edges closed.
  const random = createRandom(SEED + 1);
  const weightB = graph.weight.map((w) => (random() < 0.01 ? 0xffffffff : Math.round(w * 1.1)));
  started = performance.now();
  cpu = process.cpuUsage();
  contract({ ...graph, weight: weightB }, { order: built.order });
  const customizeMs = performance.now() - started;
  const customizeCpu = process.cpuUsage(cpu);
  log(
    `customize (same order, new metric): ${round(customizeMs / 1000, 2)} s (cpu ${cpuSeconds(customizeCpu)} s)`,
  );

  // Queries run on the hierarchy as a worker would have it: rebuilt from its buffer.
  const data = serializeHierarchy(built);
  const h = ContractionHierarchy.from(data.slice(0));
  const query = new HierarchyQuery(h);
  const queryRandom = createRandom(SEED + 2);
  const pairs = Array.from({ length: QUERIES + 1000 }, () => [
    { node: Math.floor(queryRandom() * graph.nodeCount), weight: 0, distance: 0 },
    { node: Math.floor(queryRandom() * graph.nodeCount), weight: 0, distance: 0 },
  ]);
  for (let i = 0; i < 1000; i++) query.route([pairs[i]![0]!], [pairs[i]![1]!]); // warm-up
  const micros = new Float64Array(QUERIES);
  let settled = 0;
  let pathEdges = 0;
  let found = 0;
  for (let i = 0; i < QUERIES; i++) {
    const [source, target] = pairs[1000 + i]!;
    const t0 = performance.now();
    const route = query.route([source!], [target!]);
    micros[i] = (performance.now() - t0) * 1000;
    settled += query.settledCount;
    if (route) {
      found += 1;
      pathEdges += route.edges.length;
    }
  }
  micros.sort();
  const p50 = percentile(micros, 0.5);
  const p99 = percentile(micros, 0.99);
  log(
    `route: p50 ${round(p50)} µs, p99 ${round(p99)} µs over ${QUERIES} queries; ` +
      `${round(settled / QUERIES)} nodes settled, ${round(pathEdges / Math.max(found, 1))} edges per path`,
  );

  const reference = new GraphDijkstra(graph);
  let dijkstraMs = 0;
  for (let i = 0; i < 20; i++) {
    const [source, target] = pairs[1000 + i]!;
    const t0 = performance.now();
    reference.route([source!], [target!]);
    dijkstraMs += performance.now() - t0;
  }
  log(`dijkstra reference: ${round((dijkstraMs / 20) * 1000)} µs per query`);

  const tableRandom = createRandom(SEED + 3);
  const tableMs: number[] = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const sources = Array.from({ length: TABLE }, () => randomPhantom(tableRandom, graph.nodeCount));
    const targets = Array.from({ length: TABLE }, () => randomPhantom(tableRandom, graph.nodeCount));
    const t0 = performance.now();
    query.manyToMany(sources, targets);
    if (run > 0) tableMs.push(performance.now() - t0); // the first run warms up
  }
  log(`table ${TABLE}×${TABLE} (2 endpoints each): median ${round(median(tableMs))} ms over ${RUNS} runs`);

  const result = {
    name: `ch-${KIND}`,
    nodes: graph.nodeCount,
    edges: graph.target.length,
    contract_s: round(contractMs / 1000, 2),
    contract_cpu_s: cpuSeconds(contractCpu),
    customize_s: round(customizeMs / 1000, 2),
    customize_cpu_s: cpuSeconds(customizeCpu),
    shortcuts: built.shortcutCount,
    hierarchy_mb: round(data.byteLength / 2 ** 20),
    route_p50_us: round(p50),
    route_p99_us: round(p99),
    route_settled: round(settled / QUERIES),
    dijkstra_us: round((dijkstraMs / 20) * 1000),
    table: `${TABLE}x${TABLE}`,
    median_ms: round(median(tableMs)),
    seed: SEED,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
