import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

const ROUTING_MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Applies the routing service's pending migrations (plans, work orders) under their own table, so the
 * gateway's and the routing service's schemas share a database without sharing a history.
 * node-pg-migrate holds an advisory lock while it runs: concurrent starts apply each migration once.
 */
export async function migrateRoutingSchema(
  databaseUrl: string,
  log?: (message: string) => void,
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: ROUTING_MIGRATIONS,
    migrationsTable: 'pgmigrations_routing',
    direction: 'up',
    count: Infinity,
    checkOrder: true,
    log: (message: string) => log?.(message),
    verbose: false,
  });
  return applied.map((migration) => migration.name);
}
