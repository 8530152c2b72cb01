import { readOsm } from '../osm/osm-reader.js';
import {
  parseTurnRestriction,
  profileWay,
  type TurnRestriction,
  type WayLimits,
} from '../profile/truck-profile.js';
import { NO_LIMITS, type RoadGraph } from './road-graph.js';
import { bearingDeg, distanceM, turnAngleDeg } from './geometry.js';

export interface BuildStats {
  ways: number;
  routableWays: number;
  points: number;
  pieces: number;
  turns: number;
  restrictions: number;
  restrictionsSkippedViaWay: number;
  restrictionsUnmatched: number;
  trafficSignals: number;
  barriers: number;
}

// Truck turn costs, seconds. Right-hand traffic: a left turn waits for oncoming traffic.
const TURN_BASE_S = 12;
const LEFT_TURN_FACTOR = 1.4;
const UTURN_S = 60;
const UTURN_ANGLE = 165;
const TRAFFIC_SIGNAL_DELAY_S = 8;
// Barriers a refuse truck passes (opened for it); any other barrier stops it.
const PASSABLE_BARRIERS = new Set([
  'gate',
  'lift_gate',
  'swing_gate',
  'entrance',
  'border_control',
  'toll_booth',
  'sliding_gate',
  'kerb',
  'no',
]);

interface RoutableWay {
  id: number;
  refsStart: number;
  refsEnd: number;
  forwardKmh: number;
  backwardKmh: number;
  roadClass: number;
  name: number;
  limits: number;
}

/** Reads an OSM extract twice (ways and relations, then the nodes they use) and builds the graph. */
export async function buildRoadGraph(osmPath: string): Promise<{ graph: RoadGraph; stats: BuildStats }> {
  const ways: RoutableWay[] = [];
  const refs: number[] = [];
  const names = new Map<string, number>([['', 0]]);
  const limits: WayLimits[] = [];
  const limitIds = new Map<string, number>();
  const restrictions: TurnRestriction[] = [];
  let skippedViaWay = 0;
  let totalWays = 0;
  // How often each node appears on routable ways; endpoints count twice so they split.
  const usage = new Map<number, number>();

  await readOsm(osmPath, {
    way(way) {
      totalWays += 1;
      const profile = profileWay(way.tags);
      if (!profile || way.refs.length < 2 || (profile.forwardKmh === 0 && profile.backwardKmh === 0)) return;
      const refsStart = refs.length;
      for (let i = 0; i < way.refs.length; i++) {
        const ref = way.refs[i]!;
        refs.push(ref);
        const endpoint = i === 0 || i === way.refs.length - 1 ? 2 : 1;
        usage.set(ref, (usage.get(ref) ?? 0) + endpoint);
      }
      let name = names.get(profile.name);
      if (name === undefined) {
        name = names.size;
        names.set(profile.name, name);
      }
      let limitId = NO_LIMITS;
      if (profile.limits) {
        const key = JSON.stringify(profile.limits, (_k, v: unknown) => (v === Infinity ? 'inf' : v));
        limitId = limitIds.get(key) ?? limits.length;
        if (limitId === limits.length) {
          limits.push(profile.limits);
          limitIds.set(key, limitId);
        }
      }
      ways.push({
        id: way.id,
        refsStart,
        refsEnd: refs.length,
        forwardKmh: profile.forwardKmh,
        backwardKmh: profile.backwardKmh,
        roadClass: profile.roadClass,
        name,
        limits: limitId,
      });
    },
    relation(relation) {
      const restriction = parseTurnRestriction(relation.tags, relation.members);
      if (restriction === 'via-way') skippedViaWay += 1;
      else if (restriction) restrictions.push(restriction);
    },
  });

  // Second pass: coordinates of the used nodes, traffic signals and barriers on them.
  const pointOf = new Map<number, number>();
  const lon: number[] = [];
  const lat: number[] = [];
  const osmIds: number[] = [];
  const signals = new Set<number>();
  const blocking = new Set<number>();
  await readOsm(osmPath, {
    node(node) {
      if (!usage.has(node.id)) return;
      pointOf.set(node.id, lon.length);
      lon.push(node.lon);
      lat.push(node.lat);
      osmIds.push(node.id);
      const tags = node.tags;
      if (!tags) return;
      if (tags['highway'] === 'traffic_signals') signals.add(node.id);
      const barrier = tags['barrier'];
      if (barrier && !PASSABLE_BARRIERS.has(barrier)) blocking.add(node.id);
    },
  });
  // Restriction via nodes must be piece ends.
  for (const r of restrictions)
    if (usage.has(r.viaNode)) usage.set(r.viaNode, Math.max(2, usage.get(r.viaNode)!));
  for (const id of blocking) usage.set(id, Math.max(2, usage.get(id) ?? 0));

  // Pieces: split every way at intersections and at nodes missing from the extract.
  const geomStart: number[] = [0];
  const geomPoint: number[] = [];
  const geomLength: number[] = [];
  const pieceLength: number[] = [];
  const pieceSpeed: number[] = [];
  const pieceReverse: number[] = [];
  const pieceWay: number[] = [];
  const pieceName: number[] = [];
  const pieceClass: number[] = [];
  const pieceLimits: number[] = [];
  const pieceEndDelay: number[] = [];
  const addPiece = (way: RoutableWay, points: number[], kmh: number): number => {
    const id = pieceLength.length;
    let total = 0;
    for (let i = 0; i < points.length; i++) {
      geomPoint.push(points[i]!);
      const step =
        i + 1 < points.length
          ? distanceM(lon[points[i]!]!, lat[points[i]!]!, lon[points[i + 1]!]!, lat[points[i + 1]!]!)
          : 0;
      geomLength.push(step);
      total += step;
    }
    geomStart.push(geomPoint.length);
    pieceLength.push(total);
    pieceSpeed.push(kmh);
    pieceReverse.push(-1);
    pieceWay.push(way.id);
    pieceName.push(way.name);
    pieceClass.push(way.roadClass);
    pieceLimits.push(way.limits);
    pieceEndDelay.push(signals.has(osmIds[points[points.length - 1]!]!) ? TRAFFIC_SIGNAL_DELAY_S : 0);
    return id;
  };
  for (const way of ways) {
    let run: number[] = [];
    const flush = (): void => {
      if (run.length >= 2) {
        const forward = way.forwardKmh > 0 ? addPiece(way, run, way.forwardKmh) : -1;
        const backward = way.backwardKmh > 0 ? addPiece(way, [...run].reverse(), way.backwardKmh) : -1;
        if (forward >= 0 && backward >= 0) {
          pieceReverse[forward] = backward;
          pieceReverse[backward] = forward;
        }
      }
    };
    for (let i = way.refsStart; i < way.refsEnd; i++) {
      const ref = refs[i]!;
      const point = pointOf.get(ref);
      if (point === undefined) {
        flush();
        run = [];
        continue;
      }
      if (run.length > 0 && run[run.length - 1] === point) continue; // repeated node
      run.push(point);
      if (run.length >= 2 && (usage.get(ref) ?? 0) >= 2 && i < way.refsEnd - 1) {
        flush();
        run = [point];
      }
    }
    flush();
  }

  const pieceCount = pieceLength.length;
  const pointCount = lon.length;
  // Pieces leaving each point.
  const outFirst = new Uint32Array(pointCount + 1);
  for (let p = 0; p < pieceCount; p++) outFirst[geomPoint[geomStart[p]!]! + 1]! += 1;
  for (let v = 0; v < pointCount; v++) outFirst[v + 1]! += outFirst[v]!;
  const outPieces = new Uint32Array(pieceCount);
  const fill = outFirst.slice(0, pointCount);
  for (let p = 0; p < pieceCount; p++) outPieces[fill[geomPoint[geomStart[p]!]!]!++] = p;

  const restrictionsAt = new Map<string, TurnRestriction[]>();
  let unmatched = 0;
  for (const r of restrictions) {
    const key = `${r.fromWay}:${r.viaNode}`;
    const list = restrictionsAt.get(key) ?? [];
    list.push(r);
    restrictionsAt.set(key, list);
  }
  const matchedRestrictions = new Set<TurnRestriction>();

  const turnFirst = new Uint32Array(pieceCount + 1);
  const turnTarget: number[] = [];
  const turnPenalty: number[] = [];
  const allowed: number[] = [];
  for (let p = 0; p < pieceCount; p++) {
    const end = geomStart[p + 1]! - 1;
    const v = geomPoint[end]!;
    const viaOsm = osmIds[v]!;
    const rules = restrictionsAt.get(`${pieceWay[p]}:${viaOsm}`);
    const inBearing = bearingDeg(lon[geomPoint[end - 1]!]!, lat[geomPoint[end - 1]!]!, lon[v]!, lat[v]!);
    allowed.length = 0;
    let uturn = -1;
    if (!blocking.has(viaOsm)) {
      for (let k = outFirst[v]!; k < outFirst[v + 1]!; k++) {
        const q = outPieces[k]!;
        if (q === pieceReverse[p]) {
          uturn = q;
          continue;
        }
        if (rules && isForbidden(rules, pieceWay[q]!, matchedRestrictions)) continue;
        allowed.push(q);
      }
    } else if (pieceReverse[p]! >= 0) {
      uturn = pieceReverse[p]!;
    }
    for (const q of allowed) {
      const s = geomStart[q]!;
      const outBearing = bearingDeg(lon[v]!, lat[v]!, lon[geomPoint[s + 1]!]!, lat[geomPoint[s + 1]!]!);
      const angle = turnAngleDeg(inBearing, outBearing);
      turnTarget.push(q);
      turnPenalty.push(Math.round(turnPenaltyS(angle) * 10));
    }
    // U-turns only where nothing else is possible (dead ends, blocking barriers).
    if (allowed.length === 0 && uturn >= 0) {
      turnTarget.push(uturn);
      turnPenalty.push(UTURN_S * 10);
    }
    turnFirst[p + 1] = turnTarget.length;
  }
  for (const r of restrictions) if (!matchedRestrictions.has(r)) unmatched += 1;

  const graph: RoadGraph = {
    pointCount,
    pointLon: Float64Array.from(lon),
    pointLat: Float64Array.from(lat),
    pointOsmId: Float64Array.from(osmIds),
    pieceCount,
    pieceGeomStart: Uint32Array.from(geomStart),
    geomPoint: Uint32Array.from(geomPoint),
    geomLengthM: Float32Array.from(geomLength),
    pieceLengthM: Float32Array.from(pieceLength),
    pieceSpeedKmh: Float32Array.from(pieceSpeed),
    pieceReverse: Int32Array.from(pieceReverse),
    pieceWayId: Float64Array.from(pieceWay),
    pieceName: Uint32Array.from(pieceName),
    pieceRoadClass: Uint8Array.from(pieceClass),
    pieceLimits: Uint32Array.from(pieceLimits),
    pieceEndDelayS: Float32Array.from(pieceEndDelay),
    turnFirst,
    turnTarget: Uint32Array.from(turnTarget),
    turnPenaltyDs: Uint32Array.from(turnPenalty),
    names: [...names.keys()],
    limits,
    source: osmPath,
  };
  return {
    graph,
    stats: {
      ways: totalWays,
      routableWays: ways.length,
      points: pointCount,
      pieces: pieceCount,
      turns: turnTarget.length,
      restrictions: restrictions.length,
      restrictionsSkippedViaWay: skippedViaWay,
      restrictionsUnmatched: unmatched,
      trafficSignals: signals.size,
      barriers: blocking.size,
    },
  };
}

/** Whether the restrictions from this piece's way at this node forbid turning onto `toWay`. */
function isForbidden(
  rules: readonly TurnRestriction[],
  toWay: number,
  matched: Set<TurnRestriction>,
): boolean {
  for (const rule of rules) {
    if (rule.kind === 'no' && rule.toWay === toWay) {
      matched.add(rule);
      return true;
    }
    if (rule.kind === 'only') {
      matched.add(rule);
      if (rule.toWay !== toWay) return true;
    }
  }
  return false;
}

/** Seconds a truck loses turning by `angle` degrees (negative = left). */
export function turnPenaltyS(angle: number): number {
  const a = Math.abs(angle);
  if (a >= UTURN_ANGLE) return UTURN_S;
  const base = TURN_BASE_S * (a / 180) ** 2;
  return angle < 0 ? base * LEFT_TURN_FACTOR : base;
}
