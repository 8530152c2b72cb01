/**
 * Plans, their versions and work orders in PostgreSQL (routing/migrations). One function per domain
 * operation; every write that spans tables runs in one transaction, so a failure leaves nothing half
 * written.
 */
import type pg from 'pg';

export interface PlanVersionRecord {
  input: unknown;
  solution: unknown;
  summary: unknown;
  createdBy: string;
  workOrders: {
    carrier_id: string;
    vehicle_id: string;
    date: string;
    stops: unknown;
    summary: unknown;
  }[];
}

export interface PlanRow {
  id: number;
  name: string;
  period_from: string;
  period_to: string;
  created_by: string;
  created_at: string;
  latest_version: number;
  published_version: number | null;
}

export interface PlanVersionRow {
  plan_id: number;
  version: number;
  summary: unknown;
  created_by: string;
  created_at: string;
  published_at: string | null;
  input?: unknown;
  solution?: unknown;
}

export interface WorkOrderRow {
  id: number;
  plan_id: number;
  version: number;
  carrier_id: string;
  vehicle_id: string;
  date: string;
  stops: unknown;
  summary: unknown;
  status: 'draft' | 'published';
  published_at: string | null;
}

// Dates as text (no time zone shifts through JS Date); ids as numbers (bigserial stays far below 2^53).
const PLAN_COLUMNS = `p.id::float8 AS id, p.name, p.period_from::text AS period_from, p.period_to::text AS period_to,
  p.created_by, p.created_at,
  (SELECT max(version) FROM plan_versions v WHERE v.plan_id = p.id) AS latest_version,
  (SELECT max(version) FROM plan_versions v WHERE v.plan_id = p.id AND v.published_at IS NOT NULL) AS published_version`;
const WORK_ORDER_COLUMNS = `id::float8 AS id, plan_id::float8 AS plan_id, version, carrier_id, vehicle_id,
  date::text AS date, stops, summary, status, published_at`;

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function insertVersion(
  client: pg.PoolClient,
  planId: number,
  version: number,
  record: PlanVersionRecord,
): Promise<void> {
  await client.query(
    `INSERT INTO plan_versions (plan_id, version, input, solution, summary, created_by)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      planId,
      version,
      JSON.stringify(record.input),
      JSON.stringify(record.solution),
      JSON.stringify(record.summary),
      record.createdBy,
    ],
  );
  if (record.workOrders.length === 0) return;
  // One statement for all of a version's orders.
  await client.query(
    `INSERT INTO work_orders (plan_id, version, carrier_id, vehicle_id, date, stops, summary)
     SELECT $1, $2, o.carrier_id, o.vehicle_id, o.date::date, o.stops, o.summary
     FROM jsonb_to_recordset($3::jsonb) AS o(carrier_id text, vehicle_id text, date text, stops jsonb, summary jsonb)`,
    [planId, version, JSON.stringify(record.workOrders)],
  );
}

/** A new plan with its first version; returns the plan id. */
export async function createPlan(
  pool: pg.Pool,
  plan: { name: string; periodFrom: string; periodTo: string; createdBy: string },
  version: PlanVersionRecord,
): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO plans (name, period_from, period_to, created_by) VALUES ($1, $2, $3, $4) RETURNING id::float8 AS id`,
      [plan.name, plan.periodFrom, plan.periodTo, plan.createdBy],
    );
    const id = rows[0]!.id;
    await insertVersion(client, id, 1, version);
    return id;
  });
}

/** The next version of a plan (re-optimisation); older versions stay. Null when the plan does not exist. */
export async function addPlanVersion(
  pool: pg.Pool,
  planId: number,
  period: { from: string; to: string },
  version: PlanVersionRecord,
): Promise<number | null> {
  return inTransaction(pool, async (client) => {
    // The plan row's lock serialises concurrent re-optimisations of one plan.
    const locked = await client.query('SELECT id FROM plans WHERE id = $1 FOR UPDATE', [planId]);
    if (locked.rowCount === 0) return null;
    const { rows } = await client.query<{ next: number }>(
      'SELECT coalesce(max(version), 0) + 1 AS next FROM plan_versions WHERE plan_id = $1',
      [planId],
    );
    const next = rows[0]!.next;
    await client.query('UPDATE plans SET period_from = $2, period_to = $3 WHERE id = $1', [
      planId,
      period.from,
      period.to,
    ]);
    await insertVersion(client, planId, next, version);
    return next;
  });
}

export async function listPlans(pool: pg.Pool): Promise<PlanRow[]> {
  const { rows } = await pool.query<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM plans p ORDER BY p.id DESC`);
  return rows;
}

export async function findPlan(pool: pg.Pool, planId: number): Promise<PlanRow | null> {
  const { rows } = await pool.query<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM plans p WHERE p.id = $1`, [planId]);
  return rows[0] ?? null;
}

export async function listPlanVersions(pool: pg.Pool, planId: number): Promise<PlanVersionRow[]> {
  const { rows } = await pool.query<PlanVersionRow>(
    `SELECT plan_id::float8 AS plan_id, version, summary, created_by, created_at, published_at
     FROM plan_versions WHERE plan_id = $1 ORDER BY version`,
    [planId],
  );
  return rows;
}

export async function findPlanVersion(
  pool: pg.Pool,
  planId: number,
  version: number,
): Promise<PlanVersionRow | null> {
  const { rows } = await pool.query<PlanVersionRow>(
    `SELECT plan_id::float8 AS plan_id, version, summary, created_by, created_at, published_at, input, solution
     FROM plan_versions WHERE plan_id = $1 AND version = $2`,
    [planId, version],
  );
  return rows[0] ?? null;
}

export async function listWorkOrders(
  pool: pg.Pool,
  planId: number,
  version: number,
  filter: { carrierId?: string; vehicleId?: string } = {},
): Promise<WorkOrderRow[]> {
  const { rows } = await pool.query<WorkOrderRow>(
    `SELECT ${WORK_ORDER_COLUMNS} FROM work_orders
     WHERE plan_id = $1 AND version = $2
       AND ($3::text IS NULL OR carrier_id = $3) AND ($4::text IS NULL OR vehicle_id = $4)
     ORDER BY carrier_id, vehicle_id, date`,
    [planId, version, filter.carrierId ?? null, filter.vehicleId ?? null],
  );
  return rows;
}

/**
 * Publishes a version to the drivers: the version and its work orders get `published_at` and the
 * orders become `published`. Publishing again changes nothing. Null when the version does not exist.
 */
export async function publishPlanVersion(
  pool: pg.Pool,
  planId: number,
  version: number,
): Promise<{ publishedAt: string; workOrders: number } | null> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ published_at: Date }>(
      `UPDATE plan_versions SET published_at = coalesce(published_at, now())
       WHERE plan_id = $1 AND version = $2 RETURNING published_at`,
      [planId, version],
    );
    if (rows.length === 0) return null;
    await client.query(
      `UPDATE work_orders SET status = 'published', published_at = $3
       WHERE plan_id = $1 AND version = $2 AND status = 'draft'`,
      [planId, version, rows[0]!.published_at],
    );
    const total = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM work_orders WHERE plan_id = $1 AND version = $2',
      [planId, version],
    );
    return { publishedAt: rows[0]!.published_at.toISOString(), workOrders: total.rows[0]!.n };
  });
}

/** The newest published work order of a vehicle for a day (what the driver's app shows), or null. */
export async function publishedWorkOrder(
  pool: pg.Pool,
  vehicleId: string,
  date: string,
  /** Only this carrier's order (carrier staff and drivers). */
  carrierId?: string,
): Promise<WorkOrderRow | null> {
  const { rows } = await pool.query<WorkOrderRow>(
    `SELECT ${WORK_ORDER_COLUMNS} FROM work_orders
     WHERE vehicle_id = $1 AND date = $2::date AND status = 'published'
       AND ($3::text IS NULL OR carrier_id = $3)
     ORDER BY published_at DESC, version DESC LIMIT 1`,
    [vehicleId, date, carrierId ?? null],
  );
  return rows[0] ?? null;
}

/**
 * Deletes a plan with its versions and work orders, unless a version was published (drivers may hold
 * its orders): 'published' then, and nothing changes.
 */
export async function deletePlan(
  pool: pg.Pool,
  planId: number,
): Promise<'deleted' | 'published' | 'missing'> {
  const { rows } = await pool.query<{ outcome: 'deleted' | 'published' | 'missing' }>(
    `WITH target AS (
       SELECT p.id, EXISTS (SELECT 1 FROM plan_versions v WHERE v.plan_id = p.id AND v.published_at IS NOT NULL)
              AS published
       FROM plans p WHERE p.id = $1 FOR UPDATE),
     removed AS (DELETE FROM plans WHERE id IN (SELECT id FROM target WHERE NOT published) RETURNING id)
     SELECT CASE WHEN EXISTS (SELECT 1 FROM removed) THEN 'deleted'
                 WHEN EXISTS (SELECT 1 FROM target) THEN 'published' ELSE 'missing' END AS outcome`,
    [planId],
  );
  return rows[0]!.outcome;
}
