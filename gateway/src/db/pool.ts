import pg from 'pg';

// bigint (int8) and numeric come back as strings by default; counts we select are cast to int.
export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'msw-gateway',
  });
  // An idle client losing its server (database restart) must not crash the process;
  // the pool drops it and the next query opens a fresh connection.
  pool.on('error', () => undefined);
  return pool;
}

/** True when the database answers within the timeout. */
export async function pingDatabase(pool: pg.Pool, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pool.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
