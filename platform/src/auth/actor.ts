import { carrierScopeOf, type Role } from '@msw/gateway/auth/access-token';

export type { Role };

export const ROLES: readonly Role[] = ['admin', 'dispatcher', 'billing', 'carrier', 'consumer', 'driver'];

/** Who makes a request: from a verified access token. */
export interface Actor {
  userId: string;
  role: Role;
  /** Carrier staff and drivers: their company. */
  carrierId?: string;
}

/**
 * Row-level limits applied inside SQL (`WHERE carrier_id = $n`), so a handler cannot forget them.
 * Empty for staff roles, which see every row of the resources their role may open.
 */
export interface RowScope {
  carrierId?: string;
  ownerUserId?: string;
}

export function rowScopeOf(actor: Actor): RowScope {
  const carrierId = carrierScopeOf(actor);
  if (carrierId !== undefined) return { carrierId };
  if (actor.role === 'consumer') return { ownerUserId: actor.userId };
  return {};
}

/** The system itself (bootstrap, CLI): audit rows name it instead of a user. */
export const SYSTEM_ACTOR: Actor = { userId: '00000000-0000-0000-0000-000000000000', role: 'admin' };
