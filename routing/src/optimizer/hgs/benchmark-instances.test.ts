// Sanity checks on two real instances, read directly from shared/data/vrp (conventions in its README):
// A-n32-k5 (TSPLIB nint distances, optimum 784) and Solomon C101 (distance-only, one-decimal truncation,
// BKS 827.3). Each run is capped at 10 s.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCvrplib, parseSolomon } from './benchmark-instances.js';
import { checkSolution } from './solution-checker.js';
import { solveHgs } from './solve-hgs.js';

const DATA = process.env.VRP_DATA_DIR ?? '/work/shared/data/vrp';
// Stopped by iterations: a clock limit would make the gap depend on how loaded the machine is.
const options = { timeLimitMs: 300_000, seed: 1, maxIterationsWithoutImprovement: 2000 };

describe('solveHgs on benchmark instances', () => {
  it('A-n32-k5 within 1 % of the optimum 784', () => {
    const bench = parseCvrplib(readFileSync(`${DATA}/cvrp/augerat-A/A-n32-k5.vrp`, 'utf8'));
    expect(bench.problem.nodeCount).toBe(32);
    const sol = solveHgs(bench.problem, options);
    const check = checkSolution(bench.problem, sol.routes, 0);
    expect(check.errors).toEqual([]);
    expect(sol.feasible).toBe(true);
    expect(check.distance).toBe(sol.cost);
    expect(check.distance).toBeLessThanOrEqual(784 * 1.01);
  });

  it('Solomon C101 (distance-only, truncated) within 1 % of 827.3', () => {
    const bench = parseSolomon(readFileSync(`${DATA}/vrptw/solomon/C101.txt`, 'utf8'), 'distance-trunc1');
    expect(bench.problem.nodeCount).toBe(101);
    expect(bench.problem.maxVehicles).toBe(25);
    const sol = solveHgs(bench.problem, options);
    const check = checkSolution(bench.problem, sol.routes, 0);
    expect(check.errors).toEqual([]);
    expect(sol.feasible).toBe(true);
    expect(check.distance / bench.costScale).toBeLessThanOrEqual(827.3 * 1.01);
  });
});
