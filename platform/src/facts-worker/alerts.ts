import type { Database } from '../db/pool.js';
import type { FuelEvent } from '../facts/types.js';

/** PostgreSQL NOTIFY channel the gateway's alert relay listens on. */
export const ALERT_CHANNEL = 'dispatcher_alerts';

/** One alert as stored, sent over NOTIFY and served by GET /alerts. */
export interface AlertRow {
  id: string;
  kind: string;
  carrier_id: string | null;
  vehicle_id: string | null;
  time: string;
  details: Record<string, unknown>;
  created_at: string;
}

export interface NewAlert {
  id: string;
  kind: string;
  carrierId: string | null;
  vehicleId: string | null;
  timeMs: number;
  details: Record<string, unknown>;
}

// One statement: the insert and its NOTIFY commit together, and only rows that were new are
// announced (ON CONFLICT DO NOTHING RETURNING), so a re-processed drain never alerts twice.
const INSERT_AND_NOTIFY = `
WITH inserted AS (
  INSERT INTO alerts (id, kind, carrier_id, vehicle_id, time, details)
  SELECT r.id, r.kind, r.carrier_id, r.vehicle_id, 'epoch'::timestamptz + r.time_ms * interval '1 millisecond',
         r.details
  FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, carrier_id uuid, vehicle_id text, time_ms float8,
       details jsonb)
  ON CONFLICT (id) DO NOTHING
  RETURNING id, kind, carrier_id, vehicle_id, time, details, created_at
)
SELECT pg_notify('${ALERT_CHANNEL}', row_to_json(inserted)::text) FROM inserted`;

/** Stores alerts and announces the new ones; returns how many were new. */
export async function raiseAlerts(db: Database, alerts: readonly NewAlert[]): Promise<number> {
  if (alerts.length === 0) return 0;
  const rows = alerts.map((a) => ({
    id: a.id,
    kind: a.kind,
    carrier_id: a.carrierId,
    vehicle_id: a.vehicleId,
    time_ms: a.timeMs,
    details: a.details,
  }));
  const result = await db.query(INSERT_AND_NOTIFY, [JSON.stringify(rows)]);
  return result.rowCount ?? 0;
}

/** A drain at rest is what suspected fuel theft looks like (слив топлива). */
export function drainAlert(event: FuelEvent, carrierId: string): NewAlert {
  return {
    id: `fuel-drain:${event.id}`,
    kind: 'fuel-drain',
    carrierId,
    vehicleId: event.vehicleId,
    timeMs: event.startMs,
    details: {
      fuelEventId: event.id,
      litres: event.litres,
      levelBeforeL: event.levelBeforeL,
      levelAfterL: event.levelAfterL,
      lon: event.lon,
      lat: event.lat,
      ignitionOff: event.ignitionOff,
    },
  };
}
