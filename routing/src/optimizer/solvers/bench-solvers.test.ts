/**
 * Every benchmark family of ../shared/data/vrp parses and gets a solution that the independent
 * benchmark checker accepts: HGS on CVRP/VRPTW, the collection-round solver on the families with
 * disposal trips, recharging stations, reloads and breaks (and on a plain one, for comparison).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSolution } from '../bench-io/check-solution.js';
import { listInstances, loadInstance, type InstanceSet } from '../bench-io/instance.js';
import type { Solver } from '../bench-io/solver.js';
import { solveWithHgs } from './hgs-bench-solver.js';
import { solveWithPlanSolver } from './plan-bench-solver.js';

const cases: [InstanceSet, string, Solver, string][] = [
  ['cvrp', 'A-n32-k5', solveWithHgs, 'hgs'],
  ['vrptw', 'C101', solveWithHgs, 'hgs'],
  ['vrptw', 'R101', solveWithPlanSolver, 'rounds'],
  ['wcvrptw', '102_stop', solveWithPlanSolver, 'rounds'],
  ['evrptw', 'c101C10', solveWithPlanSolver, 'rounds'],
  ['evrptw', 'r102_21', solveWithPlanSolver, 'rounds'],
  ['mtvrptwr', 'C201R0.25', solveWithPlanSolver, 'rounds'],
  ['gvrp', '20c3sU1', solveWithPlanSolver, 'rounds'],
];

describe('benchmark families', () => {
  for (const [set, name, solver, label] of cases) {
    it(`${set} ${name} (${label}) is feasible`, async () => {
      const files = await listInstances(set);
      const file = files.find((f) => path.basename(f).replace(/\.(txt|vrp)$/, '') === name);
      expect(file).toBeDefined();
      const instance = await loadInstance(file!);
      const result = await solver({ instance, seconds: 1, seed: 1 });
      const check = checkSolution(instance, { routes: result.routes });
      expect(check.violations).toEqual([]);
      expect(result.unassigned).toEqual([]);
    });
  }
});
