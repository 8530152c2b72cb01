import { graphFromEdges, type DirectedGraph } from './graph.js';

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32, as in firmware-sim/src/prng.ts: seeded, so benchmark runs compare. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RoadGridOptions {
  /** Intersections per row and per column. */
  width: number;
  height: number;
  seed: number;
  /** Share of road segments driveable one way only. */
  onewayShare?: number;
  /** Share of road segments left out (blocks, rivers). */
  missingShare?: number;
  /**
   * Road classes above residential (30 km/h): every `every`-th row and column is a road of `kmh`,
   * the fastest class that applies wins. Real networks are hierarchical like this, and contraction
   * hierarchies exploit it; a uniform grid is their worst case.
   */
  roadClasses?: readonly { every: number; kmh: number }[];
}

/** A synthetic road network on a perturbed grid, as intersections and directed segments. */
interface RoadGrid {
  segmentFrom: number[];
  segmentTo: number[];
  segmentLengthM: number[];
  segmentDurationDs: number[];
  x: Float64Array;
  y: Float64Array;
}

const BLOCK_M = 120;
const RESIDENTIAL_KMH = 30;
/** Tertiary every 4th line, primary every 16th, motorway every 64th. */
export const DEFAULT_ROAD_CLASSES: readonly { every: number; kmh: number }[] = [
  { every: 64, kmh: 110 },
  { every: 16, kmh: 80 },
  { every: 4, kmh: 50 },
];

function buildRoadGrid(options: RoadGridOptions): RoadGrid {
  const {
    width,
    height,
    seed,
    onewayShare = 0.1,
    missingShare = 0.08,
    roadClasses = DEFAULT_ROAD_CLASSES,
  } = options;
  const random = createRandom(seed);
  const x = new Float64Array(width * height);
  const y = new Float64Array(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      x[row * width + col] = (col + (random() - 0.5) * 0.6) * BLOCK_M;
      y[row * width + col] = (row + (random() - 0.5) * 0.6) * BLOCK_M;
    }
  }
  const grid: RoadGrid = { segmentFrom: [], segmentTo: [], segmentLengthM: [], segmentDurationDs: [], x, y };
  const lineKmh = (line: number): number => {
    for (const roadClass of roadClasses) if (line % roadClass.every === 0) return roadClass.kmh;
    return RESIDENTIAL_KMH;
  };
  const addRoad = (a: number, b: number, classKmh: number): void => {
    // Main roads are never missing: they are what the hierarchy is made of.
    if (classKmh === RESIDENTIAL_KMH && random() < missingShare) return;
    const length = Math.hypot(x[a]! - x[b]!, y[a]! - y[b]!);
    const kmh = classKmh * (0.8 + 0.4 * random());
    const durationDs = Math.max(1, Math.round((length / (kmh / 3.6)) * 10));
    const oneway = classKmh === RESIDENTIAL_KMH && random() < onewayShare;
    const forward = !oneway || random() < 0.5;
    const backward = !oneway || !forward;
    if (forward) pushSegment(grid, a, b, length, durationDs);
    if (backward) pushSegment(grid, b, a, length, durationDs);
  };
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const v = row * width + col;
      if (col + 1 < width) addRoad(v, v + 1, lineKmh(row));
      if (row + 1 < height) addRoad(v, v + width, lineKmh(col));
    }
  }
  return grid;
}

function pushSegment(grid: RoadGrid, a: number, b: number, length: number, durationDs: number): void {
  grid.segmentFrom.push(a);
  grid.segmentTo.push(b);
  grid.segmentLengthM.push(length);
  grid.segmentDurationDs.push(durationDs);
}

/** Node-based road grid: nodes are intersections, edges directed road segments. */
export function roadGrid(options: RoadGridOptions): DirectedGraph {
  const grid = buildRoadGrid(options);
  return graphFromEdges(
    options.width * options.height,
    grid.segmentFrom,
    grid.segmentTo,
    grid.segmentDurationDs,
    grid.segmentLengthM,
  );
}

// Turn penalties, deciseconds (right-hand traffic).
const RIGHT_TURN_DS = 30;
const LEFT_TURN_DS = 80;
const UTURN_DS = 400;

/**
 * Edge-expanded road grid, the shape our road graph has (DESIGN.md): nodes are directed segments,
 * edges are turns at the segment's end, weight = the segment's duration + turn penalty, distance =
 * the segment's length. U-turns only at dead ends. About 4·width·height nodes, out-degree ~3.
 */
export function edgeExpandedRoadGrid(options: RoadGridOptions): DirectedGraph {
  const grid = buildRoadGrid(options);
  const { segmentFrom, segmentTo, segmentLengthM, segmentDurationDs, x, y } = grid;
  const segments = segmentFrom.length;
  const intersections = options.width * options.height;
  // Segments leaving each intersection, CSR.
  const leaveFirst = new Uint32Array(intersections + 1);
  for (let s = 0; s < segments; s++) leaveFirst[segmentFrom[s]! + 1]! += 1;
  for (let v = 0; v < intersections; v++) leaveFirst[v + 1]! += leaveFirst[v]!;
  const leaving = new Uint32Array(segments);
  const next = leaveFirst.slice(0, intersections);
  for (let s = 0; s < segments; s++) leaving[next[segmentFrom[s]!]!++] = s;

  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const distance: number[] = [];
  for (let s = 0; s < segments; s++) {
    const a = segmentFrom[s]!;
    const b = segmentTo[s]!;
    const exits = leaveFirst[b + 1]! - leaveFirst[b]!;
    for (let i = leaveFirst[b]!; i < leaveFirst[b + 1]!; i++) {
      const t = leaving[i]!;
      const c = segmentTo[t]!;
      let penalty: number;
      if (c === a) {
        if (exits > 1) continue;
        penalty = UTURN_DS;
      } else {
        // Sign of the cross product: left (counter-clockwise) or right; near zero: straight on.
        const cross = (x[b]! - x[a]!) * (y[c]! - y[b]!) - (y[b]! - y[a]!) * (x[c]! - x[b]!);
        const dot = (x[b]! - x[a]!) * (x[c]! - x[b]!) + (y[b]! - y[a]!) * (y[c]! - y[b]!);
        const angle = Math.abs(Math.atan2(cross, dot));
        penalty = angle < Math.PI / 6 ? 0 : cross > 0 ? LEFT_TURN_DS : RIGHT_TURN_DS;
      }
      from.push(s);
      to.push(t);
      weight.push(segmentDurationDs[s]! + penalty);
      distance.push(segmentLengthM[s]!);
    }
  }
  return graphFromEdges(segments, from, to, weight, distance);
}

/** Grid side for an edge-expanded grid of about `nodes` nodes. */
export function gridSideForNodes(
  nodes: number,
  options: Pick<RoadGridOptions, 'missingShare' | 'onewayShare'> = {},
): number {
  const { missingShare = 0.08, onewayShare = 0.1 } = options;
  const segmentsPerIntersection = 2 * (1 - missingShare) * (2 - onewayShare);
  return Math.max(2, Math.round(Math.sqrt(nodes / segmentsPerIntersection)));
}
