import pg from 'pg';
import { migrateRoutingSchema } from './migrate.js';

/**
 * The routing service's database for plans: a pool opened on first use, after the routing migrations
 * have run. A failure (database down) is not remembered: the next request tries again, so the service
 * recovers without a restart.
 */
export interface PlanDatabase {
  pool(): Promise<pg.Pool>;
  close(): Promise<void>;
}

export function openPlanDatabase(databaseUrl: string, log?: (message: string) => void): PlanDatabase {
  let ready: Promise<pg.Pool> | undefined;
  let opened: pg.Pool | undefined;
  return {
    pool() {
      ready ??= (async () => {
        await migrateRoutingSchema(databaseUrl, log);
        opened = new pg.Pool({
          connectionString: databaseUrl,
          max: 4,
          connectionTimeoutMillis: 5_000,
          idleTimeoutMillis: 30_000,
          application_name: 'msw-routing',
        });
        // An idle client losing its server must not crash the process.
        opened.on('error', () => undefined);
        return opened;
      })();
      ready.catch(() => {
        ready = undefined;
      });
      return ready;
    },
    async close() {
      await opened?.end();
    },
  };
}
