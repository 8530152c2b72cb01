/**
 * Mid-day re-planning from telemetry: vehicles with a tracker start where their tracker last reported
 * and with its last fuel level, when that fix is recent enough; others keep what the request says.
 * Reads the gateway's `telemetry` table of the same database.
 */
import type pg from 'pg';
import type { PlanRequest } from './plan-request-schema.js';

interface LatestFix {
  device_id: string;
  lon: number;
  lat: number;
  fuel_level_l: number | null;
}

const LATEST_FIXES = `
SELECT DISTINCT ON (device_id) device_id, lon, lat, fuel_level_l
FROM telemetry
WHERE device_id = ANY($1::text[]) AND time > to_timestamp($2::float8 / 1000) AND time <= to_timestamp($3::float8 / 1000)
ORDER BY device_id, time DESC, seq DESC`;

export async function withLiveState(request: PlanRequest, db: pg.Pool, nowMs: number): Promise<PlanRequest> {
  const devices = request.vehicles.flatMap((v) => (v.tracker_device_id ? [v.tracker_device_id] : []));
  if (devices.length === 0) return request;
  const since = nowMs - request.options.live_max_age_min * 60_000;
  const rows = (await db.query<LatestFix>(LATEST_FIXES, [devices, since, nowMs])).rows;
  const latest = new Map(rows.map((row) => [row.device_id, row]));
  return {
    ...request,
    vehicles: request.vehicles.map((vehicle) => {
      const fix = vehicle.tracker_device_id ? latest.get(vehicle.tracker_device_id) : undefined;
      if (!fix) return vehicle;
      const fuel =
        vehicle.fuel && fix.fuel_level_l !== null
          ? { ...vehicle.fuel, level_l: Math.min(vehicle.fuel.tank_l, Math.max(0, fix.fuel_level_l)) }
          : vehicle.fuel;
      // The truck comes back to its depot: keep the planned end where the request had none.
      return {
        ...vehicle,
        start: [fix.lon, fix.lat] as [number, number],
        end: vehicle.end ?? vehicle.start,
        ...(fuel ? { fuel } : {}),
      };
    }),
  };
}
