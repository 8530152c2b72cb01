import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt at the interactive-login strength recommended by its authors (N=2^14, r=8, p=1).
const COST = 16384;
const BLOCK_SIZE = 8;
const PARALLELIZATION = 1;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** A new random device secret: 32 bytes, base64url (43 characters). */
export function generateDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Hash in a self-describing form. A secret we generated (`generateDeviceSecret`, 256 random bits)
 * cannot be guessed, so a plain SHA-256 (`sha256$digest`) protects it as well as a slow KDF would
 * (the practice for API tokens) and keeps provisioning and first connects of thousands of trackers
 * fast. A secret a person chose may be weak and gets scrypt (`scrypt$N$r$p$salt$key`).
 */
export async function hashDeviceSecret(
  secret: string,
  origin: 'generated' | 'chosen' = 'chosen',
): Promise<string> {
  if (origin === 'generated') {
    if (!/^[A-Za-z0-9_-]{43,}$/.test(secret))
      throw new Error('a generated secret must be 32+ random bytes, base64url');
    return `sha256$${createHash('sha256').update(secret).digest('base64')}`;
  }
  const salt = randomBytes(16);
  const key = await derive(secret, salt, COST, BLOCK_SIZE, PARALLELIZATION);
  return ['scrypt', COST, BLOCK_SIZE, PARALLELIZATION, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

export async function verifyDeviceSecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length === 2 && parts[0] === 'sha256') {
    const expected = Buffer.from(parts[1] ?? '', 'base64');
    const actual = createHash('sha256').update(secret).digest();
    return expected.length === actual.length && timingSafeEqual(actual, expected);
  }
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (!n || !r || !p || expected.length !== KEY_LENGTH) return false;
  const actual = await derive(secret, salt, n, r, p);
  return timingSafeEqual(actual, expected);
}

/** Fast fingerprint of a presented secret, for the verified-credential cache (never stored). */
export function fingerprintSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64');
}
