import type { RoadGraph } from '../graph/road-graph.js';
import type { TrafficProfile } from '../traffic/traffic-profile.js';
import { weekSlotOf } from '../traffic/week-slot.js';
import type { Metric } from './metric.js';
import type { LegPath } from './road-router.js';

/** A leg laid out on the map: coordinates and, per coordinate step, what driving it takes. */
export interface LegGeometry {
  /** [lon, lat] from the start phantom to the end phantom. */
  coordinates: [number, number][];
  /** Per step (coordinates.length − 1 entries). */
  distanceM: number[];
  durationS: number[];
  /** OSM node ids along the leg (OSRM's `nodes` annotation: the road nodes passed). */
  osmNodes: number[];
  /** Index into `coordinates` where each piece of `leg.pieces` begins. */
  pieceStart: number[];
  /** Seconds lost turning into each piece (0 for the first). */
  turnPenaltyS: number[];
  totalDistanceM: number;
  totalDurationS: number;
}

export interface DurationOptions {
  metric: Metric;
  /** With both set, each piece is timed at the speeds in force when the truck enters it. */
  traffic?: TrafficProfile;
  departMs?: number;
  utcOffsetMinutes?: number;
}

/**
 * Coordinates and per-step figures of a leg. Durations follow the metric's piece weights, or, for a
 * departure time with traffic data, the speeds of the 15-minute slot in which each piece is entered
 * (the truck's clock advances along the leg).
 */
export function legGeometry(graph: RoadGraph, leg: LegPath, options: DurationOptions): LegGeometry {
  const coordinates: [number, number][] = [];
  const distanceM: number[] = [];
  const durationS: number[] = [];
  const osmNodes: number[] = [];
  const pieceStart: number[] = [];
  const turnPenaltyS: number[] = [];
  const timed = options.traffic !== undefined && options.departMs !== undefined;
  let clockMs = options.departMs ?? 0;
  let totalDistance = 0;
  let totalDuration = 0;
  const last = leg.pieces.length - 1;

  leg.pieces.forEach((piece, index) => {
    if (index > 0) {
      const penalty = turnPenaltyDs(graph, leg.pieces[index - 1]!, piece) / 10;
      turnPenaltyS.push(penalty);
      totalDuration += penalty;
      clockMs += penalty * 1000;
    } else {
      turnPenaltyS.push(0);
    }
    const from = index === 0 ? leg.startFraction : 0;
    const to = index === last ? leg.endFraction : 1;
    const length = graph.pieceLengthM[piece]!;
    const secondsPerMetre = timed
      ? pieceSecondsPerMetre(
          graph,
          piece,
          options.traffic!.pieceSpeedAt(piece, weekSlotOf(clockMs, options.utcOffsetMinutes ?? 180)),
        )
      : length > 0
        ? options.metric.pieceWeightDs[piece]! / 10 / length
        : 0;
    const startM = from * length;
    const endM = Math.max(startM, to * length);
    pieceStart.push(Math.max(0, coordinates.length - 1));
    let offset = 0;
    for (let i = graph.pieceGeomStart[piece]!; i < graph.pieceGeomStart[piece + 1]! - 1; i++) {
      const step = graph.geomLengthM[i]!;
      const a = graph.geomPoint[i]!;
      const b = graph.geomPoint[i + 1]!;
      const stepStart = offset;
      const stepEnd = offset + step;
      offset = stepEnd;
      if (stepEnd < startM || stepStart > endM || (step === 0 && coordinates.length > 0)) continue;
      const t0 = step > 0 ? Math.max(0, (startM - stepStart) / step) : 0;
      const t1 = step > 0 ? Math.min(1, (endM - stepStart) / step) : 1;
      const p0 = interpolate(graph, a, b, t0);
      const p1 = interpolate(graph, a, b, t1);
      if (coordinates.length === 0) coordinates.push(p0);
      if (t0 === 0 && osmNodes[osmNodes.length - 1] !== graph.pointOsmId[a])
        osmNodes.push(graph.pointOsmId[a]!);
      if (t1 === 1) osmNodes.push(graph.pointOsmId[b]!);
      const metres = (t1 - t0) * step;
      coordinates.push(p1);
      distanceM.push(metres);
      const seconds = metres * secondsPerMetre;
      durationS.push(seconds);
      totalDistance += metres;
      totalDuration += seconds;
      clockMs += seconds * 1000;
    }
  });
  if (coordinates.length === 1) {
    // Start and end at the same point: a zero-length leg still has two coordinates.
    coordinates.push(coordinates[0]!);
    distanceM.push(0);
    durationS.push(0);
  }
  return {
    coordinates,
    distanceM,
    durationS,
    osmNodes,
    pieceStart,
    turnPenaltyS,
    totalDistanceM: totalDistance,
    totalDurationS: totalDuration,
  };
}

/** Penalty of the turn from piece p to piece q, deciseconds (0 when they are not adjacent). */
export function turnPenaltyDs(graph: RoadGraph, p: number, q: number): number {
  for (let t = graph.turnFirst[p]!; t < graph.turnFirst[p + 1]!; t++)
    if (graph.turnTarget[t] === q) return graph.turnPenaltyDs[t]!;
  return 0;
}

function pieceSecondsPerMetre(graph: RoadGraph, piece: number, speedKmh: number): number {
  const length = graph.pieceLengthM[piece]!;
  if (length <= 0) return 0;
  return (length / (Math.max(speedKmh, 1) / 3.6) + graph.pieceEndDelayS[piece]!) / length;
}

function interpolate(graph: RoadGraph, a: number, b: number, t: number): [number, number] {
  const lonA = graph.pointLon[a]!;
  const latA = graph.pointLat[a]!;
  return [lonA + (graph.pointLon[b]! - lonA) * t, latA + (graph.pointLat[b]! - latA) * t];
}
