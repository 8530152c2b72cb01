import type { Queryable } from './pool.js';

export type TrackerClaim = 'claimed' | 'missing' | 'foreign';

/**
 * Links a gateway tracker to a vehicle: the device's carrier and plate follow the vehicle, so the
 * gateway's live map puts it in the right carrier's room. A carrier may not take another carrier's
 * tracker (`foreign`); staff may move trackers between carriers.
 */
export async function claimTracker(
  tx: Queryable,
  deviceId: string,
  vehicle: { carrierId: string; plate: string },
  mayTakeForeign: boolean,
): Promise<TrackerClaim> {
  const found = await tx.query<{ carrier_id: string | null }>(
    'SELECT carrier_id FROM devices WHERE id = $1 FOR UPDATE',
    [deviceId],
  );
  const device = found.rows[0];
  if (!device) return 'missing';
  if (device.carrier_id && device.carrier_id !== vehicle.carrierId && !mayTakeForeign) return 'foreign';
  await tx.query('UPDATE devices SET carrier_id = $2, vehicle_plate = $3, updated_at = now() WHERE id = $1', [
    deviceId,
    vehicle.carrierId,
    vehicle.plate,
  ]);
  return 'claimed';
}

/** The tracker left the vehicle: it no longer shows that plate. */
export async function releaseTracker(tx: Queryable, deviceId: string): Promise<void> {
  await tx.query('UPDATE devices SET vehicle_plate = NULL, updated_at = now() WHERE id = $1', [deviceId]);
}
