import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type pg from 'pg';
import type { Logger } from 'pino';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { DeviceAuthenticator } from './auth/device-auth.js';
import { loadOrCreateSecret } from './auth/jwt-secret.js';
import { createTelemetryBroker, type TelemetryBroker } from './broker/mqtt-broker.js';
import type { Options } from './config.js';
import { listDevices } from './db/devices.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres.js';
import { migrateGatewaySchema } from './db/migrate.js';
import { createPool, pingDatabase } from './db/pool.js';
import { dropTelemetryPartitionsBefore, ensureTelemetryPartitions, insertTelemetry } from './db/telemetry.js';
import { createHttpHandler, type HealthReport } from './http/http-routes.js';
import { listenOn } from './http/listen.js';
import { TelemetryIngest } from './ingest/telemetry-ingest.js';
import { startAlertRelay } from './live/alert-relay.js';
import { LiveHub, type DeviceDirectoryEntry } from './live/live-hub.js';
import { attachRedis } from './live/shared-positions.js';
import { GatewayMetrics } from './metrics.js';
import { TelemetrySink } from './sink/telemetry-sink.js';
import { SharedSubscriptionWorker } from './worker/shared-subscription-worker.js';

const DAY_MS = 86_400_000;
const MAINTENANCE_INTERVAL_MS = 3_600_000;
const DIRECTORY_REFRESH_MS = 30_000;

export { loadOrCreateSecret };

export interface RunningGateway {
  options: Options;
  databaseUrl: string;
  /** MQTT over TCP (or TLS), broker mode only. */
  mqtt?: AddressInfo;
  http: AddressInfo;
  /** ws(s)://host:port/mqtt, broker mode only. */
  mqttWebSocketPath?: string;
  broker?: TelemetryBroker;
  sink: TelemetrySink;
  metrics: GatewayMetrics;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** What `npm start` prints and firmware-sim reads to find a locally running gateway. */
export interface RuntimeInfo {
  databaseUrl: string;
  mqttUrl?: string;
  httpUrl: string;
  pid: number;
}

/**
 * Starts the whole gateway: database (embedded when no DATABASE_URL), migrations, partitions,
 * group-commit sink, then either the embedded aedes broker (TCP + WebSocket) or a shared-
 * subscription worker on an external broker, plus the HTTP side (health, metrics, socket.io).
 */
export async function startGateway(options: Options, logger: Logger): Promise<RunningGateway> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const runCleanups = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: error }, 'shutdown step failed');
      }
    }
  };
  try {
    return await start(options, logger, cleanups, runCleanups);
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

async function start(
  options: Options,
  logger: Logger,
  cleanups: (() => Promise<void> | void)[],
  runCleanups: () => Promise<void>,
): Promise<RunningGateway> {
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    const embedded: EmbeddedDatabase = await startEmbeddedPostgres({
      dataDir: path.join(options.dataDir, 'pg'),
      port: options.embeddedPgPort,
      onLog: (line) => logger.trace({ pg: line }, 'embedded postgres'),
    });
    cleanups.push(() => embedded.stop());
    databaseUrl = embedded.url;
    logger.info(
      { port: options.embeddedPgPort, dir: path.join(options.dataDir, 'pg') },
      'embedded PostgreSQL started',
    );
  }
  const applied = await migrateGatewaySchema(databaseUrl);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');

  const pool = createPool(databaseUrl, options.sinkConnections + 2);
  cleanups.push(() => pool.end());
  const maintain = async (): Promise<void> => {
    const now = Date.now();
    const created = await ensureTelemetryPartitions(
      pool,
      now - options.validation.maxAgeMs - DAY_MS,
      now + 3 * DAY_MS,
    );
    const dropped = await dropTelemetryPartitionsBefore(pool, now - options.retentionDays * DAY_MS);
    if (created || dropped) logger.info({ created, dropped }, 'telemetry partitions maintained');
  };
  await maintain();
  const maintenance = setInterval(() => {
    maintain().catch((error: unknown) => logger.warn({ err: error }, 'partition maintenance failed'));
  }, MAINTENANCE_INTERVAL_MS);
  maintenance.unref();
  cleanups.push(() => clearInterval(maintenance));

  const directory = new Map<string, DeviceDirectoryEntry>();
  const refreshDirectory = async (): Promise<void> => {
    for (const device of await listDevices(pool)) {
      directory.set(device.id, { carrierId: device.carrierId, vehiclePlate: device.vehiclePlate });
    }
  };
  await refreshDirectory();
  const directoryTimer = setInterval(() => {
    refreshDirectory().catch(() => undefined);
  }, DIRECTORY_REFRESH_MS);
  directoryTimer.unref();
  cleanups.push(() => clearInterval(directoryTimer));

  const metrics = new GatewayMetrics();
  // The live hub needs the HTTP server, which comes later; commits reach it once it exists.
  const liveRef: { hub?: LiveHub } = {};
  const sink = new TelemetrySink(
    { writeBatch: (rows, events) => insertTelemetry(pool, rows, events) },
    {
      maxRows: options.batchMaxRows,
      maxWaitMs: options.batchMaxWaitMs,
      maxConcurrentCommits: options.sinkConnections,
      maxQueueRows: options.sinkMaxQueueRows,
    },
    {
      onCommitted: (entries, result, rows, seconds) => {
        metrics.stored.inc(result.stored);
        metrics.duplicates.inc(rows - result.stored);
        metrics.batchLatency.observe(seconds);
        metrics.batchRows.observe(rows);
        liveRef.hub?.onCommitted(entries);
      },
      onCommitFailed: (error, attempt) => {
        metrics.commitFailures.inc();
        if (attempt === 1 || attempt % 20 === 0) {
          logger.warn(
            { err: (error as Error).message, attempt },
            'group commit failed; holding acknowledgements and retrying',
          );
        }
      },
      onQueueDepth: (rows) => metrics.queueDepth.set(rows),
      onEntryRefused: (entry, error) =>
        logger.warn(
          { deviceId: entry.deviceId, err: (error as Error).message },
          'database refused a message; dropped',
        ),
    },
  );
  cleanups.push(async () => {
    await Promise.race([sink.whenIdle(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    sink.close();
  });
  const ingest = new TelemetryIngest({
    sink,
    metrics,
    validation: options.validation,
    garbageLimit: options.garbageLimit,
  });

  const tlsOptions = options.tls ? await readTls(options.tls) : undefined;
  const httpServer = tlsOptions ? https.createServer(tlsOptions) : http.createServer();
  let broker: TelemetryBroker | undefined;
  let worker: SharedSubscriptionWorker | undefined;

  const health = async (): Promise<HealthReport> => {
    const databaseUp = (await pingDatabase(pool)) && sink.isHealthy;
    const brokerUp = broker ? !broker.aedes.closed : worker?.isConnected === true;
    const reasons = [
      databaseUp ? undefined : `database: ${sink.lastFailure ?? 'not answering'}`,
      brokerUp ? undefined : broker ? 'broker closed' : 'not connected to the external broker',
    ].filter(Boolean);
    return {
      status: databaseUp && brokerUp ? 'ok' : 'unavailable',
      database: databaseUp ? 'up' : 'down',
      broker: brokerUp ? 'up' : 'down',
      queuedRecords: sink.queuedRows,
      ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    };
  };
  httpServer.on('request', createHttpHandler({ health, metrics: metrics.registry }));

  const jwtSecret = options.jwtSecret ?? (await loadOrCreateSecret(options.dataDir));
  const io = new SocketIoServer(httpServer, {
    // MQTT over WebSocket shares this server; socket.io must leave other upgrades alone.
    destroyUpgrade: false,
    serveClient: false,
    cors: { origin: true, credentials: true },
  });
  const shared = options.redisUrl ? await attachRedis(io, options.redisUrl, options.sharedGroup) : undefined;
  if (shared) cleanups.push(() => shared.close());
  const live = new LiveHub(io, {
    shared,
    throttleMs: options.liveThrottleMs,
    jwtSecret,
    directory: () => directory,
    logger,
  });
  liveRef.hub = live;
  cleanups.push(() => {
    live.close();
    return new Promise<void>((resolve) => io.close(() => resolve()));
  });
  // Alerts from the platform's facts worker arrive by NOTIFY on the same database.
  const alertRelay = startAlertRelay(io, databaseUrl, logger);
  await alertRelay.ready;
  cleanups.push(() => alertRelay.close());

  let mqttAddress: AddressInfo | undefined;
  if (options.mode === 'broker') {
    broker = await createTelemetryBroker({
      auth: new DeviceAuthenticator(pool),
      ingest,
      metrics,
      logger,
      isAcceptingConnections: () => sink.isHealthy && !sink.isSaturated,
      onDeviceAuthenticated: (session) =>
        directory.set(session.deviceId, { carrierId: session.carrierId, vehiclePlate: session.vehiclePlate }),
    });
    const activeBroker = broker;
    const wss = new WebSocketServer({ noServer: true });
    httpServer.on('upgrade', (request, socket, head) => {
      if ((request.url ?? '').split('?')[0] !== '/mqtt') return;
      wss.handleUpgrade(request, socket, head, (websocket) => {
        activeBroker.aedes.handle(createWebSocketStream(websocket), request);
      });
    });
    const mqttServer = tlsOptions
      ? tls.createServer(tlsOptions, activeBroker.aedes.handle)
      : net.createServer(activeBroker.aedes.handle);
    mqttAddress = await listenOn(mqttServer, options.mqttPort, options.host, 'MQTT_PORT');
    cleanups.push(async () => {
      // Stop accepting, then close the broker, which ends every device connection.
      const closing = closeServer(mqttServer);
      await activeBroker.close();
      await closing;
    });
  } else {
    worker = new SharedSubscriptionWorker({
      url: options.mqttUrl ?? '',
      workerId: options.workerId ?? `ingest-${randomBytes(4).toString('hex')}`,
      group: options.sharedGroup,
      username: options.mqttUsername,
      password: options.mqttPassword,
      receiveMaximum: 1000,
      ingest,
      metrics,
      logger,
    });
    worker.start();
    const activeWorker = worker;
    cleanups.push(() => activeWorker.close());
  }
  const httpAddress = await listenOn(httpServer, options.httpPort, options.host, 'PORT');
  cleanups.push(() => closeServer(httpServer));

  return {
    options,
    databaseUrl,
    mqtt: mqttAddress,
    http: httpAddress,
    mqttWebSocketPath: broker ? '/mqtt' : undefined,
    broker,
    sink,
    metrics,
    pool,
    close: runCleanups,
  };
}

async function readTls(files: NonNullable<Options['tls']>): Promise<tls.TlsOptions> {
  const [cert, key, ca] = await Promise.all([
    readFile(files.certFile),
    readFile(files.keyFile),
    files.caFile ? readFile(files.caFile) : Promise.resolve(undefined),
  ]);
  // With a CA configured, devices must also present a client certificate signed by it (mutual TLS).
  return ca ? { cert, key, ca, requestCert: true, rejectUnauthorized: true } : { cert, key };
}

// Waits for the server to close, but never longer than a few seconds (upgraded sockets).
function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    const guard = setTimeout(resolve, 3_000);
    guard.unref();
    server.close(() => {
      clearTimeout(guard);
      resolve();
    });
    if ('closeAllConnections' in server && typeof server.closeAllConnections === 'function') {
      (server as http.Server).closeAllConnections();
    }
  });
}

export function runtimeInfo(gateway: RunningGateway): RuntimeInfo {
  const host = gateway.options.host === '0.0.0.0' ? '127.0.0.1' : gateway.options.host;
  const secure = Boolean(gateway.options.tls);
  return {
    databaseUrl: gateway.databaseUrl,
    mqttUrl: gateway.mqtt ? `${secure ? 'mqtts' : 'mqtt'}://${host}:${gateway.mqtt.port}` : undefined,
    httpUrl: `${secure ? 'https' : 'http'}://${host}:${gateway.http.port}`,
    pid: process.pid,
  };
}
