/**
 * Plan jobs in PostgreSQL: a long plan computation's progress and outcome, so any instance can answer
 * "how far is it" and a caller that lost its connection can still fetch the result.
 */
import type pg from 'pg';

export type PlanJobKind = 'create' | 'version';
export type PlanJobStatus = 'running' | 'done' | 'failed';

export interface PlanJobRow {
  id: number;
  kind: PlanJobKind;
  plan_id: number | null;
  status: PlanJobStatus;
  days_total: number;
  days_done: number;
  result: { status: number; body: unknown } | null;
  created_by: string;
  created_at: string;
  heartbeat_at: string;
  finished_at: string | null;
}

/** A running job whose heartbeat is older than this was abandoned by a process that died (s). */
export const JOB_STALE_AFTER_S = 120;

const COLUMNS = `id::float8 AS id, kind, plan_id::float8 AS plan_id, status, days_total, days_done, result,
  created_by, created_at, heartbeat_at, finished_at`;

export async function insertPlanJob(
  pool: pg.Pool,
  job: { kind: PlanJobKind; planId: number | null; daysTotal: number; createdBy: string },
): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO plan_jobs (kind, plan_id, days_total, created_by) VALUES ($1, $2, $3, $4)
     RETURNING id::float8 AS id`,
    [job.kind, job.planId, job.daysTotal, job.createdBy],
  );
  return rows[0]!.id;
}

/** Progress and heartbeat of a running job. */
export async function touchPlanJob(pool: pg.Pool, id: number, daysDone?: number): Promise<void> {
  await pool.query(
    `UPDATE plan_jobs SET heartbeat_at = now(), days_done = coalesce($2, days_done)
     WHERE id = $1 AND status = 'running'`,
    [id, daysDone ?? null],
  );
}

export async function finishPlanJob(
  pool: pg.Pool,
  id: number,
  outcome: { status: PlanJobStatus; planId?: number; result: { status: number; body: unknown } },
): Promise<void> {
  await pool.query(
    `UPDATE plan_jobs SET status = $2, plan_id = coalesce($3, plan_id), result = $4, finished_at = now(),
       heartbeat_at = now(), days_done = CASE WHEN $2 = 'done' THEN days_total ELSE days_done END
     WHERE id = $1`,
    [id, outcome.status, outcome.planId ?? null, JSON.stringify(outcome.result)],
  );
}

/** The answer of a job whose process ended before it finished. */
export const INTERRUPTED = {
  code: 'Interrupted',
  message: 'Расчёт плана прерван: служба маршрутизации была перезапущена. Запустите расчёт снова',
  message_en: 'The plan computation was interrupted by a restart of the routing service; start it again',
};

/** The job; a running one whose process stopped beating reads as failed (and is marked so). */
export async function findPlanJob(pool: pg.Pool, id: number): Promise<PlanJobRow | null> {
  await pool.query(
    `UPDATE plan_jobs SET status = 'failed', finished_at = now(), result = $2
     WHERE id = $1 AND status = 'running' AND heartbeat_at < now() - make_interval(secs => $3)`,
    [id, JSON.stringify({ status: 500, body: INTERRUPTED }), JOB_STALE_AFTER_S],
  );
  const { rows } = await pool.query<PlanJobRow>(`SELECT ${COLUMNS} FROM plan_jobs WHERE id = $1`, [id]);
  return rows[0] ?? null;
}
