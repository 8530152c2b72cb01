/**
 * The VRP benchmark loop behind `npm run bench:vrp` (issue #4): solve each instance of a set, verify the
 * answer with the independent checker, print one table row per run, and summarise in one JSON object.
 *
 * Solomon instances run twice: under the DIMACS distance-only convention (gap against the one-decimal
 * BKS) and under the vehicles-first convention (vehicles over the SINTEF BKS; distance gap for
 * information). An infeasible answer or a solver error counts in `infeasible` and never in a mean; an
 * instance the solver declares unsupported counts in `unsupported`, and a family with no solved
 * instance reports null rather than a number.
 */
import path from 'node:path';
import { findBks, loadBks, type BksEntry } from './bks.js';
import { checkSolution } from './check-solution.js';
import {
  defaultDataRoot,
  listInstances,
  loadInstance,
  type BenchInstance,
  type Family,
  type InstanceSet,
  type SolomonVariant,
} from './instance.js';
import { isUnsupportedInstanceError, type Solver } from './solver.js';

export interface BenchmarkOptions {
  set: InstanceSet;
  seconds: number;
  seed: number;
  dataRoot?: string;
  /** Instance names to keep (all of the set when absent). */
  only?: readonly string[];
}

export type RunStatus = 'feasible' | 'infeasible' | 'unsupported' | 'error';

export interface BenchmarkRow {
  problem: string;
  family: Family;
  variant: SolomonVariant | null;
  instance: string;
  bks: number | null;
  bksVehicles: number | null;
  cost: number | null;
  vehicles: number | null;
  /** 100·(cost − bks)/bks, feasible runs only. */
  gapPct: number | null;
  /** vehicles − BKS vehicles, feasible runs only. */
  vehiclesOverBks: number | null;
  /** Decimals of the convention's totals (nint 0, trunc1 1, otherwise 2), for the table. */
  decimals: number;
  seconds: number;
  status: RunStatus;
  violations: string[];
}

export interface BenchmarkSummary {
  name: 'vrp';
  set: InstanceSet;
  seconds_per_instance: number;
  /** Instance files in the run (a Solomon file counts once). */
  instances: number;
  /** Solver calls (a Solomon file counts twice). */
  runs: number;
  /** Runs whose answer the checker rejected, plus solver errors. */
  infeasible: number;
  /** Runs the solver declined (UnsupportedInstance). */
  unsupported: number;
  /** Mean of 100·(cost − BKS)/BKS over feasible runs with a BKS; null when the family was not solved. */
  cvrp_mean_gap_pct: number | null;
  /** Solomon under the DIMACS one-decimal distance-only convention. */
  vrptw_mean_gap_pct: number | null;
  /** Solomon under the vehicles-first convention: Σ (vehicles − SINTEF BKS vehicles) over feasible runs. */
  vrptw_vehicles_over_bks: number | null;
  wcvrptw_mean_gap_pct: number | null;
  wcvrptw_vehicles_over_bks: number | null;
  evrptw_mean_gap_pct: number | null;
  evrptw_vehicles_over_bks: number | null;
  mtvrptwr_mean_gap_pct: number | null;
  gvrp_mean_gap_pct: number | null;
}

export interface BenchmarkIo {
  /** One line of the human-readable table (stderr in the CLI). */
  log(line: string): void;
}

const PROBLEM: Record<Family, string> = {
  cvrp: 'CVRP',
  vrptw: 'VRPTW',
  evrptw: 'E-VRPTW',
  gvrp: 'G-VRP',
  wcvrptw: 'WCVRPTW (Kim)',
  mtvrptwr: 'MTVRPTWR',
};

function problemOf(instance: BenchInstance): string {
  if (instance.variant === 'trunc1') return 'VRPTW dist (trunc)';
  if (instance.variant === 'hierarchical') return 'VRPTW hier.';
  return PROBLEM[instance.family];
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

function mean(values: number[]): number | null {
  return values.length === 0 ? null : round3(values.reduce((a, b) => a + b, 0) / values.length);
}

function sum(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
}

const cell = (value: number | null, digits = 2): string => (value === null ? 'n/a' : value.toFixed(digits));

export const TABLE_HEADER = [
  '| problem | instance | BKS | BKS veh | ours | ours veh | gap % | seconds | status |',
  '|---|---|---|---|---|---|---|---|---|',
];

export function formatRow(row: BenchmarkRow): string {
  const gap = row.gapPct === null ? 'n/a' : `${row.gapPct >= 0 ? '+' : ''}${row.gapPct.toFixed(2)}`;
  return (
    `| ${row.problem} | ${row.instance} | ${cell(row.bks, row.decimals)} | ${cell(row.bksVehicles, 0)} | ` +
    `${cell(row.cost, row.decimals)} | ${cell(row.vehicles, 0)} | ${gap} | ${row.seconds.toFixed(2)} | ${row.status} |`
  );
}

async function runOne(
  instance: BenchInstance,
  options: BenchmarkOptions,
  solver: Solver,
  table: readonly BksEntry[],
): Promise<BenchmarkRow> {
  const bks = findBks(table, instance);
  const row: BenchmarkRow = {
    problem: problemOf(instance),
    family: instance.family,
    variant: instance.variant,
    instance: instance.name,
    bks: bks?.value ?? null,
    bksVehicles: bks?.vehicles ?? null,
    cost: null,
    vehicles: null,
    gapPct: null,
    vehiclesOverBks: null,
    decimals: instance.convention === 'nint' ? 0 : instance.convention === 'trunc1' ? 1 : 2,
    seconds: 0,
    status: 'error',
    violations: [],
  };
  const started = performance.now();
  try {
    const result = await solver({ instance, seconds: options.seconds, seed: options.seed });
    row.seconds = (performance.now() - started) / 1000;
    const check = checkSolution(instance, { routes: result.routes });
    row.cost = check.cost;
    row.vehicles = check.vehicles;
    row.violations = check.violations;
    if (result.unassigned.length > 0) {
      row.violations.push(`solver reports ${result.unassigned.length} unassigned customers`);
    }
    row.status = check.feasible && result.unassigned.length === 0 ? 'feasible' : 'infeasible';
    if (row.status === 'feasible') {
      if (row.bks !== null) row.gapPct = round3((100 * (check.cost - row.bks)) / row.bks);
      if (row.bksVehicles !== null) row.vehiclesOverBks = check.vehicles - row.bksVehicles;
    }
  } catch (error) {
    row.seconds = (performance.now() - started) / 1000;
    row.status = isUnsupportedInstanceError(error) ? 'unsupported' : 'error';
    row.violations = [error instanceof Error ? error.message : String(error)];
  }
  return row;
}

export function summarize(
  options: BenchmarkOptions,
  instances: number,
  rows: readonly BenchmarkRow[],
  families: ReadonlySet<Family>,
): BenchmarkSummary {
  const feasible = (family: Family, variant: SolomonVariant | null = null): BenchmarkRow[] =>
    rows.filter((row) => row.family === family && row.variant === variant && row.status === 'feasible');
  // A family outside the set, or with nothing solved (all unsupported), has no number; all-infeasible
  // families have none either, and `infeasible` says why.
  const gaps = (family: Family, variant: SolomonVariant | null = null): number | null =>
    families.has(family)
      ? mean(feasible(family, variant).flatMap((row) => (row.gapPct === null ? [] : [row.gapPct])))
      : null;
  const over = (family: Family, variant: SolomonVariant | null = null): number | null =>
    families.has(family)
      ? sum(
          feasible(family, variant).flatMap((row) =>
            row.vehiclesOverBks === null ? [] : [row.vehiclesOverBks],
          ),
        )
      : null;
  return {
    name: 'vrp',
    set: options.set,
    seconds_per_instance: options.seconds,
    instances,
    runs: rows.length,
    infeasible: rows.filter((row) => row.status === 'infeasible' || row.status === 'error').length,
    unsupported: rows.filter((row) => row.status === 'unsupported').length,
    cvrp_mean_gap_pct: gaps('cvrp'),
    vrptw_mean_gap_pct: gaps('vrptw', 'trunc1'),
    vrptw_vehicles_over_bks: over('vrptw', 'hierarchical'),
    wcvrptw_mean_gap_pct: gaps('wcvrptw'),
    wcvrptw_vehicles_over_bks: over('wcvrptw'),
    evrptw_mean_gap_pct: gaps('evrptw'),
    evrptw_vehicles_over_bks: over('evrptw'),
    mtvrptwr_mean_gap_pct: gaps('mtvrptwr'),
    gvrp_mean_gap_pct: gaps('gvrp'),
  };
}

export async function runVrpBenchmark(
  options: BenchmarkOptions,
  solver: Solver,
  io: BenchmarkIo,
): Promise<{ rows: BenchmarkRow[]; summary: BenchmarkSummary }> {
  const dataRoot = options.dataRoot ?? defaultDataRoot();
  const table = await loadBks(dataRoot);
  const only = options.only ? new Set(options.only) : null;
  const files = (await listInstances(options.set, dataRoot)).filter(
    (file) => only === null || only.has(path.basename(file).replace(/\.(vrp|txt)$/, '')),
  );
  const rows: BenchmarkRow[] = [];
  const families = new Set<Family>();
  for (const line of TABLE_HEADER) io.log(line);
  for (const file of files) {
    const first = await loadInstance(file, { solomonVariant: 'trunc1' });
    const instances =
      first.family === 'vrptw'
        ? [first, await loadInstance(file, { solomonVariant: 'hierarchical' })]
        : [first];
    for (const instance of instances) {
      const row = await runOne(instance, options, solver, table);
      families.add(instance.family);
      rows.push(row);
      io.log(formatRow(row));
    }
  }
  const failed = rows.filter((row) => row.status === 'infeasible' || row.status === 'error');
  const unsupported = rows.filter((row) => row.status === 'unsupported');
  if (failed.length + unsupported.length > 0) io.log('');
  for (const row of failed) {
    const shown = row.violations.slice(0, 5);
    const more =
      row.violations.length > shown.length ? ` (+${row.violations.length - shown.length} more)` : '';
    io.log(`${row.status}: ${row.problem} ${row.instance}: ${shown.join('; ')}${more}`);
  }
  if (unsupported.length > 0) {
    const byProblem = new Map<string, number>();
    for (const row of unsupported) byProblem.set(row.problem, (byProblem.get(row.problem) ?? 0) + 1);
    const counts = [...byProblem].map(([problem, n]) => `${problem} ${n}`).join(', ');
    io.log(`unsupported by the solver: ${counts}`);
  }
  // Families the solver never solved once (all unsupported) report null.
  for (const family of [...families]) {
    if (rows.every((row) => row.family !== family || row.status === 'unsupported')) families.delete(family);
  }
  return { rows, summary: summarize(options, files.length, rows, families) };
}
