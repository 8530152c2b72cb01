import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

const GATEWAY_MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface MigrationLog {
  info(message: string): void;
}

/**
 * Applies the gateway's pending migrations. node-pg-migrate holds an advisory lock while it runs,
 * so several gateway processes starting at once apply each migration exactly once.
 */
export async function migrateGatewaySchema(databaseUrl: string, log?: MigrationLog): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: GATEWAY_MIGRATIONS,
    migrationsTable: 'pgmigrations_gateway',
    direction: 'up',
    count: Infinity,
    checkOrder: true,
    log: (message: string) => log?.info(message),
    verbose: false,
  });
  return applied.map((migration) => migration.name);
}
