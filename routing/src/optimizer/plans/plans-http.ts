/**
 * Plans and work orders over HTTP (under /plans): create a plan over a period (every day optimized),
 * re-optimise it into a new version (old ones kept), read versions and work orders per day, week or
 * month, publish a version to the drivers, and the driver app's "today's work order of my vehicle".
 * Without a database the service still routes; these endpoints then answer 503.
 *
 * `?async=true` on the two computing calls answers 202 at once with a job to poll (GET /plans/jobs/{id}):
 * a month of days can take longer than an HTTP proxy waits.
 *
 * Every endpoint needs the platform's access token: dispatchers and admins plan and publish; carrier
 * staff read their own company's work orders; drivers read their company's vehicles' orders of the day.
 */
import type http from 'node:http';
import type { PlanDatabase } from '../../db/plan-database.js';
import {
  addPlanVersion,
  createPlan,
  deletePlan,
  findPlan,
  findPlanVersion,
  listPlans,
  listPlanVersions,
  listWorkOrders,
  publishedWorkOrder,
  publishPlanVersion,
} from '../../db/plan-store.js';
import { answerPreflight, readJsonBody, sendError, sendJson, type HttpRoute } from '../api/http-json.js';
import type { OptimizerContext } from '../api/optimize-plan-request.js';
import { OptimizerInputError, parseInput } from '../api/optimizer-error.js';
import { carrierScopeOf } from '@msw/gateway/auth/access-token';
import {
  PLANNER_ROLES,
  requestActor,
  requireRole,
  type AccessClaims,
  type Role,
} from '../api/request-actor.js';
import { planRequestSchema } from '../api/plan-request-schema.js';
import { findPlanJob } from '../../db/plan-jobs.js';
import { optimizePlanPeriod, planPeriodDays, type PeriodPlan } from './optimize-plan-period.js';
import { createPlanJobRunner, type PlanJobOutcome } from './plan-job-runner.js';
import { planInputSchema, planVersionInputSchema } from './plan-input-schema.js';
import { groupWorkOrders, type WorkOrder, type WorkOrderPeriod } from './work-orders.js';

export interface PlansHttpOptions extends OptimizerContext {
  /** Undefined when DATABASE_URL is not set. */
  database: PlanDatabase | undefined;
  utcOffsetMinutes: number;
  maxBodyBytes?: number;
  logError?: (error: unknown, request: { method: string; url: string }) => void;
  /** The clock for "today" (tests). */
  now?: () => number;
}

type Handler = (
  match: string[],
  url: URL,
  request: http.IncomingMessage,
  actor: AccessClaims,
) => Promise<[number, unknown]>;

const COMPANY_ROLES: readonly Role[] = [...PLANNER_ROLES, 'carrier'];
const DRIVER_APP_ROLES: readonly Role[] = [...COMPANY_ROLES, 'driver'];

const notFound = (ru: string, en: string): OptimizerInputError =>
  new OptimizerInputError('NotFound', ru, en, 404);

export function createPlansRoutes(options: PlansHttpOptions): HttpRoute & { close(): Promise<void> } {
  const maxBodyBytes = options.maxBodyBytes ?? 20_000_000;
  const now = options.now ?? Date.now;
  const jobs = createPlanJobRunner((error) => options.logError?.(error, { method: 'POST', url: '/plans' }));

  const pool = async () => {
    if (!options.database) {
      throw new OptimizerInputError(
        'DatabaseUnavailable',
        'Планы недоступны: служба маршрутизации запущена без базы данных (задайте DATABASE_URL)',
        'Plans are unavailable: the routing service runs without a database (set DATABASE_URL)',
        503,
      );
    }
    try {
      return await options.database.pool();
    } catch (error) {
      options.logError?.(error, { method: '', url: '/plans' });
      throw new OptimizerInputError(
        'DatabaseUnavailable',
        'База данных планов недоступна, повторите запрос позже',
        'The plans database is unavailable, try again later',
        503,
      );
    }
  };

  const optimize = (
    request: Parameters<typeof optimizePlanPeriod>[0],
    period: { from: string; to: string },
    onProgress?: (daysDone: number) => void,
  ) => optimizePlanPeriod(request, period, options, onProgress);

  /** Runs `work` now (201 when done) or, with `?async=true`, as a job (202 with where to poll). */
  const runOrQueue = async (
    url: URL,
    job: {
      kind: 'create' | 'version';
      planId: number | null;
      period: { from: string; to: string };
      createdBy: string;
    },
    work: (onProgress?: (daysDone: number) => void) => Promise<PlanJobOutcome>,
  ): Promise<[number, unknown]> => {
    const daysTotal = planPeriodDays(job.period);
    if (url.searchParams.get('async') !== 'true') {
      const done = await work();
      return [done.status, done.body];
    }
    const id = await jobs.start(await pool(), { ...job, daysTotal }, work);
    return [202, { job_id: id, status: 'running', days_total: daysTotal, status_url: `/plans/jobs/${id}` }];
  };

  const versionRecord = (input: unknown, plan: PeriodPlan, createdBy: string) => ({
    input,
    solution: { days: plan.days },
    summary: plan.summary,
    createdBy,
    workOrders: plan.workOrders,
  });

  const planId = (raw: string): number => {
    const id = Number(raw);
    if (!Number.isSafeInteger(id) || id < 1) throw notFound(`План ${raw} не найден`, `Plan ${raw} not found`);
    return id;
  };

  const routes: [string, RegExp, readonly Role[], Handler][] = [
    [
      'GET',
      /^\/plans\/vehicles\/([^/]+)\/today$/,
      DRIVER_APP_ROLES,
      async ([vehicleId], url, _, actor) => {
        const date = url.searchParams.get('date') ?? localDate(now(), options.utcOffsetMinutes);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
          throw new OptimizerInputError(
            'InvalidInput',
            'Дата должна быть в виде ГГГГ-ММ-ДД',
            'date must be YYYY-MM-DD',
          );
        }
        // Another company's vehicle reads as "no order", not as "forbidden": nothing is disclosed.
        const order = await publishedWorkOrder(
          await pool(),
          decodeURIComponent(vehicleId!),
          date,
          carrierScopeOf(actor),
        );
        if (!order) {
          throw notFound(
            `Нет опубликованного наряда для машины ${vehicleId} на ${date}`,
            `No published work order for vehicle ${vehicleId} on ${date}`,
          );
        }
        return [200, order];
      },
    ],
    [
      'POST',
      /^\/plans$/,
      PLANNER_ROLES,
      async (_, url, request, actor) => {
        const db = await pool();
        const input = parseInput(planInputSchema, await readJsonBody(request, maxBodyBytes));
        const job = { kind: 'create' as const, planId: null, period: input.period, createdBy: actor.sub };
        return runOrQueue(url, job, async (onProgress) => {
          const plan = await optimize(input.request, input.period, onProgress);
          const id = await createPlan(
            db,
            {
              name: input.name,
              periodFrom: input.period.from,
              periodTo: input.period.to,
              createdBy: actor.sub,
            },
            versionRecord({ ...input, created_by: actor.sub }, plan, actor.sub),
          );
          return {
            status: 201,
            planId: id,
            body: { id, version: 1, summary: plan.summary, days: daySummaries(plan) },
          };
        });
      },
    ],
    ['GET', /^\/plans$/, PLANNER_ROLES, async () => [200, { plans: await listPlans(await pool()) }]],
    [
      'GET',
      /^\/plans\/jobs\/(\d+)$/,
      PLANNER_ROLES,
      async ([raw]) => {
        const job = await findPlanJob(await pool(), Number(raw));
        if (!job) throw notFound(`Задание расчёта ${raw} не найдено`, `Plan job ${raw} not found`);
        const { result, ...rest } = job;
        return [
          200,
          {
            ...rest,
            ...(result && job.status === 'done' ? { result: result.body } : {}),
            ...(result && job.status === 'failed' ? { error: result.body } : {}),
          },
        ];
      },
    ],
    [
      'GET',
      /^\/plans\/([^/]+)$/,
      PLANNER_ROLES,
      async ([raw]) => {
        const db = await pool();
        const plan = await findPlan(db, planId(raw!));
        if (!plan) throw notFound(`План ${raw} не найден`, `Plan ${raw} not found`);
        return [200, { ...plan, versions: await listPlanVersions(db, plan.id) }];
      },
    ],
    [
      'DELETE',
      /^\/plans\/([^/]+)$/,
      PLANNER_ROLES,
      async ([raw]) => {
        const outcome = await deletePlan(await pool(), planId(raw!));
        if (outcome === 'missing') throw notFound(`План ${raw} не найден`, `Plan ${raw} not found`);
        if (outcome === 'published') {
          throw new OptimizerInputError(
            'Conflict',
            `План ${raw} опубликован водителям и не может быть удалён`,
            `Plan ${raw} has a published version and cannot be deleted`,
            409,
          );
        }
        return [200, { id: Number(raw), deleted: true }];
      },
    ],
    [
      'POST',
      /^\/plans\/([^/]+)\/versions$/,
      PLANNER_ROLES,
      async ([raw], url, request, actor) => {
        const id = planId(raw!);
        const body = parseInput(planVersionInputSchema, await readJsonBody(request, maxBodyBytes));
        const db = await pool();
        const plan = await findPlan(db, id);
        if (!plan) throw notFound(`План ${raw} не найден`, `Plan ${raw} not found`);
        const latest = await findPlanVersion(db, id, plan.latest_version);
        const previous = latest?.input as { request: unknown; name: string } | undefined;
        const requestInput = body.request ?? parseInput(planRequestSchema, previous?.request);
        const period = body.period ?? { from: plan.period_from, to: plan.period_to };
        const job = { kind: 'version' as const, planId: id, period, createdBy: actor.sub };
        return runOrQueue(url, job, async (onProgress) => {
          const result = await optimize(requestInput, period, onProgress);
          const input = { name: plan.name, period, created_by: actor.sub, request: requestInput };
          const version = await addPlanVersion(db, id, period, versionRecord(input, result, actor.sub));
          if (version === null) throw notFound(`План ${raw} не найден`, `Plan ${raw} not found`);
          return {
            status: 201,
            planId: id,
            body: { id, version, summary: result.summary, days: daySummaries(result) },
          };
        });
      },
    ],
    [
      'GET',
      /^\/plans\/([^/]+)\/versions\/(\d+)$/,
      PLANNER_ROLES,
      async ([raw, version]) => {
        const found = await findPlanVersion(await pool(), planId(raw!), Number(version));
        if (!found)
          throw notFound(
            `Версия ${version} плана ${raw} не найдена`,
            `Version ${version} of plan ${raw} not found`,
          );
        return [200, found];
      },
    ],
    [
      'POST',
      /^\/plans\/([^/]+)\/versions\/(\d+)\/publish$/,
      PLANNER_ROLES,
      async ([raw, version]) => {
        const published = await publishPlanVersion(await pool(), planId(raw!), Number(version));
        if (!published)
          throw notFound(
            `Версия ${version} плана ${raw} не найдена`,
            `Version ${version} of plan ${raw} not found`,
          );
        return [
          200,
          {
            id: Number(raw),
            version: Number(version),
            published_at: published.publishedAt,
            work_orders: published.workOrders,
          },
        ];
      },
    ],
    [
      'GET',
      /^\/plans\/([^/]+)\/work-orders$/,
      COMPANY_ROLES,
      async ([raw], url, _, actor) => {
        const db = await pool();
        const plan = await findPlan(db, planId(raw!));
        if (!plan) throw notFound(`План ${raw} не найден`, `Plan ${raw} not found`);
        const period = (url.searchParams.get('period') ?? 'daily') as WorkOrderPeriod;
        if (!['daily', 'weekly', 'monthly'].includes(period)) {
          throw new OptimizerInputError(
            'InvalidInput',
            'Параметр period: daily, weekly или monthly',
            'period must be daily, weekly or monthly',
          );
        }
        const version = Number(url.searchParams.get('version') ?? plan.latest_version);
        // A carrier's own company, whatever it asks for.
        const carrierId = carrierScopeOf(actor) ?? url.searchParams.get('carrier_id') ?? undefined;
        const vehicleId = url.searchParams.get('vehicle_id') ?? undefined;
        const rows = await listWorkOrders(db, plan.id, version, {
          ...(carrierId ? { carrierId } : {}),
          ...(vehicleId ? { vehicleId } : {}),
        });
        const status = new Map(rows.map((row) => [`${row.vehicle_id}/${row.date}`, row.status]));
        const groups = groupWorkOrders(rows as unknown as WorkOrder[], period).map((group) => ({
          ...group,
          status: group.days.every((day) => status.get(`${group.vehicle_id}/${day}`) === 'published')
            ? 'published'
            : 'draft',
        }));
        return [200, { id: plan.id, version, period, work_orders: groups }];
      },
    ],
  ];

  const route: HttpRoute = async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/$/, '');
    if (path !== '/plans' && !path.startsWith('/plans/')) return false;
    if (request.method === 'OPTIONS') {
      answerPreflight(response);
      return true;
    }
    const log = (error: unknown): void =>
      options.logError?.(error, { method: request.method ?? '', url: request.url ?? '' });
    let pathMatched = false;
    for (const [method, pattern, roles, handler] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (method !== request.method) continue;
      try {
        const actor = requireRole(await requestActor(request, options.jwtSecret), roles);
        const [status, body] = await handler(match.slice(1), url, request, actor);
        sendJson(response, status, body);
      } catch (error) {
        sendError(response, error, log);
      }
      return true;
    }
    request.resume();
    sendJson(
      response,
      pathMatched ? 405 : 404,
      pathMatched
        ? {
            code: 'NotImplemented',
            message: `Метод ${request.method ?? ''} не поддерживается`,
            message_en: `Method ${request.method ?? ''} is not supported`,
          }
        : {
            code: 'NotFound',
            message: `Нет такого адреса: ${path}`,
            message_en: `No such endpoint: ${path}`,
          },
    );
    return true;
  };
  return Object.assign(route, { close: () => jobs.close() });
}

function daySummaries(plan: PeriodPlan) {
  return plan.days.map(({ date, plan: day }) => ({
    date,
    vehicles: day.summary.vehicles_used,
    sites_served: day.summary.sites_served,
    sites_unassigned: day.summary.sites_unassigned,
    distance_m: day.summary.distance_m,
    feasible: day.check.feasible,
  }));
}

/** The region's calendar date at `ms`. */
function localDate(ms: number, utcOffsetMinutes: number): string {
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}
