import { describe, expect, it } from 'vitest';
import { checkPlan } from './check-plan.js';
import type {
  PlanFacility,
  PlanJob,
  PlanProblem,
  PlanSolution,
  PlanVehicle,
  RouteStop,
  ScheduledStop,
} from './plan-problem.js';

// Five places on a straight road (metres from the depot); trucks drive 10 m/s.
// 0 depot, 1 and 2 container sites, 3 landfill, 4 fuel station.
const POSITIONS = [0, 1000, 2000, 3000, 500];

function travel(positions = POSITIONS): PlanProblem['travel'] {
  const n = positions.length;
  const distance = new Float64Array(n * n);
  const duration = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      distance[i * n + j] = Math.abs(positions[i]! - positions[j]!);
      duration[i * n + j] = distance[i * n + j]! / 10;
    }
  }
  return { locationCount: n, distance, duration };
}

function vehicle(overrides: Partial<PlanVehicle> = {}): PlanVehicle {
  return {
    id: 'truck-1',
    start: 0,
    end: 0,
    shift: [0, 10_000],
    breaks: [],
    capacity: [10, 1000],
    initialLoad: [0, 0],
    skills: ['rear-loader'],
    fuel: null,
    costs: { fixed: 100, perMetre: 0.01, perSecond: 0.1 },
    maxJobs: Infinity,
    maxShiftLoad: Infinity,
    mustEndEmpty: false,
    maxDuration: Infinity,
    fixedStops: [],
    ...overrides,
  };
}

function job(id: string, location: number, overrides: Partial<PlanJob> = {}): PlanJob {
  return {
    id,
    location,
    amount: [4, 400],
    service: 60,
    windows: [],
    skills: [],
    priority: 0,
    wasteType: '',
    release: 0,
    ...overrides,
  };
}

const landfill: PlanFacility = {
  id: 'landfill',
  kind: 'disposal',
  location: 3,
  hours: [],
  service: 600,
  secondsPerLitre: 0,
  accepts: [],
};
const fuelStation: PlanFacility = {
  id: 'fuel',
  kind: 'fuel',
  location: 4,
  hours: [],
  service: 120,
  secondsPerLitre: 2,
  accepts: [],
};

function problem(overrides: Partial<PlanProblem> = {}): PlanProblem {
  return {
    travel: travel(),
    vehicles: [vehicle()],
    jobs: [job('a', 1), job('b', 2)],
    facilities: [landfill, fuelStation],
    objective: 'distance',
    ...overrides,
  };
}

const J = (index: number): RouteStop => ({ kind: 'job', index });
const F = (index: number): RouteStop => ({ kind: 'facility', index });

/** A solution whose reported figures are all zero: only the rule violations matter to these tests. */
function solutionOf(p: PlanProblem, routes: { vehicle: number; stops: RouteStop[] }[]): PlanSolution {
  const served = new Set(routes.flatMap((r) => r.stops.filter((s) => s.kind === 'job').map((s) => s.index)));
  return {
    routes: routes.map((route) => ({
      vehicle: route.vehicle,
      stops: route.stops.map((s) => scheduled(s.kind, s.index)),
      distance: 0,
      duration: 0,
      waiting: 0,
      fuelUsedL: 0,
      cost: 0,
    })),
    unassigned: p.jobs.flatMap((_, j) => (served.has(j) ? [] : [{ job: j, reason: 'fleet' as const }])),
    cost: 0,
    distance: 0,
  };
}

function scheduled(kind: ScheduledStop['kind'], index: number, begin = 0): ScheduledStop {
  return {
    kind,
    index,
    location: 0,
    arrival: begin,
    begin,
    departure: begin,
    load: [],
    fuelL: null,
    refuelL: 0,
    distance: 0,
  };
}

/** The kinds of rules broken, leaving out mismatches of the (zeroed) reported figures. */
function broken(p: PlanProblem, routes: { vehicle: number; stops: RouteStop[] }[]): string[] {
  const { violations } = checkPlan(p, solutionOf(p, routes));
  return [
    ...new Set(
      violations.map((v) => v.split(':')[0]!).filter((kind) => kind !== 'reported' && kind !== 'schedule'),
    ),
  ];
}

describe('checkPlan', () => {
  it('accepts a valid plan whose reported figures match', () => {
    const p = problem({ objective: 'cost' });
    // depot →(100 s) a [60] →(100 s) b [60] →(100 s) landfill [600] →(300 s) depot
    const solution: PlanSolution = {
      routes: [
        {
          vehicle: 0,
          stops: [
            scheduled('start', -1, 0),
            scheduled('job', 0, 100),
            scheduled('job', 1, 260),
            scheduled('facility', 0, 420),
            scheduled('end', -1, 1320),
          ],
          distance: 6000,
          duration: 1320,
          waiting: 0,
          fuelUsedL: 0,
          cost: 100 + 60 + 132,
        },
      ],
      unassigned: [],
      cost: 292,
      distance: 6000,
    };
    expect(checkPlan(p, solution)).toEqual({ feasible: true, violations: [] });
  });

  it('flags reported figures and service starts that the recomputation does not confirm', () => {
    const p = problem();
    const result = checkPlan(p, solutionOf(p, [{ vehicle: 0, stops: [J(0), J(1), F(0)] }]));
    expect(result.feasible).toBe(false);
    expect(result.violations.some((v) => v.startsWith('reported: vehicle truck-1 reports distance 0'))).toBe(
      true,
    );
    expect(result.violations.some((v) => v.startsWith('schedule:'))).toBe(true);
  });

  it('detects jobs served twice, never, or both served and unassigned', () => {
    const p = problem();
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(0), J(1)] }])).toContain('coverage');
    const missing = solutionOf(p, [{ vehicle: 0, stops: [J(0)] }]);
    missing.unassigned = [];
    expect(checkPlan(p, missing).violations.some((v) => v.includes('neither served'))).toBe(true);
    const both = solutionOf(p, [{ vehicle: 0, stops: [J(0), J(1)] }]);
    both.unassigned = [{ job: 1, reason: 'fleet' }];
    expect(checkPlan(p, both).violations.some((v) => v.includes('both served and listed'))).toBe(true);
  });

  it('detects invalid indices and a vehicle with two routes', () => {
    const p = problem();
    expect(broken(p, [{ vehicle: 3, stops: [J(0), J(1)] }])).toContain('structure');
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(7)] }])).toContain('structure');
    expect(
      broken(p, [
        { vehicle: 0, stops: [J(0)] },
        { vehicle: 0, stops: [J(1)] },
      ]),
    ).toContain('structure');
  });

  it('requires the committed stops first and in order', () => {
    const p = problem({ vehicles: [vehicle({ fixedStops: [J(1)] })] });
    expect(broken(p, [{ vehicle: 0, stops: [J(1), J(0)] }])).toEqual([]);
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['fixed-stops']);
  });

  it('checks capacity per trip and per dimension, with the initial load and unloading', () => {
    const p = problem({ jobs: [job('a', 1), job('b', 2), job('c', 2)] });
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(1), J(2)] }])).toEqual(['capacity']);
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(1), F(0), J(2)] }])).toEqual([]);
    const heavy = problem({ jobs: [job('a', 1, { amount: [1, 900] }), job('b', 2, { amount: [1, 200] })] });
    expect(broken(heavy, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['capacity']);
    const loaded = problem({ vehicles: [vehicle({ initialLoad: [5, 0] })] });
    expect(broken(loaded, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['capacity']);
    expect(broken(loaded, [{ vehicle: 0, stops: [F(0), J(0), J(1)] }])).toEqual([]);
  });

  it('checks the shift load and the number of jobs', () => {
    const p = problem({ vehicles: [vehicle({ maxShiftLoad: 6 })] });
    expect(broken(p, [{ vehicle: 0, stops: [J(0), F(0), J(1)] }])).toEqual(['shift-load']);
    const few = problem({ vehicles: [vehicle({ maxJobs: 1 })] });
    expect(broken(few, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['max-jobs']);
  });

  it('checks job windows (any of them, waiting allowed) and facility hours', () => {
    const windows = problem({
      jobs: [
        job('a', 1, {
          windows: [
            [0, 50],
            [500, 600],
          ],
        }),
        job('b', 2, { windows: [[0, 300]] }),
      ],
    });
    // a: arrives 100, waits for 500; b: arrives 660 > 300.
    expect(broken(windows, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['time-window']);
    expect(broken(windows, [{ vehicle: 0, stops: [J(1), J(0)] }])).toEqual([]);
    const closed = problem({ facilities: [{ ...landfill, hours: [[0, 200]] }, fuelStation] });
    expect(broken(closed, [{ vehicle: 0, stops: [J(0), J(1), F(0)] }])).toEqual(['facility-hours']);
  });

  it('checks the shift window and the longest shift', () => {
    const p = problem({ vehicles: [vehicle({ shift: [0, 500] })] });
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['shift']);
    const short = problem({ vehicles: [vehicle({ maxDuration: 400 })] });
    expect(broken(short, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['max-duration']);
    // Leaving at the shift's opening, not at time 0.
    const late = problem({
      vehicles: [vehicle({ shift: [1000, 1500] })],
      jobs: [job('a', 1, { windows: [[0, 1050]] })],
    });
    expect(broken(late, [{ vehicle: 0, stops: [J(0)] }])).toEqual(['time-window']);
  });

  it('takes a break at its opening during a drive and requires it by its latest start', () => {
    // The break opens 50 s into the drive to a (arrival 100 without it): a is reached at 100 + 300.
    // Its latest start (200) comes before the vehicle could be back, so it is owed during the shift.
    const p = problem({
      vehicles: [vehicle({ breaks: [{ duration: 300, earliestStart: 50, latestStart: 200 }] })],
      jobs: [job('a', 1, { windows: [[0, 399]] })],
    });
    expect(broken(p, [{ vehicle: 0, stops: [J(0)] }])).toEqual(['time-window']);
    const fits = problem({
      vehicles: [vehicle({ breaks: [{ duration: 300, earliestStart: 50, latestStart: 200 }] })],
      jobs: [job('a', 1, { windows: [[0, 400]] })],
    });
    expect(broken(fits, [{ vehicle: 0, stops: [J(0)] }])).toEqual([]);
    // A break whose window opens at 0 but whose latest start is before the shift opens cannot be met.
    const missed = problem({
      vehicles: [
        vehicle({ shift: [1000, 9000], breaks: [{ duration: 300, earliestStart: 0, latestStart: 500 }] }),
      ],
    });
    expect(broken(missed, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['break']);
  });

  it('lets a vehicle back before a break is due leave it for after the shift', () => {
    const p = problem({
      vehicles: [
        vehicle({ shift: [0, 450], breaks: [{ duration: 600, earliestStart: 100, latestStart: 1000 }] }),
      ],
      jobs: [job('a', 1)],
    });
    // With the break at 100 it would be back at 860 > 450; without it at 260, before 1000.
    expect(broken(p, [{ vehicle: 0, stops: [J(0)] }])).toEqual([]);
  });

  it('holds a trip until its jobs are released', () => {
    // b is released at 2000: the second trip may not leave the landfill before then.
    const p = problem({ jobs: [job('a', 1), job('b', 2, { release: 2000, windows: [[0, 2050]] })] });
    expect(broken(p, [{ vehicle: 0, stops: [J(0), F(0), J(1)] }])).toEqual(['time-window']);
    const later = problem({ jobs: [job('a', 1), job('b', 2, { release: 2000, windows: [[0, 2100]] })] });
    expect(broken(later, [{ vehicle: 0, stops: [J(0), F(0), J(1)] }])).toEqual([]);
    // Released job in the first trip: the vehicle leaves the depot late, and a's window has passed.
    const first = problem({ jobs: [job('a', 1, { windows: [[0, 500]] }), job('b', 2, { release: 1000 })] });
    expect(broken(first, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['time-window']);
  });

  it('times legs with the slot matrix in force at departure', () => {
    const base = travel();
    const slow = Float64Array.from(base.duration, (d) => d * 10);
    const p = problem({
      travel: { ...base, durationSlots: { slotSeconds: 100, matrices: [base.duration, slow] } },
      jobs: [job('a', 1), job('b', 2, { windows: [[0, 1500]] })],
    });
    // depot → a leaves at 0 (fast, 100 s); a → b leaves at 160, slot 1: 1000 s → 1160 ≤ 1500.
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual([]);
    const tight = problem({ ...p, jobs: [job('a', 1), job('b', 2, { windows: [[0, 1100]] })] });
    expect(broken(tight, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['time-window']);
  });

  it('burns fuel by load, idles during service, refuels to full and keeps the reserve', () => {
    const fuel = {
      tankL: 10,
      initialL: 4,
      reserveL: 2,
      perMetreEmpty: 0.0005,
      perMetreLoaded: 0.001,
      idlePerSecond: 0.001,
    };
    const p = problem({ vehicles: [vehicle({ fuel })] });
    // 0→1 empty 0.5 L, idle 0.06; 1→2 at 40 % 0.7 L, idle 0.06; 2→3 at 80 % 0.9 L, unload idle 0.6;
    // 3→0 empty 1.5 L: 4 − 4.32 < 2.
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(1), F(0)] }])).toEqual(['fuel']);
    expect(broken(p, [{ vehicle: 0, stops: [F(1), J(0), J(1), F(0)] }])).toEqual([]);
    const route = checkPlan(p, solutionOf(p, [{ vehicle: 0, stops: [F(1), J(0), J(1), F(0)] }]));
    // 0.25 to the station (refuel 6.25 L), then 0.25 + 0.06 + 0.7 + 0.06 + 0.9 + 0.6 + 1.5.
    const fuelLine = route.violations.find((v) => v.includes('reports fuelUsedL'))!;
    expect(fuelLine).toMatch(/recomputed 4\.32/);
  });

  it('checks skills, allowed vehicles, waste acceptance and ending empty', () => {
    const skills = problem({ jobs: [job('a', 1, { skills: ['crane'] }), job('b', 2)] });
    expect(broken(skills, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['skills']);
    const allowed = problem({ jobs: [job('a', 1, { allowedVehicles: [1] }), job('b', 2)] });
    expect(broken(allowed, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['allowed-vehicles']);
    const waste = problem({
      jobs: [job('a', 1, { wasteType: 'msw' }), job('b', 2, { wasteType: 'bulky' })],
      facilities: [{ ...landfill, accepts: ['msw'] }, fuelStation],
    });
    expect(broken(waste, [{ vehicle: 0, stops: [J(0), J(1), F(0)] }])).toEqual(['waste-type']);
    expect(broken(waste, [{ vehicle: 0, stops: [J(0), F(0), J(1)] }])).toEqual([]);
    const empty = problem({ vehicles: [vehicle({ mustEndEmpty: true })] });
    expect(broken(empty, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['must-end-empty']);
    expect(broken(empty, [{ vehicle: 0, stops: [J(0), J(1), F(0)] }])).toEqual([]);
  });

  it('reports unreachable legs', () => {
    const t = travel();
    t.distance[0 * 5 + 1] = Infinity;
    const p = problem({ travel: t });
    expect(broken(p, [{ vehicle: 0, stops: [J(0), J(1)] }])).toEqual(['unreachable']);
  });
});
