import type pg from 'pg';
import { booleanArrayLiteral, numberArrayLiteral, textArrayLiteral } from './pg-array.js';

/** Column-oriented rows of one group commit: one array per column, the same length each. */
export interface TelemetryColumns {
  deviceId: string[];
  seq: number[];
  timeMs: number[];
  lat: number[];
  lon: number[];
  speedKmh: number[];
  headingDeg: number[];
  hdop: number[];
  satellites: number[];
  ignition: boolean[];
  odometerM: number[];
  fuelLevelL: (number | null)[];
  fuelUsedTotalL: (number | null)[];
  engineHours: (number | null)[];
}

export interface ContainerEventColumns {
  deviceId: string[];
  seq: number[];
  idx: number[];
  timeMs: number[];
  kind: number[];
  arm: number[];
  rfid: (string | null)[];
  weightKg: (number | null)[];
}

export function emptyTelemetryColumns(): TelemetryColumns {
  return {
    deviceId: [],
    seq: [],
    timeMs: [],
    lat: [],
    lon: [],
    speedKmh: [],
    headingDeg: [],
    hdop: [],
    satellites: [],
    ignition: [],
    odometerM: [],
    fuelLevelL: [],
    fuelUsedTotalL: [],
    engineHours: [],
  };
}

export function emptyContainerEventColumns(): ContainerEventColumns {
  return { deviceId: [], seq: [], idx: [], timeMs: [], kind: [], arm: [], rfid: [], weightKg: [] };
}

// One statement, so one round trip and one implicit transaction: either every row of the group
// commit is durable or none is. ON CONFLICT makes a resend of an already stored record a no-op.
const INSERT_SQL = `
WITH t AS (
  INSERT INTO telemetry (device_id, seq, time, lat, lon, speed_kmh, heading_deg, hdop, satellites,
                         ignition, odometer_m, fuel_level_l, fuel_used_total_l, engine_hours)
  SELECT d, s, to_timestamp(tm / 1000.0), la, lo, sp, hd, hp, sa, ig, od, fl, fu, eh
  FROM unnest($1::text[], $2::int8[], $3::float8[], $4::float8[], $5::float8[], $6::float4[],
              $7::float4[], $8::float4[], $9::int2[], $10::bool[], $11::int8[], $12::float4[],
              $13::float8[], $14::float8[])
       AS r(d, s, tm, la, lo, sp, hd, hp, sa, ig, od, fl, fu, eh)
  ON CONFLICT DO NOTHING
  RETURNING 1
), e AS (
  INSERT INTO container_events (device_id, seq, idx, time, kind, arm, rfid, weight_kg)
  SELECT d, s, i, to_timestamp(tm / 1000.0), k, a, rf, w
  FROM unnest($15::text[], $16::int8[], $17::int2[], $18::float8[], $19::int2[], $20::int2[],
              $21::text[], $22::float4[])
       AS r(d, s, i, tm, k, a, rf, w)
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*) FROM t)::int AS stored, (SELECT count(*) FROM e)::int AS events`;

export interface InsertResult {
  stored: number;
  events: number;
}

/** Writes one group commit. Rows already stored (same device, time and seq) are skipped. */
export async function insertTelemetry(
  db: pg.Pool,
  rows: TelemetryColumns,
  events: ContainerEventColumns,
): Promise<InsertResult> {
  const n = numberArrayLiteral;
  const result = await db.query<InsertResult>(INSERT_SQL, [
    textArrayLiteral(rows.deviceId),
    n(rows.seq),
    n(rows.timeMs),
    n(rows.lat),
    n(rows.lon),
    n(rows.speedKmh),
    n(rows.headingDeg),
    n(rows.hdop),
    n(rows.satellites),
    booleanArrayLiteral(rows.ignition),
    n(rows.odometerM),
    n(rows.fuelLevelL),
    n(rows.fuelUsedTotalL),
    n(rows.engineHours),
    textArrayLiteral(events.deviceId),
    n(events.seq),
    n(events.idx),
    n(events.timeMs),
    n(events.kind),
    n(events.arm),
    textArrayLiteral(events.rfid),
    n(events.weightKg),
  ]);
  const row = result.rows[0];
  return { stored: row?.stored ?? 0, events: row?.events ?? 0 };
}

/** Creates the daily partitions covering [fromMs, toMs] (no-op on TimescaleDB). */
export async function ensureTelemetryPartitions(db: pg.Pool, fromMs: number, toMs: number): Promise<number> {
  const result = await db.query<{ created: number }>(
    'SELECT telemetry_ensure_partitions($1::date, $2::date) AS created',
    [isoDay(fromMs), isoDay(toMs)],
  );
  return result.rows[0]?.created ?? 0;
}

/** Drops daily partitions older than the retention horizon (TimescaleDB uses its own policy). */
export async function dropTelemetryPartitionsBefore(db: pg.Pool, keepFromMs: number): Promise<number> {
  const result = await db.query<{ dropped: number }>(
    'SELECT telemetry_drop_partitions_before($1::date) AS dropped',
    [isoDay(keepFromMs)],
  );
  return result.rows[0]?.dropped ?? 0;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface LastFix {
  seq: number;
  lat: number;
  lon: number;
}

/** The highest-seq stored fix of each given device (for trackers resuming their sequence). */
export async function lastStoredFixes(
  db: pg.Pool,
  deviceIds: readonly string[],
): Promise<Map<string, LastFix>> {
  const result = await db.query<{ device_id: string; seq: string; lat: number; lon: number }>(
    `SELECT DISTINCT ON (device_id) device_id, seq, lat, lon
     FROM telemetry WHERE device_id = ANY($1::text[])
     ORDER BY device_id, seq DESC`,
    [deviceIds],
  );
  return new Map(result.rows.map((r) => [r.device_id, { seq: Number(r.seq), lat: r.lat, lon: r.lon }]));
}
