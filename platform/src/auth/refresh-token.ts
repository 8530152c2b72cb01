import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits: unguessable, so a plain SHA-256 of it is a safe stored form (as for API keys). */
export function generateRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}
