// Both cores: independent HGS runs in worker threads (seeds seed, seed + 1, …), best result kept. Each
// run is deterministic for its seed, and ties are broken by thread index, so the result is deterministic
// whenever the runs stop by iterations rather than by the clock.

import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../start-worker.js';
import type { HgsWorkerInput, HgsWorkerMessage } from './hgs-worker.js';
import {
  HgsError,
  validateProblem,
  type SolveOptions,
  type SolverProblem,
  type SolveStats,
} from './problem.js';
import { runHgs, type HgsRun } from './solve-hgs.js';

export interface ParallelSolveOptions extends SolveOptions {
  /** Worker threads (default: available parallelism). 1 runs in the calling thread. */
  threads?: number;
}

export interface ParallelHgsRun extends HgsRun {
  /** Statistics of every thread, in thread order. */
  threadStats: SolveStats[];
}

export async function solveHgsParallel(
  problem: SolverProblem,
  options: ParallelSolveOptions,
): Promise<ParallelHgsRun> {
  validateProblem(problem, options);
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  if (threads === 1) {
    const run = runHgs(problem, options);
    return { ...run, threadStats: [run.stats] };
  }
  const started = performance.now();
  let bestReported = Infinity;
  const { onImprovement, threads: _threads, ...plain } = options;
  const runs = await Promise.all(
    Array.from({ length: threads }, (_, k) => {
      const input: HgsWorkerInput = {
        problem: { ...problem },
        options: { ...plain, seed: options.seed + k },
        startedAtMs: performance.timeOrigin + started,
      };
      return new Promise<HgsRun>((resolve, reject) => {
        const worker = startWorker(input);
        worker.on('message', (msg: HgsWorkerMessage) => {
          if (msg.type === 'improvement') {
            // Report only global improvements, as one search would.
            if (msg.cost < bestReported) {
              bestReported = msg.cost;
              onImprovement?.(msg.cost, performance.now() - started);
            }
          } else if (msg.type === 'done') {
            resolve(msg.run);
            void worker.terminate();
          } else {
            reject(
              new HgsError(msg.code === 'InvalidOptions' ? 'InvalidOptions' : 'InvalidProblem', msg.message),
            );
            void worker.terminate();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`HGS worker ${k} exited with code ${code}`));
        });
      });
    }),
  );
  const vehiclesFirst = problem.objective === 'vehicles-then-distance';
  let best = runs[0]!;
  for (const run of runs.slice(1)) {
    const a = run.solution;
    const b = best.solution;
    let better: boolean;
    if (a.feasible !== b.feasible) better = a.feasible;
    else if (vehiclesFirst && a.routes.length !== b.routes.length) better = a.routes.length < b.routes.length;
    else better = a.cost < b.cost;
    if (better) best = run;
  }
  return { solution: best.solution, stats: best.stats, threadStats: runs.map((r) => r.stats) };
}

function startWorker(input: HgsWorkerInput): Worker {
  return startModuleWorker(import.meta.url, 'hgs-worker', input);
}
