/**
 * The benchmark runner's adapter for the hybrid genetic search: CVRP and Solomon VRPTW (both objective
 * conventions) become a `SolverProblem` and run on every core. Solomon's one-decimal truncation is solved
 * in integer tenths so that sums are exact; the runner re-checks the routes in the benchmark's own units.
 */
import { buildMatrices } from '../bench-io/distance.js';
import type { BenchInstance } from '../bench-io/instance.js';
import { UnsupportedInstanceError, type SolveRequest, type SolveResult } from '../bench-io/solver.js';
import { solveHgsParallel } from '../hgs/index.js';
import type { SolverProblem } from '../hgs/problem.js';

/** Instances the HGS core expresses exactly: no stations, facilities, reloads or breaks. */
export function isPlainVrp(instance: BenchInstance): boolean {
  return instance.family === 'cvrp' || instance.family === 'vrptw';
}

export function toSolverProblem(instance: BenchInstance): SolverProblem {
  if (!isPlainVrp(instance)) {
    throw new UnsupportedInstanceError(`HGS core handles cvrp and vrptw, not ${instance.family}`);
  }
  const scale = instance.convention === 'trunc1' ? 10 : 1;
  const { distance, travelTime } = buildMatrices(instance);
  if (scale !== 1) {
    for (let k = 0; k < distance.length; k++) {
      distance[k] = Math.round(distance[k]! * scale);
      travelTime[k] = Math.round(travelTime[k]! * scale);
    }
  }
  const n = instance.nodes.length;
  const column = (pick: (i: number) => number): Float64Array =>
    Float64Array.from({ length: n }, (_, i) => pick(i));
  const node = (i: number): BenchInstance['nodes'][number] => instance.nodes[i]!;
  return {
    nodeCount: n,
    distance,
    duration: travelTime,
    demand: column((i) => (i === 0 ? 0 : node(i).demand)),
    readyTime: column((i) => node(i).ready * scale),
    dueTime: column((i) => node(i).due * scale),
    serviceTime: column((i) => node(i).service * scale),
    capacity: instance.capacity,
    maxVehicles: instance.vehicles,
    objective: instance.objective,
  };
}

export async function solveWithHgs(request: SolveRequest): Promise<SolveResult> {
  const problem = toSolverProblem(request.instance);
  const run = await solveHgsParallel(problem, {
    timeLimitMs: request.seconds * 1000,
    seed: request.seed,
  });
  const routes = run.solution.routes.filter((route) => route.length > 0);
  const served = new Set(routes.flat());
  const unassigned: number[] = [];
  for (let i = 1; i < problem.nodeCount; i++) if (!served.has(i)) unassigned.push(i);
  return { routes, unassigned };
}
