// Worker-thread entry of solvePlanOffLoop: one whole solvePlan call (single-threaded) off the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import type { PlanProblem, PlanSolution } from '../model/plan-problem.js';
import { solvePlan } from '../solver/solve-plan.js';
import { PlanProblemError } from '../solver/validate-plan-problem.js';

export interface SolveWorkerInput {
  problem: PlanProblem;
  options: { timeLimitMs: number; seed: number; threads: 1 };
}

export type SolveWorkerMessage =
  { type: 'done'; solution: PlanSolution } | { type: 'error'; message: string; invalidProblem: boolean };

const port = parentPort;
if (port) {
  const input = workerData as SolveWorkerInput;
  solvePlan(input.problem, input.options).then(
    (solution) => port.postMessage({ type: 'done', solution } satisfies SolveWorkerMessage),
    (error: unknown) =>
      port.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
        invalidProblem: error instanceof PlanProblemError,
      } satisfies SolveWorkerMessage),
  );
}
