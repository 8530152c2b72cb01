// Worker-thread entry of solvePlanCodes: one independent search per thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { PlanProblem } from '../model/plan-problem.js';
import { prepareProblem } from './prepared-problem.js';
import { searchPlan, type SearchOptions, type SearchResult } from './search.js';

export interface PlanWorkerInput {
  problem: PlanProblem;
  options: SearchOptions;
  /** performance.timeOrigin + performance.now() when the parent started: thread start-up counts against the limit. */
  startedAtMs: number;
}

export type PlanWorkerMessage = { type: 'done'; result: SearchResult } | { type: 'error'; message: string };

const port = parentPort;
if (port) {
  const input = workerData as PlanWorkerInput;
  try {
    const startup = performance.timeOrigin + performance.now() - input.startedAtMs;
    const result = searchPlan(prepareProblem(input.problem), {
      ...input.options,
      timeLimitMs: Math.max(0, input.options.timeLimitMs - startup),
    });
    port.postMessage({ type: 'done', result } satisfies PlanWorkerMessage);
  } catch (e) {
    port.postMessage({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
    } satisfies PlanWorkerMessage);
  }
}
