import { describe, expect, it } from 'vitest';
import { solvePlan } from '../solver/solve-plan.js';
import { checkPlan } from './check-plan.js';
import type { PlanProblem } from './plan-problem.js';

/** Seeded PRNG (mulberry32), so a failing problem can be rebuilt from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random collection day on a 10 × 10 km plane: depot, sites, two landfills, a fuel station. */
function randomProblem(seed: number): PlanProblem {
  const rnd = random(seed);
  const jobsCount = 12 + Math.floor(rnd() * 10);
  const points: [number, number][] = [
    [5000, 5000],
    [9000, 1000],
    [1000, 9000],
    [6000, 6000],
  ];
  for (let j = 0; j < jobsCount; j++) points.push([rnd() * 10_000, rnd() * 10_000]);
  const n = points.length;
  const distance = new Float64Array(n * n);
  const duration = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      distance[i * n + k] = Math.hypot(points[i]![0] - points[k]![0], points[i]![1] - points[k]![1]) * 1.3;
      duration[i * n + k] = distance[i * n + k]! / 8;
    }
  }
  const rush = Float64Array.from(duration, (d) => d * 1.6);
  const withSlots = seed % 2 === 0;
  return {
    travel: {
      locationCount: n,
      distance,
      duration,
      ...(withSlots
        ? { durationSlots: { slotSeconds: 3600, matrices: [duration, rush, rush, duration] } }
        : {}),
    },
    vehicles: [0, 1].map((v) => ({
      id: `truck-${v}`,
      start: 0,
      end: 0,
      shift: [0, 8 * 3600] as const,
      breaks: seed % 3 === 0 ? [{ duration: 1800, earliestStart: 3 * 3600, latestStart: 4 * 3600 }] : [],
      capacity: [10, 4000],
      initialLoad: [0, 0],
      skills: v === 0 ? ['rear-loader'] : ['rear-loader', 'crane'],
      fuel:
        seed % 4 === 1
          ? {
              tankL: 12,
              initialL: 9,
              reserveL: 2,
              perMetreEmpty: 0.0003,
              perMetreLoaded: 0.0005,
              idlePerSecond: 0.0005,
            }
          : null,
      costs: { fixed: 500, perMetre: 0.05, perSecond: 0.2 },
      maxJobs: 30,
      maxShiftLoad: 40,
      mustEndEmpty: true,
      maxDuration: 8 * 3600,
      fixedStops: [],
    })),
    jobs: Array.from({ length: jobsCount }, (_, j) => {
      const open = Math.floor(rnd() * 5) * 3600;
      return {
        id: `site-${j}`,
        location: 4 + j,
        amount: [1 + rnd() * 3, 200 + rnd() * 600],
        service: 120 + Math.floor(rnd() * 300),
        windows: rnd() < 0.4 ? [[open, open + 2 * 3600] as const] : [],
        skills: rnd() < 0.15 ? ['crane'] : [],
        priority: Math.floor(rnd() * 3),
        wasteType: rnd() < 0.2 ? 'bulky' : 'msw',
        release: rnd() < 0.1 ? 3600 : 0,
      };
    }),
    facilities: [
      {
        id: 'landfill-north',
        kind: 'disposal',
        location: 1,
        hours: [],
        service: 600,
        secondsPerLitre: 0,
        accepts: ['msw'],
      },
      {
        id: 'landfill-south',
        kind: 'disposal',
        location: 2,
        hours: [[0, 6 * 3600]],
        service: 900,
        secondsPerLitre: 0,
        accepts: [],
      },
      { id: 'fuel', kind: 'fuel', location: 3, hours: [], service: 300, secondsPerLitre: 3, accepts: [] },
    ],
    objective: 'cost',
  };
}

// The checker shares no code with the solver: every plan the solver returns must pass it.
describe('checkPlan against solvePlan', () => {
  it.each([1, 2, 3, 4, 5, 6])('confirms the solver’s plan for random problem %i', async (seed) => {
    const problem = randomProblem(seed);
    const solution = await solvePlan(problem, { timeLimitMs: 60_000, seed, threads: 1, maxIterations: 300 });
    const check = checkPlan(problem, solution);
    expect(check.violations).toEqual([]);
    // Not a vacuous pass: most sites are served.
    expect(solution.unassigned.length).toBeLessThan(problem.jobs.length / 2);
  });
});
