import { describe, expect, it } from 'vitest';
import { checkSolution } from './check-solution.js';
import { listInstances, loadInstance } from './instance.js';
import { buildNearestNeighbour, solveNearestNeighbour } from './nearest-neighbour.js';

describe('nearest-neighbour baseline', () => {
  it('builds checker-feasible CVRP solutions on every A and X instance', async () => {
    for (const file of await listInstances('cvrp')) {
      const instance = await loadInstance(file);
      const result = buildNearestNeighbour(instance);
      expect(result.unassigned).toEqual([]);
      const check = checkSolution(instance, result);
      expect(check.violations, instance.name).toEqual([]);
    }
  });

  it('respects capacity and time windows on every Solomon instance (the fleet limit is not its concern)', async () => {
    for (const file of await listInstances('vrptw')) {
      const instance = await loadInstance(file);
      const result = buildNearestNeighbour(instance);
      expect(result.unassigned).toEqual([]);
      const violations = checkSolution(instance, result).violations.filter((text) => !/fleet has/.test(text));
      expect(violations, instance.name).toEqual([]);
    }
  });

  it('declines the families it cannot express', async () => {
    for (const set of ['evrptw', 'wcvrptw', 'mtvrptwr', 'gvrp'] as const) {
      const instance = await loadInstance((await listInstances(set))[0]!);
      await expect(solveNearestNeighbour({ instance, seconds: 1, seed: 1 })).rejects.toMatchObject({
        code: 'UnsupportedInstance',
      });
    }
  });
});
