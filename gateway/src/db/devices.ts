import type pg from 'pg';

export interface DeviceRecord {
  id: string;
  secretHash: string;
  carrierId: string | null;
  vehiclePlate: string | null;
  enabled: boolean;
}

export interface DeviceUpsert {
  id: string;
  secretHash: string;
  carrierId?: string | null;
  vehiclePlate?: string | null;
}

interface DeviceRow {
  id: string;
  secret_hash: string;
  carrier_id: string | null;
  vehicle_plate: string | null;
  enabled: boolean;
}

function toDevice(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    carrierId: row.carrier_id,
    vehiclePlate: row.vehicle_plate,
    enabled: row.enabled,
  };
}

export async function findDevice(db: pg.Pool, id: string): Promise<DeviceRecord | undefined> {
  const result = await db.query<DeviceRow>(
    'SELECT id, secret_hash, carrier_id, vehicle_plate, enabled FROM devices WHERE id = $1',
    [id],
  );
  const row = result.rows[0];
  return row ? toDevice(row) : undefined;
}

export async function listDevices(db: pg.Pool): Promise<DeviceRecord[]> {
  const result = await db.query<DeviceRow>(
    'SELECT id, secret_hash, carrier_id, vehicle_plate, enabled FROM devices ORDER BY id',
  );
  return result.rows.map(toDevice);
}

/** Creates the device or replaces its secret (and carrier/plate when given); re-enables it. */
export async function upsertDevices(db: pg.Pool, devices: DeviceUpsert[]): Promise<void> {
  if (devices.length === 0) return;
  await db.query(
    `INSERT INTO devices (id, secret_hash, carrier_id, vehicle_plate)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (id) DO UPDATE SET
       secret_hash = EXCLUDED.secret_hash,
       carrier_id = COALESCE(EXCLUDED.carrier_id, devices.carrier_id),
       vehicle_plate = COALESCE(EXCLUDED.vehicle_plate, devices.vehicle_plate),
       enabled = true,
       updated_at = now()`,
    [
      devices.map((d) => d.id),
      devices.map((d) => d.secretHash),
      devices.map((d) => d.carrierId ?? null),
      devices.map((d) => d.vehiclePlate ?? null),
    ],
  );
}

export async function setDeviceEnabled(db: pg.Pool, id: string, enabled: boolean): Promise<boolean> {
  const result = await db.query('UPDATE devices SET enabled = $2, updated_at = now() WHERE id = $1', [
    id,
    enabled,
  ]);
  return result.rowCount === 1;
}

export async function deleteDevice(db: pg.Pool, id: string): Promise<boolean> {
  const result = await db.query('DELETE FROM devices WHERE id = $1', [id]);
  return result.rowCount === 1;
}
