import pg from 'pg';

const DATE_OID = 1082;
const TIMESTAMPTZ_OID = 1184;

// Dates stay 'YYYY-MM-DD' strings (a JS Date would shift them by the process time zone) and
// timestamps become ISO-8601 UTC strings; numeric stays a string (exact decimals, never floats).
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === TIMESTAMPTZ_OID) return (value: string) => new Date(value).toISOString();
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as typeof pg.types.getTypeParser,
};

export type Database = pg.Pool;
/** A pool or a client inside a transaction: whatever can run a query. */
export type Queryable = pg.Pool | pg.PoolClient;

export function createPlatformPool(connectionString: string, max: number): Database {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'msw-platform',
    types,
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `work` in one transaction: everything it writes (with its audit rows) commits or none does. */
export async function withTransaction<T>(db: Database, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
