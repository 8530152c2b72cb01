// Independent feasibility check of a solution by plain forward simulation (arrive, wait until the window
// opens, serve, drive on). It shares no code with the solver's concatenation-based evaluation, so tests and
// benchmarks can use it to verify what the solver claims.

import type { SolverProblem } from './problem.js';

export interface SolutionCheck {
  feasible: boolean;
  /** Sum of route distances (without vehicle costs). */
  distance: number;
  routeCount: number;
  errors: string[];
}

/** `tolerance` absorbs float rounding in time comparisons (0 for integer data). */
export function checkSolution(problem: SolverProblem, routes: number[][], tolerance = 1e-6): SolutionCheck {
  const N = problem.nodeCount;
  const errors: string[] = [];
  const seen = new Uint8Array(N);
  let distance = 0;
  let routeCount = 0;
  for (const [r, route] of routes.entries()) {
    if (route.length === 0) continue;
    routeCount++;
    let load = 0;
    let time = problem.readyTime[0]!;
    let prev = 0;
    for (const c of route) {
      if (!Number.isInteger(c) || c < 1 || c >= N) {
        errors.push(`route ${r}: ${c} is not a customer index`);
        continue;
      }
      if (seen[c]) errors.push(`customer ${c} visited twice`);
      seen[c] = 1;
      distance += problem.distance[prev * N + c]!;
      const arrival = time + problem.duration[prev * N + c]!;
      const start = Math.max(arrival, problem.readyTime[c]!);
      if (start > problem.dueTime[c]! + tolerance) {
        errors.push(
          `route ${r}: customer ${c} served at ${start} after its window closes at ${problem.dueTime[c]}`,
        );
      }
      time = start + problem.serviceTime[c]!;
      load += problem.demand[c]!;
      prev = c;
    }
    distance += problem.distance[prev * N]!;
    const back = time + problem.duration[prev * N]!;
    if (back > problem.dueTime[0]! + tolerance) {
      errors.push(`route ${r}: back at the depot at ${back} after it closes at ${problem.dueTime[0]}`);
    }
    if (load > problem.capacity + tolerance) {
      errors.push(`route ${r}: load ${load} exceeds capacity ${problem.capacity}`);
    }
  }
  for (let c = 1; c < N; c++) if (!seen[c]) errors.push(`customer ${c} not served`);
  if (routeCount > problem.maxVehicles)
    errors.push(`${routeCount} routes exceed maxVehicles ${problem.maxVehicles}`);
  return { feasible: errors.length === 0, distance, routeCount, errors };
}
