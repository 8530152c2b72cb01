import { fitsLimits, type VehicleDimensions } from '../profile/truck-profile.js';
import { NO_LIMITS, type RoadGraph } from '../graph/road-graph.js';

/** Weight of a closed turn: never used by a search. */
export const CLOSED = 0xffffffff;

/**
 * One metric of the road graph: what driving each piece costs (deciseconds) under some speeds, and
 * which pieces are closed to some vehicle. Turn weights derive from it.
 */
export interface Metric {
  pieceWeightDs: Uint32Array;
  /** 1 where the piece is closed (the vehicle does not fit). */
  closed: Uint8Array;
}

/** Piece weights at the given speeds (km/h per piece; the free-flow profile speeds by default). */
export function pieceWeights(graph: RoadGraph, speedKmh: Float32Array = graph.pieceSpeedKmh): Uint32Array {
  const weights = new Uint32Array(graph.pieceCount);
  for (let p = 0; p < graph.pieceCount; p++) {
    const seconds = graph.pieceLengthM[p]! / (Math.max(speedKmh[p]!, 1) / 3.6) + graph.pieceEndDelayS[p]!;
    weights[p] = Math.max(1, Math.round(seconds * 10));
  }
  return weights;
}

/** Pieces a vehicle may not use (size, weight), as a 0/1 array; all open for an unknown vehicle. */
export function closedPieces(graph: RoadGraph, vehicle: VehicleDimensions): Uint8Array {
  const closed = new Uint8Array(graph.pieceCount);
  if (graph.limits.length === 0) return closed;
  const fits = graph.limits.map((limits) => fitsLimits(limits, vehicle));
  for (let p = 0; p < graph.pieceCount; p++) {
    const id = graph.pieceLimits[p]!;
    if (id !== NO_LIMITS && !fits[id]) closed[p] = 1;
  }
  return closed;
}

/** A stable key of a closure set, so customized hierarchies can be cached per vehicle class. */
export function closureKey(closed: Uint8Array): string {
  const ids: number[] = [];
  for (let p = 0; p < closed.length; p++) if (closed[p]) ids.push(p);
  return ids.join(',');
}

/** Turn weights of the edge-expanded graph: source piece weight + turn penalty; closed pieces closed. */
export function turnWeights(graph: RoadGraph, metric: Metric): Uint32Array {
  const weights = new Uint32Array(graph.turnTarget.length);
  for (let p = 0; p < graph.pieceCount; p++) {
    const closedSource = metric.closed[p] === 1;
    for (let t = graph.turnFirst[p]!; t < graph.turnFirst[p + 1]!; t++) {
      weights[t] =
        closedSource || metric.closed[graph.turnTarget[t]!] === 1
          ? CLOSED
          : metric.pieceWeightDs[p]! + graph.turnPenaltyDs[t]!;
    }
  }
  return weights;
}

/** Distance summed per turn: the length of its source piece. */
export function turnDistances(graph: RoadGraph): Float32Array {
  const distances = new Float32Array(graph.turnTarget.length);
  for (let p = 0; p < graph.pieceCount; p++) {
    for (let t = graph.turnFirst[p]!; t < graph.turnFirst[p + 1]!; t++) distances[t] = graph.pieceLengthM[p]!;
  }
  return distances;
}
