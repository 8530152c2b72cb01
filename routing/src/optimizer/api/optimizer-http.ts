/**
 * The optimizer's endpoints on the routing server: `POST /optimize` (our JSON in and out) and
 * `POST /vroom` (VROOM input and output). Both take `?time_limit_s=` (capped by the server);
 * invalid input is a 400 `{code, message, message_en}` with the Russian message first.
 */
import { vroomInputSchema } from './vroom-input.js';
import { optimizePlanRequest, type OptimizerContext } from './optimize-plan-request.js';
import { optimizeVroomRequest } from './optimize-vroom-request.js';
import { parseInput } from './optimizer-error.js';
import { planRequestSchema } from './plan-request-schema.js';
import { PLANNER_ROLES, requestActor, requireRole } from './request-actor.js';
import {
  answerPreflight,
  queryNumber,
  readJsonBody,
  sendError,
  sendJson,
  type HttpRoute,
} from './http-json.js';

export interface OptimizerHttpOptions extends OptimizerContext {
  /** Largest request body (bytes); default 20 MB. */
  maxBodyBytes?: number;
  logError?: (error: unknown, request: { method: string; url: string }) => void;
}

export function createOptimizerRoutes(options: OptimizerHttpOptions): HttpRoute {
  const maxBodyBytes = options.maxBodyBytes ?? 20_000_000;
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/$/, '');
    if (path !== '/optimize' && path !== '/vroom') return false;
    const log = (error: unknown): void =>
      options.logError?.(error, { method: request.method ?? 'POST', url: request.url ?? '' });
    const vroom = path === '/vroom';
    if (request.method === 'OPTIONS') {
      answerPreflight(response);
      return true;
    }
    if (request.method !== 'POST') {
      sendJson(response, 405, {
        code: 'NotImplemented',
        message: `Метод ${request.method ?? ''} не поддерживается, используйте POST`,
        message_en: `Method ${request.method ?? ''} is not supported, use POST`,
      });
      return true;
    }
    try {
      const body = await readJsonBody(request, maxBodyBytes);
      if (vroom) {
        const input = parseInput(vroomInputSchema, body);
        const output = await optimizeVroomRequest(input, options, {
          timeLimitS: queryNumber(url, 'time_limit_s', 10, 0.1, 3600),
          seed: queryNumber(url, 'seed', 1, 0, 2 ** 31),
          geometry: url.searchParams.get('geometry') === 'true',
        });
        sendJson(response, 200, output);
      } else {
        const input = parseInput(planRequestSchema, body);
        // Live state reads where the fleet is now: dispatchers only.
        if (input.options.live_state)
          requireRole(await requestActor(request, options.jwtSecret), PLANNER_ROLES);
        const timeLimit = queryNumber(url, 'time_limit_s', input.options.time_limit_s, 0.1, 3600);
        const output = await optimizePlanRequest(
          { ...input, options: { ...input.options, time_limit_s: timeLimit } },
          options,
        );
        sendJson(response, 200, output);
      }
    } catch (error) {
      // VROOM clients read `error` when `code` is not 0.
      sendError(
        response,
        error,
        log,
        vroom ? { error: error instanceof Error ? error.message : 'internal error' } : {},
      );
    }
    return true;
  };
}
