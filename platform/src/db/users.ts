import type { Actor, Role, RowScope } from '../auth/actor.js';
import { writeAudit } from './audit.js';
import { withTransaction, type Database, type Queryable } from './pool.js';

export interface User {
  id: string;
  login: string;
  role: Role;
  carrierId: string | null;
  fullName: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

export interface NewUser {
  login: string;
  passwordHash: string;
  role: Role;
  carrierId?: string | null;
  fullName?: string | null;
}

export interface UserChange {
  passwordHash?: string;
  fullName?: string | null;
  disabled?: boolean;
}

const USER_COLUMNS = `id, login, role, carrier_id AS "carrierId", full_name AS "fullName", disabled,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function findUserByLogin(db: Queryable, login: string): Promise<UserWithHash | undefined> {
  const result = await db.query<UserWithHash>(
    `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE login = $1`,
    [login],
  );
  return result.rows[0];
}

export async function findUser(db: Queryable, id: string): Promise<User | undefined> {
  const result = await db.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return result.rows[0];
}

/** Users a role may list: admins everyone, carrier staff their own company's people. */
export async function listUsers(db: Queryable, scope: RowScope): Promise<User[]> {
  const result = await db.query<User>(
    `SELECT ${USER_COLUMNS} FROM users WHERE ($1::uuid IS NULL OR carrier_id = $1) ORDER BY login`,
    [scope.carrierId ?? null],
  );
  return result.rows;
}

export async function createUser(db: Database, actor: Actor, user: NewUser): Promise<User> {
  return withTransaction(db, async (tx) => {
    const result = await tx.query<User>(
      `INSERT INTO users (login, password_hash, role, carrier_id, full_name)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
      [user.login, user.passwordHash, user.role, user.carrierId ?? null, user.fullName ?? null],
    );
    const created = result.rows[0]!;
    await writeAudit(tx, actor, 'create', 'user', created.id, undefined, created);
    return created;
  });
}

export async function updateUser(
  db: Database,
  actor: Actor,
  id: string,
  change: UserChange,
): Promise<User | undefined> {
  return withTransaction(db, async (tx) => {
    const before = await tx.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!before.rows[0]) return undefined;
    const result = await tx.query<User>(
      `UPDATE users SET
         password_hash = COALESCE($2, password_hash),
         full_name = CASE WHEN $3 THEN $4 ELSE full_name END,
         disabled = COALESCE($5, disabled),
         updated_at = now()
       WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [
        id,
        change.passwordHash ?? null,
        'fullName' in change,
        change.fullName ?? null,
        change.disabled ?? null,
      ],
    );
    const after = result.rows[0]!;
    // The audit never holds password hashes; a password change shows as a changed updatedAt.
    await writeAudit(tx, actor, 'update', 'user', id, before.rows[0], after);
    if (change.disabled || change.passwordHash) {
      await tx.query(
        'UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
        [id],
      );
    }
    return after;
  });
}

export async function hasAdmin(db: Queryable): Promise<boolean> {
  const result = await db.query(`SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled LIMIT 1`);
  return (result.rowCount ?? 0) > 0;
}
