/**
 * Distance conventions of the benchmark families (../shared/data/vrp/README.md). The rounding is part of
 * the benchmark: a gap against a best-known value only means something under the same rule.
 */
import type { BenchInstance, BenchNode, InstanceSpec } from './instance.js';

export type DistanceConvention =
  /** TSPLIB EUC_2D: nint(euclid) = floor(euclid + 0.5), summed as integers (CVRPLIB A and X). */
  | 'nint'
  /** DIMACS: floor(10·euclid)/10, for distance and travel time (Solomon distance-only, MTVRPTWR). */
  | 'trunc1'
  /** Euclid in double precision (Solomon hierarchical, Schneider E-VRPTW). */
  | 'exact'
  /** Kim 2006: |dx|+|dy| in feet, reported in miles (/5280). */
  | 'manhattan-miles'
  /** Erdogan & Miller-Hooks 2012: haversine on lon/lat with Earth radius 4182.44949 miles. */
  | 'haversine-miles';

/** EMH 2012 §5 — the radius every G-VRP follow-up paper uses (not the physical 3959 mi). */
export const GVRP_EARTH_RADIUS_MILES = 4182.44949;
const FEET_PER_MILE = 5280;
const DEG = Math.PI / 180;

export function edgeDistance(convention: DistanceConvention, a: BenchNode, b: BenchNode): number {
  switch (convention) {
    case 'nint':
      return Math.floor(Math.hypot(a.x - b.x, a.y - b.y) + 0.5);
    case 'trunc1':
      return Math.floor(10 * Math.hypot(a.x - b.x, a.y - b.y)) / 10;
    case 'exact':
      return Math.hypot(a.x - b.x, a.y - b.y);
    case 'manhattan-miles':
      return (Math.abs(a.x - b.x) + Math.abs(a.y - b.y)) / FEET_PER_MILE;
    case 'haversine-miles':
      return haversineMiles(a.x, a.y, b.x, b.y);
  }
}

/** Great-circle distance between (lon, lat) points in degrees. */
export function haversineMiles(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const sinLat = Math.sin(((lat2 - lat1) * DEG) / 2);
  const sinLon = Math.sin(((lon2 - lon1) * DEG) / 2);
  const h = sinLat * sinLat + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * sinLon * sinLon;
  return 2 * GVRP_EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A total in the convention's own precision: integer sums for `nint`, one decimal for `trunc1` (the sum
 * of one-decimal values drifts in binary floating point, 1637.7000000000003), unchanged otherwise.
 */
export function roundTotal(convention: DistanceConvention, total: number): number {
  if (convention === 'nint') return Math.round(total);
  if (convention === 'trunc1') return Math.round(total * 10) / 10;
  return total;
}

/** Row-major n×n matrices of `instance.distance` and `instance.travelTime`, for solvers' hot loops. */
export function buildMatrices(instance: BenchInstance): { distance: Float64Array; travelTime: Float64Array } {
  const n = instance.nodes.length;
  const distance = new Float64Array(n * n);
  const travelTime = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      distance[i * n + j] = instance.distance(i, j);
      travelTime[i * n + j] = instance.travelTime(i, j);
    }
  }
  return { distance, travelTime };
}

/**
 * Adds `distance` and `travelTime` to a parsed instance. Every family's travel time is proportional to
 * its distance (Solomon: equal, DIMACS truncation included; E-VRPTW: d / v; G-VRP: miles / 40 mph in
 * hours; Kim: miles / 40 mph in seconds), so one factor suffices.
 */
export function withMetric(spec: InstanceSpec, timePerDistance: number): BenchInstance {
  const { nodes, convention } = spec;
  const distance = (i: number, j: number): number => edgeDistance(convention, nodes[i]!, nodes[j]!);
  const travelTime =
    timePerDistance === 1 ? distance : (i: number, j: number): number => distance(i, j) * timePerDistance;
  return { ...spec, distance, travelTime };
}
