// Benchmark of solveHgs on shared/data/vrp with each benchmark's own distance convention (README there):
//   npx tsx routing/src/optimizer/hgs/hgs.bench.ts [--set anchor|cvrp-anchor|vrptw-anchor|hier-anchor|cvrp|vrptw]
//                                                  [--seconds 10] [--seeds 1] [--threads 1] [--only NAME,NAME]
// --threads > 1 uses solveHgsParallel (independent runs in worker threads, best kept).
// Every solution is re-checked by the independent checker; gaps are (ours − BKS) / BKS (for the
// vehicles-first convention only over runs at the BKS fleet size; vehicles_over_bks counts the others).
// Prints one line per instance and run, then one JSON line last.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBksCsv, parseCvrplib, parseSolomon, type BenchmarkProblem } from './benchmark-instances.js';
import { checkSolution } from './solution-checker.js';
import { runHgs, type HgsRun } from './solve-hgs.js';
import { solveHgsParallel } from './solve-hgs-parallel.js';

const DATA = process.env.VRP_DATA_DIR ?? '/work/shared/data/vrp';

const CVRP_ANCHOR = [
  'A-n32-k5',
  'A-n45-k7',
  'A-n54-k7',
  'A-n63-k10',
  'A-n69-k9',
  'A-n80-k10',
  'X-n101-k25',
  'X-n120-k6',
  'X-n153-k22',
  'X-n200-k36',
];
const VRPTW_ANCHOR = [
  'C101',
  'C104',
  'C201',
  'C205',
  'R101',
  'R103',
  'R105',
  'R201',
  'R205',
  'RC101',
  'RC103',
  'RC105',
  'RC201',
  'RC205',
];

type Family = 'cvrp' | 'vrptw' | 'hier';

interface Job {
  family: Family;
  name: string;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

function jobsFor(set: string): Job[] {
  const cvrpAll = (): string[] =>
    ['augerat-A', 'uchoa-X'].flatMap((d) =>
      readdirSync(join(DATA, 'cvrp', d))
        .filter((f) => f.endsWith('.vrp'))
        .map((f) => f.replace(/\.vrp$/, ''))
        .sort(),
    );
  const solomonAll = (): string[] =>
    readdirSync(join(DATA, 'vrptw', 'solomon'))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.replace(/\.txt$/, ''))
      .filter((n) => n !== 'C204')
      .sort();
  const cvrp = (names: string[]): Job[] => names.map((name) => ({ family: 'cvrp', name }));
  const vrptw = (names: string[]): Job[] => names.map((name) => ({ family: 'vrptw', name }));
  switch (set) {
    case 'cvrp-anchor':
      return cvrp(CVRP_ANCHOR);
    case 'vrptw-anchor':
      return vrptw(VRPTW_ANCHOR);
    case 'hier-anchor':
      return VRPTW_ANCHOR.map((name) => ({ family: 'hier', name }));
    case 'cvrp':
      return cvrp(cvrpAll());
    case 'vrptw':
      return vrptw(solomonAll());
    case 'anchor':
      return [...cvrp(CVRP_ANCHOR), ...vrptw(VRPTW_ANCHOR)];
    default:
      throw new Error(
        `--set must be anchor, cvrp-anchor, vrptw-anchor, hier-anchor, cvrp or vrptw, got ${set}`,
      );
  }
}

function load(job: Job): BenchmarkProblem {
  if (job.family === 'cvrp') {
    const dir = job.name.startsWith('A-') ? 'augerat-A' : 'uchoa-X';
    return parseCvrplib(readFileSync(join(DATA, 'cvrp', dir, `${job.name}.vrp`), 'utf8'));
  }
  const text = readFileSync(join(DATA, 'vrptw', 'solomon', `${job.name}.txt`), 'utf8');
  return parseSolomon(text, job.family === 'vrptw' ? 'distance-trunc1' : 'hierarchical');
}

async function main(): Promise<void> {
  const set = arg('set', 'anchor');
  const seconds = Number(arg('seconds', '10'));
  const seeds = Number(arg('seeds', '1'));
  const only = arg('only', '');
  const threads = Number(arg('threads', '1'));
  let jobs = jobsFor(set);
  if (only !== '') {
    const keep = new Set(only.split(','));
    jobs = jobs.filter((j) => keep.has(j.name));
  }
  const bks = parseBksCsv(readFileSync(join(DATA, 'bks.csv'), 'utf8'));
  const bksOf = (job: Job): { value: number; vehicles: number } => {
    const row = bks.find(
      (b) =>
        b.instance === job.name &&
        (job.family === 'cvrp'
          ? b.family.startsWith('cvrp/')
          : b.family === 'vrptw/solomon' &&
            (job.family === 'vrptw'
              ? b.convention.startsWith('distance only')
              : b.convention.startsWith('hierarchical'))),
    );
    if (!row) throw new Error(`no BKS for ${job.family} ${job.name}`);
    return row;
  };
  const gaps: Record<Family, number[]> = { cvrp: [], vrptw: [], hier: [] };
  let infeasible = 0;
  let vehiclesOverBks = 0;
  let itPerS = 0;
  let runs = 0;
  const out = (s: string): void => {
    process.stdout.write(`${s}\n`);
  };
  out('family  instance      BKS        ours       gap%   veh(bks)  iters   it/s  feasible');
  for (const job of jobs) {
    const bp = load(job);
    const ref = bksOf(job);
    for (let seed = 1; seed <= seeds; seed++) {
      const options = { timeLimitMs: seconds * 1000, seed };
      const run: HgsRun =
        threads > 1
          ? await solveHgsParallel(bp.problem, { ...options, threads })
          : runHgs(bp.problem, options);
      const check = checkSolution(bp.problem, run.solution.routes, 1e-6);
      const ours = check.distance / bp.costScale;
      const gap = (100 * (ours - ref.value)) / ref.value;
      const ok = check.feasible && run.solution.feasible;
      if (!ok) infeasible++;
      else {
        // Vehicles-first: a distance gap only means something at the BKS fleet size.
        if (job.family !== 'hier' || check.routeCount === ref.vehicles) gaps[job.family].push(gap);
        if (check.routeCount > ref.vehicles) vehiclesOverBks++;
      }
      const rate = run.stats.iterations / (run.stats.elapsedMs / 1000);
      itPerS += rate;
      runs++;
      out(
        `${job.family.padEnd(7)} ${job.name.padEnd(12)} ${ref.value.toFixed(2).padStart(9)} ${ours
          .toFixed(2)
          .padStart(
            10,
          )} ${gap.toFixed(2).padStart(7)}   ${String(check.routeCount).padStart(3)}(${ref.vehicles})  ${String(
          run.stats.iterations,
        ).padStart(
          6,
        )} ${rate.toFixed(0).padStart(6)}  ${ok ? 'yes' : `NO ${check.errors.slice(0, 2).join('; ')}`}`,
      );
    }
  }
  const mean = (a: number[]): number | null =>
    a.length === 0 ? null : Number((a.reduce((s, x) => s + x, 0) / a.length).toFixed(3));
  out(
    JSON.stringify({
      name: 'hgs',
      set,
      seconds_per_instance: seconds,
      seeds,
      threads,
      instances: jobs.length,
      infeasible,
      cvrp_mean_gap_pct: mean(gaps.cvrp),
      vrptw_mean_gap_pct: mean(gaps.vrptw),
      vrptw_hier_mean_gap_pct: mean(gaps.hier),
      vehicles_over_bks: vehiclesOverBks,
      iterations_per_s_mean: Number((itPerS / Math.max(1, runs)).toFixed(1)),
    }),
  );
}

await main();
