import { fileURLToPath } from 'node:url';
import { migrateGatewaySchema } from '@msw/gateway/db/migrate';
import { runner } from 'node-pg-migrate';

const PLATFORM_MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Applies the gateway's migrations first (platform tables reference `devices`), then the platform's
 * own, tracked in `pgmigrations_platform`. node-pg-migrate's advisory lock serializes concurrent runs.
 */
export async function migratePlatformSchema(databaseUrl: string): Promise<string[]> {
  await migrateGatewaySchema(databaseUrl);
  const applied = await runner({
    databaseUrl,
    dir: PLATFORM_MIGRATIONS,
    migrationsTable: 'pgmigrations_platform',
    direction: 'up',
    count: Infinity,
    checkOrder: true,
    log: () => undefined,
    verbose: false,
  });
  return applied.map((migration) => migration.name);
}
