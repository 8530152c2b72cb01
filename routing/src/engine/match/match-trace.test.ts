import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM } from '../../graph/geometry.js';
import { emissionLogProbability, transitionLogProbability } from './hmm-log-probability.js';
import { MatchError } from './match-error.js';
import { DEFAULT_SIGMA_Z_M, matchTrace, searchRadiusM } from './match-trace.js';
import type { Candidate, MatchNetwork, Observation } from './match-types.js';
import { createRandom, gridRoads, ToyRoadNetwork, type Point } from './toy-road-network.js';

const SIGMA = DEFAULT_SIGMA_Z_M;

/** Observations every `stepM` along a polyline, with the index of the polyline segment each lies on. */
function sampleAlong(points: readonly Point[], stepM: number): { x: number; y: number; leg: number }[] {
  const samples: { x: number; y: number; leg: number }[] = [];
  let carry = 0;
  for (let leg = 1; leg < points.length; leg++) {
    const [ax, ay] = points[leg - 1]!;
    const [bx, by] = points[leg]!;
    const length = Math.hypot(bx - ax, by - ay);
    let at = carry;
    for (; at < length; at += stepM) {
      samples.push({ x: ax + ((bx - ax) * at) / length, y: ay + ((by - ay) * at) / length, leg: leg - 1 });
    }
    carry = at - length;
  }
  const [lx, ly] = points[points.length - 1]!;
  samples.push({ x: lx, y: ly, leg: points.length - 2 });
  return samples;
}

function straightRoadTrace(
  net: ToyRoadNetwork,
  xs: readonly number[],
  y = 1,
  times?: readonly number[],
): Observation[] {
  return xs.map((x, i) => net.observation(x, y, times === undefined ? {} : { timeS: times[i]! }));
}

describe('matchTrace on a grid', () => {
  const SPACING = 100;
  const SIZE = 6;
  const net = new ToyRoadNetwork(gridRoads(SIZE, SIZE, SPACING));
  const nodeAt = (c: number, r: number): Point => [c * SPACING, r * SPACING];
  const DIRECTIONS: readonly Point[] = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ];

  it('matches a noisy trace along a random path back onto that path', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SIZE - 1 }),
        fc.integer({ min: 0, max: SIZE - 1 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 8 }),
        fc.double({ min: 12, max: 40, noNaN: true }),
        fc.integer(),
        (startC, startR, turns, stepM, seed) => {
          // A walk along streets, never turning back, as intersections.
          const path: Point[] = [nodeAt(startC, startR)];
          let c = startC;
          let r = startR;
          let previous = -1;
          for (const turn of turns) {
            for (let k = 0; k < 4; k++) {
              const d = (turn + k) % 4;
              const [dc, dr] = DIRECTIONS[d]!;
              const nc = c + dc;
              const nr = r + dr;
              if (
                nc < 0 ||
                nr < 0 ||
                nc >= SIZE ||
                nr >= SIZE ||
                (previous >= 0 && d === (previous + 2) % 4)
              ) {
                continue;
              }
              c = nc;
              r = nr;
              previous = d;
              path.push(nodeAt(c, r));
              break;
            }
          }
          const random = createRandom(seed);
          const samples = sampleAlong(path, stepM);
          const observations = samples.map(({ x, y }) => {
            // Uniform in the disc of radius sigma.
            const radius = SIGMA * Math.sqrt(random());
            const angle = 2 * Math.PI * random();
            return net.observation(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
          });
          const result = matchTrace(observations, net.matchNetwork(observations));

          expect(result.matchings).toHaveLength(1);
          expect(Array.from(result.matchingOf)).toEqual(samples.map(() => 0));
          const matching = result.matchings[0]!;
          const onPath = (x: number, y: number): boolean =>
            path.slice(1).some(([bx, by], leg) => {
              const [ax, ay] = path[leg]!;
              const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
              const along = (bx - ax) * (x - ax) + (by - ay) * (y - ay);
              return Math.abs(cross) < 1e-6 * SPACING && along >= -1e-6 && along <= SPACING * SPACING + 1e-6;
            });
          samples.forEach((sample, i) => {
            const chosen = matching.candidates[i]!;
            // Off the path only by overshooting an intersection of it: the projection of a fix onto a street
            // through a path intersection lies within the noise (sigma) of that intersection.
            if (!onPath(chosen.x, chosen.y)) {
              expect(
                Math.min(...path.map(([nx, ny]) => Math.hypot(chosen.x - nx, chosen.y - ny))),
              ).toBeLessThanOrEqual(2 * SIGMA);
            }
            expect(Math.hypot(chosen.x - sample.x, chosen.y - sample.y)).toBeLessThanOrEqual(5 * SIGMA);
          });
          // The matched route follows the path: no detour into a cross street or onto a parallel one. Each
          // intersection and each end can add at most 2 sigma (overshoot and back).
          let matchedM = 0;
          for (let i = 1; i < samples.length; i++) {
            matchedM += net.routeM(matching.candidates[i - 1]!, matching.candidates[i]!);
          }
          // Samples start and end at the path's ends.
          const pathM = (path.length - 1) * SPACING;
          expect(Math.abs(matchedM - pathM)).toBeLessThanOrEqual(2 * SIGMA * path.length);
          expect(matching.confidence).toBeGreaterThanOrEqual(0);
          expect(matching.confidence).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('asks for candidates once per observation and passes the pruning bound', () => {
    const observations = straightRoadTrace(net, [10, 30, 50, 70], 2);
    const network = net.matchNetwork(observations);
    matchTrace(observations, network);
    expect(network.candidateCalls).toEqual([0, 1, 2, 3]);
    expect(network.transitionCalls.map((c) => [c.fromIndex, c.toIndex])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    // Without timestamps: great-circle (≈ 20 m) + OSRM's MAX_DISTANCE_DELTA.
    for (const call of network.transitionCalls) expect(call.maxDistanceM).toBeCloseTo(2020, 0);
  });
});

describe('matchTrace disambiguation and breakage', () => {
  // Two parallel roads 10 m apart from x = 100 to 600: A (y = 0) is reached from the south by road S at
  // x = 100, B (y = 10) from the north by road N at x = 100; they meet only via a link at x = 600.
  const parallel = new ToyRoadNetwork([
    {
      points: [
        [100, 0],
        [300, 0],
        [600, 0],
      ],
    },
    {
      points: [
        [100, 10],
        [300, 10],
        [600, 10],
      ],
    },
    {
      points: [
        [100, -300],
        [100, 0],
      ],
    },
    {
      points: [
        [100, 310],
        [100, 10],
      ],
    },
    {
      points: [
        [600, 0],
        [600, 10],
      ],
    },
  ]);
  const ROAD_A = 0;
  const ROAD_B = 1;
  const ROAD_S = 2;
  const ROAD_N = 3;
  const middle = (y: number): Observation[] =>
    [150, 180, 210, 240, 270, 300, 330].map((x) => parallel.observation(x, y));

  it('follows the road the trace came from, not the nearer parallel one', () => {
    // From the south along S, then east between A and B but nearer B (6 m from A, 4 m from B).
    const fromSouth = [...[-200, -150, -100, -50].map((y) => parallel.observation(101, y)), ...middle(6)];
    const south = matchTrace(fromSouth, parallel.matchNetwork(fromSouth));
    expect(south.matchings).toHaveLength(1);
    expect(south.matchings[0]!.candidates.map((c) => c.road)).toEqual([
      ...Array<number>(4).fill(ROAD_S),
      ...Array<number>(7).fill(ROAD_A),
    ]);

    // The same middle observations, now nearer A, but arriving from the north along N: B.
    const fromNorth = [...[250, 200, 150, 100].map((y) => parallel.observation(101, y)), ...middle(4)];
    const north = matchTrace(fromNorth, parallel.matchNetwork(fromNorth));
    expect(north.matchings).toHaveLength(1);
    expect(north.matchings[0]!.candidates.map((c) => c.road)).toEqual([
      ...Array<number>(4).fill(ROAD_N),
      ...Array<number>(7).fill(ROAD_B),
    ]);
  });

  // Two straight roads 3 km apart with nothing between them.
  const islands = new ToyRoadNetwork([
    {
      points: [
        [0, 0],
        [1000, 0],
      ],
    },
    {
      points: [
        [0, 3000],
        [1000, 3000],
      ],
    },
  ]);

  it('splits a trace at a jump between unconnected roads', () => {
    const observations = [
      ...[0, 20, 40, 60, 80, 100].map((x) => islands.observation(x, 2)),
      ...[120, 140, 160, 180, 200, 220].map((x) => islands.observation(x, 3002)),
    ];
    const result = matchTrace(observations, islands.matchNetwork(observations));
    expect(result.matchings.map((m) => m.observations)).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
    expect(result.matchings.map((m) => m.candidates.map((c) => c.road))).toEqual([
      [0, 0, 0, 0, 0, 0],
      [1, 1, 1, 1, 1, 1],
    ]);
    expect(Array.from(result.matchingOf)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('splits at a jump late in the trace and keeps the short tail (where OSRM drops it)', () => {
    const observations = [
      ...[0, 20, 40, 60, 80, 100, 120, 140].map((x) => islands.observation(x, 2)),
      ...[160, 180, 200].map((x) => islands.observation(x, 3002)),
    ];
    const result = matchTrace(observations, islands.matchNetwork(observations));
    expect(result.matchings.map((m) => m.observations)).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [8, 9, 10],
    ]);
  });

  it('drops a single outlier without splitting, and a lone point after a jump', () => {
    const observations = [
      ...[0, 20, 40, 60].map((x) => islands.observation(x, 2)),
      islands.observation(80, 3002), // outlier on the other road
      ...[100, 120, 140].map((x) => islands.observation(x, 2)),
      islands.observation(160, 3002), // last point alone over there
    ];
    const result = matchTrace(observations, islands.matchNetwork(observations));
    expect(result.matchings.map((m) => m.observations)).toEqual([[0, 1, 2, 3, 5, 6, 7]]);
    expect(Array.from(result.matchingOf)).toEqual([0, 0, 0, 0, -1, 0, 0, 0, -1]);
  });

  it('drops an outlier the trace could reach but not leave, keeping the fix before it', () => {
    // A one-way dead end leaves the road southwards at x = 200: reachable, but a trap.
    const spur = new ToyRoadNetwork([
      {
        points: [
          [0, 0],
          [200, 0],
          [1000, 0],
        ],
      },
      {
        points: [
          [200, 0],
          [200, -200],
        ],
        oneway: true,
      },
    ]);
    const observations = [
      ...[100, 120, 140, 160, 180].map((x) => spur.observation(x, 1)),
      spur.observation(205, -60),
      ...[220, 240, 260, 280].map((x) => spur.observation(x, 1)),
    ];
    const result = matchTrace(observations, spur.matchNetwork(observations));
    expect(result.matchings.map((m) => m.observations)).toEqual([[0, 1, 2, 3, 4, 6, 7, 8, 9]]);
  });

  it('drops an outlier at the start', () => {
    const observations = [
      islands.observation(0, 3002),
      ...[20, 40, 60, 80].map((x) => islands.observation(x, 2)),
    ];
    const result = matchTrace(observations, islands.matchNetwork(observations));
    expect(result.matchings.map((m) => m.observations)).toEqual([[1, 2, 3, 4]]);
  });

  const road = new ToyRoadNetwork([
    {
      points: [
        [0, 0],
        [10_000, 0],
      ],
    },
  ]);

  it('leaves observations without candidates unmatched and matches the rest as one', () => {
    const xs = [0, 20, 40, 60, 80, 100, 120, 140, 160, 180];
    const observations = xs.map((x, i) => road.observation(x, i === 3 || i === 6 || i === 7 ? 100 : 1));
    const result = matchTrace(observations, road.matchNetwork(observations));
    expect(result.matchings).toHaveLength(1);
    expect(Array.from(result.matchingOf)).toEqual([0, 0, 0, -1, 0, 0, -1, -1, 0, 0]);
    expect(result.matchings[0]!.observations).toEqual([0, 1, 2, 4, 5, 8, 9]);
  });

  it('splits after more than MAX_BROKEN_STATES observations without candidates (OSRM)', () => {
    const observations = Array.from({ length: 20 }, (_, i) =>
      road.observation(i * 20, i >= 4 && i < 15 ? 100 : 1),
    );
    const result = matchTrace(observations, road.matchNetwork(observations));
    expect(result.matchings.map((m) => m.observations)).toEqual([
      [0, 1, 2, 3],
      [15, 16, 17, 18, 19],
    ]);
  });

  it('breaks a transition that needs an impossible speed given timestamps', () => {
    // 10 m/s, then the fixes are 2 km further on one second later: along a straight road |route − great
    // circle| is ~0, so only the speed rules it out.
    const xs = [0, 10, 20, 30, 40, 50, 2060, 2070, 2080, 2090, 2100, 2110];
    const times = xs.map((_, i) => i);
    const observations = straightRoadTrace(road, xs, 1, times);
    const timed = matchTrace(observations, road.matchNetwork(observations));
    expect(timed.matchings.map((m) => m.observations)).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
    // Without timestamps the jump is a plausible drive along the road.
    const untimed = straightRoadTrace(road, xs, 1);
    expect(matchTrace(untimed, road.matchNetwork(untimed)).matchings).toHaveLength(1);
  });

  it("splits at a 2-minute timestamp gap with gaps: 'split', not with 'ignore'", () => {
    const xs = Array.from({ length: 20 }, (_, i) => i * 10);
    const times = xs.map((_, i) => (i < 10 ? i : i + 119));
    const observations = straightRoadTrace(road, xs, 1, times);
    const split = matchTrace(observations, road.matchNetwork(observations), { gaps: 'split' });
    expect(split.matchings.map((m) => m.observations)).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
    ]);
    const byDefault = matchTrace(observations, road.matchNetwork(observations));
    expect(byDefault.matchings).toHaveLength(2);
    const ignored = matchTrace(observations, road.matchNetwork(observations), { gaps: 'ignore' });
    expect(ignored.matchings).toHaveLength(1);
    expect(ignored.matchings[0]!.observations).toHaveLength(20);
    const longerAllowed = matchTrace(observations, road.matchNetwork(observations), { gapSeconds: 200 });
    expect(longerAllowed.matchings).toHaveLength(1);
  });

  it('with tidy, skips near-duplicate observations and snaps only the kept ones', () => {
    const xs = [0, 2, 4, 6, 20, 22, 40, 60, 61, 80];
    const observations = straightRoadTrace(road, xs);
    const network = road.matchNetwork(observations);
    const result = matchTrace(observations, network, { tidy: true });
    expect(result.matchings.map((m) => m.observations)).toEqual([[0, 4, 6, 7, 9]]);
    expect(Array.from(result.matchingOf)).toEqual([0, -1, -1, -1, 0, -1, 0, 0, -1, 0]);
    expect(network.candidateCalls).toEqual([0, 4, 6, 7, 9]);
    const untidy = matchTrace(observations, road.matchNetwork(observations));
    expect(untidy.matchings[0]!.observations).toHaveLength(10);
  });

  it('uses radiusM as the per-observation GPS precision', () => {
    const far = road.observation(50, 30, { radiusM: 15 });
    expect(searchRadiusM(far)).toBe(45);
    const observations = [road.observation(0, 1), far, road.observation(100, 1)];
    const result = matchTrace(observations, road.matchNetwork(observations));
    expect(result.matchings[0]!.observations).toEqual([0, 1, 2]);
  });
});

describe('matchTrace input checks', () => {
  const net = new ToyRoadNetwork([
    {
      points: [
        [0, 0],
        [100, 0],
      ],
    },
  ]);
  const trace = [net.observation(0, 1), net.observation(50, 1)];

  const codeOf = (run: () => unknown): string | undefined => {
    try {
      run();
    } catch (error) {
      return error instanceof MatchError ? error.code : 'not a MatchError';
    }
    return undefined;
  };

  it('rejects bad options and observations with a code', () => {
    expect(codeOf(() => matchTrace(trace, net.matchNetwork(trace), { sigmaZ: 0 }))).toBe('InvalidOptions');
    expect(codeOf(() => matchTrace(trace, net.matchNetwork(trace), { beta: Number.NaN }))).toBe(
      'InvalidOptions',
    );
    const backwards = [net.observation(0, 1, { timeS: 10 }), net.observation(50, 1, { timeS: 5 })];
    expect(codeOf(() => matchTrace(backwards, net.matchNetwork(backwards)))).toBe('InvalidValue');
    const partial = [net.observation(0, 1, { timeS: 10 }), net.observation(50, 1)];
    expect(codeOf(() => matchTrace(partial, net.matchNetwork(partial)))).toBe('InvalidValue');
    const offEarth = [{ lon: 200, lat: 0 }, ...trace];
    expect(codeOf(() => matchTrace(offEarth, net.matchNetwork(offEarth)))).toBe('InvalidValue');
  });

  it('reports a distance matrix of the wrong size as InvalidNetwork', () => {
    const network = net.matchNetwork(trace);
    const broken: MatchNetwork = {
      candidates: (i) => network.candidates(i),
      transitionDistances: () => new Float64Array(0),
    };
    expect(codeOf(() => matchTrace(trace, broken))).toBe('InvalidNetwork');
  });

  it('returns no matchings for empty, single and candidate-less traces', () => {
    expect(matchTrace([], net.matchNetwork([])).matchings).toEqual([]);
    const one = [net.observation(10, 1)];
    expect(matchTrace(one, net.matchNetwork(one))).toEqual({ matchings: [], matchingOf: Int32Array.of(-1) });
    const nowhere = [net.observation(10, 500), net.observation(20, 500)];
    expect(matchTrace(nowhere, net.matchNetwork(nowhere)).matchings).toEqual([]);
  });
});

/** An abstract network: candidates and route distances drawn at random, looked up by candidate id. */
interface AbstractTrace {
  observations: Observation[];
  candidates: Candidate[][];
  /** route[i] maps `${fromId}:${toId}` to metres, for candidates of observations i and later ones. */
  route: Map<string, number>;
}

function abstractNetwork(trace: AbstractTrace): MatchNetwork {
  return {
    candidates: (i) => trace.candidates[i]!,
    transitionDistances: (from, to) => {
      const matrix = new Float64Array(from.length * to.length);
      from.forEach((a, r) =>
        to.forEach((b, c) => {
          matrix[r * to.length + c] = trace.route.get(`${a.id}:${b.id}`) ?? Infinity;
        }),
      );
      return matrix;
    },
  };
}

const abstractTrace = (options: { allowUnreachable: boolean; maxCandidates: number; maxLength: number }) =>
  fc
    .record({
      steps: fc.array(
        fc.record({
          dLon: fc.double({ min: -0.0008, max: 0.0008, noNaN: true }),
          dLat: fc.double({ min: -0.0008, max: 0.0008, noNaN: true }),
          distances: fc.array(fc.double({ min: 0, max: 15, noNaN: true }), {
            minLength: options.allowUnreachable ? 0 : 1,
            maxLength: options.maxCandidates,
          }),
        }),
        { minLength: 2, maxLength: options.maxLength },
      ),
      seed: fc.integer(),
    })
    .map(({ steps, seed }): AbstractTrace => {
      const random = createRandom(seed);
      let lon = 37.6;
      let lat = 55.7;
      let id = 0;
      const observations: Observation[] = [];
      const candidates: Candidate[][] = [];
      for (const step of steps) {
        lon += step.dLon;
        lat += step.dLat;
        observations.push({ lon, lat });
        candidates.push(step.distances.map((distanceM) => ({ id: id++, distanceM })));
      }
      const route = new Map<string, number>();
      for (let i = 0; i < candidates.length; i++) {
        for (let j = i + 1; j < candidates.length; j++) {
          const greatCircle = Math.hypot(
            (observations[j]!.lon - observations[i]!.lon) * 62_700,
            (observations[j]!.lat - observations[i]!.lat) * 111_200,
          );
          for (const a of candidates[i]!) {
            for (const b of candidates[j]!) {
              if (options.allowUnreachable && random() < 0.3) continue;
              route.set(`${a.id}:${b.id}`, greatCircle + random() * 300);
            }
          }
        }
      }
      return { observations, candidates, route };
    });

describe('matchTrace Viterbi', () => {
  it('chooses a most probable candidate sequence (brute force over all sequences)', () => {
    fc.assert(
      fc.property(abstractTrace({ allowUnreachable: false, maxCandidates: 4, maxLength: 6 }), (trace) => {
        const result = matchTrace(trace.observations, abstractNetwork(trace));
        expect(result.matchings).toHaveLength(1);
        const matching = result.matchings[0]!;
        expect(matching.observations).toEqual(trace.observations.map((_, i) => i));

        const greatCircle = trace.observations.map((o, i) => {
          const p = trace.observations[Math.max(0, i - 1)]!;
          return distanceM(p.lon, p.lat, o.lon, o.lat);
        });
        const score = (sequence: readonly Candidate[]): number =>
          sequence.reduce((sum, c, i) => {
            let value = sum + emissionLogProbability(c.distanceM, SIGMA);
            if (i > 0) {
              const route = trace.route.get(`${sequence[i - 1]!.id}:${c.id}`)!;
              value += transitionLogProbability(Math.abs(route - greatCircle[i]!), 10);
            }
            return value;
          }, 0);
        let best = -Infinity;
        const walk = (i: number, prefix: Candidate[]): void => {
          if (i === trace.candidates.length) {
            best = Math.max(best, score(prefix));
            return;
          }
          for (const c of trace.candidates[i]!) walk(i + 1, [...prefix, c]);
        };
        walk(0, []);
        expect(score(matching.candidates)).toBeCloseTo(best, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps its output consistent with unreachable transitions and empty candidate lists', () => {
    fc.assert(
      fc.property(abstractTrace({ allowUnreachable: true, maxCandidates: 5, maxLength: 30 }), (trace) => {
        const result = matchTrace(trace.observations, abstractNetwork(trace));
        expect(result.matchingOf).toHaveLength(trace.observations.length);
        let previousLast = -1;
        result.matchings.forEach((matching, m) => {
          expect(matching.observations.length).toBeGreaterThanOrEqual(2);
          expect(matching.candidates).toHaveLength(matching.observations.length);
          expect(matching.confidence).toBeGreaterThanOrEqual(0);
          expect(matching.confidence).toBeLessThanOrEqual(1);
          expect(matching.observations[0]!).toBeGreaterThan(previousLast);
          previousLast = matching.observations[matching.observations.length - 1]!;
          matching.observations.forEach((index, p) => {
            expect(result.matchingOf[index]).toBe(m);
            expect(trace.candidates[index]).toContain(matching.candidates[p]);
            if (p > 0) {
              expect(index).toBeGreaterThan(matching.observations[p - 1]!);
              const route = trace.route.get(
                `${matching.candidates[p - 1]!.id}:${matching.candidates[p]!.id}`,
              );
              expect(route).toBeDefined();
            }
          });
        });
        const matched = result.matchings.reduce((n, m) => n + m.observations.length, 0);
        expect(Array.from(result.matchingOf).filter((m) => m >= 0)).toHaveLength(matched);
      }),
      { numRuns: 300 },
    );
  });
});
