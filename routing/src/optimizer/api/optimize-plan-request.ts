/**
 * POST /optimize end to end: our JSON → travel matrix from the routing engine (one table per traffic
 * slot) → PlanProblem → solver → road geometry per route → our JSON output with the independent check.
 */
import type pg from 'pg';
import type { RoutingEngine } from '../../server/osrm-types.js';
import type { PlanProblem, PlanSolution } from '../model/plan-problem.js';
import { PlanProblemError } from '../solver/validate-plan-problem.js';
import { OptimizerInputError } from './optimizer-error.js';
import { planResponse, type PlanResponse } from './plan-response.js';
import { layoutPlanRequest, planRequestToProblem } from './plan-request-to-problem.js';
import type { PlanRequest } from './plan-request-schema.js';
import type { PlanSolver } from './plan-solver.js';
import { planGeometries } from './route-geometry.js';
import { buildTravelMatrix } from './travel-matrix.js';
import { withLiveState } from './live-state.js';
import type { PlanDatabase } from '../../db/plan-database.js';

export interface OptimizerContext {
  engine: RoutingEngine;
  solve: PlanSolver;
  /** Longest solver time the server grants (s). */
  maxTimeLimitS: number;
  /** The database with the gateway's telemetry (live state) and the plans; absent without DATABASE_URL. */
  database?: PlanDatabase;
  /** Solver threads; undefined = every core. */
  threads?: number;
  /** HS256 key of the platform's access tokens (plans, live state). */
  jwtSecret: string;
}

export async function optimizePlanRequest(
  given: PlanRequest,
  context: OptimizerContext,
  nowMs = Date.now(),
): Promise<PlanResponse> {
  const request = given.options.live_state
    ? await withLiveState(given, await liveDatabase(context), nowMs)
    : given;
  const layout = layoutPlanRequest(request);
  const travel = await buildTravelMatrix(context.engine, layout.coordinates, {
    epochS: layout.epochS,
    horizonS: layout.horizonS,
    slotSeconds: request.options.slot_minutes * 60,
    traffic: request.options.traffic,
  });
  const problem = planRequestToProblem(request, layout, travel);
  const solution = await solveChecked(problem, request.options, context);
  const geometries = request.options.geometry ? await planGeometries(context.engine, solution, layout) : [];
  return planResponse(request, layout, problem, solution, geometries);
}

/** The solver with the server's time cap, its input errors turned into 400s. */
export async function solveChecked(
  problem: PlanProblem,
  options: { time_limit_s: number; seed: number },
  context: OptimizerContext,
): Promise<PlanSolution> {
  const timeLimitMs = Math.min(options.time_limit_s, context.maxTimeLimitS) * 1000;
  try {
    return await context.solve(problem, {
      timeLimitMs,
      seed: options.seed,
      ...(context.threads !== undefined ? { threads: context.threads } : {}),
    });
  } catch (error) {
    if (error instanceof PlanProblemError) {
      throw new OptimizerInputError(
        'InvalidInput',
        `Задача маршрутизации некорректна: ${error.message}`,
        `The routing problem is invalid: ${error.message}`,
      );
    }
    throw error;
  }
}

async function liveDatabase(context: OptimizerContext): Promise<pg.Pool> {
  if (!context.database) {
    throw new OptimizerInputError(
      'DatabaseUnavailable',
      'Живое состояние машин недоступно: у сервиса маршрутизации нет базы данных (DATABASE_URL)',
      'live_state needs the telemetry database: the routing service has no DATABASE_URL',
      503,
    );
  }
  return context.database.pool();
}
