import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Individual } from './individual.js';
import { Instance } from './instance.js';
import { RouteEvaluator } from './route-evaluation.js';
import { Split } from './split.js';
import { buildSmallProblem, smallProblemArbitrary } from './test-problems.js';

describe('Split', () => {
  it('finds the cheapest penalised cut of the giant tour (checked against all cuts)', () => {
    fc.assert(
      fc.property(
        smallProblemArbitrary(8),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.nat(),
        (spec, pc, ptw, limitSeed) => {
          const p = buildSmallProblem(spec);
          // Unbounded capacity keeps the 1.5·Q cut-off of HGS out of the comparison when windows are present.
          if (p.dueTime.some((d) => Number.isFinite(d))) p.capacity = Infinity;
          const inst = new Instance(p);
          const n = inst.customerCount;
          const split = new Split(inst);
          const ind = new Individual(inst, -1);
          for (let i = 0; i < n; i++) ind.tour[i] = n - i;
          const cap = 1 + (limitSeed % inst.routeSlots);
          split.run(ind, cap, cap, pc, ptw);
          const ev = new RouteEvaluator(inst, 0);
          let best = Infinity;
          for (let mask = 0; mask < 1 << (n - 1); mask++) {
            let routes = 1;
            for (let b = 0; b < n - 1; b++) if (mask & (1 << b)) routes++;
            if (routes > Math.max(1, Math.min(inst.routeSlots, cap))) continue;
            let cost = 0;
            let from = 0;
            for (let k = 1; k <= n; k++) {
              if (k === n || mask & (1 << (k - 1))) {
                ev.evaluateRoute(ind.tour, from, k);
                cost += ev.cost(ev.routeDistance, ev.routeLoad, ev.routeTimeWarp, true, pc, ptw);
                from = k;
              }
            }
            if (cost < best) best = cost;
          }
          expect(ind.penalizedCost).toBeCloseTo(best, 6);
          expect(ind.nbRoutes).toBeLessThanOrEqual(Math.max(cap, inst.minRoutes));
        },
      ),
      { numRuns: 300 },
    );
  });
});
