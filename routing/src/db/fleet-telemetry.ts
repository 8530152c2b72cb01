import type pg from 'pg';

/** One stored GNSS fix of a truck, as the traffic learner needs it. */
export interface FleetFix {
  timeMs: number;
  lon: number;
  lat: number;
  speedKmh: number;
  ignition: boolean;
}

/** Devices that reported in [fromMs, toMs). */
export async function devicesWithTelemetry(db: pg.Pool, fromMs: number, toMs: number): Promise<string[]> {
  const result = await db.query<{ device_id: string }>(
    'SELECT DISTINCT device_id FROM telemetry WHERE time >= to_timestamp($1 / 1000.0) AND time < to_timestamp($2 / 1000.0) ORDER BY device_id',
    [fromMs, toMs],
  );
  return result.rows.map((r) => r.device_id);
}

/** One device's fixes in [fromMs, toMs), in time order. */
export async function deviceTrack(
  db: pg.Pool,
  deviceId: string,
  fromMs: number,
  toMs: number,
): Promise<FleetFix[]> {
  const result = await db.query<{
    t: string;
    lon: number;
    lat: number;
    speed_kmh: number;
    ignition: boolean;
  }>(
    `SELECT (extract(epoch from time) * 1000)::bigint AS t, lon, lat, speed_kmh, ignition
     FROM telemetry
     WHERE device_id = $1 AND time >= to_timestamp($2 / 1000.0) AND time < to_timestamp($3 / 1000.0)
     ORDER BY time`,
    [deviceId, fromMs, toMs],
  );
  return result.rows.map((r) => ({
    timeMs: Number(r.t),
    lon: r.lon,
    lat: r.lat,
    speedKmh: r.speed_kmh,
    ignition: r.ignition,
  }));
}
