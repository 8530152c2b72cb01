import type pg from 'pg';
import type { FactEngine } from './fact-engine.js';
import type { ContainerEvent, Fix } from './types.js';

// gateway/proto/telemetry.proto ContainerEvent.Kind
const LIFT_CYCLE = 1;
const RFID_READ = 2;
const AT = (param: string): string => `'epoch'::timestamptz + ${param} * interval '1 millisecond'`;

/** Devices with fixes stored in the gateway's `telemetry` table in [fromMs, toMs). */
export async function devicesWithTelemetry(db: pg.Pool, fromMs: number, toMs: number): Promise<string[]> {
  const result = await db.query<{ device_id: string }>(
    `SELECT DISTINCT device_id FROM telemetry WHERE time >= ${AT('$1')} AND time < ${AT('$2')} ORDER BY device_id`,
    [fromMs, toMs],
  );
  return result.rows.map((r) => r.device_id);
}

/**
 * One device's stored fixes in [fromMs, toMs) in (time, seq) order, a page at a time (keyset
 * pagination: a day at 1 Hz never sits in memory whole).
 */
export async function* readStoredFixes(
  db: pg.Pool,
  deviceId: string,
  fromMs: number,
  toMs: number,
  pageSize = 10_000,
): AsyncGenerator<Fix[]> {
  let afterMs = fromMs - 1;
  let afterSeq = -1;
  for (;;) {
    const result = await db.query<{
      t: string;
      seq: string;
      lon: number;
      lat: number;
      speed_kmh: number;
      heading_deg: number;
      ignition: boolean;
      fuel_level_l: number | null;
    }>(
      `SELECT (extract(epoch FROM time) * 1000)::bigint AS t, seq, lon, lat, speed_kmh, heading_deg, ignition,
              fuel_level_l
       FROM telemetry
       WHERE device_id = $1 AND (time, seq) > (${AT('$2')}, $3) AND time < ${AT('$4')}
       ORDER BY time, seq
       LIMIT $5`,
      [deviceId, afterMs, afterSeq, toMs, pageSize],
    );
    if (result.rows.length === 0) return;
    const fixes = result.rows.map((r): Fix => ({
      timeMs: Number(r.t),
      lon: r.lon,
      lat: r.lat,
      speedKmh: r.speed_kmh,
      headingDeg: r.heading_deg,
      seq: Number(r.seq),
      ignition: r.ignition,
      ...(r.fuel_level_l === null ? {} : { fuelL: r.fuel_level_l }),
    }));
    yield fixes;
    const last = fixes[fixes.length - 1] as Fix;
    afterMs = last.timeMs;
    afterSeq = last.seq;
    if (result.rows.length < pageSize) return;
  }
}

/** One device's lift cycles and RFID reads in [fromMs, toMs), in time order. */
export async function readStoredContainerEvents(
  db: pg.Pool,
  deviceId: string,
  fromMs: number,
  toMs: number,
): Promise<ContainerEvent[]> {
  const result = await db.query<{ t: string; kind: number; rfid: string | null; weight_kg: number | null }>(
    `SELECT (extract(epoch FROM time) * 1000)::bigint AS t, kind, rfid, weight_kg
     FROM container_events
     WHERE device_id = $1 AND time >= ${AT('$2')} AND time < ${AT('$3')} AND kind IN (${LIFT_CYCLE}, ${RFID_READ})
     ORDER BY time, seq, idx`,
    [deviceId, fromMs, toMs],
  );
  return result.rows.map((r) => ({
    timeMs: Number(r.t),
    kind: r.kind === LIFT_CYCLE ? 'lift' : 'rfid',
    ...(r.rfid ? { rfid: r.rfid } : {}),
    ...(r.weight_kg === null ? {} : { weightKg: r.weight_kg }),
  }));
}

export interface ReplaySummary {
  devices: number;
  fixes: number;
  containerEvents: number;
}

/**
 * Runs stored telemetry of [fromMs, toMs) through the engine, device by device (device id = vehicle
 * id), fixes and container events merged in time order, and closes each device's data at the end.
 */
export async function replayStoredTelemetry(
  db: pg.Pool,
  engine: FactEngine,
  fromMs: number,
  toMs: number,
  deviceIds?: readonly string[],
): Promise<ReplaySummary> {
  const devices = deviceIds ?? (await devicesWithTelemetry(db, fromMs, toMs));
  const summary: ReplaySummary = { devices: devices.length, fixes: 0, containerEvents: 0 };
  for (const deviceId of devices) {
    const events = await readStoredContainerEvents(db, deviceId, fromMs, toMs);
    let e = 0;
    for await (const page of readStoredFixes(db, deviceId, fromMs, toMs)) {
      for (const fix of page) {
        while (e < events.length && (events[e] as ContainerEvent).timeMs <= fix.timeMs) {
          engine.pushContainerEvent(deviceId, events[e++] as ContainerEvent);
        }
        engine.pushFix(deviceId, fix);
      }
      summary.fixes += page.length;
    }
    while (e < events.length) engine.pushContainerEvent(deviceId, events[e++] as ContainerEvent);
    summary.containerEvents += events.length;
    engine.flushVehicle(deviceId);
  }
  return summary;
}
