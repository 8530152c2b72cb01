// Input and output of the hybrid genetic search (Vidal 2012/2022, HGS-CVRP) for CVRP and VRPTW.

export interface SolverProblem {
  /** Node 0 is the depot; 1..n-1 customers. */
  nodeCount: number;
  /** Row-major nodeCount×nodeCount; may be asymmetric (road networks). */
  distance: Float64Array;
  duration: Float64Array;
  demand: Float64Array;
  /** Window opens (0 when none). */
  readyTime: Float64Array;
  /** Window closes (Infinity when none); dueTime[0] = depot closing = end of shift. */
  dueTime: Float64Array;
  serviceTime: Float64Array;
  capacity: number;
  /** Maximum routes (vehicles); Infinity = unlimited. */
  maxVehicles: number;
  /** 'distance': minimise total distance. 'vehicles-then-distance': fewer routes first. */
  objective: 'distance' | 'vehicles-then-distance';
  /** Optional fixed cost per used vehicle (added to the objective). */
  vehicleCost?: number;
}

export interface SolveOptions {
  timeLimitMs: number;
  seed: number;
  /** Stop early after this many iterations without improvement of the best feasible solution. */
  maxIterationsWithoutImprovement?: number;
  onImprovement?(cost: number, elapsedMs: number): void;
}

export interface SolverSolution {
  /** Customer indices per route, depot omitted. */
  routes: number[][];
  /** Total distance plus vehicleCost per used route. */
  cost: number;
  /** Capacity, time windows and the fleet limit hold and every customer is served exactly once. */
  feasible: boolean;
}

/** Statistics of one run, for benchmarks and tuning (not part of the solution). */
export interface SolveStats {
  iterations: number;
  restarts: number;
  elapsedMs: number;
  /** Fleet limit used in the final phase (vehicles-then-distance) or the route slots of the local search. */
  fleetLimit: number;
}

export type HgsErrorCode = 'InvalidProblem' | 'InvalidOptions';

export class HgsError extends Error {
  readonly code: HgsErrorCode;
  constructor(code: HgsErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'HgsError';
  }
}

/** Guard clauses run once before the search; messages name the field and the expected form. */
export function validateProblem(problem: SolverProblem, options: SolveOptions): void {
  const n = problem.nodeCount;
  if (!Number.isInteger(n) || n < 1) {
    throw new HgsError('InvalidProblem', `nodeCount must be an integer >= 1, got ${n}`);
  }
  const square = n * n;
  for (const [name, arr] of [
    ['distance', problem.distance],
    ['duration', problem.duration],
  ] as const) {
    if (arr.length !== square) {
      throw new HgsError(
        'InvalidProblem',
        `${name} must have nodeCount² = ${square} entries, got ${arr.length}`,
      );
    }
    for (let i = 0; i < square; i++) {
      const v = arr[i] as number;
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new HgsError('InvalidProblem', `${name}[${i}] must be a finite number >= 0, got ${v}`);
      }
    }
  }
  for (const [name, arr] of [
    ['demand', problem.demand],
    ['readyTime', problem.readyTime],
    ['dueTime', problem.dueTime],
    ['serviceTime', problem.serviceTime],
  ] as const) {
    if (arr.length !== n) {
      throw new HgsError('InvalidProblem', `${name} must have nodeCount = ${n} entries, got ${arr.length}`);
    }
  }
  for (let i = 0; i < n; i++) {
    const d = problem.demand[i] as number;
    const r = problem.readyTime[i] as number;
    const l = problem.dueTime[i] as number;
    const s = problem.serviceTime[i] as number;
    if (!(d >= 0) || !Number.isFinite(d)) {
      throw new HgsError('InvalidProblem', `demand[${i}] must be a finite number >= 0, got ${d}`);
    }
    if (!(r >= 0) || !Number.isFinite(r)) {
      throw new HgsError('InvalidProblem', `readyTime[${i}] must be a finite number >= 0, got ${r}`);
    }
    if (!(l >= r)) {
      throw new HgsError(
        'InvalidProblem',
        `dueTime[${i}] must be >= readyTime[${i}] (or Infinity), got ${l}`,
      );
    }
    if (!(s >= 0) || !Number.isFinite(s)) {
      throw new HgsError('InvalidProblem', `serviceTime[${i}] must be a finite number >= 0, got ${s}`);
    }
  }
  if (!(problem.capacity > 0)) {
    throw new HgsError('InvalidProblem', `capacity must be > 0 (Infinity allowed), got ${problem.capacity}`);
  }
  if (
    !(problem.maxVehicles >= 1) ||
    (!Number.isInteger(problem.maxVehicles) && problem.maxVehicles !== Infinity)
  ) {
    throw new HgsError(
      'InvalidProblem',
      `maxVehicles must be an integer >= 1 or Infinity, got ${problem.maxVehicles}`,
    );
  }
  if (problem.objective !== 'distance' && problem.objective !== 'vehicles-then-distance') {
    throw new HgsError(
      'InvalidProblem',
      `objective must be 'distance' or 'vehicles-then-distance', got ${String(problem.objective)}`,
    );
  }
  const fixed = problem.vehicleCost ?? 0;
  if (!(fixed >= 0) || !Number.isFinite(fixed)) {
    throw new HgsError('InvalidProblem', `vehicleCost must be a finite number >= 0, got ${fixed}`);
  }
  if (!(options.timeLimitMs >= 0)) {
    throw new HgsError('InvalidOptions', `timeLimitMs must be a number >= 0, got ${options.timeLimitMs}`);
  }
  if (!Number.isFinite(options.seed)) {
    throw new HgsError('InvalidOptions', `seed must be a finite number, got ${options.seed}`);
  }
  const maxIt = options.maxIterationsWithoutImprovement;
  if (maxIt !== undefined && !(maxIt >= 1)) {
    throw new HgsError('InvalidOptions', `maxIterationsWithoutImprovement must be >= 1, got ${maxIt}`);
  }
}
