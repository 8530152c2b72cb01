import { verifyBearerHeader } from '@msw/gateway/auth/access-token';
import type { Context, Next } from 'koa';
import type { Actor } from '../auth/actor.js';
import { apiErrors } from './api-error.js';

/**
 * Reads `Authorization: Bearer <access token>` into `ctx.state.actor`. No header: anonymous (the route
 * decides); a bad or expired token: 401 at once, never treated as anonymous.
 */
export function authenticate(jwtSecret: string) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const header = ctx.get('authorization');
    if (header) {
      try {
        const claims = await verifyBearerHeader(header, jwtSecret);
        const actor: Actor = { userId: claims.sub, role: claims.role, carrierId: claims.carrierId };
        ctx.state['actor'] = actor;
      } catch {
        throw apiErrors.unauthenticated();
      }
    }
    await next();
  };
}
