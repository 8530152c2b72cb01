/**
 * Who calls the optimizer and plans endpoints: the platform's access token (`Authorization: Bearer`,
 * HS256 with the shared AUTH_JWT_SECRET). Plans name carriers, vehicles and sites, and live state reads
 * where trucks are, so those need a role; the OSRM API and plain /optimize stay open like osrm-routed.
 */
import type http from 'node:http';
import { verifyBearerHeader, type AccessClaims, type Role } from '@msw/gateway/auth/access-token';
import { OptimizerInputError } from './optimizer-error.js';

export type { AccessClaims, Role };

/** Staff who plan rounds for every carrier. */
export const PLANNER_ROLES: readonly Role[] = ['admin', 'dispatcher'];

/** The verified caller, or undefined without an Authorization header; a bad token is a 401 at once. */
export async function requestActor(
  request: http.IncomingMessage,
  jwtSecret: string,
): Promise<AccessClaims | undefined> {
  const header = request.headers.authorization;
  if (!header) return undefined;
  try {
    return await verifyBearerHeader(header, jwtSecret);
  } catch {
    throw unauthenticated();
  }
}

/** The caller when its role is one of `roles`: 401 without a token, 403 with another role. */
export function requireRole(actor: AccessClaims | undefined, roles: readonly Role[]): AccessClaims {
  if (!actor) throw unauthenticated();
  if (!roles.includes(actor.role)) {
    throw new OptimizerInputError(
      'Forbidden',
      'Недостаточно прав для этого действия',
      `The role ${actor.role} may not do this`,
      403,
    );
  }
  return actor;
}

function unauthenticated(): OptimizerInputError {
  return new OptimizerInputError(
    'Unauthorized',
    'Требуется вход: передайте токен доступа (Authorization: Bearer …)',
    'Authentication required: send an access token (Authorization: Bearer …)',
    401,
  );
}
