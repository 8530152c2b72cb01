import type { RowScope } from '../auth/actor.js';
import type { Queryable } from './pool.js';
import { hasFactTables } from './settlement-sources.js';

/** A collection fact as the settlement side sees it: whose it is and what was decided about it. */
export interface FactListItem {
  id: string;
  vehicleId: string;
  carrierId: string;
  siteId: string;
  arrivalTime: string;
  departureTime: string;
  containerCount: number;
  confidence: string;
  needsReview: boolean;
  review: 'accepted' | 'rejected' | null;
  disputeStatus: 'open' | 'accepted' | 'rejected' | null;
}

export interface FactFilter {
  /** Local dates (operator's time zone), inclusive. */
  from: string;
  to: string;
  carrierId?: string;
  siteId?: string;
  limit: number;
  offset: number;
}

/** Facts of the carriers' vehicles; a carrier user gets its own only (the scope is in the SQL). */
export async function listCollectionFacts(
  db: Queryable,
  scope: RowScope,
  filter: FactFilter,
): Promise<{ items: FactListItem[]; total: number }> {
  if (scope.ownerUserId !== undefined || !(await hasFactTables(db))) return { items: [], total: 0 };
  const params: unknown[] = [filter.from, filter.to, filter.carrierId ?? null, filter.siteId ?? null];
  let where = `($3::uuid IS NULL OR v.carrier_id = $3) AND ($4::text IS NULL OR f.site_id = $4)`;
  if (scope.carrierId !== undefined) {
    params.push(scope.carrierId);
    where += ` AND v.carrier_id = $${params.length}::uuid`;
  }
  params.push(filter.limit, filter.offset);
  const result = await db.query<FactListItem & { __total: string }>(
    `WITH tz AS (SELECT time_zone AS zone FROM operator_profile WHERE id = 1)
     SELECT f.id, f.vehicle_id AS "vehicleId", v.carrier_id AS "carrierId", f.site_id AS "siteId",
            f.arrival_time AS "arrivalTime", f.departure_time AS "departureTime",
            f.container_count AS "containerCount", f.confidence::text AS confidence, f.needs_review AS "needsReview",
            r.verdict AS review,
            (SELECT d.status FROM disputes d WHERE d.fact_id = f.id
              ORDER BY (d.status = 'open') DESC, d.resolved_at DESC NULLS LAST LIMIT 1) AS "disputeStatus",
            count(*) OVER () AS "__total"
       FROM collection_facts f
       JOIN vehicles v ON v.id::text = f.vehicle_id OR v.tracker_device_id = f.vehicle_id
       CROSS JOIN tz
       LEFT JOIN fact_reviews r ON r.fact_id = f.id
      WHERE f.arrival_time >= ($1::date::timestamp AT TIME ZONE tz.zone)
        AND f.arrival_time < (($2::date + 1)::timestamp AT TIME ZONE tz.zone)
        AND ${where}
      ORDER BY f.arrival_time, f.id
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const total = result.rows[0] ? Number(result.rows[0].__total) : 0;
  return { items: result.rows.map(({ __total: _total, ...row }) => row), total };
}
