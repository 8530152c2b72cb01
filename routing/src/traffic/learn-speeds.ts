import { matchObservations } from '../engine/match-service.js';
import type { RoadRouter } from '../engine/road-router.js';
import type { FleetFix } from '../db/fleet-telemetry.js';
import type { SegmentSpeed } from './speed-file.js';
import { SLOTS_PER_WEEK, weekSlotOf } from './week-slot.js';

export interface LearnOptions {
  utcOffsetMinutes?: number;
  /** A (piece, slot) needs this many separate traversals before its speed is trusted. */
  minTraversals?: number;
  /** Fixes further apart than this split a track into trips (s). */
  maxGapS?: number;
}

/** Running totals of what the fleet drove on one piece in one slot. */
interface Accumulator {
  metres: number;
  seconds: number;
  traversals: Set<string>;
}

const WINDOW = 100;
// Below this the truck is standing (loading containers, at a light): not a measure of road speed.
const STANDING_KMH = 3;
const MAX_PLAUSIBLE_KMH = 130;

/**
 * Learns time-dependent road speeds from the fleet's own GNSS tracks: each trip is map-matched
 * (HMM), every pair of consecutive matched fixes gives the time the truck needed for the road
 * between them, shared over the pieces driven, and the totals per (piece, 15-minute slot of the
 * week) become speeds (distance over time, i.e. the harmonic mean). Standing periods are left out.
 */
export class SpeedLearner {
  private readonly totals = new Map<number, Accumulator>();
  private readonly utcOffsetMinutes: number;
  private readonly maxGapMs: number;
  private tripCounter = 0;
  matchedPairs = 0;

  constructor(
    private readonly router: RoadRouter,
    private readonly options: LearnOptions = {},
  ) {
    this.utcOffsetMinutes = options.utcOffsetMinutes ?? 180;
    this.maxGapMs = (options.maxGapS ?? 60) * 1000;
  }

  /** Adds one device's track (time-ordered). */
  addTrack(deviceId: string, fixes: readonly FleetFix[]): void {
    let trip: FleetFix[] = [];
    for (const fix of fixes) {
      const previous = trip[trip.length - 1];
      if (!fix.ignition || (previous && fix.timeMs - previous.timeMs > this.maxGapMs)) {
        this.addTrip(deviceId, trip);
        trip = [];
        if (!fix.ignition) continue;
      }
      if (!previous || fix.timeMs > previous.timeMs) trip.push(fix);
    }
    this.addTrip(deviceId, trip);
  }

  /** Speeds per OSM segment and slot, for every (piece, slot) with enough traversals. */
  speeds(): SegmentSpeed[] {
    const graph = this.router.graph;
    const minTraversals = this.options.minTraversals ?? 3;
    const out: SegmentSpeed[] = [];
    for (const [key, total] of this.totals) {
      if (total.traversals.size < minTraversals || total.seconds <= 0) continue;
      const piece = Math.floor(key / SLOTS_PER_WEEK);
      const slot = key % SLOTS_PER_WEEK;
      const speedKmh = (total.metres / total.seconds) * 3.6;
      for (let i = graph.pieceGeomStart[piece]!; i < graph.pieceGeomStart[piece + 1]! - 1; i++) {
        out.push({
          fromOsmNode: graph.pointOsmId[graph.geomPoint[i]!]!,
          toOsmNode: graph.pointOsmId[graph.geomPoint[i + 1]!]!,
          speedKmh: Math.round(speedKmh * 10) / 10,
          slots: [slot],
        });
      }
    }
    return out;
  }

  private addTrip(deviceId: string, trip: readonly FleetFix[]): void {
    if (trip.length < 2) return;
    const tripId = `${deviceId}#${this.tripCounter++}`;
    const context = this.router.context(undefined);
    for (let start = 0; start < trip.length - 1; start += WINDOW - 1) {
      const window = trip.slice(start, start + WINDOW);
      const observations = window.map((f) => ({ lon: f.lon, lat: f.lat, timeS: f.timeMs / 1000 }));
      const matched = matchObservations(this.router, context, observations);
      for (const matching of matched.matchings) {
        for (let k = 0; k + 1 < matching.observations.length; k++) {
          const a = window[matching.observations[k]!]!;
          const b = window[matching.observations[k + 1]!]!;
          if (a.speedKmh < STANDING_KMH && b.speedKmh < STANDING_KMH) continue;
          const leg = this.router.route(context, matching.phantoms[k]!, matching.phantoms[k + 1]!);
          const seconds = (b.timeMs - a.timeMs) / 1000;
          if (!leg || seconds <= 0 || leg.distanceM < 1) continue;
          if ((leg.distanceM / seconds) * 3.6 > MAX_PLAUSIBLE_KMH) continue;
          this.matchedPairs += 1;
          const slot = weekSlotOf(a.timeMs, this.utcOffsetMinutes);
          this.spread(leg.pieces, leg.startFraction, leg.endFraction, leg.distanceM, seconds, slot, tripId);
        }
      }
    }
  }

  /** Shares a leg's time over its pieces in proportion to the length driven on each. */
  private spread(
    pieces: readonly number[],
    startFraction: number,
    endFraction: number,
    totalM: number,
    seconds: number,
    slot: number,
    tripId: string,
  ): void {
    const lengths = this.router.graph.pieceLengthM;
    const last = pieces.length - 1;
    pieces.forEach((piece, index) => {
      const from = index === 0 ? startFraction : 0;
      const to = index === last ? endFraction : 1;
      const metres = Math.max(0, to - from) * lengths[piece]!;
      if (metres <= 0) return;
      const key = piece * SLOTS_PER_WEEK + slot;
      let total = this.totals.get(key);
      if (!total) {
        total = { metres: 0, seconds: 0, traversals: new Set() };
        this.totals.set(key, total);
      }
      total.metres += metres;
      total.seconds += (seconds * metres) / totalM;
      total.traversals.add(tripId);
    });
  }
}
