import { bearingDeg, turnAngleDeg } from '../graph/geometry.js';
import type { RoadGraph } from '../graph/road-graph.js';
import type { Geometry, LonLat, ManeuverModifier, RouteStep, StepManeuver } from '../server/osrm-types.js';
import type { LegGeometry } from './leg-geometry.js';
import type { LegPath } from './road-router.js';

/**
 * Turn-by-turn steps of a leg: a new step wherever the street name changes or the road turns
 * noticeably; `depart` first and `arrive` last, as OSRM lays them out.
 */
export function buildSteps(
  graph: RoadGraph,
  leg: LegPath,
  layout: LegGeometry,
  encode: (coordinates: LonLat[]) => Geometry,
): RouteStep[] {
  const coords = layout.coordinates;
  const boundaries: {
    coordIndex: number;
    piece: number;
    type: StepManeuver['type'];
    modifier?: ManeuverModifier;
  }[] = [];
  boundaries.push({ coordIndex: 0, piece: leg.pieces[0]!, type: 'depart' });
  for (let k = 1; k < leg.pieces.length; k++) {
    const previous = leg.pieces[k - 1]!;
    const piece = leg.pieces[k]!;
    const at = layout.pieceStart[k]!;
    if (at <= 0 || at >= coords.length - 1) continue;
    const before = bearingAt(coords, at - 1, at);
    const after = bearingAt(coords, at, at + 1);
    const angle = turnAngleDeg(before, after);
    const renamed = graph.pieceName[previous] !== graph.pieceName[piece];
    const modifier = modifierOf(angle);
    if (!renamed && modifier === 'straight') continue;
    boundaries.push({
      coordIndex: at,
      piece,
      type:
        graph.pieceRoadClass[piece] === graph.pieceRoadClass[previous] && !renamed
          ? 'continue'
          : renamed && modifier === 'straight'
            ? 'new name'
            : 'turn',
      modifier,
    });
  }
  const steps: RouteStep[] = [];
  for (let b = 0; b < boundaries.length; b++) {
    const start = boundaries[b]!.coordIndex;
    const end = b + 1 < boundaries.length ? boundaries[b + 1]!.coordIndex : coords.length - 1;
    let distance = 0;
    let duration = 0;
    for (let i = start; i < end; i++) {
      distance += layout.distanceM[i] ?? 0;
      duration += layout.durationS[i] ?? 0;
    }
    const boundary = boundaries[b]!;
    const location = coords[start]!;
    const bearingAfter = end > start ? bearingAt(coords, start, start + 1) : 0;
    const bearingBefore = start > 0 ? bearingAt(coords, start - 1, start) : 0;
    steps.push({
      distance: round1(distance),
      duration: round1(duration),
      weight: round1(duration),
      geometry: encode(coords.slice(start, end + 1)),
      name: graph.names[graph.pieceName[boundary.piece]!] ?? '',
      mode: 'driving',
      maneuver: {
        location,
        bearing_before: Math.round(bearingBefore),
        bearing_after: Math.round(bearingAfter),
        type: boundary.type,
        ...(boundary.modifier && boundary.type !== 'depart' ? { modifier: boundary.modifier } : {}),
      },
      intersections: [
        {
          location,
          bearings: [Math.round(bearingAfter)],
          entry: [true],
          out: 0,
        },
      ],
    });
  }
  const arrival = coords[coords.length - 1]!;
  const lastBearing = coords.length > 1 ? bearingAt(coords, coords.length - 2, coords.length - 1) : 0;
  steps.push({
    distance: 0,
    duration: 0,
    weight: 0,
    geometry: encode([arrival, arrival]),
    name: graph.names[graph.pieceName[leg.pieces[leg.pieces.length - 1]!]!] ?? '',
    mode: 'driving',
    maneuver: {
      location: arrival,
      bearing_before: Math.round(lastBearing),
      bearing_after: 0,
      type: 'arrive',
    },
    intersections: [
      { location: arrival, bearings: [Math.round((lastBearing + 180) % 360)], entry: [true], in: 0 },
    ],
  });
  return steps;
}

function bearingAt(coords: readonly LonLat[], i: number, j: number): number {
  return bearingDeg(coords[i]![0], coords[i]![1], coords[j]![0], coords[j]![1]);
}

/** OSRM's modifier bands by turn angle (negative = left). */
export function modifierOf(angle: number): ManeuverModifier {
  const a = Math.abs(angle);
  if (a < 20) return 'straight';
  if (a >= 165) return 'uturn';
  const side = angle < 0 ? 'left' : 'right';
  if (a < 60) return `slight ${side}`;
  if (a < 130) return side;
  return `sharp ${side}`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
