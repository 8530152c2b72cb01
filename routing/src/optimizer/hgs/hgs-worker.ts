// Worker-thread entry of solveHgsParallel: one independent HGS run per thread.

import { parentPort, workerData } from 'node:worker_threads';
import type { SolveOptions, SolverProblem } from './problem.js';
import { runHgs } from './solve-hgs.js';

export interface HgsWorkerInput {
  problem: SolverProblem;
  options: Omit<SolveOptions, 'onImprovement'>;
  /** performance.timeOrigin + performance.now() when the parent started: thread start-up counts against the limit. */
  startedAtMs: number;
}

export type HgsWorkerMessage =
  | { type: 'improvement'; cost: number; elapsedMs: number }
  | { type: 'done'; run: ReturnType<typeof runHgs> }
  | { type: 'error'; code: string; message: string };

const port = parentPort;
if (port) {
  const input = workerData as HgsWorkerInput;
  try {
    const startup = performance.timeOrigin + performance.now() - input.startedAtMs;
    const run = runHgs(input.problem, {
      ...input.options,
      timeLimitMs: Math.max(0, input.options.timeLimitMs - startup),
      onImprovement: (cost, elapsedMs) => port.postMessage({ type: 'improvement', cost, elapsedMs }),
    });
    port.postMessage({ type: 'done', run } satisfies HgsWorkerMessage);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    port.postMessage({ type: 'error', code: err.code ?? 'Internal', message: err.message ?? String(e) });
  }
}
