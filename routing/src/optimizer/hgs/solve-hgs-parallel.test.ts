import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSolution } from './solution-checker.js';
import { solveHgsParallel } from './solve-hgs-parallel.js';
import { runHgs } from './solve-hgs.js';
import { buildSmallProblem, smallProblemArbitrary } from './test-problems.js';

describe('solveHgsParallel', () => {
  it('keeps the best of independent worker-thread runs, deterministically when stopped by iterations', async () => {
    const spec = fc.sample(smallProblemArbitrary(12), { seed: 11, numRuns: 1 })[0]!;
    const problem = buildSmallProblem({ ...spec, horizon: null, maxVehicles: null });
    const options = { timeLimitMs: 60_000, seed: 5, maxIterationsWithoutImprovement: 200, threads: 2 };
    const improvements: number[] = [];
    const a = await solveHgsParallel(problem, { ...options, onImprovement: (c) => improvements.push(c) });
    const b = await solveHgsParallel(problem, options);
    expect(a.threadStats).toHaveLength(2);
    expect(b.solution).toEqual(a.solution);
    expect(checkSolution(problem, a.solution.routes).feasible).toBe(a.solution.feasible);
    // Never worse than the run of the first seed alone.
    const { threads: _threads, ...sequential } = options;
    const single = runHgs(problem, sequential).solution;
    expect(a.solution.cost).toBeLessThanOrEqual(single.cost);
    expect(improvements.at(-1)).toBe(a.solution.cost);
  });
});
