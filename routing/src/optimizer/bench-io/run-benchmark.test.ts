import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { solveNearestNeighbour } from './nearest-neighbour.js';
import { runVrpBenchmark, type BenchmarkSummary } from './run-benchmark.js';
import { UnsupportedInstanceError, type Solver } from './solver.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const runner = fileURLToPath(new URL('../../../bench/vrp/run-vrp.ts', import.meta.url));

describe('bench:vrp runner', () => {
  it('runs nearest-neighbour on two small instances and prints one JSON line last', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        ...['--import', 'tsx', runner, '--set', 'anchor', '--seconds', '0.2'],
        ...['--solver', 'nearest-neighbour', '--instances', 'A-n32-k5,C101'],
      ],
      { cwd: repoRoot },
    );
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBe(1);
    const summary = JSON.parse(lines[0]!) as BenchmarkSummary;
    expect(summary).toMatchObject({
      name: 'vrp',
      set: 'anchor',
      seconds_per_instance: 0.2,
      instances: 2,
      runs: 3, // C101 under both Solomon conventions
      infeasible: 0,
      unsupported: 0,
      wcvrptw_mean_gap_pct: null,
      evrptw_mean_gap_pct: null,
    });
    // A-n32-k5: 1145 against 784; C101 distance-only: 1931.5 against 827.3.
    expect(summary.cvrp_mean_gap_pct).toBeCloseTo((100 * (1145 - 784)) / 784, 2);
    expect(summary.vrptw_mean_gap_pct).toBeCloseTo((100 * (1931.5 - 827.3)) / 827.3, 2);
    expect(summary.vrptw_vehicles_over_bks).toBe(21 - 10);
    expect(stderr).toContain('| CVRP | A-n32-k5 | 784 | 5 | 1145 | 5 | +46.05 |');
    expect(stderr).toContain('| VRPTW dist (trunc) | C101 | 827.3 | 10 | 1931.5 | 22 | +133.47 |');
  });

  it('counts unsupported families apart and reports no number for them', async () => {
    const lines: string[] = [];
    const { summary, rows } = await runVrpBenchmark(
      { set: 'mtvrptwr', seconds: 1, seed: 1, only: ['C201R0.25', 'R205R0.5'] },
      solveNearestNeighbour,
      { log: (line) => lines.push(line) },
    );
    expect(rows.map((row) => row.status)).toEqual(['unsupported', 'unsupported']);
    expect(summary).toMatchObject({
      instances: 2,
      runs: 2,
      infeasible: 0,
      unsupported: 2,
      mtvrptwr_mean_gap_pct: null,
    });
  });

  it('counts infeasible answers and solver errors, never averaging them', async () => {
    const lazy: Solver = async () => ({ routes: [[1]], unassigned: [] });
    const { summary, rows } = await runVrpBenchmark(
      { set: 'cvrp', seconds: 1, seed: 1, only: ['A-n32-k5'] },
      lazy,
      {
        log: () => true,
      },
    );
    expect(rows[0]).toMatchObject({ status: 'infeasible', gapPct: null });
    expect(rows[0]!.violations[0]).toMatch(/30 customers not served/);
    expect(summary).toMatchObject({ infeasible: 1, cvrp_mean_gap_pct: null });

    const broken: Solver = async () => {
      throw new Error('boom');
    };
    const failed = await runVrpBenchmark({ set: 'cvrp', seconds: 1, seed: 1, only: ['A-n32-k5'] }, broken, {
      log: () => true,
    });
    expect(failed.rows[0]).toMatchObject({ status: 'error', violations: ['boom'] });
    expect(failed.summary.infeasible).toBe(1);
  });

  it('treats any error with code UnsupportedInstance as unsupported', async () => {
    const picky: Solver = async ({ instance }) => {
      if (instance.family === 'vrptw') throw new UnsupportedInstanceError('no time windows here');
      return solveNearestNeighbour({ instance, seconds: 1, seed: 1 });
    };
    const { summary } = await runVrpBenchmark(
      { set: 'anchor', seconds: 1, seed: 1, only: ['A-n32-k5', 'C101'] },
      picky,
      { log: () => true },
    );
    expect(summary).toMatchObject({
      unsupported: 2,
      vrptw_mean_gap_pct: null,
      vrptw_vehicles_over_bks: null,
    });
    expect(summary.cvrp_mean_gap_pct).not.toBeNull();
  });
});
