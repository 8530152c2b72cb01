import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  onLog?: (line: string) => void;
}

export interface OpenedDatabase {
  url: string;
  /** How the database was found: configured, shared with a running gateway, or started here. */
  source: 'configured' | 'running-gateway' | 'embedded';
  release(): Promise<void>;
}

/**
 * DATABASE_URL, else the embedded PostgreSQL of a gateway running from the same DATA_DIR (its
 * `runtime.json`), else the embedded PostgreSQL started here. One data directory has one server:
 * the CLI and the platform share the gateway's instead of starting a second one on the same files.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, source: 'configured', release: async () => undefined };
  }
  const running = findRunningGatewayDatabase(options.dataDir);
  if (running) return { url: running, source: 'running-gateway', release: async () => undefined };
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(options.dataDir, 'pg'),
    port: options.embeddedPgPort,
    onLog: options.onLog,
  });
  return { url: embedded.url, source: 'embedded', release: () => embedded.stop() };
}

/** The database URL a live gateway wrote to `DATA_DIR/runtime.json`, if one runs. */
export function findRunningGatewayDatabase(dataDir: string): string | undefined {
  const runtimeFile = path.join(dataDir, 'runtime.json');
  if (!existsSync(runtimeFile)) return undefined;
  try {
    const info = JSON.parse(readFileSync(runtimeFile, 'utf8')) as { databaseUrl?: unknown; pid?: unknown };
    if (typeof info.databaseUrl !== 'string' || typeof info.pid !== 'number') return undefined;
    return isAlive(info.pid) ? info.databaseUrl : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
