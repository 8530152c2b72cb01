/**
 * Runs long plan computations in the background of this process and records them in `plan_jobs`: a
 * heartbeat while it runs, the days done, and at the end the response the synchronous call would have
 * given. Closing the service marks its unfinished jobs interrupted instead of leaving them "running".
 */
import type pg from 'pg';
import {
  finishPlanJob,
  insertPlanJob,
  INTERRUPTED,
  touchPlanJob,
  type PlanJobKind,
} from '../../db/plan-jobs.js';
import { OptimizerInputError } from '../api/optimizer-error.js';

const HEARTBEAT_MS = 30_000;

export interface PlanJobOutcome {
  status: number;
  body: unknown;
  /** The plan the job created or re-optimised. */
  planId?: number;
}

export type PlanJobWork = (onProgress: (daysDone: number) => void) => Promise<PlanJobOutcome>;

export interface PlanJobRunner {
  /** Records the job and starts it; resolves with its id once recorded (the work goes on). */
  start(
    pool: pg.Pool,
    job: { kind: PlanJobKind; planId: number | null; daysTotal: number; createdBy: string },
    work: PlanJobWork,
  ): Promise<number>;
  close(): Promise<void>;
}

export function createPlanJobRunner(logError: (error: unknown) => void): PlanJobRunner {
  const running = new Map<number, pg.Pool>();
  let closed = false;
  const internal = {
    code: 'InternalError',
    message: 'Внутренняя ошибка сервера',
    message_en: 'Internal Server Error',
  };

  return {
    async start(pool, job, work) {
      const id = await insertPlanJob(pool, job);
      running.set(id, pool);
      const heartbeat = setInterval(() => void touchPlanJob(pool, id).catch(logError), HEARTBEAT_MS);
      heartbeat.unref();
      const progress = (daysDone: number): void => {
        if (!closed) void touchPlanJob(pool, id, daysDone).catch(logError);
      };
      void (async () => {
        let outcome: Parameters<typeof finishPlanJob>[2];
        try {
          const done = await work(progress);
          outcome = {
            status: 'done',
            result: { status: done.status, body: done.body },
            ...(done.planId !== undefined ? { planId: done.planId } : {}),
          };
        } catch (error) {
          if (!(error instanceof OptimizerInputError)) logError(error);
          outcome = {
            status: 'failed',
            result:
              error instanceof OptimizerInputError
                ? { status: error.status, body: error.toBody() }
                : { status: 500, body: internal },
          };
        } finally {
          clearInterval(heartbeat);
        }
        // After close() the job is already recorded as interrupted, and the pool may be gone.
        if (closed) return;
        running.delete(id);
        await finishPlanJob(pool, id, outcome).catch(logError);
      })();
      return id;
    },

    async close() {
      closed = true;
      await Promise.all(
        [...running].map(([id, pool]) =>
          finishPlanJob(pool, id, { status: 'failed', result: { status: 500, body: INTERRUPTED } }).catch(
            logError,
          ),
        ),
      );
      running.clear();
    },
  };
}
