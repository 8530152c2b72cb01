import type pg from 'pg';
import { findDevice } from '../db/devices.js';
import { fingerprintSecret, verifyDeviceSecret } from './device-secret.js';

export type AuthFailure = 'unknown_device' | 'bad_password' | 'disabled' | 'client_id_mismatch' | 'banned';

export type AuthResult =
  | { ok: true; deviceId: string; carrierId: string | null; vehiclePlate: string | null }
  | { ok: false; reason: AuthFailure };

interface VerifiedCredential {
  secretHash: string;
  fingerprint: string;
}

/**
 * Authenticates trackers against the `devices` table. The row is read on every connect, so a
 * disabled or re-keyed device is refused at once; the slow scrypt check runs only the first time a
 * given secret is seen for a given stored hash, so reconnect storms cost one query per connect.
 */
export class DeviceAuthenticator {
  private readonly verified = new Map<string, VerifiedCredential>();
  private readonly bannedUntil = new Map<string, number>();

  constructor(private readonly db: pg.Pool) {}

  async authenticate(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<AuthResult> {
    if (!username || !password) return { ok: false, reason: 'bad_password' };
    // The client id is the device id: it names the topics the device may use.
    if (clientId !== username) return { ok: false, reason: 'client_id_mismatch' };
    const ban = this.bannedUntil.get(username);
    if (ban !== undefined) {
      if (ban > Date.now()) return { ok: false, reason: 'banned' };
      this.bannedUntil.delete(username);
    }
    const device = await findDevice(this.db, username);
    if (!device) return { ok: false, reason: 'unknown_device' };
    if (!device.enabled) return { ok: false, reason: 'disabled' };
    const secret = password.toString('utf8');
    const fingerprint = fingerprintSecret(secret);
    const cached = this.verified.get(device.id);
    const known = cached?.secretHash === device.secretHash && cached.fingerprint === fingerprint;
    if (!known) {
      if (!(await verifyDeviceSecret(secret, device.secretHash))) {
        return { ok: false, reason: 'bad_password' };
      }
      this.verified.set(device.id, { secretHash: device.secretHash, fingerprint });
    }
    return { ok: true, deviceId: device.id, carrierId: device.carrierId, vehiclePlate: device.vehiclePlate };
  }

  /** Refuses the device's connections for a while (after it kept sending garbage). */
  ban(deviceId: string, forMs: number): void {
    this.bannedUntil.set(deviceId, Date.now() + forMs);
  }
}
