import type pg from 'pg';
import type { Actor, RowScope } from '../auth/actor.js';
import { writeAudit } from './audit.js';
import type { Queryable } from './pool.js';

/** A collection report from the driver app (отметка водителя: фото, время, координаты, контейнеры). */
export interface DriverReportRow {
  id: string;
  clientId: string;
  vehicleId: string;
  carrierId: string;
  authorUserId: string;
  siteId: string | null;
  time: string;
  location: [number, number];
  containerCount: number;
  comment: string | null;
  photo: { contentType: string; sha256: string; bytes: number } | null;
  receivedAt: string;
  factId: string | null;
  mergedAt: string | null;
}

export interface NewDriverReport {
  clientId: string;
  vehicleId: string;
  carrierId: string;
  siteId: string | null;
  timeMs: number;
  lon: number;
  lat: number;
  containerCount: number;
  comment: string | null;
  photo: { contentType: string; data: Buffer; sha256: string } | null;
}

const COLUMNS = `r.id, r.client_id AS "clientId", r.vehicle_id AS "vehicleId", r.carrier_id AS "carrierId",
  r.author_user_id AS "authorUserId", r.site_id AS "siteId", r.report_time AS time,
  json_build_array(r.lon, r.lat) AS location, r.container_count AS "containerCount", r.comment,
  CASE WHEN p.report_id IS NULL THEN NULL ELSE json_build_object('contentType', p.content_type,
    'sha256', p.sha256, 'bytes', octet_length(p.data)) END AS photo,
  r.received_at AS "receivedAt", r.fact_id AS "factId", r.merged_at AS "mergedAt"`;
const FROM = `driver_reports r LEFT JOIN driver_report_photos p ON p.report_id = r.id`;

/** Carrier staff and drivers: their company's rows; consumers: none; staff: all. */
function scoped(scope: RowScope, params: unknown[], column: string): string {
  if (scope.ownerUserId !== undefined) return ' AND false';
  if (scope.carrierId === undefined) return '';
  params.push(scope.carrierId);
  return ` AND ${column} = $${params.length}::uuid`;
}

/** The carrier of a vehicle the actor may report for; undefined when missing or out of scope. */
export async function findVehicleCarrier(
  db: Queryable,
  scope: RowScope,
  vehicleId: string,
): Promise<string | undefined> {
  const params: unknown[] = [vehicleId];
  const result = await db.query<{ carrierId: string }>(
    `SELECT carrier_id AS "carrierId" FROM vehicles WHERE id = $1${scoped(scope, params, 'carrier_id')}`,
    params,
  );
  return result.rows[0]?.carrierId;
}

export async function siteExists(db: Queryable, siteId: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM sites WHERE id = $1', [siteId]);
  return result.rowCount === 1;
}

/**
 * Stores a report with its photo; a report with the same (author, client id) already stored is
 * returned as it is (`created: false`): the app retries uploads it has no answer for.
 */
export async function insertDriverReport(
  tx: pg.PoolClient,
  actor: Actor,
  report: NewDriverReport,
): Promise<{ report: DriverReportRow; created: boolean }> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO driver_reports (client_id, vehicle_id, carrier_id, author_user_id, site_id, report_time, lon, lat,
                                 container_count, comment)
     VALUES ($1, $2, $3, $4, $5, 'epoch'::timestamptz + $6::float8 * interval '1 millisecond', $7, $8, $9, $10)
     ON CONFLICT (author_user_id, client_id) DO NOTHING
     RETURNING id`,
    [
      report.clientId,
      report.vehicleId,
      report.carrierId,
      actor.userId,
      report.siteId,
      report.timeMs,
      report.lon,
      report.lat,
      report.containerCount,
      report.comment,
    ],
  );
  const id = inserted.rows[0]?.id;
  if (id === undefined) {
    const existing = await tx.query<DriverReportRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE r.author_user_id = $1 AND r.client_id = $2`,
      [actor.userId, report.clientId],
    );
    return { report: existing.rows[0]!, created: false };
  }
  if (report.photo) {
    await tx.query(
      `INSERT INTO driver_report_photos (report_id, content_type, data, sha256) VALUES ($1, $2, $3, $4)`,
      [id, report.photo.contentType, report.photo.data, report.photo.sha256],
    );
  }
  const row = (await tx.query<DriverReportRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1`, [id]))
    .rows[0]!;
  await writeAudit(tx, actor, 'create', 'driver_report', id, undefined, row);
  return { report: row, created: true };
}

export async function findDriverReport(
  db: Queryable,
  scope: RowScope,
  id: string,
): Promise<DriverReportRow | undefined> {
  const params: unknown[] = [id];
  const result = await db.query<DriverReportRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1${scoped(scope, params, 'r.carrier_id')}`,
    params,
  );
  return result.rows[0];
}

export interface DriverReportFilter {
  fromMs: number;
  toMs: number;
  vehicleId?: string;
  siteId?: string;
  limit: number;
  offset: number;
}

export async function listDriverReports(
  db: Queryable,
  scope: RowScope,
  filter: DriverReportFilter,
): Promise<{ items: DriverReportRow[]; total: number }> {
  const params: unknown[] = [filter.fromMs, filter.toMs, filter.vehicleId ?? null, filter.siteId ?? null];
  const where =
    `r.report_time >= 'epoch'::timestamptz + $1::float8 * interval '1 millisecond'
     AND r.report_time < 'epoch'::timestamptz + $2::float8 * interval '1 millisecond'
     AND ($3::uuid IS NULL OR r.vehicle_id = $3) AND ($4::uuid IS NULL OR r.site_id = $4)` +
    scoped(scope, params, 'r.carrier_id');
  params.push(filter.limit, filter.offset);
  const result = await db.query<DriverReportRow & { __total: string }>(
    `SELECT ${COLUMNS}, count(*) OVER () AS "__total" FROM ${FROM} WHERE ${where}
     ORDER BY r.report_time, r.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const total = result.rows[0] ? Number(result.rows[0].__total) : 0;
  return { items: result.rows.map(({ __total: _total, ...row }) => row), total };
}

/** The photo's bytes, scoped like the report. */
export async function findReportPhoto(
  db: Queryable,
  scope: RowScope,
  reportId: string,
): Promise<{ contentType: string; data: Buffer } | undefined> {
  const params: unknown[] = [reportId];
  const result = await db.query<{ contentType: string; data: Buffer }>(
    `SELECT p.content_type AS "contentType", p.data
       FROM driver_report_photos p JOIN driver_reports r ON r.id = p.report_id
      WHERE p.report_id = $1${scoped(scope, params, 'r.carrier_id')}`,
    params,
  );
  return result.rows[0];
}
