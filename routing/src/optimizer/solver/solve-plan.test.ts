/**
 * Hand-made collection rounds whose best answer is known, each plan verified by the independent
 * checker: forced unloading, refuelling at the cheaper detour, windows and shift, breaks, fixed stops
 * during the day, time-dependent travel, and the reasons for unserved jobs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../model/check-plan.js';
import type { PlanProblem, PlanSolution, VehicleRoute } from '../model/plan-problem.js';
import { solvePlan } from './solve-plan.js';
import { facility, planeTravel, site, truck, type Point } from './test-problems.js';
import { PlanProblemError } from './validate-plan-problem.js';

const solve = (problem: PlanProblem, maxIterations = 300): Promise<PlanSolution> =>
  solvePlan(problem, { timeLimitMs: 20_000, seed: 7, threads: 1, maxIterations });

function verified(problem: PlanProblem, solution: PlanSolution): PlanSolution {
  const check = checkPlan(problem, solution);
  expect(check.violations).toEqual([]);
  return solution;
}

/** The route's stops between start and end as `j<index>` / `f<index>` (breaks as `break`). */
const sequence = (route: VehicleRoute): string[] =>
  route.stops
    .filter((s) => s.kind !== 'start' && s.kind !== 'end')
    .map((s) => (s.kind === 'job' ? `j${s.index}` : s.kind === 'facility' ? `f${s.index}` : 'break'));

describe('solvePlan', () => {
  it('unloads when the body is full after three sites, and before going home', async () => {
    // A line: depot 0, sites at 1, 2, 3 km, the landfill at 4 km, sites at 5, 6, 7 km.
    const points: Point[] = [
      [0, 0],
      [1000, 0],
      [2000, 0],
      [3000, 0],
      [4000, 0],
      [5000, 0],
      [6000, 0],
      [7000, 0],
    ];
    const problem: PlanProblem = {
      travel: planeTravel(points),
      vehicles: [truck({ capacity: [3], mustEndEmpty: true })],
      jobs: [1, 2, 3, 5, 6, 7].map((location) => site(location)),
      facilities: [facility(4, 'disposal')],
      objective: 'distance',
    };
    const solution = verified(problem, await solve(problem));
    expect(solution.unassigned).toEqual([]);
    expect(solution.routes).toHaveLength(1);
    // 0→1→2→3→L→5→6→7→L→0 = 4 + 3 + 3 + 4 km (the second trip may also run 6→7→5).
    expect(solution.distance).toBeCloseTo(14_000, 6);
    const stops = sequence(solution.routes[0]!);
    expect(stops.slice(0, 4)).toEqual(['j0', 'j1', 'j2', 'f0']);
    expect(stops.slice(4, 7).sort()).toEqual(['j3', 'j4', 'j5']);
    expect(stops[7]).toBe('f0');
    expect(stops).toHaveLength(8);
    const loads = solution.routes[0]!.stops.map((s) => s.load[0]!);
    expect(Math.max(...loads)).toBe(3);
    expect(loads.at(-1)).toBe(0);
  });

  it('refuels at the station with the cheaper detour when the tank cannot finish the round', async () => {
    // Sites 20 km out and back; 30 L at 1 L/km with a 5 L reserve: one refuel is needed. Station 5
    // lies on the way (detour 0.2 km), station 6 off to the side (detour ~6 km).
    const points: Point[] = [
      [0, 0],
      [10_000, 0],
      [20_000, 0],
      [20_000, 1000],
      [10_000, 1000],
      [15_000, 100],
      [15_000, 3000],
    ];
    const problem: PlanProblem = {
      travel: planeTravel(points),
      vehicles: [
        truck({
          fuel: {
            tankL: 60,
            initialL: 30,
            reserveL: 5,
            perMetreEmpty: 0.001,
            perMetreLoaded: 0.001,
            idlePerSecond: 0,
          },
        }),
      ],
      jobs: [1, 2, 3, 4].map((location) => site(location)),
      facilities: [facility(5, 'fuel'), facility(6, 'fuel')],
      objective: 'distance',
    };
    const solution = verified(problem, await solve(problem));
    expect(solution.unassigned).toEqual([]);
    const route = solution.routes[0]!;
    const fuelStops = route.stops.filter((s) => s.kind === 'facility');
    expect(fuelStops.map((s) => s.index)).toEqual([0]);
    expect(fuelStops[0]!.refuelL).toBeGreaterThan(0);
    // The tank never went below the reserve.
    for (const stop of route.stops) expect(stop.fuelL!).toBeGreaterThanOrEqual(5 - 1e-6);
    expect(route.fuelUsedL).toBeCloseTo(route.distance * 0.001, 6);
  });

  it('sends a truck that starts below its reserve to a fuel station first, if it can reach one', async () => {
    // Live state at mid-day: 3 L left, reserve 5 L, 1 L/km. The station 1 km ahead is reachable on
    // the reserve; the sites 10 and 12 km out are not. With 0.5 L even the station is out of reach.
    const points: Point[] = [
      [0, 0],
      [10_000, 0],
      [12_000, 0],
      [1000, 0],
    ];
    const problemWith = (initialL: number): PlanProblem => ({
      travel: planeTravel(points),
      vehicles: [
        truck({
          fuel: {
            tankL: 60,
            initialL,
            reserveL: 5,
            perMetreEmpty: 0.001,
            perMetreLoaded: 0.001,
            idlePerSecond: 0,
          },
        }),
      ],
      jobs: [1, 2].map((location) => site(location)),
      facilities: [facility(3, 'fuel')],
      objective: 'distance',
    });
    const low = problemWith(3);
    const solution = verified(low, await solve(low));
    expect(solution.unassigned).toEqual([]);
    const route = solution.routes[0]!;
    expect(sequence(route)[0]).toBe('f0');
    expect(route.stops[1]!.fuelL).toBe(60);
    // After the first leg the reserve holds again.
    for (const stop of route.stops.slice(1)) expect(stop.fuelL!).toBeGreaterThanOrEqual(5 - 1e-6);

    const dry = problemWith(0.5);
    const stranded = verified(dry, await solve(dry));
    expect(stranded.routes).toEqual([]);
    expect(stranded.unassigned.map((u) => u.reason)).toEqual(['fuel', 'fuel']);
    // The checker refuses a first leg to anything but a fuel station below the reserve.
    const wrong: PlanSolution = {
      ...solution,
      routes: [{ ...route, stops: route.stops.filter((s) => s.kind !== 'facility') }],
    };
    expect(checkPlan(low, wrong).violations.some((v) => v.startsWith('fuel:'))).toBe(true);
  });

  it('leaves sites without a road to or from them out as unreachable, and still plans the rest', async () => {
    // Sites 2 and 3 sit in a one-way pocket: no road back from 2, no road at all to 3 (Infinity in the
    // matrix, as the engine's table reports no route).
    const points: Point[] = [
      [0, 0],
      [1000, 0],
      [2000, 0],
      [3000, 0],
    ];
    const travel = planeTravel(points);
    for (const [from, to] of [
      [2, 0],
      [2, 1],
      [2, 3],
      [0, 3],
      [1, 3],
      [2, 3],
    ] as const) {
      travel.distance[from * 4 + to] = Infinity;
      travel.duration[from * 4 + to] = Infinity;
    }
    const problem: PlanProblem = {
      travel,
      vehicles: [truck()],
      jobs: [1, 2, 3].map((location) => site(location)),
      facilities: [],
      objective: 'distance',
    };
    const solution = verified(problem, await solve(problem));
    expect(solution.unassigned).toEqual([
      { job: 1, reason: 'unreachable' },
      { job: 2, reason: 'unreachable' },
    ]);
    expect(solution.routes.map(sequence)).toEqual([['j0']]);
  });

  it("keeps each route within its vehicle's longest distance and driving time", async () => {
    // Sites 4 km west and 9 km east. Truck A may drive 18 km, truck B 1000 s at 10 m/s (10 km): only
    // A reaches the east site (18 km there and back); A cannot do both (26 km), so B takes the west
    // one. A site 20 km east is beyond both.
    const points: Point[] = [
      [0, 0],
      [-4000, 0],
      [9000, 0],
      [20_000, 0],
    ];
    const problem: PlanProblem = {
      travel: planeTravel(points),
      vehicles: [truck({ id: 'a', maxDistance: 18_000 }), truck({ id: 'b', maxTravelTime: 1000 })],
      jobs: [1, 2, 3].map((location) => site(location)),
      facilities: [],
      objective: 'distance',
    };
    const solution = verified(problem, await solve(problem));
    expect(solution.unassigned).toEqual([{ job: 2, reason: 'route-limit' }]);
    const byVehicle = new Map(solution.routes.map((r) => [problem.vehicles[r.vehicle]!.id, sequence(r)]));
    expect(byVehicle.get('a')).toEqual(['j1']);
    expect(byVehicle.get('b')).toEqual(['j0']);
    const over: PlanSolution = {
      ...solution,
      routes: solution.routes.map((r) => ({ ...r, vehicle: r.vehicle === 0 ? 1 : 0 })),
    };
    const violations = checkPlan(problem, over).violations.join('\n');
    expect(violations).toContain('max-travel-time');
  });

  it('meets time windows and the shift, taking the lunch break at its opening', async () => {
    const points: Point[] = [
      [0, 0],
      [3000, 0],
      [6000, 0],
      [9000, 0],
    ];
    const hour = 3600;
    const problem: PlanProblem = {
      travel: planeTravel(points),
      vehicles: [
        truck({
          shift: [8 * hour, 17 * hour],
          breaks: [{ duration: hour, earliestStart: 12 * hour, latestStart: 13 * hour }],
        }),
      ],
      // Site 3 only in the afternoon, site 1 only in the morning: the order is forced.
      jobs: [
        site(3, { windows: [[14 * hour, 15 * hour]] }),
        site(1, { windows: [[8 * hour, 9 * hour]] }),
        site(2, { windows: [[11 * hour, 12 * hour]] }),
      ],
      facilities: [],
      objective: 'distance',
    };
    const solution = verified(problem, await solve(problem));
    expect(solution.unassigned).toEqual([]);
    const route = solution.routes[0]!;
    expect(sequence(route)).toEqual(['j1', 'j2', 'break', 'j0']);
    const lunch = route.stops.find((s) => s.kind === 'break')!;
    expect(lunch.begin).toBe(12 * hour);
    expect(route.stops.find((s) => s.kind === 'job' && s.index === 0)!.begin).toBe(14 * hour);
  });

  it('keeps a truck’s committed stops first and unloads its morning load early when re-planning', async () => {
    // Mid-day: the truck is at location 1 with 8 of 10 m³ on board and is committed to site 0.
    const points: Point[] = [
      [0, 0],
      [1000, 0],
      [2000, 0],
      [3000, 0],
      [2000, 500],
      [5000, 0],
    ];
    const problem: PlanProblem = {
      travel: planeTravel(points),
      vehicles: [
        truck({
          start: 1,
          capacity: [10],
          initialLoad: [8],
          mustEndEmpty: true,
          fixedStops: [{ kind: 'job', index: 0 }],
        }),
      ],
      jobs: [site(2, { amount: [2] }), site(3, { amount: [3] }), site(5, { amount: [3] })],
      facilities: [facility(4, 'disposal')],
      objective: 'distance',
    };
    const solution = verified(problem, await solve(problem));
    expect(solution.unassigned).toEqual([]);
    const stops = sequence(solution.routes[0]!);
    expect(stops[0]).toBe('j0');
    // Full after the committed site: the next stop must be the landfill.
    expect(stops[1]).toBe('f0');
    expect(stops.at(-1)).toBe('f0');
  });

  it('plans with the departure slot’s travel times (rush hour)', async () => {
    const points: Point[] = [
      [0, 0],
      [6000, 0],
    ];
    const base = planeTravel(points);
    // Departures in the first hour take 10 min per leg; afterwards 30 min (congestion).
    const slow = base.duration.map((d) => d * 3);
    const problem: PlanProblem = {
      travel: { ...base, durationSlots: { slotSeconds: 3600, matrices: [base.duration, slow] } },
      vehicles: [truck({ shift: [3000, 20_000] })],
      jobs: [site(1, { service: 1200 })],
      facilities: [],
      objective: 'distance',
    };
    const solution = verified(problem, await solve(problem, 20));
    const stops = solution.routes[0]!.stops;
    expect(stops[1]!.arrival).toBeCloseTo(3000 + 600, 6);
    // Leaves the site at 4800 s, in the congested slot.
    expect(stops[2]!.arrival).toBeCloseTo(4800 + 1800, 6);
  });

  it('reports why jobs stay unserved', async () => {
    const points: Point[] = [
      [0, 0],
      [1000, 0],
      [2000, 0],
      [3000, 0],
      [400_000, 0],
    ];
    const problem: PlanProblem = {
      travel: planeTravel(points),
      vehicles: [truck({ capacity: [5], skills: ['rear-loader'], shift: [0, 8 * 3600] })],
      jobs: [
        site(1, { skills: ['crane'] }),
        site(2, { amount: [9] }),
        site(3, { windows: [[9 * 3600, 10 * 3600]] }),
        site(4),
        site(1),
      ],
      facilities: [],
      objective: 'distance',
    };
    const solution = verified(problem, await solve(problem, 50));
    const reasons = Object.fromEntries(solution.unassigned.map((u) => [u.job, u.reason]));
    expect(reasons).toEqual({ 0: 'skills', 1: 'capacity', 2: 'time-window', 3: 'time-window' });
    expect(solution.routes[0]!.stops.filter((s) => s.kind === 'job').map((s) => s.index)).toEqual([4]);
  });

  it('rejects a malformed problem with the field named', async () => {
    const problem: PlanProblem = {
      travel: planeTravel([[0, 0]]),
      vehicles: [truck()],
      jobs: [site(3)],
      facilities: [],
      objective: 'distance',
    };
    await expect(solve(problem)).rejects.toThrow(PlanProblemError);
    await expect(solve(problem)).rejects.toThrow(/jobs\[0\]\.location/);
  });

  it('is deterministic for a seed', async () => {
    const points: Point[] = Array.from({ length: 25 }, (_, k) => [
      ((k * 7919) % 97) * 100,
      ((k * 104729) % 89) * 100,
    ]);
    const problem: PlanProblem = {
      travel: planeTravel(points),
      vehicles: [
        truck({ capacity: [6], mustEndEmpty: true }),
        truck({ id: 't2', capacity: [6], mustEndEmpty: true }),
      ],
      jobs: points.slice(2).map((_, k) => site(k + 2)),
      facilities: [facility(1, 'disposal')],
      objective: 'distance',
    };
    const a = verified(problem, await solve(problem, 200));
    const b = await solve(problem, 200);
    expect(b).toEqual(a);
  });

  it('returns checker-valid plans on random problems (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          points: fc.array(
            fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 20_000 })),
            {
              minLength: 4,
              maxLength: 14,
            },
          ),
          capacity: fc.integer({ min: 2, max: 8 }),
          tank: fc.integer({ min: 30, max: 120 }),
          windows: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        async ({ points, capacity, tank, windows, seed }) => {
          // Location 0 depot, 1 landfill, 2 fuel station, the rest sites.
          const problem: PlanProblem = {
            travel: planeTravel(points),
            vehicles: [
              truck({
                capacity: [capacity],
                mustEndEmpty: true,
                breaks: [{ duration: 1800, earliestStart: 3 * 3600, latestStart: 5 * 3600 }],
                fuel: {
                  tankL: tank,
                  initialL: tank / 2,
                  reserveL: 5,
                  perMetreEmpty: 0.0008,
                  perMetreLoaded: 0.0012,
                  idlePerSecond: 0.0005,
                },
              }),
              truck({ id: 't2', capacity: [capacity + 1], mustEndEmpty: true }),
            ],
            jobs: points.slice(3).map((_, k) =>
              site(k + 3, {
                amount: [1 + (k % 2)],
                windows: windows ? [[((k * 3) % 6) * 3600, ((k * 3) % 6) * 3600 + 3 * 3600]] : [],
              }),
            ),
            facilities: [facility(1, 'disposal'), facility(2, 'fuel')],
            objective: 'distance',
          };
          const solution = await solvePlan(problem, {
            timeLimitMs: 10_000,
            seed,
            threads: 1,
            maxIterations: 30,
          });
          const check = checkPlan(problem, solution);
          expect(check.violations).toEqual([]);
          const served = solution.routes.flatMap((r) =>
            r.stops.filter((s) => s.kind === 'job').map((s) => s.index),
          );
          expect(served.length + solution.unassigned.length).toBe(problem.jobs.length);
        },
      ),
      { numRuns: 40, seed: 42 },
    );
  });
});
