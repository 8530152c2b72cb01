// Test and benchmark scaffolding: a small planar road network that answers `MatchNetwork` geometrically
// (projection onto straight segments, Dijkstra between intersections). Not used by the engine.
import { searchRadiusM } from './match-trace.js';
import type { Candidate, MatchNetwork, MatchOptions, Observation } from './match-types.js';

/** Local planar coordinates, metres east and north of the network's origin. */
export type Point = readonly [x: number, y: number];

export interface ToyRoad {
  points: readonly Point[];
  /** Driveable only in the direction of `points`. */
  oneway?: boolean;
}

export interface ToyCandidate extends Candidate {
  /** Index of the segment (consecutive pair of road points, in road order) the candidate lies on. */
  segment: number;
  road: number;
  /** Position along the segment, 0 at its first point. */
  fraction: number;
  x: number;
  y: number;
}

export interface TransitionCall {
  fromIndex: number;
  toIndex: number;
  fromCount: number;
  toCount: number;
  maxDistanceM: number;
}

/** A `MatchNetwork` over one trace that also records how the matcher called it. */
export interface RecordingMatchNetwork extends MatchNetwork<ToyCandidate> {
  readonly candidateCalls: number[];
  readonly transitionCalls: TransitionCall[];
}

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32 (as routing/src/ch/synthetic-graph.ts): seeded, so runs repeat. */
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

/** Two-way streets on a `columns` × `rows` grid of intersections `spacingM` apart, origin at the corner. */
export function gridRoads(columns: number, rows: number, spacingM: number): ToyRoad[] {
  const roads: ToyRoad[] = [];
  for (let r = 0; r < rows; r++) {
    roads.push({ points: Array.from({ length: columns }, (_, c): Point => [c * spacingM, r * spacingM]) });
  }
  for (let c = 0; c < columns; c++) {
    roads.push({ points: Array.from({ length: rows }, (_, r): Point => [c * spacingM, r * spacingM]) });
  }
  return roads;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export class ToyRoadNetwork {
  readonly segmentCount: number;
  private readonly segmentFrom: number[] = [];
  private readonly segmentTo: number[] = [];
  private readonly segmentRoad: number[] = [];
  private readonly segmentOneway: boolean[] = [];
  private readonly segmentLengthM: number[] = [];
  private readonly nodeX: number[] = [];
  private readonly nodeY: number[] = [];
  private readonly outgoing: { to: number; lengthM: number }[][] = [];
  private readonly distancesFrom = new Map<number, Float64Array>();
  private readonly metresPerDegreeLon: number;
  private readonly metresPerDegreeLat: number;

  constructor(
    roads: readonly ToyRoad[],
    private readonly originLon = 37.62,
    private readonly originLat = 55.75,
  ) {
    this.metresPerDegreeLat = EARTH_RADIUS_M * RAD;
    this.metresPerDegreeLon = this.metresPerDegreeLat * Math.cos(originLat * RAD);
    const nodeOf = new Map<string, number>();
    const node = ([x, y]: Point): number => {
      const key = `${x.toFixed(3)},${y.toFixed(3)}`;
      let id = nodeOf.get(key);
      if (id === undefined) {
        id = this.nodeX.length;
        nodeOf.set(key, id);
        this.nodeX.push(x);
        this.nodeY.push(y);
        this.outgoing.push([]);
      }
      return id;
    };
    roads.forEach((road, r) => {
      for (let i = 1; i < road.points.length; i++) {
        const u = node(road.points[i - 1]!);
        const v = node(road.points[i]!);
        const lengthM = Math.hypot(this.nodeX[v]! - this.nodeX[u]!, this.nodeY[v]! - this.nodeY[u]!);
        this.segmentFrom.push(u);
        this.segmentTo.push(v);
        this.segmentRoad.push(r);
        this.segmentOneway.push(road.oneway ?? false);
        this.segmentLengthM.push(lengthM);
        this.outgoing[u]!.push({ to: v, lengthM });
        if (!road.oneway) this.outgoing[v]!.push({ to: u, lengthM });
      }
    });
    this.segmentCount = this.segmentFrom.length;
  }

  observation(x: number, y: number, extra: Omit<Observation, 'lon' | 'lat'> = {}): Observation {
    return {
      lon: this.originLon + x / this.metresPerDegreeLon,
      lat: this.originLat + y / this.metresPerDegreeLat,
      ...extra,
    };
  }

  toPoint(o: Pick<Observation, 'lon' | 'lat'>): Point {
    return [
      (o.lon - this.originLon) * this.metresPerDegreeLon,
      (o.lat - this.originLat) * this.metresPerDegreeLat,
    ];
  }

  /** Candidates of a point: the nearest point of every segment within `radiusM`, nearest first. */
  candidatesNear(x: number, y: number, radiusM: number, firstId: number): ToyCandidate[] {
    const found: ToyCandidate[] = [];
    for (let s = 0; s < this.segmentCount; s++) {
      const u = this.segmentFrom[s]!;
      const v = this.segmentTo[s]!;
      const ax = this.nodeX[u]!;
      const ay = this.nodeY[u]!;
      const dx = this.nodeX[v]! - ax;
      const dy = this.nodeY[v]! - ay;
      const lengthSquared = dx * dx + dy * dy;
      const fraction =
        lengthSquared > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / lengthSquared)) : 0;
      const px = ax + fraction * dx;
      const py = ay + fraction * dy;
      const distance = Math.hypot(x - px, y - py);
      if (distance <= radiusM) {
        found.push({
          id: 0,
          distanceM: distance,
          segment: s,
          road: this.segmentRoad[s]!,
          fraction,
          x: px,
          y: py,
        });
      }
    }
    found.sort((a, b) => a.distanceM - b.distanceM);
    found.forEach((c, i) => (c.id = firstId + i));
    return found;
  }

  /** Shortest driving distance between two positions on the network, metres; Infinity if unreachable. */
  routeM(a: ToyCandidate, b: ToyCandidate): number {
    const lengthA = this.segmentLengthM[a.segment]!;
    const lengthB = this.segmentLengthM[b.segment]!;
    let best = Infinity;
    if (a.segment === b.segment) {
      if (b.fraction >= a.fraction) best = (b.fraction - a.fraction) * lengthA;
      else if (!this.segmentOneway[a.segment]) best = (a.fraction - b.fraction) * lengthA;
    }
    const exits: [number, number][] = [[this.segmentTo[a.segment]!, (1 - a.fraction) * lengthA]];
    if (!this.segmentOneway[a.segment]) exits.push([this.segmentFrom[a.segment]!, a.fraction * lengthA]);
    const entries: [number, number][] = [[this.segmentFrom[b.segment]!, b.fraction * lengthB]];
    if (!this.segmentOneway[b.segment])
      entries.push([this.segmentTo[b.segment]!, (1 - b.fraction) * lengthB]);
    for (const [exitNode, exitM] of exits) {
      const distances = this.nodeDistances(exitNode);
      for (const [entryNode, entryM] of entries) {
        best = Math.min(best, exitM + distances[entryNode]! + entryM);
      }
    }
    return best;
  }

  /** The network as the matcher sees it for one trace; snapping radius as `searchRadiusM`. */
  matchNetwork(observations: readonly Observation[], options: MatchOptions = {}): RecordingMatchNetwork {
    const cache = new Map<number, ToyCandidate[]>();
    const candidateCalls: number[] = [];
    const transitionCalls: TransitionCall[] = [];
    let nextId = 0;
    return {
      candidateCalls,
      transitionCalls,
      candidates: (index) => {
        candidateCalls.push(index);
        let list = cache.get(index);
        if (list === undefined) {
          const o = observations[index]!;
          const [x, y] = this.toPoint(o);
          list = this.candidatesNear(x, y, searchRadiusM(o, options), nextId);
          nextId += list.length;
          cache.set(index, list);
        }
        return list;
      },
      transitionDistances: (from, to, fromIndex, toIndex, maxDistanceM) => {
        transitionCalls.push({
          fromIndex,
          toIndex,
          fromCount: from.length,
          toCount: to.length,
          maxDistanceM,
        });
        const matrix = new Float64Array(from.length * to.length);
        for (let i = 0; i < from.length; i++) {
          for (let j = 0; j < to.length; j++) matrix[i * to.length + j] = this.routeM(from[i]!, to[j]!);
        }
        return matrix;
      },
    };
  }

  /** Dijkstra over intersections (quadratic: toy networks have tens of them), cached per source. */
  private nodeDistances(source: number): Float64Array {
    const cached = this.distancesFrom.get(source);
    if (cached !== undefined) return cached;
    const count = this.nodeX.length;
    const distance = new Float64Array(count).fill(Infinity);
    const done = new Uint8Array(count);
    distance[source] = 0;
    for (;;) {
      let u = -1;
      for (let i = 0; i < count; i++)
        if (done[i] === 0 && distance[i]! < Infinity && (u < 0 || distance[i]! < distance[u]!)) u = i;
      if (u < 0) break;
      done[u] = 1;
      for (const { to, lengthM } of this.outgoing[u]!) {
        if (distance[u]! + lengthM < distance[to]!) distance[to] = distance[u]! + lengthM;
      }
    }
    this.distancesFrom.set(source, distance);
    return distance;
  }
}
