import { generateDeviceSecret, hashDeviceSecret } from '../../gateway/src/auth/device-secret.js';
import { upsertDevices } from '../../gateway/src/db/devices.js';
import { lastStoredFixes } from '../../gateway/src/db/telemetry.js';
import { migrateGatewaySchema } from '../../gateway/src/db/migrate.js';
import { createPool } from '../../gateway/src/db/pool.js';

export interface DeviceCredential {
  deviceId: string;
  secret: string;
  vehiclePlate: string;
  /** The highest sequence number the gateway has stored for this device (0 for a new one). */
  lastSeq: number;
  /** Its last stored position, so the truck resumes where it was parked. */
  lastPosition?: { lat: number; lon: number };
}

export interface ProvisionOptions {
  count: number;
  /** Device ids are `${prefix}0001`, `${prefix}0002`, … */
  prefix?: string;
}

/** `sim-0001`: zero-padded to four digits, or more when the fleet is larger. */
export function simDeviceId(prefix: string, index: number, count: number): string {
  return `${prefix}${String(index + 1).padStart(Math.max(4, String(count).length), '0')}`;
}

// Letters allowed on Russian plates (those that look the same in Latin), ГОСТ Р 50577-2018.
const PLATE_LETTERS = 'АВЕКМНОРСТУХ';

/** A made-up but well-formed Moscow plate, fixed per device index so reruns keep it. */
export function simVehiclePlate(index: number): string {
  const letter = (k: number): string => PLATE_LETTERS[k % PLATE_LETTERS.length] as string;
  const digits = String((index % 999) + 1).padStart(3, '0');
  const series = Math.floor(index / 999);
  return `${letter(series)}${digits}${letter(series * 7 + 3)}${letter(series * 5 + 8)}777`;
}

/**
 * Applies the gateway schema, then creates (or re-keys) the simulated devices with fresh secrets.
 * The secrets exist only in this process: each run provisions anew.
 */
export async function provisionDevices(
  databaseUrl: string,
  options: ProvisionOptions,
): Promise<DeviceCredential[]> {
  const prefix = options.prefix ?? 'sim-';
  await migrateGatewaySchema(databaseUrl);
  const credentials: DeviceCredential[] = Array.from({ length: options.count }, (_, index) => ({
    deviceId: simDeviceId(prefix, index, options.count),
    secret: generateDeviceSecret(),
    vehiclePlate: simVehiclePlate(index),
    lastSeq: 0,
  }));
  const hashes = await Promise.all(credentials.map((device) => hashDeviceSecret(device.secret, 'generated')));
  const pool = createPool(databaseUrl, 2);
  try {
    // A tracker never reuses a sequence number: a rerun continues where the last run stopped.
    const last = await lastStoredFixes(
      pool,
      credentials.map((device) => device.deviceId),
    );
    for (const device of credentials) {
      const fix = last.get(device.deviceId);
      if (fix) {
        device.lastSeq = fix.seq;
        device.lastPosition = { lat: fix.lat, lon: fix.lon };
      }
    }
    await upsertDevices(
      pool,
      credentials.map((device, index) => ({
        id: device.deviceId,
        secretHash: hashes[index] as string,
        vehiclePlate: device.vehiclePlate,
      })),
    );
  } finally {
    await pool.end();
  }
  return credentials;
}
