// Public surface of the HGS optimizer core.

export {
  HgsError,
  validateProblem,
  type HgsErrorCode,
  type SolveOptions,
  type SolverProblem,
  type SolverSolution,
  type SolveStats,
} from './problem.js';
export { runHgs, solveHgs, type HgsRun } from './solve-hgs.js';
export { solveHgsParallel, type ParallelHgsRun, type ParallelSolveOptions } from './solve-hgs-parallel.js';
export { checkSolution, type SolutionCheck } from './solution-checker.js';
export { defaultParameters, type HgsParameters } from './instance.js';
