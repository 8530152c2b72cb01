/**
 * Entry point of the collection-round optimizer: validates the problem, runs independent searches on
 * every core (seeds seed, seed + 1, …; the best by objective wins, ties by thread order), and turns the
 * winner into the plan a dispatcher reads: per vehicle the timed stops with load and fuel, totals, and
 * every unserved job with its reason.
 */
import { availableParallelism } from 'node:os';
import type { PlanProblem, PlanSolution, VehicleRoute } from '../model/plan-problem.js';
import { startModuleWorker } from '../start-worker.js';
import type { PlanWorkerInput, PlanWorkerMessage } from './plan-worker.js';
import { prepareProblem } from './prepared-problem.js';
import { newFigures, simulateRoute } from './route-simulation.js';
import { searchPlan, type SearchResult } from './search.js';
import { unassignedReason } from './unassigned-reason.js';
import { validatePlanProblem } from './validate-plan-problem.js';

export interface PlanSolveOptions {
  timeLimitMs: number;
  seed: number;
  /** Worker threads (default: available parallelism); 1 runs in the calling thread. */
  threads?: number;
  /** Iterations per thread (deterministic runs for tests). */
  maxIterations?: number;
}

export async function solvePlanCodes(problem: PlanProblem, options: PlanSolveOptions): Promise<SearchResult> {
  validatePlanProblem(problem);
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const search = {
    timeLimitMs: options.timeLimitMs,
    seed: options.seed,
    ...(options.maxIterations ? { maxIterations: options.maxIterations } : {}),
  };
  if (threads === 1) return searchPlan(prepareProblem(problem), search);
  const startedAtMs = performance.timeOrigin + performance.now();
  const results = await Promise.all(
    Array.from({ length: threads }, (_, k) => {
      const input: PlanWorkerInput = { problem, options: { ...search, seed: options.seed + k }, startedAtMs };
      return new Promise<SearchResult>((resolve, reject) => {
        const worker = startModuleWorker(import.meta.url, 'plan-worker', input);
        worker.on('message', (message: PlanWorkerMessage) => {
          if (message.type === 'done') resolve(message.result);
          else reject(new Error(message.message));
          void worker.terminate();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`plan worker ${k} exited with code ${code}`));
        });
      });
    }),
  );
  return results.reduce((best, result) => (result.objective < best.objective ? result : best));
}

export async function solvePlan(problem: PlanProblem, options: PlanSolveOptions): Promise<PlanSolution> {
  const result = await solvePlanCodes(problem, options);
  const pp = prepareProblem(problem);
  const routes: VehicleRoute[] = [];
  let cost = 0;
  let distance = 0;
  result.routes.forEach((codes, vehicle) => {
    if (codes.length === 0) return;
    const figures = newFigures();
    const stops: VehicleRoute['stops'] = [];
    if (simulateRoute(pp, vehicle, codes, figures, stops) === Infinity) {
      throw new Error(`internal: the search returned an infeasible route for vehicle ${vehicle}`);
    }
    routes.push({
      vehicle,
      stops,
      distance: figures.distance,
      duration: figures.duration,
      waiting: figures.waiting,
      fuelUsedL: figures.fuelUsedL,
      cost: figures.cost,
    });
    cost += figures.cost;
    distance += figures.distance;
  });
  return {
    routes,
    unassigned: result.unassigned.map((job) => ({ job, reason: unassignedReason(pp, job) })),
    cost,
    distance,
  };
}
