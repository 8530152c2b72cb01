import type pg from 'pg';
import type { Queryable } from './pool.js';

/** One throttled key (`login:…` or `ip:…`) and how many failures it may have within the window. */
export interface ThrottleKey {
  key: string;
  maxFailures: number;
}

export type AttemptAdmission =
  { admitted: true; attemptIds: string[] } | { admitted: false; retryAfterSeconds: number };

/**
 * Admits a login attempt unless one of its keys already has `maxFailures` failures within the window;
 * an admitted attempt is recorded as a failure at once (a success takes it back), so parallel guesses
 * cannot all pass the check before the first of them fails. Per-key advisory locks, taken in one order,
 * make check-and-record atomic across platform instances.
 */
export async function admitLoginAttempt(
  tx: pg.PoolClient,
  keys: readonly ThrottleKey[],
  windowSeconds: number,
): Promise<AttemptAdmission> {
  const ordered = [...keys].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const { key } of ordered) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7364))', [key]);
  }
  let retryAfterSeconds = 0;
  for (const { key, maxFailures } of ordered) {
    // The window frees a place when the maxFailures-th newest failure leaves it.
    const result = await tx.query<{ seconds: string }>(
      `SELECT ceil(extract(epoch FROM at + make_interval(secs => $2) - now())) AS seconds
         FROM login_failures
        WHERE key = $1 AND at > now() - make_interval(secs => $2)
        ORDER BY at DESC OFFSET $3 - 1 LIMIT 1`,
      [key, windowSeconds, maxFailures],
    );
    const row = result.rows[0];
    if (row) retryAfterSeconds = Math.max(retryAfterSeconds, Math.max(1, Number(row.seconds)));
  }
  if (retryAfterSeconds > 0) return { admitted: false, retryAfterSeconds };
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO login_failures (key) SELECT unnest($1::text[]) RETURNING id`,
    [ordered.map(({ key }) => key)],
  );
  // Failures older than the window count for nothing: dropped here, so the table stays small.
  await tx.query('DELETE FROM login_failures WHERE at <= now() - make_interval(secs => $1)', [windowSeconds]);
  return { admitted: true, attemptIds: inserted.rows.map((row) => row.id) };
}

/** A successful login: its attempt was no failure, and the login's earlier failures are forgiven. */
export async function forgiveLoginFailures(
  db: Queryable,
  loginKey: string,
  attemptIds: readonly string[],
): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE key = $1 OR id = ANY($2::bigint[])', [
    loginKey,
    attemptIds,
  ]);
}
