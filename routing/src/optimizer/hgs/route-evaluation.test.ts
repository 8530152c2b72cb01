import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Instance } from './instance.js';
import { RouteEvaluator } from './route-evaluation.js';
import { buildSmallProblem, smallProblemArbitrary } from './test-problems.js';
import type { SolverProblem } from './problem.js';

/** Time warp by forward simulation: leave the depot when it opens, wait when early, warp back when late. */
function forwardTimeWarp(p: SolverProblem, route: number[]): number {
  const N = p.nodeCount;
  let time = p.readyTime[0]!;
  let warp = 0;
  let prev = 0;
  for (const c of [...route, 0]) {
    let t = time + p.duration[prev * N + c]!;
    if (t < p.readyTime[c]!) t = p.readyTime[c]!;
    if (t > p.dueTime[c]!) {
      warp += t - p.dueTime[c]!;
      t = p.dueTime[c]!;
    }
    time = t + (c === 0 ? 0 : p.serviceTime[c]!);
    prev = c;
  }
  return warp;
}

const routeArbitrary = smallProblemArbitrary(8).chain((spec) =>
  fc.record({
    spec: fc.constant(spec),
    order: fc.shuffledSubarray(
      Array.from({ length: spec.demands.length }, (_, i) => i + 1),
      { minLength: 1 },
    ),
  }),
);

describe('RouteEvaluator', () => {
  it('prices a route like a forward simulation, however it is cut into concatenated segments', () => {
    fc.assert(
      fc.property(routeArbitrary, fc.nat(), ({ spec, order }, cutSeed) => {
        const p = buildSmallProblem(spec);
        const inst = new Instance(p);
        const ev = new RouteEvaluator(inst, 4);
        const route = Int32Array.from(order);
        ev.evaluateRoute(route, 0, route.length);
        const expected = forwardTimeWarp(p, order);
        expect(ev.routeTimeWarp).toBeCloseTo(expected, 9);
        let dist = 0;
        let prev = 0;
        for (const c of [...order, 0]) {
          dist += p.distance[prev * p.nodeCount + c]!;
          prev = c;
        }
        expect(ev.routeDistance).toBeCloseTo(dist, 9);
        expect(ev.routeLoad).toBe(order.reduce((s, c) => s + p.demand[c]!, 0));

        // prefix ⊕ [middle…] ⊕ suffix gives the same time warp (what the local search relies on).
        const full = [0, ...order, 0];
        const cut = 1 + (cutSeed % (full.length - 2));
        const pre = ev.firstFreeSlot;
        const suf = pre + 1;
        ev.copy(pre, 0);
        for (let k = 1; k < cut; k++) ev.concat(pre, pre, full[k]!);
        ev.copy(suf, 0);
        for (let k = full.length - 2; k > cut; k--) ev.concat(suf, full[k]!, suf);
        expect(ev.timeWarp3(pre, full[cut]!, suf)).toBeCloseTo(expected, 9);
        if (cut + 1 < full.length - 1) {
          const suf2 = pre + 2;
          ev.copy(suf2, 0);
          for (let k = full.length - 2; k > cut + 1; k--) ev.concat(suf2, full[k]!, suf2);
          expect(ev.timeWarp4(pre, full[cut]!, full[cut + 1]!, suf2)).toBeCloseTo(expected, 9);
        }
        ev.concat(pre, pre, full[cut]!);
        expect(ev.timeWarp2(pre, suf)).toBeCloseTo(expected, 9);
      }),
      { numRuns: 300 },
    );
  });
});
