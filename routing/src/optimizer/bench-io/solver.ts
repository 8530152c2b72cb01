/**
 * The contract between the benchmark runner and a solver (issue #4). A solver gets an instance in the
 * benchmark's own conventions (`instance.distance`, `instance.objective`, family constraints) and returns
 * routes of node indices without the depot at the ends; stations, disposal facilities and (MTVRPTWR)
 * depot reloads may appear inside a route. The runner verifies every result with `checkSolution`.
 */
import type { BenchInstance } from './instance.js';

export interface SolveRequest {
  instance: BenchInstance;
  /** Wall-clock budget. */
  seconds: number;
  /** Same seed, same instance, same budget → same answer (modulo the clock). */
  seed: number;
}

export interface SolveResult {
  /** One route per vehicle: node indices, no depot at the ends. */
  routes: number[][];
  /** Customers the solver could not place. */
  unassigned: number[];
}

export type Solver = (request: SolveRequest) => Promise<SolveResult>;

/**
 * Thrown (or any error with `code === 'UnsupportedInstance'`) by a solver that cannot express the
 * instance's family; the runner counts these apart instead of reporting a number.
 */
export class UnsupportedInstanceError extends Error {
  readonly code = 'UnsupportedInstance';
  override readonly name = 'UnsupportedInstanceError';
}

export function isUnsupportedInstanceError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'UnsupportedInstance'
  );
}
