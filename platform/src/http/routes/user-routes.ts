import { z } from 'zod';
import { ROLES } from '../../auth/actor.js';
import { hashPassword } from '../../auth/password-hash.js';
import { listAudit } from '../../db/audit.js';
import { createUser, findUser, listUsers, updateUser } from '../../db/users.js';
import { apiErrors } from '../api-error.js';
import { auditEntry, idParams, pagination, rowMeta, uuid } from '../common-schemas.js';
import { defineRoute, type RouteSpec } from '../route.js';

export const role = z.enum(ROLES as [string, ...string[]]);
export const login = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._@-]{3,64}$/, '3..64 characters: a-z 0-9 . _ @ -');
// NIST SP 800-63B: length matters, composition rules do not.
export const password = z.string().min(12, 'at least 12 characters').max(256);

export const user = z.object({
  ...rowMeta,
  login: z.string(),
  role,
  carrierId: uuid.nullable(),
  fullName: z.string().nullable(),
  disabled: z.boolean(),
});

const userCreate = z
  .object({
    login,
    password,
    role,
    carrierId: uuid.nullable().optional(),
    fullName: z.string().max(300).nullable().optional(),
  })
  .refine((u) => (u.role === 'carrier' || u.role === 'driver') === Boolean(u.carrierId), {
    message: 'carrierId is required for carrier and driver users and forbidden for others',
    path: ['carrierId'],
  });

const userPatch = z.object({
  password: password.optional(),
  fullName: z.string().max(300).nullable().optional(),
  disabled: z.boolean().optional(),
});

export function userRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/users',
      tag: 'users',
      summary: 'Пользователи / Users',
      roles: ['admin'],
      response: { status: 200, schema: z.object({ items: z.array(user) }) },
      handler: async ({ services }) => ({ items: await listUsers(services.db, {}) }),
    }),
    defineRoute({
      method: 'get',
      path: '/users/:id',
      tag: 'users',
      summary: 'Пользователь / User',
      roles: ['admin'],
      params: idParams,
      response: { status: 200, schema: user },
      handler: async ({ params, services }) => {
        const found = await findUser(services.db, params.id);
        if (!found) throw apiErrors.notFound();
        return found;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users',
      tag: 'users',
      summary: 'Создать пользователя / Create a user',
      roles: ['admin'],
      body: userCreate,
      response: { status: 201, schema: user },
      handler: async ({ actor, body, services }) =>
        createUser(services.db, actor, {
          login: body.login,
          passwordHash: await hashPassword(body.password, services.passwordHashCost),
          role: body.role as (typeof ROLES)[number],
          carrierId: body.carrierId,
          fullName: body.fullName,
        }),
    }),
    defineRoute({
      method: 'patch',
      path: '/users/:id',
      tag: 'users',
      summary: 'Изменить пользователя (пароль, блокировка) / Update a user',
      roles: ['admin'],
      params: idParams,
      body: userPatch,
      response: { status: 200, schema: user },
      handler: async ({ actor, params, body, services }) => {
        const updated = await updateUser(services.db, actor, params.id, {
          ...(body.password
            ? { passwordHash: await hashPassword(body.password, services.passwordHashCost) }
            : {}),
          ...('fullName' in body ? { fullName: body.fullName } : {}),
          ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
        });
        if (!updated) throw apiErrors.notFound();
        return updated;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/audit',
      tag: 'users',
      summary: 'Журнал изменений / Audit log',
      roles: ['admin'],
      query: z.object({
        ...pagination,
        entity: z.string().max(50).optional(),
        entityId: z.string().max(100).optional(),
      }),
      response: { status: 200, schema: z.object({ items: z.array(auditEntry) }) },
      handler: async ({ query, services }) => ({ items: await listAudit(services.db, query) }),
    }),
  ];
}
