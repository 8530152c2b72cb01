import type pg from 'pg';
import type { Actor, RowScope } from '../auth/actor.js';
import type { LotSettlement } from '../settlements/settlement-rules.js';
import { writeAudit } from './audit.js';
import type { Queryable } from './pool.js';

export type SettlementStatus = 'draft' | 'approved' | 'superseded';

/** A stored settlement: the lot's figures (without the fact and visit lines) and its bookkeeping. */
export interface SettlementSummary extends Omit<LotSettlement, 'facts' | 'visits'> {
  id: string;
  carrierName: string;
  contractNumber: string;
  lotName: string;
  /** YYYY-MM */
  period: string;
  version: number;
  status: SettlementStatus;
  computedAt: string;
  approvedAt: string | null;
  approvedBy: string | null;
}

export interface Settlement extends SettlementSummary {
  details: Pick<LotSettlement, 'facts' | 'visits'>;
}

const SUMMARY_COLUMNS = `
  s.id, s.carrier_id AS "carrierId", ca.name AS "carrierName", s.contract_id AS "contractId",
  c.number AS "contractNumber", c.lot_name AS "lotName", to_char(s.period_month, 'YYYY-MM') AS period,
  s.version, s.status, s.period_from AS "periodFrom", s.period_to AS "periodTo", s.tariff_unit AS "tariffUnit",
  s.tariff_rub::text AS "tariffRub", s.facts_counted AS "factsCounted", s.facts_pending AS "factsPending",
  s.facts_excluded AS "factsExcluded", s.volume_m3::text AS "volumeM3", s.mass_t::text AS "massT",
  s.unweighed_facts AS "unweighedFacts", s.trips, s.quantity::text AS quantity,
  s.accrual_rub::text AS "accrualRub", s.visits_planned AS "visitsPlanned", s.visits_served AS "visitsServed",
  s.visits_late AS "visitsLate", s.visits_missed AS "visitsMissed", s.visits_excused AS "visitsExcused",
  s.deduction_rule AS "deductionRule", s.deduction_rub::text AS "deductionRub", s.total_rub::text AS "totalRub",
  s.computed_at AS "computedAt", s.approved_at AS "approvedAt", s.approved_by AS "approvedBy"`;
const FROM = `carrier_settlements s JOIN contracts c ON c.id = s.contract_id JOIN carriers ca ON ca.id = s.carrier_id`;

function scoped(scope: RowScope, params: unknown[]): string {
  if (scope.ownerUserId !== undefined) return ' AND false';
  if (scope.carrierId === undefined) return '';
  params.push(scope.carrierId);
  return ` AND s.carrier_id = $${params.length}::uuid`;
}

export interface SettlementFilter {
  carrierId?: string;
  contractId?: string;
  /** YYYY-MM */
  period?: string;
  status?: SettlementStatus;
  limit: number;
  offset: number;
}

export async function listSettlements(
  db: Queryable,
  scope: RowScope,
  filter: SettlementFilter,
): Promise<{ items: SettlementSummary[]; total: number }> {
  const params: unknown[] = [
    filter.carrierId ?? null,
    filter.contractId ?? null,
    filter.period ? `${filter.period}-01` : null,
    filter.status ?? null,
  ];
  const where =
    `($1::uuid IS NULL OR s.carrier_id = $1) AND ($2::uuid IS NULL OR s.contract_id = $2)
     AND ($3::date IS NULL OR s.period_month = $3) AND ($4::text IS NULL OR s.status = $4)` +
    scoped(scope, params);
  params.push(filter.limit, filter.offset);
  const result = await db.query<SettlementSummary & { __total: string }>(
    `SELECT ${SUMMARY_COLUMNS}, count(*) OVER () AS "__total" FROM ${FROM} WHERE ${where}
      ORDER BY s.period_month DESC, c.number, s.version DESC
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const total = result.rows[0] ? Number(result.rows[0].__total) : 0;
  return { items: result.rows.map(({ __total: _total, ...row }) => row), total };
}

export async function findSettlement(
  db: Queryable,
  scope: RowScope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Settlement | undefined> {
  const params: unknown[] = [id];
  const result = await db.query<Settlement>(
    `SELECT ${SUMMARY_COLUMNS}, s.details FROM ${FROM} WHERE s.id = $1${scoped(scope, params)}
     ${options.forUpdate ? 'FOR UPDATE OF s' : ''}`,
    params,
  );
  return result.rows[0];
}

/** The newest version of a lot's month, locked (so concurrent computations queue). */
export async function findLatestVersion(
  tx: pg.PoolClient,
  contractId: string,
  month: string,
): Promise<{ id: string; version: number; status: SettlementStatus } | undefined> {
  const result = await tx.query<{ id: string; version: number; status: SettlementStatus }>(
    `SELECT id, version, status FROM carrier_settlements WHERE contract_id = $1 AND period_month = $2::date
      ORDER BY version DESC LIMIT 1 FOR UPDATE`,
    [contractId, month],
  );
  return result.rows[0];
}

function lotValues(lot: LotSettlement): unknown[] {
  return [
    lot.periodFrom,
    lot.periodTo,
    lot.tariffUnit,
    lot.tariffRub,
    lot.factsCounted,
    lot.factsPending,
    lot.factsExcluded,
    lot.volumeM3,
    lot.massT,
    lot.unweighedFacts,
    lot.trips,
    lot.quantity,
    lot.accrualRub,
    lot.visitsPlanned,
    lot.visitsServed,
    lot.visitsLate,
    lot.visitsMissed,
    lot.visitsExcused,
    lot.deductionRule,
    lot.deductionRub,
    lot.totalRub,
    JSON.stringify({ facts: lot.facts, visits: lot.visits }),
  ];
}
const LOT_COLUMNS = `period_from, period_to, tariff_unit, tariff_rub, facts_counted, facts_pending, facts_excluded,
  volume_m3, mass_t, unweighed_facts, trips, quantity, accrual_rub, visits_planned, visits_served, visits_late,
  visits_missed, visits_excused, deduction_rule, deduction_rub, total_rub, details`;

// The audit row keeps the figures; the per-fact details are in the settlement row itself.
async function auditSettlement(
  tx: pg.PoolClient,
  actor: Actor,
  action: 'create' | 'update',
  id: string,
  before: SettlementSummary | undefined,
): Promise<SettlementSummary> {
  const after = (await findSettlement(tx, {}, id))!;
  const { details: _details, ...summary } = after;
  await writeAudit(tx, actor, action, 'carrier_settlement', id, before, summary);
  return summary;
}

export async function insertSettlementVersion(
  tx: pg.PoolClient,
  actor: Actor,
  month: string,
  version: number,
  lot: LotSettlement,
): Promise<SettlementSummary> {
  const values = lotValues(lot);
  const placeholders = values.map((_, i) => `$${i + 6}`).join(', ');
  const result = await tx.query<{ id: string }>(
    `INSERT INTO carrier_settlements (carrier_id, contract_id, period_month, version, computed_by, status, ${LOT_COLUMNS})
     VALUES ($1, $2, $3::date, $4, $5, 'draft', ${placeholders}) RETURNING id`,
    [lot.carrierId, lot.contractId, month, version, actor.userId, ...values],
  );
  return auditSettlement(tx, actor, 'create', result.rows[0]!.id, undefined);
}

export async function rewriteDraft(
  tx: pg.PoolClient,
  actor: Actor,
  id: string,
  lot: LotSettlement,
): Promise<SettlementSummary> {
  const { details: _details, ...before } = (await findSettlement(tx, {}, id))!;
  const values = lotValues(lot);
  const assignments = LOT_COLUMNS.split(',')
    .map((column, i) => `${column.trim()} = $${i + 3}`)
    .join(', ');
  await tx.query(
    `UPDATE carrier_settlements SET ${assignments}, computed_by = $2, computed_at = now(), updated_at = now()
      WHERE id = $1 AND status = 'draft'`,
    [id, actor.userId, ...values],
  );
  return auditSettlement(tx, actor, 'update', id, before);
}

/** Approves a draft and supersedes the lot month's previously approved version, in one transaction. */
export async function approveDraft(
  tx: pg.PoolClient,
  actor: Actor,
  settlement: Settlement,
): Promise<SettlementSummary> {
  const previous = await tx.query<{ id: string }>(
    `UPDATE carrier_settlements SET status = 'superseded', updated_at = now()
      WHERE contract_id = $1 AND period_month = $2::date AND status = 'approved' RETURNING id`,
    [settlement.contractId, `${settlement.period}-01`],
  );
  for (const row of previous.rows) {
    await writeAudit(
      tx,
      actor,
      'update',
      'carrier_settlement',
      row.id,
      { status: 'approved' },
      { status: 'superseded' },
    );
  }
  const { details: _details, ...before } = settlement;
  await tx.query(
    `UPDATE carrier_settlements SET status = 'approved', approved_by = $2, approved_at = now(), updated_at = now()
      WHERE id = $1`,
    [settlement.id, actor.userId],
  );
  return auditSettlement(tx, actor, 'update', settlement.id, before);
}
