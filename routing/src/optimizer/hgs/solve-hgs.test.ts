import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HgsError, type SolverProblem } from './problem.js';
import { checkSolution } from './solution-checker.js';
import { runHgs, solveHgs } from './solve-hgs.js';
import { bruteForceOptimum, buildSmallProblem, smallProblemArbitrary } from './test-problems.js';

// Stopped by iterations, not the clock: on a loaded CI machine a clock limit would cut runs short.
const quick = (seed: number) => ({ timeLimitMs: 600_000, seed, maxIterationsWithoutImprovement: 400 });

function everyCustomerOnce(problem: SolverProblem, routes: number[][]): boolean {
  const seen = routes.flat().sort((a, b) => a - b);
  return seen.length === problem.nodeCount - 1 && seen.every((c, i) => c === i + 1);
}

describe('solveHgs', () => {
  it('returns solutions that an independent checker confirms, with every customer exactly once', () => {
    fc.assert(
      fc.property(smallProblemArbitrary(12), fc.nat(1000), (spec, seed) => {
        const problem = buildSmallProblem(spec);
        const sol = solveHgs(problem, quick(seed));
        expect(everyCustomerOnce(problem, sol.routes)).toBe(true);
        const check = checkSolution(problem, sol.routes, 0);
        if (sol.feasible) {
          expect(check.errors).toEqual([]);
          expect(sol.cost).toBeCloseTo(check.distance + (problem.vehicleCost ?? 0) * check.routeCount, 6);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('equals the brute-force optimum on instances with at most 8 customers', () => {
    fc.assert(
      fc.property(smallProblemArbitrary(8), fc.nat(1000), (spec, seed) => {
        const problem = buildSmallProblem(spec);
        const exact = bruteForceOptimum(problem);
        // A longer search than `quick`: 400 idle iterations missed a 3-route optimum by 1 (465 vs 464).
        const sol = solveHgs(problem, { ...quick(seed), maxIterationsWithoutImprovement: 5000 });
        expect(sol.feasible).toBe(exact.feasible);
        if (exact.feasible) {
          expect(sol.cost).toBeCloseTo(exact.cost, 6);
          if (problem.objective === 'vehicles-then-distance') expect(sol.routes.length).toBe(exact.routes);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is deterministic for a seed when stopped by iterations', () => {
    const spec = fc.sample(smallProblemArbitrary(12), { seed: 7, numRuns: 1 })[0]!;
    const problem = buildSmallProblem({ ...spec, horizon: null, maxVehicles: null });
    const opts = { timeLimitMs: 60_000, seed: 3, maxIterationsWithoutImprovement: 300 };
    const a = runHgs(problem, opts);
    const b = runHgs(problem, opts);
    expect(b.solution).toEqual(a.solution);
    expect(b.stats.iterations).toBe(a.stats.iterations);
  });

  it('handles an empty problem and a single customer', () => {
    const empty = buildSmallProblem({
      points: [{ x: 0, y: 0 }],
      demands: [],
      capacity: 10,
      windows: [],
      service: 0,
      horizon: null,
      asymmetry: [0],
      maxVehicles: null,
      objective: 'distance',
      vehicleCost: 0,
    });
    expect(solveHgs(empty, quick(1))).toEqual({ routes: [], cost: 0, feasible: true });
    const one = buildSmallProblem({
      points: [
        { x: 0, y: 0 },
        { x: 3, y: 4 },
      ],
      demands: [20],
      capacity: 10,
      windows: [null],
      service: 0,
      horizon: null,
      asymmetry: [0, 0, 0, 0],
      maxVehicles: null,
      objective: 'distance',
      vehicleCost: 5,
    });
    expect(solveHgs(one, quick(1))).toEqual({ routes: [[1]], cost: 15, feasible: false });
  });

  it('reports an infeasible best effort when a window cannot be met', () => {
    const problem = buildSmallProblem({
      points: [
        { x: 0, y: 0 },
        { x: 50, y: 0 },
        { x: 0, y: 50 },
      ],
      demands: [1, 1],
      capacity: 10,
      windows: [[0, 10], null],
      service: 0,
      horizon: null,
      asymmetry: new Array(9).fill(0),
      maxVehicles: null,
      objective: 'distance',
      vehicleCost: 0,
    });
    const sol = solveHgs(problem, quick(2));
    expect(sol.feasible).toBe(false);
    expect(everyCustomerOnce(problem, sol.routes)).toBe(true);
  });

  it('rejects malformed input with a machine-readable code', () => {
    const problem = buildSmallProblem(fc.sample(smallProblemArbitrary(4), { seed: 1, numRuns: 1 })[0]!);
    const bad = { ...problem, distance: new Float64Array(3) };
    expect(() => solveHgs(bad, quick(1))).toThrow(HgsError);
    try {
      solveHgs({ ...problem, capacity: 0 }, quick(1));
    } catch (e) {
      expect((e as HgsError).code).toBe('InvalidProblem');
      expect((e as HgsError).message).toMatch(/capacity/);
    }
    expect(() => solveHgs(problem, { timeLimitMs: -1, seed: 1 })).toThrow(/timeLimitMs/);
  });
});
