import type { RoadGraph } from '../graph/road-graph.js';
import type { SegmentSpeed } from './speed-file.js';
import { SLOTS_PER_WEEK } from './week-slot.js';

/**
 * Time-dependent speeds of the pieces that have traffic data: for each such piece, a speed per
 * 15-minute slot of the week (NaN = free flow in that slot). Pieces without data keep their
 * profile speed at all times.
 */
export class TrafficProfile {
  /** piece -> speeds per slot (km/h, NaN = free flow). */
  private readonly bySlot = new Map<number, Float32Array>();
  private readonly slotKeys: string[];

  constructor(
    private readonly graph: RoadGraph,
    speeds: readonly SegmentSpeed[],
  ) {
    // OSM segment (from,to) -> the pieces and steps that drive it.
    const stepOf = new Map<string, { piece: number; step: number }>();
    for (let p = 0; p < graph.pieceCount; p++) {
      for (let i = graph.pieceGeomStart[p]!; i < graph.pieceGeomStart[p + 1]! - 1; i++) {
        const from = graph.pointOsmId[graph.geomPoint[i]!]!;
        const to = graph.pointOsmId[graph.geomPoint[i + 1]!]!;
        stepOf.set(`${from},${to}`, { piece: p, step: i });
      }
    }
    // Per step and slot, then combined per piece (time = sum of step lengths / step speeds).
    const stepSpeeds = new Map<number, Float32Array>();
    for (const s of speeds) {
      const hit = stepOf.get(`${s.fromOsmNode},${s.toOsmNode}`);
      if (!hit) continue;
      let slots = stepSpeeds.get(hit.step);
      if (!slots) {
        slots = new Float32Array(SLOTS_PER_WEEK).fill(Number.NaN);
        stepSpeeds.set(hit.step, slots);
      }
      if (s.slots) for (const slot of s.slots) slots[slot] = s.speedKmh;
      else slots.fill(s.speedKmh);
    }
    const piecesWithData = new Set<number>();
    for (const step of stepSpeeds.keys()) piecesWithData.add(pieceOfStep(graph, step));
    for (const p of piecesWithData) {
      const perSlot = new Float32Array(SLOTS_PER_WEEK);
      for (let slot = 0; slot < SLOTS_PER_WEEK; slot++) {
        let seconds = 0;
        let any = false;
        for (let i = graph.pieceGeomStart[p]!; i < graph.pieceGeomStart[p + 1]! - 1; i++) {
          const observed = stepSpeeds.get(i)?.[slot];
          const kmh =
            observed !== undefined && !Number.isNaN(observed)
              ? ((any = true), observed)
              : graph.pieceSpeedKmh[p]!;
          seconds += graph.geomLengthM[i]! / (Math.max(kmh, 1) / 3.6);
        }
        perSlot[slot] = any && seconds > 0 ? (graph.pieceLengthM[p]! / seconds) * 3.6 : Number.NaN;
      }
      this.bySlot.set(p, perSlot);
    }
    // Slots with identical speeds share one customized hierarchy.
    this.slotKeys = Array.from({ length: SLOTS_PER_WEEK }, (_, slot) => {
      const parts: string[] = [];
      for (const [p, perSlot] of this.bySlot)
        if (!Number.isNaN(perSlot[slot]!)) parts.push(`${p}:${perSlot[slot]!.toFixed(1)}`);
      return parts.join(';');
    });
  }

  get pieceCount(): number {
    return this.bySlot.size;
  }

  /** A key equal for slots with the same speeds ('' = free flow everywhere). */
  slotKey(slot: number): string {
    return this.slotKeys[slot] ?? '';
  }

  /** Every piece's speed in a slot (km/h). */
  speedsAt(slot: number): Float32Array {
    const speeds = Float32Array.from(this.graph.pieceSpeedKmh);
    for (const [p, perSlot] of this.bySlot) {
      const kmh = perSlot[slot]!;
      if (!Number.isNaN(kmh)) speeds[p] = kmh;
    }
    return speeds;
  }

  /** One piece's speed in a slot (km/h). */
  pieceSpeedAt(piece: number, slot: number): number {
    const kmh = this.bySlot.get(piece)?.[slot];
    return kmh !== undefined && !Number.isNaN(kmh) ? kmh : this.graph.pieceSpeedKmh[piece]!;
  }
}

function pieceOfStep(graph: RoadGraph, step: number): number {
  // Binary search in pieceGeomStart.
  let lo = 0;
  let hi = graph.pieceCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (graph.pieceGeomStart[mid]! <= step) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
