import type { Database } from '../db/pool.js';
import type { RowScope } from '../auth/actor.js';

export interface PeriodQuery {
  vehicleId?: string;
  fromMs: number;
  toMs: number;
  limit: number;
}

const AT = (param: string): string => `'epoch'::timestamptz + ${param}::float8 * interval '1 millisecond'`;
const ISO = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Detected rows carry the vehicle's uuid as text; the carrier comes from the vehicles table, so a
// carrier's scope is enforced in SQL by the join (rows of unknown vehicles are staff-only).
const SCOPE = (vehicleColumn: string, param: string): string =>
  `LEFT JOIN vehicles v ON v.id::text = ${vehicleColumn}
   WHERE (${param}::uuid IS NULL OR v.carrier_id = ${param}::uuid)`;

export interface TripRow {
  vehicleId: string;
  startTime: string;
  endTime: string;
  fromLon: number;
  fromLat: number;
  toLon: number;
  toLat: number;
  distanceM: number;
  maxSpeedKmh: number;
  loaded: boolean;
  truncated: boolean;
  fuelUsedL: number | null;
  fuelExpectedL: number | null;
}

export async function listTrips(db: Database, scope: RowScope, query: PeriodQuery): Promise<TripRow[]> {
  const result = await db.query<TripRow>(
    `SELECT t.vehicle_id AS "vehicleId", ${ISO('t.start_time')} AS "startTime", ${ISO('t.end_time')} AS "endTime",
            t.from_lon AS "fromLon", t.from_lat AS "fromLat", t.to_lon AS "toLon", t.to_lat AS "toLat",
            t.distance_m AS "distanceM", t.max_speed_kmh AS "maxSpeedKmh", t.loaded, t.truncated,
            t.fuel_used_l AS "fuelUsedL", t.fuel_expected_l AS "fuelExpectedL"
     FROM vehicle_trips t ${SCOPE('t.vehicle_id', '$1')}
       AND t.start_time >= ${AT('$2')} AND t.start_time < ${AT('$3')} AND ($4::text IS NULL OR t.vehicle_id = $4)
     ORDER BY t.start_time, t.vehicle_id LIMIT $5`,
    [scope.carrierId ?? null, query.fromMs, query.toMs, query.vehicleId ?? null, query.limit],
  );
  return result.rows;
}

export interface FuelEventRow {
  id: string;
  vehicleId: string;
  kind: 'refuel' | 'drain';
  startTime: string;
  endTime: string;
  litres: number;
  levelBeforeL: number;
  levelAfterL: number;
  lon: number;
  lat: number;
  seen: 'stop' | 'gap';
  ignitionOff: boolean;
}

export async function listFuelEvents(
  db: Database,
  scope: RowScope,
  query: PeriodQuery,
): Promise<FuelEventRow[]> {
  const result = await db.query<FuelEventRow>(
    `SELECT f.id, f.vehicle_id AS "vehicleId", f.kind, ${ISO('f.start_time')} AS "startTime",
            ${ISO('f.end_time')} AS "endTime", f.litres, f.level_before_l AS "levelBeforeL",
            f.level_after_l AS "levelAfterL", f.lon, f.lat, f.seen, f.ignition_off AS "ignitionOff"
     FROM fuel_events f ${SCOPE('f.vehicle_id', '$1')}
       AND f.start_time >= ${AT('$2')} AND f.start_time < ${AT('$3')} AND ($4::text IS NULL OR f.vehicle_id = $4)
     ORDER BY f.start_time, f.vehicle_id LIMIT $5`,
    [scope.carrierId ?? null, query.fromMs, query.toMs, query.vehicleId ?? null, query.limit],
  );
  return result.rows;
}

export interface AlertListRow {
  id: string;
  kind: string;
  carrierId: string | null;
  vehicleId: string | null;
  time: string;
  details: Record<string, unknown>;
  createdAt: string;
}

/** Alerts raised after `sinceMs`, newest first; a carrier sees only its own. */
export async function listAlerts(
  db: Database,
  scope: RowScope,
  sinceMs: number,
  limit: number,
): Promise<AlertListRow[]> {
  const result = await db.query<AlertListRow>(
    `SELECT id, kind, carrier_id AS "carrierId", vehicle_id AS "vehicleId", ${ISO('time')} AS time, details,
            ${ISO('created_at')} AS "createdAt"
     FROM alerts
     WHERE ($1::uuid IS NULL OR carrier_id = $1::uuid) AND created_at >= ${AT('$2')}
     ORDER BY created_at DESC, id LIMIT $3`,
    [scope.carrierId ?? null, sinceMs, limit],
  );
  return result.rows;
}
