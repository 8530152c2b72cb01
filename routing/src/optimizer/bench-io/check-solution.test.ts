import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBks, loadBks } from './bks.js';
import { checkSolution } from './check-solution.js';
import { listInstances, loadInstance, parseInstance, type BenchInstance } from './instance.js';
import {
  findShippedSolutions,
  loadSolutionFile,
  parseSolutionFile,
  toSolution,
  type Solution,
} from './solution.js';

const baseName = (file: string): string => path.basename(file).replace(/\.(vrp|txt)$/, '');

/** The solution's violations must include one matching each pattern, and the result is infeasible. */
function expectViolations(instance: BenchInstance, solution: Solution, ...patterns: RegExp[]): void {
  const result = checkSolution(instance, solution);
  expect(result.feasible).toBe(false);
  for (const pattern of patterns)
    expect(
      result.violations.some((text) => pattern.test(text)),
      String(pattern),
    ).toBe(true);
}

function expectFeasible(instance: BenchInstance, solution: Solution): ReturnType<typeof checkSolution> {
  const result = checkSolution(instance, solution);
  expect(result.violations).toEqual([]);
  expect(result.feasible).toBe(true);
  return result;
}

// README: the LKH-3 tours for these two are slightly worse than the SINTEF BKS.
const HIERARCHICAL_NOT_BEST: Record<string, number> = { R111: 1096.735, RC107: 1230.544 };

describe('every shipped solution is feasible and costs the BKS', async () => {
  const table = await loadBks();
  const cases: [string, string, string][] = [];
  for (const file of await listInstances('all')) {
    for (const shipped of await findShippedSolutions(file)) {
      cases.push([`${baseName(file)}${shipped.variant ? ` (${shipped.variant})` : ''}`, file, shipped.file]);
    }
  }

  it('ships the README number of solutions', () => {
    // CVRP A 25 + X 22, Solomon 55 + 55 (no C204), MTVRPTWR 6.
    expect(cases.length).toBe(25 + 22 + 55 + 55 + 6);
  });

  it.each(cases)('%s', async (_label, instanceFile, solutionFile) => {
    const variant = solutionFile.includes('hierarchical') ? 'hierarchical' : 'trunc1';
    const instance = await loadInstance(instanceFile, { solomonVariant: variant });
    const file = await loadSolutionFile(solutionFile);
    const result = expectFeasible(instance, toSolution(instance, file));
    const bks = findBks(table, instance)!;
    expect(bks.value).not.toBeNull();
    if (instance.family === 'mtvrptwr') {
      // The file and bks.csv give tenths: sum of floor(10·euclid).
      expect(Math.round(result.cost * 10)).toBe(bks.rawValue);
      expect(Math.round(result.cost * 10)).toBe(file.cost);
      expect(result.vehicles).toBeLessThanOrEqual(instance.vehicles);
      return;
    }
    expect(result.vehicles).toBe(bks.vehicles);
    if (instance.variant === 'hierarchical') {
      // Exact distances: the file prints 3 decimals, the SINTEF table 2.
      expect(Math.abs(result.cost - file.cost!)).toBeLessThan(0.0005 + 1e-9);
      const notBest = HIERARCHICAL_NOT_BEST[instance.name];
      if (notBest === undefined) expect(Math.abs(result.cost - bks.value!)).toBeLessThan(0.005 + 1e-9);
      else expect(result.cost).toBeGreaterThan(bks.value!);
      return;
    }
    expect(result.cost).toBe(bks.value);
    expect(result.cost).toBe(file.cost);
  });
});

describe('MTVRPTWR release dates on real data', () => {
  it('binds the optimal C201R0.25 solution: 5 units later releases make it infeasible', async () => {
    const file = (await listInstances('mtvrptwr')).find((name) => name.endsWith('C201R0.25.vrp'))!;
    const instance = await loadInstance(file);
    const solution = toSolution(instance, await loadSolutionFile(file.replace(/\.vrp$/, '.sol')));
    expectFeasible(instance, solution);
    const later = { ...instance, releaseTimes: instance.releaseTimes!.map((r) => (r > 0 ? r + 5 : r)) };
    expectViolations(later, solution, /after its due time/);
  });
});

describe('solution files', () => {
  it('reads CVRPLIB and PyVRP cost lines', () => {
    expect(parseSolutionFile('Route #1: 1 2\r\nRoute #2: 3\r\nCost 27\r\n')).toEqual({
      routes: [[1, 2], [3]],
      cost: 27,
    });
    expect(parseSolutionFile('Route #1: 1 0 2\nCost: 15006\nOptimal: True\n')).toEqual({
      routes: [[1, 0, 2]],
      cost: 15006,
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Hand-made instances, one per family, small enough to compute by hand.

function solomonText(depotDue: number, fleet = 2): string {
  return [
    'TINY',
    '',
    'VEHICLE',
    'NUMBER     CAPACITY',
    `  ${fleet}         10`,
    '',
    'CUSTOMER',
    'CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME',
    ' ',
    `    0      0         0          0          0       ${depotDue}          0`,
    '    1      3         4          5          0        10         2', // d(0,1) = 5
    '    2      6         8          5         20        30         2', // d(1,2) = 5, d(2,0) = 10
    '    3      1         1          5          0       100         0', // d(0,3) = 1.414…
  ].join('\r\n');
}

describe('checker on a hand-made VRPTW', () => {
  const tiny = parseInstance(solomonText(100), 'tiny.txt', { solomonVariant: 'hierarchical' });

  it('accepts waiting for a window and computes the exact cost', () => {
    // 0 →5→ 1 (start 5, leave 7) →5→ 2 (arrive 12, wait to 20, leave 22) →10→ 0 at 32; 0 →→ 3 → 0.
    const result = expectFeasible(tiny, { routes: [[1, 2], [3]] });
    expect(result.cost).toBeCloseTo(20 + 2 * Math.SQRT2, 12);
    expect(result.vehicles).toBe(2);
  });

  it('truncates every leg in the DIMACS convention', () => {
    const trunc = parseInstance(solomonText(100), 'tiny.txt', { solomonVariant: 'trunc1' });
    expect(expectFeasible(trunc, { routes: [[1, 2], [3]] }).cost).toBe(22.8); // 20 + 1.4 + 1.4
  });

  it('rejects a late start of service', () => {
    // 0 → 2 (arrive 10, wait to 20, leave 22) → 1 at 27 > due 10.
    expectViolations(
      tiny,
      { routes: [[2, 1], [3]] },
      /starts service at customer 1 at 27, after its due time 10/,
    );
  });

  it('rejects a late return to the depot', () => {
    const early = parseInstance(solomonText(30), 'tiny.txt', { solomonVariant: 'hierarchical' });
    expectViolations(early, { routes: [[1, 2], [3]] }, /returns to depot 0 at 32, after its due time 30/);
  });

  it('rejects an overloaded route', () => {
    expectViolations(tiny, { routes: [[1, 2, 3]] }, /trip 1: load 15 exceeds capacity 10/);
  });

  it('rejects missing, repeated and unknown customers', () => {
    expectViolations(tiny, { routes: [[1, 2]] }, /1 customers not served: 3/);
    expectViolations(
      tiny,
      {
        routes: [
          [1, 2],
          [3, 1],
        ],
      },
      /served more than once: 1/,
    );
    expectViolations(
      tiny,
      {
        routes: [
          [1, 2],
          [3, 7],
        ],
      },
      /7 not node indices/,
    );
  });

  it('rejects a depot visit inside a route when the family has no reloads', () => {
    expectViolations(tiny, { routes: [[1, 0, 2], [3]] }, /visits the depot mid-route/);
  });

  it('rejects more routes than the fleet', () => {
    const one = parseInstance(solomonText(100, 1), 'tiny.txt', { solomonVariant: 'hierarchical' });
    expectViolations(one, { routes: [[1, 2], [3]] }, /uses 2 vehicles, fleet has 1/);
  });

  it('ignores empty routes', () => {
    expect(expectFeasible(tiny, { routes: [[], [1, 2], [], [3]] }).vehicles).toBe(2);
  });
});

describe('checker on CVRP (A-n32-k5 and its optimal solution)', async () => {
  const file = (await listInstances('cvrp'))[0]!;
  const instance = await loadInstance(file);
  const optimal = toSolution(instance, await loadSolutionFile(file.replace(/\.vrp$/, '.sol')));

  it('rejects merging two routes (capacity)', () => {
    const [a, b, ...rest] = optimal.routes;
    expectViolations(instance, { routes: [[...a!, ...b!], ...rest] }, /exceeds capacity 100/);
  });

  // Properties: reversing routes and reordering them keeps feasibility and cost (distances are
  // symmetric); dropping any one customer is always reported.
  it('is invariant to route direction and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5 }),
        (reverse, order) => {
          const routes = order.map((r) =>
            reverse[r] ? [...optimal.routes[r]!].reverse() : [...optimal.routes[r]!],
          );
          const result = checkSolution(instance, { routes });
          return result.feasible && result.cost === 784;
        },
      ),
    );
  });

  it('reports any dropped customer', () => {
    const all = optimal.routes.flat();
    fc.assert(
      fc.property(fc.constantFrom(...all), (dropped) => {
        const routes = optimal.routes.map((route) => route.filter((c) => c !== dropped));
        const result = checkSolution(instance, { routes });
        return !result.feasible && result.violations.join('\n') === `1 customers not served: ${dropped + 1}`;
      }),
    );
  });
});

// Schneider layout. D0 (0,0) due `due`; S0 on the depot, S1 (30,0); C1 (50,0); C2 (0,40). Q 60, g 2.
function evrptwText(due: number): string {
  return [
    'StringID   Type       x          y          demand     ReadyTime  DueDate    ServiceTime',
    `D0         d          0.0        0.0        0.0        0.0        ${due}     0.0`,
    `S0         f          0.0        0.0        0.0        0.0        ${due}     0.0`,
    `S1         f          30.0       0.0        0.0        0.0        ${due}     0.0`,
    'C1         c          50.0       0.0        10.0       0.0        1000.0     10.0',
    'C2         c          0.0        40.0       10.0       0.0        1000.0     10.0',
    '',
    'Q Vehicle fuel tank capacity /60.0/',
    'C Vehicle load capacity /100.0/',
    'r fuel consumption rate /1.0/',
    'g inverse refueling rate /2.0/',
    'v average Velocity /1.0/',
  ].join('\n');
}

describe('checker on a hand-made E-VRPTW', () => {
  const instance = parseInstance(evrptwText(1000), 'tiny_ev.txt');
  const [S0, S1, C1, C2] = [1, 2, 3, 4];

  it('rejects running out of battery', () => {
    // 0 → C1 → 0 = 100 > Q = 60.
    expectViolations(instance, { routes: [[C1], [C2, S0]] }, /energy -40 below zero on arrival at depot D0/);
  });

  it('accepts recharging to full on the way', () => {
    // 0 →30→ S1 (level 30, recharge 30 at g = 2: 60 time) →20→ C1 (level 40) →20→ S1 (level 20, 80 time)
    // →30→ 0 (level 30). C2 is left out here.
    const result = checkSolution(instance, { routes: [[S1, C1, S1]] });
    expect(result.violations).toEqual(['1 customers not served: C2']);
    expect(result.cost).toBe(100);
  });

  it('counts recharge time g·(Q − level) against the depot due time', () => {
    // Return time: 30 + 60 + 20 + 10 + 20 + 80 + 30 = 250.
    const late = parseInstance(evrptwText(249), 'tiny_ev.txt');
    const onTime = parseInstance(evrptwText(250), 'tiny_ev.txt');
    const routes: Solution = { routes: [[S1, C1, S1]] };
    expectViolations(late, routes, /returns to depot D0 at 250, after its due time 249/);
    expect(checkSolution(onTime, routes).violations).toEqual(['1 customers not served: C2']);
  });

  it('rejects C2: 80 out and back, and S0 on the depot cannot help', () => {
    expectViolations(
      instance,
      { routes: [[S1, C1, S1], [C2]] },
      /energy -20 below zero on arrival at depot D0/,
    );
  });
});

// EMH layout on the equator: 1° of longitude = 72.998 mi.
function gvrpText(): string {
  return [
    'ID      Type    Longitude       Latitude',
    'D\td\t0\t0',
    'D2\tf\t0\t0',
    'F1\tf\t2\t0',
    'C1\tc\t2\t0', // round trip 292 mi ≤ 300: servable directly
    'C2\tc\t2.1\t0', // round trip 306.6 mi: needs F1
    'C3\tc\t5\t0', // 365 mi away: no route with ≤ 1 station
    '',
    'Q Vehicle fuel tank capacity /60/',
    'r fuel consumption rate /0.2/',
    'TL TourLength /14/',
    'v average Velocity /40/',
    'm numVeh /3/',
  ].join('\r\n');
}

describe('checker on a hand-made G-VRP', () => {
  const instance = parseInstance(gvrpText(), 'tiny_g.txt');
  const [F1, C1, C2] = [2, 3, 4];

  it('drops customers that no route with one station reaches', () => {
    expect(instance.unservable.map((index) => instance.nodes[index]!.id)).toEqual(['C3']);
  });

  it('accepts a refuelling stop and enforces the fuel tank', () => {
    expectFeasible(instance, { routes: [[C1], [F1, C2]] });
    expectViolations(instance, { routes: [[C1], [C2]] }, /energy -1.3\d* below zero/);
  });

  it('enforces the 11 h duration limit', () => {
    // C1 and C2 together: 0 → F1 → C2 → C1 → 0 ≈ 146 + 7.3 + 7.3 + 146 mi = 7.67 h + 0.25 + 1 h service.
    expectFeasible(instance, { routes: [[F1, C2, C1]] });
    const strict = { ...instance, maxRouteDuration: 8 };
    expectViolations(strict, { routes: [[F1, C2, C1]] }, /lasts 8.9\d*, longer than 8/);
  });
});

// Kim layout; 1 mile = 5280 ft = 90 s at 40 mph.
function kimText(
  options: { routeCapacity?: number; maxStops?: number; depot?: string; rows?: string[] } = {},
): string {
  return [
    '100.0 \t\t// vehicle capacity (yards), real number',
    `${options.routeCapacity ?? 150}\t\t// total yardage allowed for a vehicle per day, real number`,
    `${options.maxStops ?? 4}\t\t// total number of regular stops for a vehicle allowed per day`,
    '3600\t\t// lunch time duration in second',
    '40\t\t// speed: MPH',
    'Stop_ID\tX(feet)\tY(feet)\tEarly_St_Time (HHMM)\tLate_St_Time (HHMM)\tSvice_Time(Sec)\tLoad (Yards)\tStop_Type',
    `0   0.00   0.00  ${options.depot ?? '0400 1500'} 0  9999.00 0`,
    '1   52800.00   0.00  0000 2400 600  9999.00 2', // landfill 10 mi east (900 s)
    ...(options.rows ?? [
      '2   5280.00   0.00  0000 2400 60    50.00 1', // 1 mi east
      '3   10560.00  0.00  0000 2400 60    40.00 1', // 2 mi east
      '4   0.00   5280.00  0000 2400 60    20.00 1', // 1 mi north
      '5   0.00   10560.00 0000 2400 60     0.00 1', // zero load, must still be visited
    ]),
  ].join('\r\n');
}

describe('checker on a hand-made Kim waste collection', () => {
  const instance = parseInstance(kimText(), '6_stop.txt');
  const [L, A, B, N1, N2] = [1, 2, 3, 4, 5];

  it('accepts unloading between trips and before returning', () => {
    // 0→A 1 →B 1 →L 8 →N1 11 (|dx| 10 + |dy| 1) →N2 1 →L 12 →0 10 = 44 mi.
    const result = expectFeasible(instance, { routes: [[A, B, L, N1, N2, L]] });
    expect(result.cost).toBeCloseTo(44, 12);
  });

  it('rejects a full body that is not unloaded', () => {
    expectViolations(instance, { routes: [[A, B, N1, N2, L]] }, /trip 1: load 110 exceeds capacity 100/);
  });

  it('rejects returning with a load', () => {
    expectViolations(instance, { routes: [[A, L, B, N1, N2]] }, /returns to the depot with load 60/);
  });

  it('rejects exceeding the daily route capacity and stop count', () => {
    const small = parseInstance(kimText({ routeCapacity: 100, maxStops: 3 }), '6_stop.txt');
    expectViolations(
      small,
      { routes: [[A, B, L, N1, N2, L]] },
      /collects 110 in the day, route capacity 100/,
      /serves 4 stops, at most 3 per day/,
    );
  });

  it('rejects an unload outside the landfill hours', () => {
    const closed = parseInstance(kimText().replace('0000 2400 600', '0000 0400 600'), '6_stop.txt');
    expectViolations(
      closed,
      { routes: [[A, B, L, N1, N2, L]] },
      /starts service at disposal 1 at .*, after its due time 14400/,
    );
  });

  describe('lunch break (1 h, starting 11:00–12:00)', () => {
    // Depot opens 10:50 (39000 s); customer 2 is 11 mi away (990 s); a 1 h service there.
    const lunchRows = (due: string): string[] => [`2   52800.00   5280.00  0000 ${due} 3600    10.00 1`];
    const lunchInstance = (due: string, depot = '1050 1500'): BenchInstance =>
      parseInstance(kimText({ depot, rows: lunchRows(due) }), 'lunch.txt');

    it('stops the drive that spans 11:00 and delays the next service by the hour', () => {
      // Drive from 10:50, break 11:00–12:00, arrive 12:06:30 (43590) > due 12:00. The route ends after 12:00
      // even without a break, so lunch must be taken on it.
      expectViolations(
        lunchInstance('1200'),
        { routes: [[2, L]] },
        /starts service at customer 2 at 43590, after its due time 43200/,
      );
      expectFeasible(lunchInstance('1207'), { routes: [[2, L]] });
    });

    it('lets lunch overlap waiting for a window', () => {
      // Would arrive 11:06:30 and wait for 12:10: lunch 11:00–12:00 costs nothing.
      const rows = ['2   52800.00   5280.00  1210 1210 3600    10.00 1'];
      expectFeasible(parseInstance(kimText({ depot: '1050 1500', rows }), 'lunch.txt'), { routes: [[2, L]] });
    });

    it('rejects a service that runs through the whole lunch window', () => {
      // Service 10:36:30–12:36:30 (2 h); the route goes on after 12:00, so lunch cannot start in time.
      const rows = ['2   52800.00   5280.00  0000 2400 7200    10.00 1'];
      const instance = parseInstance(kimText({ depot: '1020 1500', rows }), 'lunch.txt');
      expectViolations(instance, { routes: [[2, L]] }, /lunch break cannot start by 43200/);
    });

    it('needs no break on the route when the vehicle is back by 12:00', () => {
      // 04:00 start; the whole route ends long before 11:00.
      expectFeasible(lunchInstance('2400', '0400 1500'), { routes: [[2, L]] });
    });
  });
});

// PyVRP MTVRPTWR layout: depot (0,0), 2 (10,0), 3 (0,10), 4 (10,10). SERVICE_TIME 5, capacity 10.
function mtvrptwrText(release3: number, vehicles = 1): string {
  return [
    'NAME: tiny',
    'TYPE: MTVRPTWR',
    'EDGE_WEIGHT_TYPE: EUC_2D',
    'DIMENSION: 4',
    `VEHICLES: ${vehicles}`,
    'CAPACITY: 10',
    'SERVICE_TIME: 5',
    'NODE_COORD_SECTION',
    '1\t0\t0',
    '2\t10\t0',
    '3\t0\t10',
    '4\t10\t10',
    'DEMAND_SECTION',
    '1\t0',
    '2\t6',
    '3\t6',
    '4\t0',
    'TIME_WINDOW_SECTION',
    '1\t0\t1000',
    '2\t0\t1000',
    '3\t0\t100',
    '4\t0\t1000',
    'RELEASE_TIME_SECTION',
    '1\t0',
    '2\t0',
    `3\t${release3}`,
    '4\t0',
    'VEHICLES_RELOAD_DEPOT_SECTION',
    ...Array.from({ length: vehicles }, (_, v) => `${v + 1}\t1`),
    'DEPOT_SECTION',
    '1',
    'EOF',
  ].join('\n');
}

describe('checker on a hand-made MTVRPTWR', () => {
  const instance = parseInstance(mtvrptwrText(50), 'tiny.vrp');

  it('resets the load at a depot reload and waits for release dates', () => {
    // Trip 1: 0 → (10,0) → 0 = 20. Trip 2 waits for release 50: → (0,10) at 60 ≤ 100 → (10,10) → 0
    // = 10 + 10 + 14.1 (floor(10·14.142)/10).
    const result = expectFeasible(instance, { routes: [[1, 0, 2, 3]] });
    expect(result.cost).toBe(54.1);
  });

  it('rejects one trip over capacity', () => {
    expectViolations(instance, { routes: [[1, 2, 3]] }, /trip 1: load 12 exceeds capacity 10/);
  });

  it('holds a trip at the depot until its latest release', () => {
    const late = parseInstance(mtvrptwrText(95), 'tiny.vrp');
    expectViolations(
      late,
      { routes: [[1, 0, 2, 3]] },
      /starts service at customer 3 at 105, after its due time 100/,
    );
  });

  it('limits the fleet', () => {
    expectViolations(instance, { routes: [[1, 3], [2]] }, /uses 2 vehicles, fleet has 1/);
  });
});

describe('checker on real instances without shipped solutions', async () => {
  it('flags a Kim instance served without unloading', async () => {
    const file = (await listInstances('wcvrptw')).find((name) => name.endsWith('102_stop.txt'))!;
    const instance = await loadInstance(file);
    const customers = instance.nodes.flatMap((node, index) => (node.kind === 'customer' ? [index] : []));
    expectViolations(
      instance,
      { routes: [customers] },
      /exceeds capacity 280/,
      /returns to the depot with load/,
    );
  });

  it('flags E-VRPTW customers beyond the battery range', async () => {
    const file = (await listInstances('evrptw')).find((name) => name.endsWith('c101_21.txt'))!;
    const instance = await loadInstance(file);
    // One route per customer, no stations: each out-and-back longer than Q = 79.69 runs dry.
    const far = instance.nodes.flatMap((node, index) =>
      node.kind === 'customer' && 2 * instance.distance(0, index) > instance.energy!.capacity ? [index] : [],
    );
    expect(far.length).toBeGreaterThan(0);
    expectViolations(instance, { routes: far.map((c) => [c]) }, /below zero/);
  });
});
