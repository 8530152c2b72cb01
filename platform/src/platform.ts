import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadOrCreateSecret } from '@msw/gateway/auth/jwt-secret';
import { openDatabase } from '@msw/gateway/db/open-database';
import { listenOn } from '@msw/gateway/http/listen';
import type { Logger } from 'pino';
import { bootstrapAdmin } from './auth/bootstrap-admin.js';
import { DEFAULT_LOGIN_THROTTLE } from './auth/login-throttle.js';
import type { PlatformOptions } from './config.js';
import { migratePlatformSchema } from './db/migrate.js';
import { FactProcessor } from './facts-worker/fact-processor.js';
import { createPlatformPool } from './db/pool.js';
import { createApp } from './http/app.js';
import type { PlatformServices } from './platform-services.js';

export interface RunningPlatform {
  url: string;
  address: AddressInfo;
  databaseUrl: string;
  databaseSource: 'configured' | 'running-gateway' | 'embedded';
  services: PlatformServices;
  close(): Promise<void>;
}

/**
 * Starts the platform: the database (DATABASE_URL, else the running gateway's embedded one, else an
 * embedded one of its own), gateway then platform migrations, the first admin, then HTTP.
 */
export async function startPlatform(options: PlatformOptions, logger: Logger): Promise<RunningPlatform> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
    }
  };
  try {
    const database = await openDatabase({
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      embeddedPgPort: options.embeddedPgPort,
      onLog: (line) => logger.trace({ pg: line }, 'embedded postgres'),
    });
    cleanups.push(() => database.release());
    const applied = await migratePlatformSchema(database.url);
    if (applied.length > 0) logger.info({ applied }, 'platform migrations applied');

    const db = createPlatformPool(database.url, options.databaseConnections);
    cleanups.push(() => db.end());
    const services: PlatformServices = {
      db,
      jwtSecret: options.jwtSecret ?? (await loadOrCreateSecret(options.dataDir)),
      accessTokenTtlSeconds: options.accessTokenTtlSeconds,
      refreshTokenTtlDays: options.refreshTokenTtlDays,
      passwordHashCost: options.passwordHashCost,
      loginThrottle: options.loginThrottle ?? DEFAULT_LOGIN_THROTTLE,
      trustProxy: options.trustProxy ?? false,
    };
    if (
      options.bootstrapAdmin &&
      (await bootstrapAdmin(db, options.bootstrapAdmin, options.passwordHashCost))
    ) {
      logger.info({ login: options.bootstrapAdmin.login }, 'first admin created');
    }

    if (options.factsIntervalSeconds) {
      const processor = new FactProcessor(db, {
        intervalMs: options.factsIntervalSeconds * 1000,
        initialLookbackMs: 24 * 3600_000,
        logger,
      });
      processor.start();
      cleanups.push(() => processor.close());
    }

    const app = createApp(services, {
      onServerError: (error, path) => logger.error({ err: error, path }, 'request failed'),
    });
    const server = http.createServer(app.callback());
    const address = await listenOn(server, options.port, options.host, 'PLATFORM_PORT');
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
    return {
      url: `http://${host}:${address.port}`,
      address,
      databaseUrl: database.url,
      databaseSource: database.source,
      services,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
