import type { Queryable } from './pool.js';
import { hasFactTables } from './settlement-sources.js';

/**
 * What the reconciliation act and the accounting entries read: approved settlements (accruals and
 * deductions, dated by the last day of the settled period) and payments, per carrier.
 */

export interface Party {
  name: string;
  inn: string | null;
  kpp?: string | null;
  address: string | null;
}

export interface OperatorProfile extends Party {
  timeZone: string;
}

export interface LedgerSettlement {
  id: string;
  carrierId: string;
  carrierName: string;
  carrierInn: string;
  contractNumber: string;
  lotName: string;
  /** YYYY-MM */
  period: string;
  version: number;
  periodTo: string;
  accrualRub: string;
  deductionRub: string;
  totalRub: string;
  visitsMissed: number;
  visitsLate: number;
}

export interface LedgerPayment {
  id: string;
  carrierId: string;
  carrierName: string;
  carrierInn: string;
  contractNumber: string | null;
  paidOn: string;
  amountRub: string;
  documentNumber: string;
  purpose: string | null;
}

export interface LedgerContract {
  number: string;
  lotName: string;
  validFrom: string;
  validTo: string;
}

export interface LedgerDispute {
  id: string;
  subject: string;
  /** The date of the fact or planned visit disputed. */
  subjectDate: string;
  status: 'open' | 'accepted' | 'rejected';
  comment: string;
  resolutionComment: string | null;
}

export async function loadOperatorProfile(db: Queryable): Promise<OperatorProfile> {
  const result = await db.query<OperatorProfile>(
    `SELECT name, inn, kpp, address, time_zone AS "timeZone" FROM operator_profile WHERE id = 1`,
  );
  return result.rows[0]!;
}

export async function loadCarrierParty(db: Queryable, carrierId: string): Promise<Party | undefined> {
  const result = await db.query<Party>(`SELECT name, inn, address FROM carriers WHERE id = $1`, [carrierId]);
  return result.rows[0];
}

export async function contractsInForce(
  db: Queryable,
  carrierId: string,
  from: string,
  to: string,
): Promise<LedgerContract[]> {
  const result = await db.query<LedgerContract>(
    `SELECT number, lot_name AS "lotName", valid_from AS "validFrom", valid_to AS "validTo" FROM contracts
      WHERE carrier_id = $1 AND valid_from <= $3::date AND valid_to >= $2::date ORDER BY number`,
    [carrierId, from, to],
  );
  return result.rows;
}

/** Approved settlements whose period ends within [from, to]; superseded versions are left out. */
export async function approvedSettlements(
  db: Queryable,
  from: string,
  to: string,
  carrierId?: string,
): Promise<LedgerSettlement[]> {
  const result = await db.query<LedgerSettlement>(
    `SELECT s.id, s.carrier_id AS "carrierId", ca.name AS "carrierName", ca.inn AS "carrierInn",
            c.number AS "contractNumber", c.lot_name AS "lotName", to_char(s.period_month, 'YYYY-MM') AS period,
            s.version, s.period_to AS "periodTo", s.accrual_rub::text AS "accrualRub",
            s.deduction_rub::text AS "deductionRub", s.total_rub::text AS "totalRub",
            s.visits_missed AS "visitsMissed", s.visits_late AS "visitsLate"
       FROM carrier_settlements s JOIN contracts c ON c.id = s.contract_id JOIN carriers ca ON ca.id = s.carrier_id
      WHERE s.status = 'approved' AND s.period_to BETWEEN $1::date AND $2::date
        AND ($3::uuid IS NULL OR s.carrier_id = $3)
      ORDER BY s.period_to, ca.name, c.number`,
    [from, to, carrierId ?? null],
  );
  return result.rows;
}

export async function paymentsBetween(
  db: Queryable,
  from: string,
  to: string,
  carrierId?: string,
): Promise<LedgerPayment[]> {
  const result = await db.query<LedgerPayment>(
    `SELECT p.id, p.carrier_id AS "carrierId", ca.name AS "carrierName", ca.inn AS "carrierInn",
            c.number AS "contractNumber", p.paid_on AS "paidOn", p.amount_rub::text AS "amountRub",
            p.document_number AS "documentNumber", p.purpose
       FROM carrier_payments p JOIN carriers ca ON ca.id = p.carrier_id LEFT JOIN contracts c ON c.id = p.contract_id
      WHERE p.paid_on BETWEEN $1::date AND $2::date AND ($3::uuid IS NULL OR p.carrier_id = $3)
      ORDER BY p.paid_on, p.document_number`,
    [from, to, carrierId ?? null],
  );
  return result.rows;
}

/**
 * Balance before `date` from the operator's side: approved amounts due to the carrier minus payments.
 * Positive: the operator owes the carrier.
 */
export async function balanceBefore(db: Queryable, carrierId: string, date: string): Promise<string> {
  const result = await db.query<{ balance: string }>(
    `SELECT ((SELECT coalesce(sum(total_rub), 0) FROM carrier_settlements
               WHERE carrier_id = $1 AND status = 'approved' AND period_to < $2::date)
           - (SELECT coalesce(sum(amount_rub), 0) FROM carrier_payments
               WHERE carrier_id = $1 AND paid_on < $2::date))::numeric(16, 2)::text AS balance`,
    [carrierId, date],
  );
  return result.rows[0]!.balance;
}

/** Disputes about the period's facts and planned visits (the act lists them with their resolution). */
export async function disputesBetween(
  db: Queryable,
  carrierId: string,
  from: string,
  to: string,
): Promise<LedgerDispute[]> {
  // The fact detector's table may not exist yet; then only visit disputes can be dated.
  const facts = await hasFactTables(db);
  const factJoin = facts ? 'LEFT JOIN collection_facts f ON f.id = d.fact_id' : '';
  const factDate = facts ? '(f.arrival_time AT TIME ZONE tz.zone)::date' : 'NULL::date';
  const result = await db.query<LedgerDispute>(
    `WITH tz AS (SELECT time_zone AS zone FROM operator_profile WHERE id = 1)
     SELECT d.id, to_char(coalesce(pv.visit_date, ${factDate}), 'YYYY-MM-DD') AS "subjectDate",
            CASE WHEN d.fact_id IS NOT NULL THEN 'Факт вывоза ' || d.fact_id
                 ELSE 'Плановый вывоз: ' || s.address END AS subject,
            d.status, d.comment, d.resolution_comment AS "resolutionComment"
       FROM disputes d CROSS JOIN tz
       LEFT JOIN planned_visits pv ON pv.id = d.planned_visit_id LEFT JOIN sites s ON s.id = pv.site_id
       ${factJoin}
      WHERE d.carrier_id = $1 AND coalesce(pv.visit_date, ${factDate}) BETWEEN $2::date AND $3::date
      ORDER BY 2, d.created_at, d.id`,
    [carrierId, from, to],
  );
  return result.rows;
}
