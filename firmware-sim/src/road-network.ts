import path from 'node:path';
import { haversineM } from './geo.js';
import { loadOsmRoads, type Oneway } from './osm-roads.js';
import { cruiseSpeedKmh } from './road-class.js';

export interface BBox {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

/**
 * A directed road graph in compressed sparse row form: the out-edges of node i are
 * firstEdge[i] .. firstEdge[i + 1] - 1. Every edge is one straight segment between two consecutive
 * way nodes, so positions along it interpolate linearly. Nodes and edges are integer indices.
 */
export interface RoadNetwork {
  /** Where the graph came from, for the run summary. */
  source: string;
  nodeCount: number;
  edgeCount: number;
  lat: Float64Array;
  lon: Float64Array;
  /** OSM node id per node (0 for generated networks). */
  osmId: Float64Array;
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  edgeLengthM: Float32Array;
  edgeRoadClass: Uint8Array;
  bbox: BBox;
}

/** A road before it becomes edges: node indices into the input coordinate arrays. */
export interface RoadWay {
  nodes: readonly number[];
  roadClass: number;
  oneway: Oneway;
}

export interface RoadGraphInput {
  source: string;
  lat: ArrayLike<number>;
  lon: ArrayLike<number>;
  osmId?: ArrayLike<number>;
  ways: readonly RoadWay[];
}

/** Loads the drivable roads of an OSM XML(.gz) extract as a strongly connected network. */
export async function loadRoadNetwork(file: string): Promise<RoadNetwork> {
  const roads = await loadOsmRoads(file);
  const ways: RoadWay[] = [];
  for (const way of roads.ways) {
    // A way can reference nodes cut off by the extract's boundary; split it there.
    let run: number[] = [];
    for (const ref of way.refs) {
      const index = roads.nodeIndex.get(ref);
      if (index !== undefined) {
        run.push(index);
        continue;
      }
      if (run.length >= 2) ways.push({ nodes: run, roadClass: way.roadClass, oneway: way.oneway });
      run = [];
    }
    if (run.length >= 2) ways.push({ nodes: run, roadClass: way.roadClass, oneway: way.oneway });
  }
  const network = buildRoadNetwork({
    source: `osm:${path.basename(file)}`,
    lat: roads.lat,
    lon: roads.lon,
    osmId: roads.nodeIds,
    ways,
  });
  if (network.nodeCount < 2) throw new Error(`${file}: no drivable roads found`);
  return network;
}

/**
 * Builds the graph and keeps only its largest strongly connected component: a random walk on it
 * can never drive into a one-way dead end, and every node stays reachable from every other.
 */
export function buildRoadNetwork(input: RoadGraphInput): RoadNetwork {
  const inputNodes = input.lat.length;
  const from: number[] = [];
  const to: number[] = [];
  const roadClass: number[] = [];
  for (const way of input.ways) {
    for (let i = 1; i < way.nodes.length; i++) {
      const a = way.nodes[i - 1] as number;
      const b = way.nodes[i] as number;
      if (a === b) continue;
      if (way.oneway >= 0) pushEdge(a, b, way.roadClass);
      if (way.oneway <= 0) pushEdge(b, a, way.roadClass);
    }
  }
  function pushEdge(a: number, b: number, code: number): void {
    from.push(a);
    to.push(b);
    roadClass.push(code);
  }

  const all = toCsr(inputNodes, from, to, roadClass);
  const component = largestStronglyConnectedComponent(inputNodes, all.firstEdge, all.edgeTarget);

  const newIndex = new Int32Array(inputNodes).fill(-1);
  let nodeCount = 0;
  for (let node = 0; node < inputNodes; node++) {
    if (component[node]) newIndex[node] = nodeCount++;
  }
  const keptFrom: number[] = [];
  const keptTo: number[] = [];
  const keptClass: number[] = [];
  for (let node = 0; node < inputNodes; node++) {
    if (!component[node]) continue;
    for (let e = all.firstEdge[node] as number; e < (all.firstEdge[node + 1] as number); e++) {
      const target = all.edgeTarget[e] as number;
      if (!component[target]) continue;
      keptFrom.push(newIndex[node] as number);
      keptTo.push(newIndex[target] as number);
      keptClass.push(all.edgeRoadClass[e] as number);
    }
  }
  const csr = toCsr(nodeCount, keptFrom, keptTo, keptClass);

  const lat = new Float64Array(nodeCount);
  const lon = new Float64Array(nodeCount);
  const osmId = new Float64Array(nodeCount);
  const bbox: BBox = { minLat: Infinity, minLon: Infinity, maxLat: -Infinity, maxLon: -Infinity };
  for (let node = 0; node < inputNodes; node++) {
    const index = newIndex[node] as number;
    if (index < 0) continue;
    const la = input.lat[node] as number;
    const lo = input.lon[node] as number;
    lat[index] = la;
    lon[index] = lo;
    osmId[index] = input.osmId?.[node] ?? 0;
    bbox.minLat = Math.min(bbox.minLat, la);
    bbox.maxLat = Math.max(bbox.maxLat, la);
    bbox.minLon = Math.min(bbox.minLon, lo);
    bbox.maxLon = Math.max(bbox.maxLon, lo);
  }
  const edgeLengthM = new Float32Array(csr.edgeTarget.length);
  for (let node = 0; node < nodeCount; node++) {
    for (let e = csr.firstEdge[node] as number; e < (csr.firstEdge[node + 1] as number); e++) {
      const target = csr.edgeTarget[e] as number;
      edgeLengthM[e] = haversineM(
        lat[node] as number,
        lon[node] as number,
        lat[target] as number,
        lon[target] as number,
      );
    }
  }
  return {
    source: input.source,
    nodeCount,
    edgeCount: csr.edgeTarget.length,
    lat,
    lon,
    osmId,
    firstEdge: csr.firstEdge,
    edgeTarget: csr.edgeTarget,
    edgeLengthM,
    edgeRoadClass: csr.edgeRoadClass,
    bbox,
  };
}

/** Index of the edge from -> to, or -1. */
export function findEdge(network: RoadNetwork, from: number, to: number): number {
  const end = network.firstEdge[from + 1] as number;
  for (let e = network.firstEdge[from] as number; e < end; e++) {
    if (network.edgeTarget[e] === to) return e;
  }
  return -1;
}

interface Csr {
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  edgeRoadClass: Uint8Array;
}

// Sorted by (source, target); a segment shared by two ways becomes one edge of the faster class.
function toCsr(nodeCount: number, from: number[], to: number[], roadClass: number[]): Csr {
  const order = Array.from(from.keys()).sort((a, b) => {
    const bySource = (from[a] as number) - (from[b] as number);
    return bySource !== 0 ? bySource : (to[a] as number) - (to[b] as number);
  });
  const firstEdge = new Uint32Array(nodeCount + 1);
  const targets: number[] = [];
  const classes: number[] = [];
  let previousFrom = -1;
  let previousTo = -1;
  for (const i of order) {
    const source = from[i] as number;
    const target = to[i] as number;
    const code = roadClass[i] as number;
    if (source === previousFrom && target === previousTo) {
      const kept = classes[classes.length - 1] as number;
      if (cruiseSpeedKmh(code) > cruiseSpeedKmh(kept)) classes[classes.length - 1] = code;
      continue;
    }
    previousFrom = source;
    previousTo = target;
    firstEdge[source + 1] = (firstEdge[source + 1] as number) + 1;
    targets.push(target);
    classes.push(code);
  }
  for (let node = 0; node < nodeCount; node++) {
    firstEdge[node + 1] = (firstEdge[node + 1] as number) + (firstEdge[node] as number);
  }
  return { firstEdge, edgeTarget: Uint32Array.from(targets), edgeRoadClass: Uint8Array.from(classes) };
}

/** Tarjan's algorithm without recursion (road graphs have paths far deeper than the JS stack). */
function largestStronglyConnectedComponent(
  nodeCount: number,
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
): Uint8Array {
  const order = new Int32Array(nodeCount).fill(-1);
  const low = new Int32Array(nodeCount);
  const onStack = new Uint8Array(nodeCount);
  const componentOf = new Int32Array(nodeCount).fill(-1);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  let counter = 0;
  let components = 0;
  let bestComponent = -1;
  let bestSize = 0;

  for (let root = 0; root < nodeCount; root++) {
    if (order[root] !== -1 || firstEdge[root] === firstEdge[root + 1]) continue;
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    callNode.push(root);
    callEdge.push(firstEdge[root] as number);
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const node = callNode[top] as number;
      const e = callEdge[top] as number;
      if (e < (firstEdge[node + 1] as number)) {
        callEdge[top] = e + 1;
        const next = edgeTarget[e] as number;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = 1;
          callNode.push(next);
          callEdge.push(firstEdge[next] as number);
        } else if (onStack[next]) {
          low[node] = Math.min(low[node] as number, order[next] as number);
        }
        continue;
      }
      callNode.pop();
      callEdge.pop();
      const parent = callNode[callNode.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] as number, low[node] as number);
      if (low[node] !== order[node]) continue;
      let size = 0;
      let member: number;
      do {
        member = stack.pop() as number;
        onStack[member] = 0;
        componentOf[member] = components;
        size++;
      } while (member !== node);
      if (size > bestSize) {
        bestSize = size;
        bestComponent = components;
      }
      components++;
    }
  }
  const inBest = new Uint8Array(nodeCount);
  if (bestComponent < 0) return inBest;
  for (let node = 0; node < nodeCount; node++) inBest[node] = componentOf[node] === bestComponent ? 1 : 0;
  return inBest;
}
