// npx tsx routing/src/engine/match/match.bench.ts
// Times matchTrace on seeded 100-observation traces with 10 candidates each. Network answers are precomputed,
// so the time is the matcher's own (the lead's snapping and many-to-many queries are not in it); a second
// figure runs the same over the toy grid network end to end. Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { distanceM } from '../../graph/geometry.js';
import { matchTrace } from './match-trace.js';
import type { Candidate, MatchNetwork, Observation } from './match-types.js';
import { createRandom, gridRoads, ToyRoadNetwork } from './toy-road-network.js';

const OBSERVATIONS = 100;
const CANDIDATES = 10;
const RUNS = 200;
const WARMUP = 50;

interface PrecomputedTrace {
  observations: Observation[];
  network: MatchNetwork;
  calls: () => number;
}

/**
 * A trace with every network answer computed up front. `jumpAt` > 0 makes every transition into observation
 * `jumpAt` unreachable (a split and its recovery, the matcher's most expensive path).
 */
function precomputedTrace(seed: number, jumpAt = -1): PrecomputedTrace {
  const random = createRandom(seed);
  const observations: Observation[] = [];
  const candidates: Candidate[][] = [];
  let lon = 37.6;
  let lat = 55.75;
  for (let i = 0; i < OBSERVATIONS; i++) {
    lon += (random() - 0.3) * 0.0004;
    lat += (random() - 0.3) * 0.0003;
    observations.push({ lon, lat, timeS: i * 5 });
    candidates.push(
      Array.from({ length: CANDIDATES }, (_, j) => ({
        id: i * CANDIDATES + j,
        distanceM: random() * 3 * 4.07,
      })),
    );
  }
  // Route distances for every ordered pair of observations up to 3 apart (the matcher's back-off reaches 2).
  const routes = new Map<number, Float64Array>();
  for (let i = 0; i < OBSERVATIONS; i++) {
    for (let j = i + 1; j <= Math.min(OBSERVATIONS - 1, i + 12); j++) {
      const a = observations[i]!;
      const b = observations[j]!;
      const straight = distanceM(a.lon, a.lat, b.lon, b.lat);
      const matrix = new Float64Array(CANDIDATES * CANDIDATES);
      for (let k = 0; k < matrix.length; k++) {
        matrix[k] = jumpAt > 0 && i < jumpAt && j >= jumpAt ? Infinity : straight + random() * random() * 400;
      }
      routes.set(i * OBSERVATIONS + j, matrix);
    }
  }
  let calls = 0;
  const network: MatchNetwork = {
    candidates: (i) => candidates[i]!,
    transitionDistances: (from, to, fromIndex, toIndex) => {
      calls++;
      const full = routes.get(fromIndex * OBSERVATIONS + toIndex)!;
      if (from.length === CANDIDATES && to.length === CANDIDATES) return full;
      const matrix = new Float64Array(from.length * to.length);
      for (let r = 0; r < from.length; r++) {
        const row = from[r]!.id % CANDIDATES;
        for (let c = 0; c < to.length; c++)
          matrix[r * to.length + c] = full[row * CANDIDATES + (to[c]!.id % CANDIDATES)]!;
      }
      return matrix;
    },
  };
  return { observations, network, calls: () => calls };
}

function time(run: () => void): number[] {
  for (let i = 0; i < WARMUP; i++) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

const traces = Array.from({ length: 8 }, (_, s) => precomputedTrace(1000 + s));
let next = 0;
const plain = time(() => {
  const trace = traces[next++ % traces.length]!;
  matchTrace(trace.observations, trace.network);
});
const plainCalls = (() => {
  const trace = precomputedTrace(1000);
  matchTrace(trace.observations, trace.network);
  return trace.calls();
})();

const splitTrace = precomputedTrace(2000, 50);
const split = time(() => {
  matchTrace(splitTrace.observations, splitTrace.network);
});
const freshSplit = precomputedTrace(2000, 50);
const splitResult = matchTrace(freshSplit.observations, freshSplit.network);

// End to end over the toy grid (projection and Dijkstra in the test scaffolding included): 100 noisy fixes
// 25 m apart along a staircase path.
const grid = new ToyRoadNetwork(gridRoads(12, 12, 100));
const gridRandom = createRandom(7);
const gridTrace: Observation[] = [];
for (let i = 0; i < OBSERVATIONS; i++) {
  const along = i * 25;
  const leg = Math.floor(along / 100);
  const offset = along - leg * 100;
  const x = Math.ceil(leg / 2) * 100 + (leg % 2 === 0 ? offset : 0);
  const y = Math.floor(leg / 2) * 100 + (leg % 2 === 1 ? offset : 0);
  gridTrace.push(grid.observation(x + (gridRandom() - 0.5) * 6, y + (gridRandom() - 0.5) * 6));
}
const toy = time(() => {
  matchTrace(gridTrace, grid.matchNetwork(gridTrace));
});

process.stdout.write(
  JSON.stringify({
    name: 'match-trace',
    observations: OBSERVATIONS,
    candidates_per_observation: CANDIDATES,
    runs: RUNS,
    median_ms: round(quantile(plain, 0.5)),
    p95_ms: round(quantile(plain, 0.95)),
    transition_calls: plainCalls,
    split_median_ms: round(quantile(split, 0.5)),
    split_p95_ms: round(quantile(split, 0.95)),
    split_matchings: splitResult.matchings.map((m) => m.observations.length),
    split_transition_calls: freshSplit.calls(),
    toy_grid_median_ms: round(quantile(toy, 0.5)),
  }) + '\n',
);
