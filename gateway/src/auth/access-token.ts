import { jwtVerify, SignJWT } from 'jose';

/** Roles of the platform (issue: platform service); the gateway only needs to read them. */
export type Role = 'admin' | 'dispatcher' | 'billing' | 'carrier' | 'consumer' | 'driver';

export interface AccessClaims {
  sub: string;
  role: Role;
  /** Set for carrier users and drivers: the company whose vehicles they may see. */
  carrierId?: string;
}

const ROLES: readonly Role[] = ['admin', 'dispatcher', 'billing', 'carrier', 'consumer', 'driver'];
const ISSUER = 'msw-platform';

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Issues a short-lived HS256 access token (the platform's login does the same). */
export async function signAccessToken(
  claims: AccessClaims,
  secret: string,
  ttlSeconds = 900,
): Promise<string> {
  return new SignJWT({ role: claims.role, carrier_id: claims.carrierId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

/** Verifies signature, issuer and expiry; throws on any failure. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims> {
  const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], issuer: ISSUER });
  const role = payload['role'];
  const carrierId = payload['carrier_id'];
  if (typeof payload.sub !== 'string' || !ROLES.includes(role as Role)) {
    throw new Error('token lacks subject or role');
  }
  return {
    sub: payload.sub,
    role: role as Role,
    carrierId: typeof carrierId === 'string' ? carrierId : undefined,
  };
}

/** Verifies an `Authorization: Bearer <token>` header; throws on a malformed header or a bad token. */
export async function verifyBearerHeader(header: string, secret: string): Promise<AccessClaims> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new Error('not a Bearer authorization header');
  return verifyAccessToken(match[1]!, secret);
}

// Matches no row: a carrier-bound token without a company sees nothing rather than everything.
const NO_CARRIER = '00000000-0000-0000-0000-000000000000';

/**
 * The company whose rows carrier staff and drivers may see (for `WHERE carrier_id = …`); undefined
 * for every other role.
 */
export function carrierScopeOf(claims: { role: Role; carrierId?: string }): string | undefined {
  if (claims.role !== 'carrier' && claims.role !== 'driver') return undefined;
  return claims.carrierId ?? NO_CARRIER;
}
