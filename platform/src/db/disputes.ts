import type pg from 'pg';
import type { Actor, RowScope } from '../auth/actor.js';
import { writeAudit } from './audit.js';
import type { Queryable } from './pool.js';
import { hasFactTables } from './settlement-sources.js';

export type DisputeStatus = 'open' | 'accepted' | 'rejected';

export interface EvidenceItem {
  kind: 'photo-url' | 'photo-id' | 'document';
  value: string;
}

export interface Dispute {
  id: string;
  carrierId: string;
  factId: string | null;
  plannedVisitId: string | null;
  comment: string;
  evidence: EvidenceItem[];
  claimedContainerCount: number | null;
  status: DisputeStatus;
  resolutionComment: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `id, carrier_id AS "carrierId", fact_id AS "factId", planned_visit_id AS "plannedVisitId", comment,
  evidence, claimed_container_count AS "claimedContainerCount", status, resolution_comment AS "resolutionComment",
  resolved_by AS "resolvedBy", resolved_at AS "resolvedAt", created_by AS "createdBy", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/** Carrier rows only for carrier users; consumers and other scoped roles see none. */
function scoped(scope: RowScope, params: unknown[], column = 'carrier_id'): string {
  if (scope.ownerUserId !== undefined) return ' AND false';
  if (scope.carrierId === undefined) return '';
  params.push(scope.carrierId);
  return ` AND ${column} = $${params.length}::uuid`;
}

/** The carrier whose vehicle made the fact, within the caller's scope; undefined when none. */
export async function findFactCarrier(
  db: Queryable,
  scope: RowScope,
  factId: string,
): Promise<string | undefined> {
  if (!(await hasFactTables(db))) return undefined;
  const params: unknown[] = [factId];
  const result = await db.query<{ carrierId: string }>(
    `SELECT v.carrier_id AS "carrierId" FROM collection_facts f
       JOIN vehicles v ON v.id::text = f.vehicle_id OR v.tracker_device_id = f.vehicle_id
      WHERE f.id = $1${scoped(scope, params, 'v.carrier_id')}`,
    params,
  );
  return result.rows[0]?.carrierId;
}

export async function findVisitCarrier(
  db: Queryable,
  scope: RowScope,
  visitId: string,
): Promise<string | undefined> {
  const params: unknown[] = [visitId];
  const result = await db.query<{ carrierId: string }>(
    `SELECT carrier_id AS "carrierId" FROM planned_visits WHERE id = $1${scoped(scope, params)}`,
    params,
  );
  return result.rows[0]?.carrierId;
}

export interface NewDispute {
  carrierId: string;
  factId: string | null;
  plannedVisitId: string | null;
  comment: string;
  evidence: EvidenceItem[];
  claimedContainerCount: number | null;
}

export async function insertDispute(tx: pg.PoolClient, actor: Actor, dispute: NewDispute): Promise<Dispute> {
  const result = await tx.query<Dispute>(
    `INSERT INTO disputes (carrier_id, fact_id, planned_visit_id, comment, evidence, claimed_container_count, created_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) RETURNING ${COLUMNS}`,
    [
      dispute.carrierId,
      dispute.factId,
      dispute.plannedVisitId,
      dispute.comment,
      JSON.stringify(dispute.evidence),
      dispute.claimedContainerCount,
      actor.userId,
    ],
  );
  const row = result.rows[0]!;
  await writeAudit(tx, actor, 'create', 'dispute', row.id, undefined, row);
  return row;
}

export async function findDispute(
  db: Queryable,
  scope: RowScope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Dispute | undefined> {
  const params: unknown[] = [id];
  const result = await db.query<Dispute>(
    `SELECT ${COLUMNS} FROM disputes WHERE id = $1${scoped(scope, params)}${options.forUpdate ? ' FOR UPDATE' : ''}`,
    params,
  );
  return result.rows[0];
}

export interface DisputeFilter {
  status?: DisputeStatus;
  carrierId?: string;
  factId?: string;
  limit: number;
  offset: number;
}

export async function listDisputes(
  db: Queryable,
  scope: RowScope,
  filter: DisputeFilter,
): Promise<{ items: Dispute[]; total: number }> {
  const params: unknown[] = [filter.status ?? null, filter.carrierId ?? null, filter.factId ?? null];
  const where =
    `($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR carrier_id = $2) AND ($3::text IS NULL OR fact_id = $3)` +
    scoped(scope, params);
  params.push(filter.limit, filter.offset);
  const result = await db.query<Dispute & { __total: string }>(
    `SELECT ${COLUMNS}, count(*) OVER () AS "__total" FROM disputes WHERE ${where}
      ORDER BY created_at DESC, id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const total = result.rows[0] ? Number(result.rows[0].__total) : 0;
  return { items: result.rows.map(({ __total: _total, ...row }) => row), total };
}

export async function resolveDispute(
  tx: pg.PoolClient,
  actor: Actor,
  before: Dispute,
  decision: 'accepted' | 'rejected',
  comment: string,
): Promise<Dispute> {
  const result = await tx.query<Dispute>(
    `UPDATE disputes SET status = $2, resolution_comment = $3, resolved_by = $4, resolved_at = now(), updated_at = now()
      WHERE id = $1 AND status = 'open' RETURNING ${COLUMNS}`,
    [before.id, decision, comment, actor.userId],
  );
  const row = result.rows[0]!;
  await writeAudit(tx, actor, 'update', 'dispute', row.id, before, row);
  return row;
}

export interface FactReview {
  factId: string;
  verdict: 'accepted' | 'rejected';
  comment: string;
  reviewedBy: string;
  reviewedAt: string;
}

/** A dispatcher's verdict on a fact; a later review replaces the earlier one (both audited). */
export async function saveFactReview(
  tx: pg.PoolClient,
  actor: Actor,
  factId: string,
  verdict: 'accepted' | 'rejected',
  comment: string,
): Promise<FactReview> {
  const columns = `fact_id AS "factId", verdict, comment, reviewed_by AS "reviewedBy", reviewed_at AS "reviewedAt"`;
  const before = (
    await tx.query<FactReview>(`SELECT ${columns} FROM fact_reviews WHERE fact_id = $1 FOR UPDATE`, [factId])
  ).rows[0];
  const result = await tx.query<FactReview>(
    `INSERT INTO fact_reviews (fact_id, verdict, comment, reviewed_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (fact_id) DO UPDATE SET verdict = EXCLUDED.verdict, comment = EXCLUDED.comment,
       reviewed_by = EXCLUDED.reviewed_by, reviewed_at = now()
     RETURNING ${columns}`,
    [factId, verdict, comment, actor.userId],
  );
  const row = result.rows[0]!;
  await writeAudit(tx, actor, before ? 'update' : 'create', 'fact_review', factId, before, row);
  return row;
}
