import Flatbush from 'flatbush';
import { projectOnSegment } from '../graph/geometry.js';
import type { RoadGraph } from '../graph/road-graph.js';

/** A query coordinate placed on the road network (OSRM's phantom node). */
export interface Phantom {
  /** The snapped point on the road. */
  lon: number;
  lat: number;
  /** From the input coordinate to the snapped point, metres. */
  distanceM: number;
  /** Piece driven in the geometry's direction through the point, or -1. */
  forwardPiece: number;
  /** The same road the other way, or -1. */
  reversePiece: number;
  /** How far along forwardPiece (by length) the point lies, [0, 1]; along reversePiece it is 1 − this. */
  fraction: number;
  name: string;
}

const METRES_PER_DEGREE_LAT = 111_320;

/**
 * Spatial index over every geometry step of the road network (each road once, whichever direction
 * pieces exist), so a coordinate snaps onto the nearest road *segment*, not the nearest node.
 */
export class SnapIndex {
  private readonly index: Flatbush;
  /** Per indexed item: the global geometry index of the step's first point, in `basePiece`. */
  private readonly stepGeom: Uint32Array;
  private readonly stepPiece: Uint32Array;
  private readonly pieceOffsetM: Float32Array;

  constructor(private readonly graph: RoadGraph) {
    const steps: number[] = [];
    const stepPieces: number[] = [];
    for (let p = 0; p < graph.pieceCount; p++) {
      const reverse = graph.pieceReverse[p]!;
      if (reverse >= 0 && reverse < p) continue; // the road is indexed through its other direction
      for (let i = graph.pieceGeomStart[p]!; i < graph.pieceGeomStart[p + 1]! - 1; i++) {
        steps.push(i);
        stepPieces.push(p);
      }
    }
    this.stepGeom = Uint32Array.from(steps);
    this.stepPiece = Uint32Array.from(stepPieces);
    // Length of the piece before each geometry index, for the fraction of a snapped point.
    this.pieceOffsetM = new Float32Array(graph.geomPoint.length);
    for (let p = 0; p < graph.pieceCount; p++) {
      let offset = 0;
      for (let i = graph.pieceGeomStart[p]!; i < graph.pieceGeomStart[p + 1]!; i++) {
        this.pieceOffsetM[i] = offset;
        offset += graph.geomLengthM[i]!;
      }
    }
    this.index = new Flatbush(Math.max(1, steps.length));
    for (const geom of steps) {
      const a = graph.geomPoint[geom]!;
      const b = graph.geomPoint[geom + 1]!;
      this.index.add(
        Math.min(graph.pointLon[a]!, graph.pointLon[b]!),
        Math.min(graph.pointLat[a]!, graph.pointLat[b]!),
        Math.max(graph.pointLon[a]!, graph.pointLon[b]!),
        Math.max(graph.pointLat[a]!, graph.pointLat[b]!),
      );
    }
    if (steps.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /**
   * The `count` nearest road positions within `radiusM` (Infinity: no limit), nearest first, at most
   * one per road piece. `accept` filters pieces (closed for the vehicle, and so on).
   */
  nearest(
    lon: number,
    lat: number,
    count: number,
    radiusM: number,
    accept?: (piece: number) => boolean,
  ): Phantom[] {
    const graph = this.graph;
    // Best projection per road (the indexed piece stands for both directions).
    const best = new Map<number, Phantom>();
    // Candidate boxes in order of box distance (degrees); refined by exact projection.
    const cosLat = Math.cos((lat * Math.PI) / 180);
    const maxDegrees =
      radiusM === Infinity ? Infinity : radiusM / (METRES_PER_DEGREE_LAT * Math.max(cosLat, 0.01));
    const candidates = this.index.neighbors(lon, lat, Math.max(count * 8, 16), maxDegrees);
    const usable = (p: number): boolean => p >= 0 && (accept ? accept(p) : true);
    for (const item of candidates) {
      if (item >= this.stepGeom.length) continue;
      const geom = this.stepGeom[item]!;
      const piece = this.stepPiece[item]!;
      const reverse = graph.pieceReverse[piece]!;
      if (!usable(piece) && !usable(reverse)) continue;
      const a = graph.geomPoint[geom]!;
      const b = graph.geomPoint[geom + 1]!;
      const hit = projectOnSegment(
        lon,
        lat,
        graph.pointLon[a]!,
        graph.pointLat[a]!,
        graph.pointLon[b]!,
        graph.pointLat[b]!,
      );
      if (hit.distanceM > radiusM) continue;
      const previous = best.get(piece);
      if (previous && previous.distanceM <= hit.distanceM) continue;
      const along = this.pieceOffsetM[geom]! + hit.fraction * graph.geomLengthM[geom]!;
      const length = graph.pieceLengthM[piece]!;
      best.set(piece, {
        lon: hit.lon,
        lat: hit.lat,
        distanceM: hit.distanceM,
        forwardPiece: usable(piece) ? piece : -1,
        reversePiece: usable(reverse) ? reverse : -1,
        fraction: length > 0 ? Math.min(1, along / length) : 0,
        name: graph.names[graph.pieceName[piece]!] ?? '',
      });
    }
    const results = [...best.values()];
    results.sort((x, y) => x.distanceM - y.distanceM);
    return results.slice(0, count);
  }
}
