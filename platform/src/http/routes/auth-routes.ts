import { z } from 'zod';
import { ROLES } from '../../auth/actor.js';
import { login, logout, refresh } from '../../auth/session-service.js';
import { findUser } from '../../db/users.js';
import { apiErrors } from '../api-error.js';
import { defineRoute, type RouteSpec } from '../route.js';
import { user } from './user-routes.js';

const tokenPair = z.object({
  accessToken: z.string().describe('HS256 JWT, accepted by the gateway’s socket.io too'),
  refreshToken: z.string().describe('single use: each refresh returns the next one'),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('access token lifetime, seconds'),
  user,
});
const refreshBody = z.object({ refreshToken: z.string().min(20).max(200) });

export function authRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary: 'Вход по паролю / Password login',
      roles: 'public',
      body: z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
      throttled: true,
      response: { status: 200, schema: tokenPair },
      handler: ({ body, clientIp, services }) => login(services, body.login, body.password, clientIp),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      tag: 'auth',
      summary: 'Обновление токенов (ротация) / Refresh with rotation',
      roles: 'public',
      body: refreshBody,
      response: { status: 200, schema: tokenPair },
      handler: ({ body, services }) => refresh(services, body.refreshToken),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      tag: 'auth',
      summary: 'Выход: сеанс завершается / Logout: the session ends',
      roles: 'public',
      body: refreshBody,
      response: { status: 204, schema: z.void() },
      handler: ({ body, services }) => logout(services, body.refreshToken),
    }),
    defineRoute({
      method: 'get',
      path: '/auth/me',
      tag: 'auth',
      summary: 'Текущий пользователь / Current user',
      roles: ROLES,
      response: { status: 200, schema: user },
      handler: async ({ actor, services }) => {
        const found = await findUser(services.db, actor.userId);
        if (!found) throw apiErrors.notFound();
        return found;
      },
    }),
  ];
}
