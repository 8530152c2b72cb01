/**
 * POST /vroom end to end: VROOM input → travel matrix (the input's custom matrices, or the routing
 * engine's tables — per traffic slot when the times are unix timestamps) → solver → VROOM output.
 */
import type { LonLat } from '../../server/osrm-types.js';
import type { TravelMatrix } from '../model/plan-problem.js';
import { solveChecked, type OptimizerContext } from './optimize-plan-request.js';
import { routeGeometry } from './route-geometry.js';
import { buildTravelMatrix } from './travel-matrix.js';
import {
  customTravelMatrix,
  extendEngineMatrix,
  layoutVroomInput,
  vroomToProblem,
  type VroomInput,
  type VroomLayout,
} from './vroom-input.js';
import { vroomOutput, type VroomOutput } from './vroom-output.js';

export interface VroomOptions {
  timeLimitS: number;
  seed: number;
  /** VROOM's `-g`: encoded polyline per route. */
  geometry: boolean;
}

export async function optimizeVroomRequest(
  input: VroomInput,
  context: OptimizerContext,
  options: VroomOptions,
): Promise<VroomOutput> {
  const started = performance.now();
  const layout = layoutVroomInput(input);
  const travel = layout.needsEngineMatrix
    ? await engineMatrix(input, layout, context)
    : customTravelMatrix(input, layout);
  const problem = vroomToProblem(input, layout, travel);
  const loaded = performance.now();
  const solution = await solveChecked(
    problem,
    { time_limit_s: options.timeLimitS, seed: options.seed },
    context,
  );
  const solved = performance.now();
  let geometries: (LonLat[] | null)[] | undefined;
  if (options.geometry) {
    geometries = await Promise.all(
      solution.routes.map(async (route) => {
        const points = route.stops
          .filter((s) => s.kind !== 'break' && s.location !== layout.freeLocation)
          .map((s) => layout.coordinates[s.location]);
        if (points.some((p) => !p)) return null;
        const line = await routeGeometry(
          context.engine,
          points as LonLat[],
          layout.epochS > 0 ? layout.epochS + (route.stops[0]?.departure ?? 0) : undefined,
        );
        return line?.coordinates ?? null;
      }),
    );
  }
  return vroomOutput(input, layout, problem, solution, {
    ...(geometries ? { geometries } : {}),
    timings: {
      loading: Math.round(loaded - started),
      solving: Math.round(solved - loaded),
      routing: Math.round(performance.now() - solved),
    },
  });
}

async function engineMatrix(
  input: VroomInput,
  layout: VroomLayout,
  context: OptimizerContext,
): Promise<TravelMatrix> {
  const known = layout.coordinates.filter((c): c is LonLat => c !== null);
  const ends = input.vehicles.map((v) => v.time_window?.[1] ?? Infinity).filter(Number.isFinite);
  const horizonS = ends.length > 0 ? Math.max(...ends) - layout.epochS : 24 * 3600;
  const matrix = await buildTravelMatrix(context.engine, known, {
    epochS: layout.epochS,
    horizonS: Math.min(Math.max(3600, horizonS), 7 * 24 * 3600),
    slotSeconds: 3600,
    // Relative times (VROOM's other convention) carry no clock time: free flow.
    traffic: layout.epochS > 0,
  });
  return extendEngineMatrix(matrix, layout);
}
