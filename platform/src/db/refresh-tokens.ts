import type pg from 'pg';
import type { Queryable } from './pool.js';

export interface StoredRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  expired: boolean;
  usedAt: string | null;
  revokedAt: string | null;
}

export async function insertRefreshToken(
  db: Queryable,
  token: { familyId: string; userId: string; tokenHash: string; ttlDays: number },
): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(days => $4))`,
    [token.familyId, token.userId, token.tokenHash, token.ttlDays],
  );
}

/** Locks the row: two concurrent refreshes with one token cannot both rotate it. */
export async function lockRefreshToken(
  tx: pg.PoolClient,
  tokenHash: string,
): Promise<StoredRefreshToken | undefined> {
  const result = await tx.query<StoredRefreshToken>(
    `SELECT id, family_id AS "familyId", user_id AS "userId", expires_at <= now() AS expired,
            used_at AS "usedAt", revoked_at AS "revokedAt"
       FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return result.rows[0];
}

export async function markRefreshTokenUsed(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [id]);
}

export async function revokeRefreshFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
    familyId,
  ]);
}
