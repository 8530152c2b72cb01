import type { WayLimits } from '../profile/truck-profile.js';

/**
 * The routable road network of one extract, as typed arrays (serialized by `graph-file.ts`).
 *
 * Points are the OSM nodes on routable ways. A *piece* is a directed run of one way between two
 * intersections (no junction inside), with its geometry as a list of points; pieces are the nodes
 * of the edge-expanded graph, whose edges (*turns*) connect a piece to the pieces that may follow
 * it. A turn's weight is the duration of driving its source piece plus the turn penalty.
 */
export interface RoadGraph {
  pointCount: number;
  pointLon: Float64Array;
  pointLat: Float64Array;
  pointOsmId: Float64Array;

  pieceCount: number;
  /** Geometry of piece p: geomPoint[pieceGeomStart[p] .. pieceGeomStart[p+1]), in driving order. */
  pieceGeomStart: Uint32Array;
  geomPoint: Uint32Array;
  /** Length of each geometry step (from geomPoint[i] to geomPoint[i+1]); the last entry of a piece is 0. */
  geomLengthM: Float32Array;
  pieceLengthM: Float32Array;
  /** Free-flow truck speed of the piece, km/h (the way's profile speed). */
  pieceSpeedKmh: Float32Array;
  /** The same road driven the other way, or -1 (oneway). */
  pieceReverse: Int32Array;
  pieceWayId: Float64Array;
  pieceName: Uint32Array;
  pieceRoadClass: Uint8Array;
  /** Index into `limits`, or NO_LIMITS. */
  pieceLimits: Uint32Array;
  /** Extra seconds of delay at the end of the piece (traffic signals, barriers). */
  pieceEndDelayS: Float32Array;

  /** Edge-expanded graph (CSR over pieces). */
  turnFirst: Uint32Array;
  turnTarget: Uint32Array;
  /** Turn penalty only, deciseconds (the piece duration is added per metric). */
  turnPenaltyDs: Uint32Array;

  names: string[];
  limits: WayLimits[];
  source: string;
}

export const NO_LIMITS = 0xffffffff;

/** Duration of a piece in deciseconds at the given speed (km/h), plus its end delay. */
export function pieceDurationDs(graph: RoadGraph, piece: number, speedKmh: number): number {
  return (graph.pieceLengthM[piece]! / (speedKmh / 3.6) + graph.pieceEndDelayS[piece]!) * 10;
}
