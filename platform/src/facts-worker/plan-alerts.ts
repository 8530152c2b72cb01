/**
 * Plan against actual while the day runs: the planned visits of today and yesterday (operator's time
 * zone) are checked with PlanTracker against the stored collection facts; a window that closed without
 * a fact (after the tracker's grace) and a visit served after its window become alerts. Alert ids come
 * from the visit, so running this every few minutes raises each deviation once.
 */
import type { Database } from '../db/pool.js';
import { PlanTracker, type PlanAlert, type WorkOrder } from '../facts/plan-tracker.js';
import type { CollectionFact } from '../facts/types.js';
import type { NewAlert } from './alerts.js';

interface VisitRow {
  id: string;
  site_id: string;
  carrier_id: string;
  vehicle_id: string | null;
  start_ms: string;
  end_ms: string;
}

interface FactRow {
  id: string;
  vehicle_id: string;
  site_id: string;
  arrival_ms: string;
  departure_ms: string;
  lon: number;
  lat: number;
  container_count: number;
  confidence: string;
  needs_review: boolean;
}

// Local window bounds → instants: `date + time` is a local timestamp, AT TIME ZONE makes it absolute.
// A visit without a window may be served any time of its day.
const PLANNED_VISITS = `
WITH zone AS (SELECT coalesce((SELECT time_zone FROM operator_profile WHERE id = 1), 'Europe/Moscow') AS tz),
today AS (SELECT (to_timestamp($1::float8 / 1000) AT TIME ZONE zone.tz)::date AS d, zone.tz FROM zone)
SELECT v.id::text, v.site_id::text, v.carrier_id::text, v.vehicle_id::text,
       extract(epoch FROM ((v.visit_date + coalesce(v.window_from, '00:00')::time) AT TIME ZONE today.tz)) * 1000
         AS start_ms,
       extract(epoch FROM ((CASE WHEN v.window_to IS NULL THEN (v.visit_date + 1)::timestamp
                                 ELSE v.visit_date + v.window_to::time END) AT TIME ZONE today.tz)) * 1000
         AS end_ms
FROM planned_visits v, today
WHERE v.visit_date BETWEEN today.d - 1 AND today.d`;

const FACTS_AT_SITES = `
SELECT id, vehicle_id, site_id,
       extract(epoch FROM arrival_time) * 1000 AS arrival_ms,
       extract(epoch FROM departure_time) * 1000 AS departure_ms,
       lon, lat, container_count, confidence::text, needs_review
FROM collection_facts
WHERE site_id = ANY($1::text[]) AND arrival_time >= to_timestamp($2::float8 / 1000)
  AND arrival_time <= to_timestamp($3::float8 / 1000)
ORDER BY arrival_time, id`;

export async function planDeviationAlerts(db: Database, nowMs: number): Promise<NewAlert[]> {
  const visits = (await db.query<VisitRow>(PLANNED_VISITS, [nowMs])).rows;
  if (visits.length === 0) return [];
  const carrierOf = new Map(visits.map((v) => [v.id, v.carrier_id]));
  // One work order per visit: the tracker reports outcomes by work order id, here the visit's.
  const orders: WorkOrder[] = visits.map((v) => ({
    id: v.id,
    vehicleId: v.vehicle_id ?? '',
    visits: [{ siteId: v.site_id, windowStartMs: Number(v.start_ms), windowEndMs: Number(v.end_ms) }],
  }));
  const earliest = Math.min(...orders.map((o) => o.visits[0]!.windowStartMs)) - 12 * 3600_000;
  const sites = [...new Set(visits.map((v) => v.site_id))];
  const facts = (await db.query<FactRow>(FACTS_AT_SITES, [sites, earliest, nowMs])).rows;
  const tracker = new PlanTracker(orders);
  const alerts: PlanAlert[] = [];
  for (const row of facts) alerts.push(...tracker.onFact(toFact(row)));
  alerts.push(...tracker.advanceTo(nowMs));
  return alerts.flatMap((alert): NewAlert[] => {
    if (alert.kind === 'unplanned-visit') return [];
    const o = alert.outcome;
    const missed = alert.kind === 'window-closed-not-served';
    return [
      {
        id: `plan:${o.workOrderId}:${missed ? 'missed' : 'late'}`,
        kind: missed ? 'visit-missed' : 'visit-late',
        carrierId: carrierOf.get(o.workOrderId) ?? null,
        vehicleId: o.vehicleId || null,
        timeMs: missed ? o.windowEndMs : (o.arrivalMs ?? o.windowEndMs),
        details: {
          plannedVisitId: o.workOrderId,
          siteId: o.siteId,
          windowStart: new Date(o.windowStartMs).toISOString(),
          windowEnd: new Date(o.windowEndMs).toISOString(),
          ...(o.factId !== undefined ? { factId: o.factId } : {}),
          ...(o.deviationMs !== undefined ? { lateMinutes: Math.round(o.deviationMs / 60_000) } : {}),
        },
      },
    ];
  });
}

function toFact(row: FactRow): CollectionFact {
  return {
    id: row.id,
    vehicleId: row.vehicle_id,
    siteId: row.site_id,
    arrivalMs: Number(row.arrival_ms),
    departureMs: Number(row.departure_ms),
    lon: row.lon,
    lat: row.lat,
    liftCount: 0,
    rfidTags: [],
    liftWeightKg: 0,
    containerCount: row.container_count,
    evidence: [],
    confidence: Number(row.confidence),
    needsReview: row.needs_review,
  };
}
