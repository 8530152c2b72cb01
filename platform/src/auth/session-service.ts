import { randomUUID } from 'node:crypto';
import { signAccessToken } from '@msw/gateway/auth/access-token';
import { withTransaction } from '../db/pool.js';
import {
  insertRefreshToken,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeRefreshFamily,
} from '../db/refresh-tokens.js';
import { findUser, findUserByLogin, type User } from '../db/users.js';
import { apiErrors } from '../http/api-error.js';
import type { PlatformServices } from '../platform-services.js';
import { beginLoginAttempt } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { generateRefreshToken, hashRefreshToken } from './refresh-token.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

// Compared against when the login is unknown, so a wrong login costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/**
 * Password login: a short-lived access token (the gateway's format) and a refresh token of a new
 * family. Throttled per login and per client address (429 before the password is even checked).
 */
export async function login(
  services: PlatformServices,
  loginName: string,
  password: string,
  clientIp: string,
): Promise<TokenPair> {
  const attempt = await beginLoginAttempt(services.db, services.loginThrottle, loginName, clientIp);
  const user = await findUserByLogin(services.db, loginName.toLowerCase());
  if (!user) {
    dummyHash ??= hashPassword('not a password', services.passwordHashCost);
    await verifyPassword(password, await dummyHash);
    throw apiErrors.badCredentials();
  }
  if (!(await verifyPassword(password, user.passwordHash)) || user.disabled) throw apiErrors.badCredentials();
  await attempt.succeeded();
  const { passwordHash: _hash, ...visible } = user;
  const refreshToken = generateRefreshToken();
  await insertRefreshToken(services.db, {
    familyId: randomUUID(),
    userId: user.id,
    tokenHash: hashRefreshToken(refreshToken),
    ttlDays: services.refreshTokenTtlDays,
  });
  return issuePair(services, visible, refreshToken);
}

type RotationOutcome =
  { kind: 'rotated'; user: User; refreshToken: string } | { kind: 'invalid' } | { kind: 'reused' };

/**
 * Rotation: each refresh token works once and is replaced by the next of its family. A token used
 * a second time means it leaked (or the client is confused): the whole family is revoked, so the
 * thief's and the owner's sessions both end (OAuth 2.0 Security BCP, refresh token rotation).
 */
export async function refresh(services: PlatformServices, presented: string): Promise<TokenPair> {
  const outcome = await withTransaction(services.db, async (tx): Promise<RotationOutcome> => {
    const stored = await lockRefreshToken(tx, hashRefreshToken(presented));
    if (!stored) return { kind: 'invalid' };
    if (stored.usedAt) {
      // Committed even though the request fails: the revocation is the point.
      await revokeRefreshFamily(tx, stored.familyId);
      return { kind: 'reused' };
    }
    if (stored.revokedAt || stored.expired) return { kind: 'invalid' };
    const user = await findUser(tx, stored.userId);
    if (!user || user.disabled) return { kind: 'invalid' };
    await markRefreshTokenUsed(tx, stored.id);
    const next = generateRefreshToken();
    await insertRefreshToken(tx, {
      familyId: stored.familyId,
      userId: user.id,
      tokenHash: hashRefreshToken(next),
      ttlDays: services.refreshTokenTtlDays,
    });
    return { kind: 'rotated', user, refreshToken: next };
  });
  if (outcome.kind === 'reused') throw apiErrors.refreshTokenReused();
  if (outcome.kind === 'invalid') throw apiErrors.badRefreshToken();
  return issuePair(services, outcome.user, outcome.refreshToken);
}

/** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored. */
export async function logout(services: PlatformServices, presented: string): Promise<void> {
  await withTransaction(services.db, async (tx) => {
    const stored = await lockRefreshToken(tx, hashRefreshToken(presented));
    if (stored) await revokeRefreshFamily(tx, stored.familyId);
  });
}

async function issuePair(services: PlatformServices, user: User, refreshToken: string): Promise<TokenPair> {
  const accessToken = await signAccessToken(
    { sub: user.id, role: user.role, carrierId: user.carrierId ?? undefined },
    services.jwtSecret,
    services.accessTokenTtlSeconds,
  );
  return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: services.accessTokenTtlSeconds, user };
}
