/**
 * Merges the stored driver reports and weighbridge tickets into the stored collection facts and
 * unloadings. Reports come hours after the telematics fact was stored (the driver app works
 * offline), so FactBook's in-memory matching cannot see them; this does the same matching on the
 * stored rows, once per worker run, after the telemetry of every vehicle has been processed:
 *
 * - a report is attached to the telematics fact of its vehicle and site (the picked one, else the
 *   geofence holding its coordinates) whose stay ±`driverMatchMs` holds the report time, the nearest
 *   (a fact another report already claims is skipped); else, once the vehicle's resume point is
 *   past it (or the vehicle has no tracker), it becomes a driver-only fact `driver:<report id>`. A
 *   telemetry re-upsert replaces a fact's evidence (updated_at > merged_at): the report is attached
 *   again. When late telemetry later gives a matching fact, the driver-only fact is folded into it.
 * - a ticket sets the mass of the unloading of its vehicle and facility whose stay ±`ticketMatchMs`
 *   holds the weighing time, the nearest one without another ticket.
 *
 * Each report and ticket is one transaction, and driver_reports.fact_id /
 * weighbridge_tickets.unloading_id record what was done, so a crash anywhere leaves either the old
 * or the new state, and a run over unchanged data changes nothing.
 */
import type pg from 'pg';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { writeAudit } from '../db/audit.js';
import { withTransaction, type Database } from '../db/pool.js';
import { factConfidence, needsReview } from '../facts/confidence.js';
import { DEFAULT_DETECTION_OPTIONS, type DetectionOptions } from '../facts/detection-options.js';
import { GeofenceIndex } from '../facts/geofence-index.js';
import { localDistanceM } from '../facts/geo.js';
import type { Evidence, Site } from '../facts/types.js';
import type { FleetDirectory } from './fleet-directory.js';

export interface EvidenceMergeSummary {
  /** Reports attached to a telematics fact in this run. */
  reportsMerged: number;
  /** Driver-only facts made in this run. */
  driverOnlyFacts: number;
  ticketsMatched: number;
  /** Tickets that became unloadings of their own (no telemetry unloading matched). */
  ticketOnlyUnloadings: number;
}

/**
 * A report whose vehicle's tracker has sent nothing (resume point stuck) becomes a driver-only fact
 * after this long anyway; late telemetry still folds it into the telematics fact later.
 */
export const MAX_TELEMETRY_WAIT_MS = 24 * 3600_000;
/** Evidence older than this (by arrival) is no longer looked at. */
const LOOKBACK_MS = 31 * 86_400_000;
const DRIVER_FACT_PREFIX = 'driver:';

type MergeOptions = Pick<DetectionOptions, 'driverMatchMs' | 'ticketMatchMs' | 'geofenceToleranceM'>;

const MS = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;
const AT = (param: string): string => `'epoch'::timestamptz + ${param}::float8 * interval '1 millisecond'`;

interface ReportRow {
  id: string;
  vehicle_id: string;
  site_id: string | null;
  time_ms: number;
  lon: number;
  lat: number;
  container_count: number;
  has_photo: boolean;
  fact_id: string | null;
  has_tracker: boolean;
  resume_ms: string | null;
  site_lon: number | null;
  site_lat: number | null;
}

// Reports that need work: never merged (recent ones), merged into a fact that telemetry rewrote or
// that is gone, or driver-only while a telematics fact of the vehicle was stored around them since.
const REPORTS_TO_MERGE = `
SELECT r.id::text, r.vehicle_id::text, r.site_id::text, ${MS('r.report_time')} AS time_ms, r.lon, r.lat,
       r.container_count, (p.report_id IS NOT NULL) AS has_photo, r.fact_id,
       (v.tracker_device_id IS NOT NULL) AS has_tracker, w.resume_ms::text AS resume_ms,
       s.lon AS site_lon, s.lat AS site_lat
  FROM driver_reports r
  JOIN vehicles v ON v.id = r.vehicle_id
  LEFT JOIN fact_watermarks w ON w.device_id = v.tracker_device_id
  LEFT JOIN driver_report_photos p ON p.report_id = r.id
  LEFT JOIN sites s ON s.id = r.site_id
  LEFT JOIN collection_facts f ON f.id = r.fact_id
 WHERE (r.fact_id IS NULL AND r.received_at >= ${AT('$1')})
    OR (r.fact_id IS NOT NULL AND (f.id IS NULL OR f.updated_at > r.merged_at))
    OR (r.fact_id LIKE '${DRIVER_FACT_PREFIX}%' AND EXISTS (
          SELECT 1 FROM collection_facts t
           WHERE t.vehicle_id = r.vehicle_id::text AND t.id NOT LIKE '${DRIVER_FACT_PREFIX}%'
             AND t.updated_at > r.merged_at
             AND t.arrival_time <= r.report_time + $2::float8 * interval '1 millisecond'
             AND t.departure_time >= r.report_time - $2::float8 * interval '1 millisecond'))
 ORDER BY r.report_time, r.id`;

// The telematics fact a report belongs to: same vehicle and site, the stay ± the match window holds
// the report time, not claimed by another report; the nearest in time.
const MATCHING_FACT = `
SELECT f.id, f.lift_count, f.evidence
  FROM collection_facts f
 WHERE f.vehicle_id = $1 AND f.site_id = $2 AND f.id NOT LIKE '${DRIVER_FACT_PREFIX}%'
   AND f.arrival_time <= ${AT('$3')} + $4::float8 * interval '1 millisecond'
   AND f.departure_time >= ${AT('$3')} - $4::float8 * interval '1 millisecond'
   AND NOT EXISTS (SELECT 1 FROM driver_reports o WHERE o.fact_id = f.id AND o.id <> $5::uuid)
 ORDER BY greatest(f.arrival_time - ${AT('$3')}, ${AT('$3')} - f.departure_time, interval '0'), f.arrival_time, f.id
 LIMIT 1
 FOR UPDATE OF f`;

interface FactRow {
  id: string;
  lift_count: number;
  evidence: Evidence[];
}

interface TicketRow {
  id: string;
  vehicle_id: string;
  facility_id: string;
  time_ms: number;
  net_kg: string;
  unloading_id: string | null;
  has_tracker: boolean;
  resume_ms: string | null;
  facility_lon: number;
  facility_lat: number;
  /** Its unloading holds its mass already. */
  settled: boolean;
}

/**
 * A ticket whose truck shows no unloading there (no tracker, or its telemetry passed the weighing
 * without one) still proves the mass: it becomes an unloading of its own, `ticket:<ticket id>`, so
 * per-tonne settlements see it; a matching telemetry unloading later takes the mass over.
 */
const TICKET_UNLOADING_PREFIX = 'ticket:';

// Tickets not matched yet or only as a ticket-only unloading (recent ones), or whose unloading lost or
// changed the mass (re-detected).
const TICKETS_TO_MATCH = `
SELECT t.id::text, t.vehicle_id::text, t.facility_id::text, ${MS('t.weighed_at')} AS time_ms,
       t.net_kg::text AS net_kg, t.unloading_id,
       (v.tracker_device_id IS NOT NULL) AS has_tracker, w.resume_ms::text AS resume_ms,
       f.lon AS facility_lon, f.lat AS facility_lat,
       (u.id IS NOT NULL AND u.ticket_id = t.id::text AND u.net_kg = t.net_kg) AS settled
  FROM weighbridge_tickets t
  JOIN vehicles v ON v.id = t.vehicle_id
  JOIN facilities f ON f.id = t.facility_id
  LEFT JOIN fact_watermarks w ON w.device_id = v.tracker_device_id
  LEFT JOIN facility_unloadings u ON u.id = t.unloading_id
 WHERE ((t.unloading_id IS NULL OR t.unloading_id LIKE '${TICKET_UNLOADING_PREFIX}%') AND t.weighed_at >= ${AT('$1')})
    OR (t.unloading_id IS NOT NULL
        AND (u.id IS NULL OR u.ticket_id IS DISTINCT FROM t.id::text OR u.net_kg IS DISTINCT FROM t.net_kg))
 ORDER BY t.weighed_at, t.id`;

const MATCHING_UNLOADING = `
SELECT u.id
  FROM facility_unloadings u
 WHERE u.vehicle_id = $1 AND u.facility_id = $2
   AND u.arrival_time <= ${AT('$3')} + $4::float8 * interval '1 millisecond'
   AND u.departure_time >= ${AT('$3')} - $4::float8 * interval '1 millisecond'
   AND (u.ticket_id IS NULL OR u.ticket_id = $5::text)
   AND u.id NOT LIKE '${TICKET_UNLOADING_PREFIX}%'
   AND NOT EXISTS (SELECT 1 FROM weighbridge_tickets o WHERE o.unloading_id = u.id AND o.id::text <> $5::text)
 ORDER BY greatest(u.arrival_time - ${AT('$3')}, ${AT('$3')} - u.departure_time, interval '0'), u.arrival_time, u.id
 LIMIT 1
 FOR UPDATE OF u`;

/** One pass over the reports and tickets that need it; see the module comment. */
export async function mergeEvidence(
  db: Database,
  directory: FleetDirectory,
  nowMs: number,
  options: MergeOptions = DEFAULT_DETECTION_OPTIONS,
): Promise<EvidenceMergeSummary> {
  const summary: EvidenceMergeSummary = {
    reportsMerged: 0,
    driverOnlyFacts: 0,
    ticketsMatched: 0,
    ticketOnlyUnloadings: 0,
  };
  const sites = new GeofenceIndex<Site>(directory.sites, options.geofenceToleranceM);
  const reports = await db.query<ReportRow>(REPORTS_TO_MERGE, [nowMs - LOOKBACK_MS, options.driverMatchMs]);
  for (const report of reports.rows) {
    const outcome = await withTransaction(db, (tx) => mergeReport(tx, sites, report, nowMs, options));
    if (outcome === 'merged') summary.reportsMerged++;
    if (outcome === 'driver-only') summary.driverOnlyFacts++;
  }
  const tickets = await db.query<TicketRow>(TICKETS_TO_MATCH, [nowMs - LOOKBACK_MS]);
  for (const ticket of tickets.rows) {
    const outcome = await withTransaction(db, (tx) => matchTicket(tx, ticket, nowMs, options));
    if (outcome === 'matched') summary.ticketsMatched++;
    if (outcome === 'ticket-only') summary.ticketOnlyUnloadings++;
  }
  return summary;
}

type ReportOutcome = 'merged' | 'driver-only' | 'waiting' | 'unchanged';

async function mergeReport(
  tx: pg.PoolClient,
  sites: GeofenceIndex<Site>,
  report: ReportRow,
  nowMs: number,
  options: MergeOptions,
): Promise<ReportOutcome> {
  // The site the driver picked, else the geofence holding the report's coordinates.
  const site: { id: string; lon: number; lat: number } | undefined =
    report.site_id !== null
      ? (sites.get(report.site_id) ??
        (report.site_lon !== null && report.site_lat !== null
          ? { id: report.site_id, lon: report.site_lon, lat: report.site_lat }
          : undefined))
      : sites.locate(report.lon, report.lat)?.place;
  if (!site) return 'unchanged';
  const timeMs = Number(report.time_ms);
  const item: Evidence = {
    kind: 'driver',
    reportId: report.id,
    timeMs,
    lon: report.lon,
    lat: report.lat,
    distanceM: Math.round(localDistanceM(site.lon, site.lat, report.lon, report.lat)),
    containerCount: report.container_count,
    ...(report.has_photo ? { photoId: report.id } : {}),
  };
  const driverFactId = DRIVER_FACT_PREFIX + report.id;
  const previous = report.fact_id;

  const match = (
    await tx.query<FactRow>(MATCHING_FACT, [
      report.vehicle_id,
      site.id,
      timeMs,
      options.driverMatchMs,
      report.id,
    ])
  ).rows[0];
  if (match) {
    if (previous !== null && previous !== match.id) {
      if (previous.startsWith(DRIVER_FACT_PREFIX)) await foldDriverFact(tx, previous, match.id);
      else await detachReport(tx, previous, report.id);
    }
    const evidence = [...withoutReport(match.evidence, report.id), item];
    const confidence = factConfidence(evidence);
    await tx.query(
      `UPDATE collection_facts SET evidence = $2::jsonb, container_count = $3, confidence = $4, needs_review = $5
        WHERE id = $1`,
      [
        match.id,
        JSON.stringify(evidence),
        report.container_count,
        confidence,
        needsReview(evidence, confidence),
      ],
    );
    await markMerged(tx, report.id, match.id);
    return 'merged';
  }

  if (previous !== null && !previous.startsWith(DRIVER_FACT_PREFIX))
    await detachReport(tx, previous, report.id);
  if (previous === driverFactId) {
    // Still no telematics fact for it: note the check, so the newer fact nearby is not looked at again.
    const checked = await tx.query(
      `UPDATE driver_reports SET merged_at = now()
        WHERE id = $1 AND EXISTS (SELECT 1 FROM collection_facts WHERE id = $2)`,
      [report.id, driverFactId],
    );
    if (checked.rowCount === 1) return 'unchanged';
  }
  // Telematics may still bring the visit: wait until the vehicle's data has passed the match window.
  if (!telemetryPassed(report, timeMs, options.driverMatchMs, nowMs)) {
    if (previous !== null) {
      await tx.query('UPDATE driver_reports SET fact_id = NULL, merged_at = NULL WHERE id = $1', [report.id]);
    }
    return 'waiting';
  }
  const evidence = [item];
  const confidence = factConfidence(evidence);
  await tx.query(
    `INSERT INTO collection_facts (id, vehicle_id, site_id, arrival_time, departure_time, lon, lat, lift_count,
                                   container_count, confidence, needs_review, evidence)
     VALUES ($1, $2, $3, ${AT('$4')}, ${AT('$4')}, $5, $6, 0, $7, $8, $9, $10::jsonb)
     ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, container_count = EXCLUDED.container_count,
       confidence = EXCLUDED.confidence, needs_review = EXCLUDED.needs_review, evidence = EXCLUDED.evidence`,
    [
      driverFactId,
      report.vehicle_id,
      site.id,
      timeMs,
      report.lon,
      report.lat,
      report.container_count,
      confidence,
      needsReview(evidence, confidence),
      JSON.stringify(evidence),
    ],
  );
  await markMerged(tx, report.id, driverFactId);
  return 'driver-only';
}

function withoutReport(evidence: readonly Evidence[], reportId: string): Evidence[] {
  return evidence.filter((item) => item.kind !== 'driver' || item.reportId !== reportId);
}

async function markMerged(tx: pg.PoolClient, reportId: string, factId: string): Promise<void> {
  // Not before the fact's own updated_at, so "rewritten after the merge" stays a strict comparison.
  await tx.query(
    `UPDATE driver_reports
        SET fact_id = $2, merged_at = greatest(now(), (SELECT updated_at FROM collection_facts WHERE id = $2))
      WHERE id = $1`,
    [reportId, factId],
  );
}

/** Takes a report's evidence back out of a telematics fact it no longer matches. */
async function detachReport(tx: pg.PoolClient, factId: string, reportId: string): Promise<void> {
  const fact = (
    await tx.query<FactRow>(
      'SELECT id, lift_count, evidence FROM collection_facts WHERE id = $1 FOR UPDATE',
      [factId],
    )
  ).rows[0];
  if (!fact) return;
  const evidence = withoutReport(fact.evidence, reportId);
  if (evidence.length === fact.evidence.length) return;
  const confidence = factConfidence(evidence);
  await tx.query(
    `UPDATE collection_facts SET evidence = $2::jsonb, container_count = $3, confidence = $4, needs_review = $5
      WHERE id = $1`,
    [factId, JSON.stringify(evidence), fact.lift_count, confidence, needsReview(evidence, confidence)],
  );
}

/**
 * The driver-only fact made for a report before its telematics came: disputes about it now concern
 * the merged fact (an open one only when the merged fact has none open), so does a dispatcher's
 * acceptance; a rejection was about the driver's word alone and stays with the removed fact's id.
 */
async function foldDriverFact(tx: pg.PoolClient, driverFactId: string, mergedId: string): Promise<void> {
  const moved = await tx.query<{ id: string }>(
    `UPDATE disputes d SET fact_id = $2, updated_at = now()
      WHERE d.fact_id = $1
        AND NOT (d.status = 'open' AND EXISTS (
          SELECT 1 FROM disputes o WHERE o.fact_id = $2 AND o.status = 'open'))
      RETURNING d.id::text`,
    [driverFactId, mergedId],
  );
  for (const row of moved.rows) {
    await writeAudit(
      tx,
      SYSTEM_ACTOR,
      'update',
      'dispute',
      row.id,
      { factId: driverFactId },
      { factId: mergedId },
    );
  }
  const review = await tx.query(
    `UPDATE fact_reviews SET fact_id = $2
      WHERE fact_id = $1 AND verdict = 'accepted'
        AND NOT EXISTS (SELECT 1 FROM fact_reviews o WHERE o.fact_id = $2)`,
    [driverFactId, mergedId],
  );
  if (review.rowCount === 1) {
    await writeAudit(
      tx,
      SYSTEM_ACTOR,
      'update',
      'fact_review',
      mergedId,
      { factId: driverFactId },
      { factId: mergedId },
    );
  }
  await tx.query('DELETE FROM collection_facts WHERE id = $1', [driverFactId]);
}

/**
 * Whether the vehicle's telemetry can no longer bring the visit or unloading that evidence from
 * `timeMs` waits for: no tracker, its resume point is `matchMs` past that time, or a day has gone by.
 */
function telemetryPassed(
  vehicle: { has_tracker: boolean; resume_ms: string | null },
  timeMs: number,
  matchMs: number,
  nowMs: number,
): boolean {
  return (
    !vehicle.has_tracker ||
    (vehicle.resume_ms !== null && Number(vehicle.resume_ms) > timeMs + matchMs) ||
    nowMs > timeMs + MAX_TELEMETRY_WAIT_MS
  );
}

async function matchTicket(
  tx: pg.PoolClient,
  ticket: TicketRow,
  nowMs: number,
  options: MergeOptions,
): Promise<'matched' | 'ticket-only' | 'waiting'> {
  const ticketOnlyId = TICKET_UNLOADING_PREFIX + ticket.id;
  const match = (
    await tx.query<{ id: string }>(MATCHING_UNLOADING, [
      ticket.vehicle_id,
      ticket.facility_id,
      Number(ticket.time_ms),
      options.ticketMatchMs,
      ticket.id,
    ])
  ).rows[0];
  // Wherever the mass went before (an unloading since re-detected differently), it goes no more; the
  // ticket's own stand-in is kept or deleted below.
  await tx.query(
    `UPDATE facility_unloadings SET net_kg = NULL, ticket_id = NULL
     WHERE ticket_id = $1 AND id IS DISTINCT FROM $2 AND id <> $3`,
    [ticket.id, match?.id ?? null, ticketOnlyId],
  );
  if (!match) {
    const timeMs = Number(ticket.time_ms);
    if (!telemetryPassed(ticket, timeMs, options.ticketMatchMs, nowMs)) {
      if (ticket.unloading_id !== null && ticket.unloading_id !== ticketOnlyId) {
        await tx.query('UPDATE weighbridge_tickets SET unloading_id = NULL WHERE id = $1', [ticket.id]);
      }
      return 'waiting';
    }
    if (ticket.unloading_id === ticketOnlyId && ticket.settled) return 'waiting';
    await tx.query(
      `INSERT INTO facility_unloadings (id, vehicle_id, facility_id, arrival_time, departure_time, lon, lat, net_kg,
                                        ticket_id)
       VALUES ($1, $2, $3, ${AT('$4')}, ${AT('$4')}, $5, $6, $7::numeric, $8)
       ON CONFLICT (id) DO UPDATE SET net_kg = EXCLUDED.net_kg, ticket_id = EXCLUDED.ticket_id`,
      [
        ticketOnlyId,
        ticket.vehicle_id,
        ticket.facility_id,
        timeMs,
        ticket.facility_lon,
        ticket.facility_lat,
        ticket.net_kg,
        ticket.id,
      ],
    );
    await tx.query('UPDATE weighbridge_tickets SET unloading_id = $2 WHERE id = $1', [
      ticket.id,
      ticketOnlyId,
    ]);
    return 'ticket-only';
  }
  // Telemetry found the unloading after all: the ticket's own stand-in goes.
  await tx.query('DELETE FROM facility_unloadings WHERE id = $1', [ticketOnlyId]);
  await tx.query(`UPDATE facility_unloadings SET net_kg = $2::numeric, ticket_id = $3 WHERE id = $1`, [
    match.id,
    ticket.net_kg,
    ticket.id,
  ]);
  await tx.query('UPDATE weighbridge_tickets SET unloading_id = $2 WHERE id = $1', [ticket.id, match.id]);
  return 'matched';
}
