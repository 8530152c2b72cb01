import type {
  DisputeStatus,
  FactInput,
  LotTerms,
  UnloadingInput,
  VisitInput,
} from '../settlements/settlement-rules.js';
import type { Queryable } from './pool.js';

/** Everything the settlement of one month needs, mapped to lots by SQL. */
export interface SettlementSources {
  lots: LotTerms[];
  facts: FactInput[];
  unloadings: UnloadingInput[];
  visits: VisitInput[];
}

/**
 * True when the fact detector's tables exist (platform migration 1764460800000); a database migrated
 * without them simply has no facts.
 */
export async function hasFactTables(db: Queryable): Promise<boolean> {
  const result = await db.query<{ ok: boolean }>(
    `SELECT to_regclass('collection_facts') IS NOT NULL AND to_regclass('facility_unloadings') IS NOT NULL AS ok`,
  );
  return result.rows[0]!.ok;
}

// The carrier's contract for a municipality in force on a date; overlapping ones: the latest wins.
const LOT_OF = (carrier: string, municipality: string, date: string): string => `
  (SELECT c.id FROM contracts c
    WHERE c.carrier_id = ${carrier} AND c.municipality_id = ${municipality}
      AND ${date} BETWEEN c.valid_from AND c.valid_to
    ORDER BY c.valid_from DESC, c.id LIMIT 1)`;

// The open dispute of a subject, else its latest resolved one.
const DISPUTE_OF = (subjectCondition: string): string => `
  (SELECT d.status FROM disputes d WHERE ${subjectCondition}
    ORDER BY (d.status = 'open') DESC, d.resolved_at DESC NULLS LAST LIMIT 1)`;

/** Lots in force during the month: contracts overlapping it, with their period clipped to it. */
async function loadLots(db: Queryable, month: string, carrierId: string | undefined): Promise<LotTerms[]> {
  const result = await db.query<LotTerms>(
    `SELECT c.id AS "contractId", c.carrier_id AS "carrierId",
            greatest(c.valid_from, $1::date) AS "periodFrom",
            least(c.valid_to, ($1::date + interval '1 month' - interval '1 day')::date) AS "periodTo",
            c.tariff_unit AS "tariffUnit", c.tariff_rub::text AS "tariffRub",
            c.confidence_threshold::text AS "confidenceThreshold", c.deduction_rule AS "deductionRule",
            c.missed_visit_deduction::text AS "missedVisitDeduction",
            c.late_visit_deduction::text AS "lateVisitDeduction", c.late_tolerance_min AS "lateToleranceMin"
       FROM contracts c
      WHERE c.valid_from <= ($1::date + interval '1 month' - interval '1 day')::date
        AND c.valid_to >= $1::date
        AND ($2::uuid IS NULL OR c.carrier_id = $2::uuid)
      ORDER BY c.number`,
    [month, carrierId ?? null],
  );
  return result.rows;
}

interface FactRow extends Omit<FactInput, 'dispute' | 'review'> {
  review: 'accepted' | 'rejected' | null;
  disputeStatus: DisputeStatus | null;
  claimedContainerCount: number | null;
}

/**
 * The carriers' facts from the day before the month to two days after it (trips cross midnight and
 * month ends: their unloading's mass is shared with facts outside the month), with local date and
 * time in the operator's time zone. A fact's vehicle is a platform vehicle id or its tracker's id.
 */
async function loadFacts(db: Queryable, month: string, carrierIds: string[]): Promise<FactInput[]> {
  const result = await db.query<FactRow>(
    `WITH tz AS (SELECT time_zone AS zone FROM operator_profile WHERE id = 1),
     f AS (
       SELECT f.*, v.carrier_id, s.municipality_id, s.containers, f.arrival_time AT TIME ZONE tz.zone AS local_at
         FROM collection_facts f
         JOIN vehicles v ON v.id::text = f.vehicle_id OR v.tracker_device_id = f.vehicle_id
         JOIN sites s ON s.id::text = f.site_id
        CROSS JOIN tz
        WHERE v.carrier_id = ANY($1::uuid[])
          AND f.arrival_time >= (($2::date - 1)::timestamp AT TIME ZONE tz.zone)
          AND f.arrival_time < ((($2::date + interval '1 month')::date + 2)::timestamp AT TIME ZONE tz.zone))
     SELECT f.id, f.vehicle_id AS "vehicleKey", f.carrier_id AS "carrierId", f.site_id AS "siteId",
            ${LOT_OF('f.carrier_id', 'f.municipality_id', 'f.local_at::date')} AS "contractId",
            to_char(f.local_at, 'YYYY-MM-DD') AS "localDate", to_char(f.local_at, 'HH24:MI') AS "localTime",
            (extract(epoch FROM f.arrival_time) * 1000)::float8 AS "arrivalMs",
            f.container_count AS "containerCount", f.confidence::text AS confidence,
            f.containers AS "siteContainers", r.verdict AS review,
            ${DISPUTE_OF('d.fact_id = f.id')} AS "disputeStatus",
            (SELECT d.claimed_container_count FROM disputes d WHERE d.fact_id = f.id AND d.status = 'accepted'
              ORDER BY d.resolved_at DESC LIMIT 1) AS "claimedContainerCount"
       FROM f LEFT JOIN fact_reviews r ON r.fact_id = f.id
      ORDER BY f.arrival_time, f.id`,
    [carrierIds, month],
  );
  return result.rows.map(({ review, disputeStatus, claimedContainerCount, ...fact }) => ({
    ...fact,
    ...(review ? { review } : {}),
    ...(disputeStatus ? { dispute: { status: disputeStatus, claimedContainerCount } } : {}),
  }));
}

async function loadUnloadings(
  db: Queryable,
  month: string,
  vehicleKeys: string[],
): Promise<UnloadingInput[]> {
  const result = await db.query<UnloadingInput>(
    `WITH tz AS (SELECT time_zone AS zone FROM operator_profile WHERE id = 1)
     SELECT u.id, u.vehicle_id AS "vehicleKey", (extract(epoch FROM u.arrival_time) * 1000)::float8 AS "arrivalMs",
            u.net_kg::numeric::text AS "netKg"
       FROM facility_unloadings u CROSS JOIN tz
      WHERE u.vehicle_id = ANY($1::text[])
        AND u.arrival_time >= (($2::date - 1)::timestamp AT TIME ZONE tz.zone)
        AND u.arrival_time < ((($2::date + interval '1 month')::date + 3)::timestamp AT TIME ZONE tz.zone)
      ORDER BY u.arrival_time`,
    [vehicleKeys, month],
  );
  return result.rows;
}

interface VisitRow extends Omit<VisitInput, 'dispute'> {
  disputeStatus: DisputeStatus | null;
}

async function loadVisits(db: Queryable, month: string, carrierIds: string[]): Promise<VisitInput[]> {
  const result = await db.query<VisitRow>(
    `SELECT pv.id, pv.site_id AS "siteId", pv.carrier_id AS "carrierId",
            ${LOT_OF('pv.carrier_id', 's.municipality_id', 'pv.visit_date')} AS "contractId",
            pv.visit_date AS "visitDate", pv.window_from AS "windowFrom", pv.window_to AS "windowTo",
            ${DISPUTE_OF('d.planned_visit_id = pv.id')} AS "disputeStatus"
       FROM planned_visits pv JOIN sites s ON s.id = pv.site_id
      WHERE pv.carrier_id = ANY($1::uuid[])
        AND pv.visit_date BETWEEN $2::date AND ($2::date + interval '1 month' - interval '1 day')::date
      ORDER BY pv.visit_date, pv.window_from, pv.id`,
    [carrierIds, month],
  );
  return result.rows.map(({ disputeStatus, ...visit }) => ({
    ...visit,
    ...(disputeStatus ? { dispute: { status: disputeStatus } } : {}),
  }));
}

/** Loads the month (`YYYY-MM-01`) for one carrier or all. */
export async function loadSettlementSources(
  db: Queryable,
  month: string,
  carrierId: string | undefined,
): Promise<SettlementSources> {
  const lots = await loadLots(db, month, carrierId);
  const carrierIds = [...new Set(lots.map((lot) => lot.carrierId))];
  if (carrierIds.length === 0) return { lots, facts: [], unloadings: [], visits: [] };
  const factsExist = await hasFactTables(db);
  const facts = factsExist ? await loadFacts(db, month, carrierIds) : [];
  const vehicleKeys = [...new Set(facts.map((fact) => fact.vehicleKey))];
  const unloadings = factsExist && vehicleKeys.length > 0 ? await loadUnloadings(db, month, vehicleKeys) : [];
  const visits = await loadVisits(db, month, carrierIds);
  return { lots, facts, unloadings, visits };
}
