/**
 * How the HTTP layer runs the solver: never on the event loop. solvePlan runs its searches in worker
 * threads when given two or more; with one thread it would search in the calling thread, so then the
 * whole call moves into a worker of its own. Solves are queued one at a time: each already uses every
 * core it was given, and a queue keeps memory and latency predictable.
 */
import type { PlanProblem, PlanSolution } from '../model/plan-problem.js';
import { solvePlan } from '../solver/solve-plan.js';
import { PlanProblemError } from '../solver/validate-plan-problem.js';
import { startModuleWorker } from '../start-worker.js';
import type { SolveWorkerInput, SolveWorkerMessage } from './solve-plan-worker.js';

export interface PlanSolveRequest {
  timeLimitMs: number;
  seed: number;
  threads?: number;
}

export type PlanSolver = (problem: PlanProblem, options: PlanSolveRequest) => Promise<PlanSolution>;

export const solvePlanOffLoop: PlanSolver = (problem, options) => {
  if ((options.threads ?? 2) >= 2) return solvePlan(problem, options);
  return new Promise<PlanSolution>((resolve, reject) => {
    const input: SolveWorkerInput = { problem, options: { ...options, threads: 1 } };
    const worker = startModuleWorker(import.meta.url, 'solve-plan-worker', input);
    worker.once('message', (message: SolveWorkerMessage) => {
      if (message.type === 'done') resolve(message.solution);
      else
        reject(message.invalidProblem ? new PlanProblemError(message.message) : new Error(message.message));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`solver worker exited with code ${code}`));
    });
  });
};

/** Runs solves one after another; callers wait their turn. */
export function queuedSolver(solve: PlanSolver): PlanSolver {
  let tail: Promise<unknown> = Promise.resolve();
  return (problem, options) => {
    const run = tail.then(() => solve(problem, options));
    tail = run.catch(() => undefined);
    return run;
  };
}
