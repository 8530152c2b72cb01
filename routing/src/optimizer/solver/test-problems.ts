/**
 * Small collection-round problems on a plane for tests: locations are points, distance is Euclidean
 * (metres), travel at 10 m/s. Defaults describe one plain truck; each test overrides what it is about.
 */
import type { PlanFacility, PlanJob, PlanProblem, PlanVehicle } from '../model/plan-problem.js';

export type Point = readonly [x: number, y: number];

export function planeTravel(points: readonly Point[], metresPerSecond = 10): PlanProblem['travel'] {
  const n = points.length;
  const distance = new Float64Array(n * n);
  const duration = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = Math.hypot(points[i]![0] - points[j]![0], points[i]![1] - points[j]![1]);
      distance[i * n + j] = d;
      duration[i * n + j] = d / metresPerSecond;
    }
  }
  return { locationCount: n, distance, duration };
}

export function truck(overrides: Partial<PlanVehicle> = {}): PlanVehicle {
  return {
    id: 'truck',
    start: 0,
    end: 0,
    shift: [0, 12 * 3600],
    breaks: [],
    capacity: [100],
    initialLoad: [0],
    skills: [],
    fuel: null,
    costs: { fixed: 0, perMetre: 1, perSecond: 0 },
    maxJobs: Infinity,
    maxShiftLoad: Infinity,
    mustEndEmpty: false,
    maxDuration: Infinity,
    fixedStops: [],
    ...overrides,
  };
}

export function site(location: number, overrides: Partial<PlanJob> = {}): PlanJob {
  return {
    id: `site-${location}`,
    location,
    amount: [1],
    service: 60,
    windows: [],
    skills: [],
    priority: 0,
    wasteType: '',
    release: 0,
    ...overrides,
  };
}

export function facility(
  location: number,
  kind: PlanFacility['kind'],
  overrides: Partial<PlanFacility> = {},
): PlanFacility {
  return {
    id: `${kind}-${location}`,
    kind,
    location,
    hours: [],
    service: kind === 'disposal' ? 600 : 300,
    secondsPerLitre: kind === 'fuel' ? 2 : 0,
    accepts: [],
    ...overrides,
  };
}
