import { describe, expect, it } from 'vitest';
import { generateDeviceSecret, hashDeviceSecret, verifyDeviceSecret } from './device-secret.js';

describe('device secrets', () => {
  it('verifies a generated secret against its SHA-256 hash and nothing else', async () => {
    const secret = generateDeviceSecret();
    const hash = await hashDeviceSecret(secret, 'generated');
    expect(hash).toMatch(/^sha256\$/);
    expect(hash).not.toContain(secret);
    expect(await verifyDeviceSecret(secret, hash)).toBe(true);
    expect(await verifyDeviceSecret(generateDeviceSecret(), hash)).toBe(false);
  });

  it('uses salted scrypt for a chosen secret', async () => {
    const a = await hashDeviceSecret('Мусоровоз-77');
    const b = await hashDeviceSecret('Мусоровоз-77');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyDeviceSecret('Мусоровоз-77', a)).toBe(true);
    expect(await verifyDeviceSecret('мусоровоз-77', a)).toBe(false);
  });

  it('refuses to treat a short secret as generated, and malformed hashes never verify', async () => {
    await expect(hashDeviceSecret('short', 'generated')).rejects.toThrow();
    expect(await verifyDeviceSecret('x', 'plain-text')).toBe(false);
    expect(await verifyDeviceSecret('x', 'scrypt$0$0$0$$')).toBe(false);
  });
});
