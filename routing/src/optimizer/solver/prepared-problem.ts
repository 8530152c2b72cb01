/**
 * A PlanProblem flattened for the search's hot loops: typed arrays, vehicle × job compatibility, waste
 * types as bit masks, job neighbour lists. Stops inside the search are integer codes: a job index j ≥ 0,
 * or a facility f as −(f + 1).
 */
import type { PlanProblem, TimeWindow } from '../model/plan-problem.js';
import { servingPenalty } from './serving-penalty.js';

export const facilityCode = (facility: number): number => -(facility + 1);
export const facilityOf = (code: number): number => -code - 1;

/** Neighbours kept per job (by travel distance both ways) for string removals. */
const NEIGHBOURS = 60;

export interface PreparedProblem {
  problem: PlanProblem;
  n: number;
  dims: number;
  distance: Float64Array;
  duration: Float64Array;
  slotSeconds: number;
  slotMatrices: Float64Array[];
  jobCount: number;
  jobLocation: Int32Array;
  /** jobCount × dims. */
  jobAmount: Float64Array;
  jobService: Float64Array;
  jobRelease: Float64Array;
  jobWaste: Uint32Array;
  /** Close of the job's last window (Infinity when unconstrained), for quick rejection. */
  jobLastClose: Float64Array;
  hasRelease: boolean;
  facilityLocation: Int32Array;
  isFuel: Uint8Array;
  facilityAccepts: Uint32Array;
  disposal: number[];
  fuel: number[];
  /** vehicleCount × jobCount: 1 when the vehicle may serve the job. */
  compatible: Uint8Array;
  /** Per job, other jobs sorted by closeness. */
  neighbours: Int32Array[];
  /** Penalty per unserved job (priority 0). */
  unassignedPenalty: number;
  /** Objective weight per used vehicle. */
  vehicleWeight: number;
}

/** Start-of-service for an arrival under a list of windows; Infinity when every window has closed. */
export function beginWithin(windows: readonly TimeWindow[], arrival: number): number {
  if (windows.length === 0) return arrival;
  for (const [open, close] of windows) {
    if (arrival <= close) return arrival > open ? arrival : open;
  }
  return Infinity;
}

export function travelTime(pp: PreparedProblem, from: number, to: number, departure: number): number {
  const cell = from * pp.n + to;
  if (pp.slotMatrices.length === 0) return pp.duration[cell]!;
  let slot = Math.floor(departure / pp.slotSeconds);
  if (slot < 0) slot = 0;
  else if (slot >= pp.slotMatrices.length) slot = pp.slotMatrices.length - 1;
  return pp.slotMatrices[slot]![cell]!;
}

export function prepareProblem(problem: PlanProblem): PreparedProblem {
  const { travel, jobs, facilities, vehicles } = problem;
  const n = travel.locationCount;
  const dims = Math.max(1, ...vehicles.map((v) => v.capacity.length), ...jobs.map((j) => j.amount.length));
  const wasteBits = new Map<string, number>();
  const wasteMask = (type: string): number => {
    if (type === '') return 0;
    let bit = wasteBits.get(type);
    if (bit === undefined) {
      bit = 1 << (wasteBits.size % 31);
      wasteBits.set(type, bit);
    }
    return bit;
  };
  const J = jobs.length;
  const jobAmount = new Float64Array(J * dims);
  jobs.forEach((job, j) => job.amount.forEach((a, d) => (jobAmount[j * dims + d] = a)));
  const jobWaste = Uint32Array.from(jobs, (job) => wasteMask(job.wasteType));
  const facilityAccepts = Uint32Array.from(facilities, (f) =>
    f.accepts.length === 0 ? 0xffffffff : f.accepts.reduce((mask, type) => mask | wasteMask(type), 0),
  );
  const compatible = new Uint8Array(vehicles.length * J);
  vehicles.forEach((vehicle, v) => {
    const skills = new Set(vehicle.skills);
    jobs.forEach((job, j) => {
      const allowed = job.allowedVehicles === undefined || job.allowedVehicles.includes(v);
      if (allowed && job.skills.every((s) => skills.has(s))) compatible[v * J + j] = 1;
    });
  });
  const jobLocation = Int32Array.from(jobs, (job) => job.location);
  const neighbours = jobs.map((_, j) => nearestJobs(travel.distance, n, jobLocation, j));
  let maxLeg = 0;
  for (const v of vehicles) {
    for (const job of jobs) {
      const out = travel.distance[v.start * n + job.location]!;
      const back = travel.distance[job.location * n + v.end]!;
      if (Number.isFinite(out + back)) maxLeg = Math.max(maxLeg, out + back);
    }
  }
  const routeScale = problem.objective === 'cost' ? servingPenalty(problem) : 2 * maxLeg;
  const vehicleWeight = problem.objective === 'vehicles-then-distance' ? 10 * routeScale * (J + 1) : 0;
  const unassignedPenalty = problem.unassignedPenalty ?? 100 * (routeScale + vehicleWeight + 1);
  return {
    problem,
    n,
    dims,
    distance: travel.distance,
    duration: travel.duration,
    slotSeconds: travel.durationSlots?.slotSeconds ?? 1,
    slotMatrices: travel.durationSlots?.matrices ?? [],
    jobCount: J,
    jobLocation,
    jobAmount,
    jobService: Float64Array.from(jobs, (job) => job.service),
    jobRelease: Float64Array.from(jobs, (job) => job.release),
    jobWaste,
    jobLastClose: Float64Array.from(jobs, (job) =>
      job.windows.length === 0 ? Infinity : Math.max(...job.windows.map((w) => w[1])),
    ),
    hasRelease: jobs.some((job) => job.release > 0),
    facilityLocation: Int32Array.from(facilities, (f) => f.location),
    isFuel: Uint8Array.from(facilities, (f) => (f.kind === 'fuel' ? 1 : 0)),
    facilityAccepts,
    disposal: facilities.flatMap((f, i) => (f.kind === 'disposal' ? [i] : [])),
    fuel: facilities.flatMap((f, i) => (f.kind === 'fuel' ? [i] : [])),
    compatible,
    neighbours,
    unassignedPenalty,
    vehicleWeight,
  };
}

/** The NEIGHBOURS jobs closest to job j (either direction), closest first; a threshold avoids sorting all. */
function nearestJobs(distance: Float64Array, n: number, jobLocation: Int32Array, j: number): Int32Array {
  const J = jobLocation.length;
  const a = jobLocation[j]!;
  const closeness = new Float64Array(J);
  for (let k = 0; k < J; k++) {
    const b = jobLocation[k]!;
    closeness[k] = k === j ? Infinity : Math.min(distance[a * n + b]!, distance[b * n + a]!);
  }
  const keep = Math.min(NEIGHBOURS, J - 1);
  if (keep <= 0) return new Int32Array(0);
  const threshold = Float64Array.from(closeness).sort()[keep - 1]!;
  const picked: number[] = [];
  for (let k = 0; k < J; k++) if (closeness[k]! <= threshold && k !== j) picked.push(k);
  picked.sort((x, y) => closeness[x]! - closeness[y]!);
  return Int32Array.from(picked.slice(0, keep));
}
