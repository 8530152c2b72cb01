import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { contract } from './ch/contract.js';
import { ContractionHierarchy, serializeHierarchy } from './ch/contraction-hierarchy.js';
import { buildRoadGraph, type BuildStats } from './graph/build-road-graph.js';
import { readRoutingFile, writeRoutingFile } from './graph/graph-file.js';
import type { RoadGraph } from './graph/road-graph.js';
import { pieceWeights, turnDistances, turnWeights } from './engine/metric.js';

export interface PreparedNetwork {
  graph: RoadGraph;
  hierarchy: ContractionHierarchy;
  meta: Record<string, unknown>;
}

export interface PrepareTimings {
  importS: number;
  contractS: number;
  stats: BuildStats;
}

const HIERARCHY_SECTION = 'hierarchy';

/** OSM extract → road graph → contraction hierarchy (free-flow metric, all roads open). */
export async function prepareNetwork(
  osmPath: string,
): Promise<{ network: PreparedNetwork; timings: PrepareTimings }> {
  const t0 = performance.now();
  const { graph, stats } = await buildRoadGraph(osmPath);
  const t1 = performance.now();
  const hierarchy = contract({
    nodeCount: graph.pieceCount,
    firstEdge: graph.turnFirst,
    target: graph.turnTarget,
    weight: turnWeights(graph, {
      pieceWeightDs: pieceWeights(graph),
      closed: new Uint8Array(graph.pieceCount),
    }),
    distance: turnDistances(graph),
  });
  const t2 = performance.now();
  const meta = { source: path.basename(osmPath), builtAt: new Date().toISOString(), stats };
  return {
    network: { graph, hierarchy, meta },
    timings: { importS: (t1 - t0) / 1000, contractS: (t2 - t1) / 1000, stats },
  };
}

/** The file a prepared network is stored in: `DIR/<extract name>.mswroute`. */
export function preparedFileOf(osmPath: string, outDir: string): string {
  const base = path.basename(osmPath).replace(/\.(osm\.pbf|pbf|osm\.gz|osm|xml)$/i, '');
  return path.join(outDir, `${base}.mswroute`);
}

export async function savePreparedNetwork(file: string, network: PreparedNetwork): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const hierarchyBytes = new Uint8Array(serializeHierarchy(network.hierarchy));
  await writeRoutingFile(file, network.graph, new Map([[HIERARCHY_SECTION, hierarchyBytes]]), network.meta);
}

/** Loads a prepared network: views into one buffer, plus one copy of the hierarchy section. */
export async function loadPreparedNetwork(file: string): Promise<PreparedNetwork> {
  const { graph, extra, meta } = await readRoutingFile(file);
  const bytes = extra.get(HIERARCHY_SECTION);
  if (!bytes) throw new Error(`${file}: no contraction hierarchy section`);
  // The hierarchy reads its own header from offset 0 of an ArrayBuffer.
  const hierarchy = ContractionHierarchy.from(bytes.slice().buffer);
  return { graph, hierarchy, meta };
}
