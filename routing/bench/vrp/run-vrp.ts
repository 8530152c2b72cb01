/**
 * VRP benchmark (issue #4): solves a set of ../shared/data/vrp instances in each benchmark's own
 * distance convention, verifies every answer with the independent feasibility checker, prints a table
 * per instance to stderr and one JSON line last to stdout.
 *
 *   npm run bench:vrp -- --set anchor --seconds 10 [--seed 1] [--solver nearest-neighbour]
 *                        [--instances A-n32-k5,C101] [--data DIR]
 *
 * Sets: cvrp, vrptw, wcvrptw, evrptw, mtvrptwr, gvrp, anchor, all.
 */
import { parseArgs } from 'node:util';
import { INSTANCE_SETS, type InstanceSet } from '../../src/optimizer/bench-io/instance.js';
import { solveNearestNeighbour } from '../../src/optimizer/bench-io/nearest-neighbour.js';
import { runVrpBenchmark } from '../../src/optimizer/bench-io/run-benchmark.js';
import type { Solver } from '../../src/optimizer/bench-io/solver.js';
import { solveWithHgs } from '../../src/optimizer/solvers/hgs-bench-solver.js';
import { isPlainVrp } from '../../src/optimizer/solvers/hgs-bench-solver.js';
import { solveWithPlanSolver } from '../../src/optimizer/solvers/plan-bench-solver.js';

/** Solvers by `--solver` name; the first is the default. */
const SOLVERS: Record<string, Solver> = {
  // HGS where the instance is plain CVRP/VRPTW, the collection-round solver for everything else.
  auto: (request) => (isPlainVrp(request.instance) ? solveWithHgs(request) : solveWithPlanSolver(request)),
  hgs: solveWithHgs,
  rounds: solveWithPlanSolver,
  'nearest-neighbour': solveNearestNeighbour,
};

const usage =
  'usage: npm run bench:vrp -- --set cvrp|vrptw|wcvrptw|evrptw|mtvrptwr|gvrp|anchor|all --seconds S ' +
  `[--seed N] [--solver ${Object.keys(SOLVERS).join('|')}] [--instances NAME,NAME] [--data DIR]\n`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', default: 'anchor' },
      seconds: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      solver: { type: 'string', default: Object.keys(SOLVERS)[0] },
      instances: { type: 'string' },
      data: { type: 'string' },
    },
  });
  const set = values.set as InstanceSet;
  if (!INSTANCE_SETS.includes(set))
    fail(`--set must be one of ${INSTANCE_SETS.join(', ')} (got ${values.set})`);
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) fail(`--seconds must be a positive number (got ${values.seconds})`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer (got ${values.seed})`);
  const solver = SOLVERS[values.solver ?? ''];
  if (solver === undefined)
    fail(`--solver must be one of ${Object.keys(SOLVERS).join(', ')} (got ${values.solver})`);
  const only = values.instances
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');

  process.stderr.write(`bench:vrp set=${set} seconds=${seconds} seed=${seed} solver=${values.solver}\n`);
  const { summary } = await runVrpBenchmark(
    { set, seconds, seed, ...(values.data ? { dataRoot: values.data } : {}), ...(only ? { only } : {}) },
    solver,
    { log: (line) => process.stderr.write(`${line}\n`) },
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

await main();
