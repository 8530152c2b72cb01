import { createUser, hasAdmin } from '../db/users.js';
import type { Database } from '../db/pool.js';
import { SYSTEM_ACTOR } from './actor.js';
import { hashPassword } from './password-hash.js';

/**
 * Creates the first admin from PLATFORM_ADMIN_LOGIN/PASSWORD when the platform has none, so a fresh
 * installation can be entered. Never touches an existing admin (changing the variables later does not
 * reset a password). Returns whether it created one.
 */
export async function bootstrapAdmin(
  db: Database,
  admin: { login: string; password: string },
  passwordHashCost: number,
): Promise<boolean> {
  if (await hasAdmin(db)) return false;
  try {
    await createUser(db, SYSTEM_ACTOR, {
      login: admin.login,
      passwordHash: await hashPassword(admin.password, passwordHashCost),
      role: 'admin',
      fullName: 'Администратор',
    });
    return true;
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if ((error as { code?: string }).code === '23505') return false;
    throw error;
  }
}
