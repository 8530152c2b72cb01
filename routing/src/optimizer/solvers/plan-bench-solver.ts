/**
 * The benchmark runner's adapter for the collection-round solver: every family (Kim's waste collection
 * with disposal trips and lunch, Schneider's E-VRPTW with recharging stations standing for fuel stations,
 * G-VRP, MTVRPTWR reloads, and plain CVRP/VRPTW) becomes a PlanProblem over the instance's own metric,
 * and the solution's stops map back to node indices.
 */
import { buildMatrices } from '../bench-io/distance.js';
import type { BenchInstance } from '../bench-io/instance.js';
import type { SolveRequest, SolveResult } from '../bench-io/solver.js';
import type { PlanFacility, PlanJob, PlanProblem, PlanVehicle, TimeWindow } from '../model/plan-problem.js';
import { solvePlanCodes } from '../solver/solve-plan.js';

export interface BenchPlanProblem {
  problem: PlanProblem;
  /** Node index per job and per facility. */
  jobNode: number[];
  facilityNode: number[];
}

const window = (ready: number, due: number): TimeWindow[] =>
  ready <= 0 && due === Infinity ? [] : [[ready, due]];

export function toPlanProblem(instance: BenchInstance): BenchPlanProblem {
  const { nodes } = instance;
  const depot = nodes[0]!;
  const unservable = new Set(instance.unservable);
  const jobs: PlanJob[] = [];
  const jobNode: number[] = [];
  const facilities: PlanFacility[] = [];
  const facilityNode: number[] = [];
  nodes.forEach((node, index) => {
    if (node.kind === 'customer' && !unservable.has(index)) {
      jobNode.push(index);
      jobs.push({
        id: node.id,
        location: index,
        amount: [node.demand],
        service: node.service,
        windows: window(node.ready, node.due),
        skills: [],
        priority: 0,
        wasteType: '',
        release: instance.releaseTimes?.[index] ?? 0,
      });
    } else if (node.kind === 'station' || node.kind === 'disposal') {
      facilityNode.push(index);
      facilities.push({
        id: node.id,
        kind: node.kind === 'station' ? 'fuel' : 'disposal',
        location: index,
        hours: window(node.ready, node.due),
        service: node.service,
        secondsPerLitre: node.kind === 'station' ? (instance.energy?.rechargeTimePerUnit ?? 0) : 0,
        accepts: [],
      });
    }
  });
  if (instance.reloadAtDepot) {
    facilityNode.push(0);
    facilities.push({
      id: depot.id,
      kind: 'disposal',
      location: 0,
      hours: window(depot.ready, depot.due),
      service: depot.service,
      secondsPerLitre: 0,
      accepts: [],
    });
  }
  const energy = instance.energy;
  const vehicle = (k: number): PlanVehicle => ({
    id: `v${k + 1}`,
    start: 0,
    end: 0,
    shift: [depot.ready, depot.due],
    breaks: instance.lunchBreak ? [{ ...instance.lunchBreak }] : [],
    capacity: [instance.capacity],
    initialLoad: [0],
    skills: [],
    fuel: energy
      ? {
          tankL: energy.capacity,
          initialL: energy.capacity,
          reserveL: 0,
          perMetreEmpty: energy.consumptionRate,
          perMetreLoaded: energy.consumptionRate,
          idlePerSecond: 0,
        }
      : null,
    costs: { fixed: 0, perMetre: 1, perSecond: 0 },
    maxJobs: instance.maxStopsPerRoute,
    maxShiftLoad: instance.routeCapacity,
    mustEndEmpty: instance.mustEndEmpty,
    maxDuration: instance.maxRouteDuration,
    fixedStops: [],
  });
  const fleet = Number.isFinite(instance.vehicles) ? instance.vehicles : unlimitedFleet(instance, jobs);
  const { distance, travelTime } = buildMatrices(instance);
  return {
    problem: {
      travel: { locationCount: nodes.length, distance, duration: travelTime },
      vehicles: Array.from({ length: fleet }, (_, k) => vehicle(k)),
      jobs,
      facilities,
      objective: instance.objective,
    },
    jobNode,
    facilityNode,
  };
}

/** A pool large enough for any sensible solution when the instance sets no fleet limit. */
function unlimitedFleet(instance: BenchInstance, jobs: readonly PlanJob[]): number {
  const demand = jobs.reduce((sum, job) => sum + job.amount[0]!, 0);
  const byLoad = Number.isFinite(instance.routeCapacity) ? demand / instance.routeCapacity : 0;
  const byTrip = instance.reloadAtDepot || instance.mustEndEmpty ? 0 : demand / instance.capacity;
  const byStops = Number.isFinite(instance.maxStopsPerRoute) ? jobs.length / instance.maxStopsPerRoute : 0;
  const lower = Math.ceil(Math.max(1, byLoad, byTrip, byStops));
  // Range and duration limits (G-VRP: a few customers per 11-hour tour) are not in the bounds above.
  return Math.min(jobs.length, Math.max(2 * lower + 10, Math.ceil(jobs.length / 4)));
}

export async function solveWithPlanSolver(request: SolveRequest): Promise<SolveResult> {
  const { problem, jobNode, facilityNode } = toPlanProblem(request.instance);
  const result = await solvePlanCodes(problem, { timeLimitMs: request.seconds * 1000, seed: request.seed });
  const routes = result.routes
    .filter((codes) => codes.length > 0)
    .map((codes) => codes.map((code) => (code >= 0 ? jobNode[code]! : facilityNode[-code - 1]!)));
  return { routes, unassigned: result.unassigned.map((j) => jobNode[j]!) };
}
