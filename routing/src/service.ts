import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { RoutingOptions } from './config.js';
import { OsrmHttpBackend } from './engine/osrm-backend.js';
import { loadOsrmBinding } from './engine/osrm-binding.js';
import { OsrmEngine } from './engine/osrm-engine.js';
import { RoadRouter } from './engine/road-router.js';
import { openNetwork } from './network-store.js';
import { loadOrCreateSecret } from '@msw/gateway/auth/jwt-secret';
import { openPlanDatabase, type PlanDatabase } from './db/plan-database.js';
import { createOptimizerRoutes } from './optimizer/api/optimizer-http.js';
import { queuedSolver, solvePlanOffLoop, type PlanSolver } from './optimizer/api/plan-solver.js';
import { createPlansRoutes } from './optimizer/plans/plans-http.js';
import type { RoutingEngine } from './server/osrm-types.js';
import { createRoutingServer } from './server/routing-server.js';
import { readSpeedFile } from './traffic/speed-file.js';
import { TrafficProfile } from './traffic/traffic-profile.js';

export interface RunningRoutingService {
  address: AddressInfo;
  engine: RoutingEngine;
  /** Present with the embedded backend. */
  router?: RoadRouter;
  close(): Promise<void>;
}

export class RoutingPortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
}

/**
 * The routing service: our engine on the configured extract (or the demo town), with traffic
 * speeds when a speed file is given, or a real OSRM behind the same API; OSRM v1 over HTTP.
 */
export async function startRoutingService(
  options: RoutingOptions,
  logger: Logger,
  /** The plan solver (tests may pass their own); default: solvePlan off the event loop, one at a time. */
  solve: PlanSolver = queuedSolver(solvePlanOffLoop),
): Promise<RunningRoutingService> {
  let engine: RoutingEngine;
  let router: RoadRouter | undefined;
  if (options.backend === 'osrm') {
    // node-osrm in process when it is installed and its data given; else osrm-routed over HTTP.
    const binding = options.osrmData ? await loadOsrmBinding(options.osrmData) : undefined;
    if (binding) {
      engine = binding;
      logger.info({ data: options.osrmData }, 'routing via the node-osrm binding');
    } else {
      if (!options.osrmUrl) {
        throw new Error(
          'OSRM_URL: required when ROUTING_BACKEND=osrm and @project-osrm/osrm is not installed (e.g. http://osrm:5000)',
        );
      }
      engine = new OsrmHttpBackend(options.osrmUrl);
      logger.info({ url: options.osrmUrl }, 'routing via osrm-routed');
    }
  } else {
    const { network, source } = await openNetwork(options.osmFile, options.dataDir, (message, details) =>
      logger.info(details ?? {}, message),
    );
    const traffic = options.speedsFile
      ? new TrafficProfile(network.graph, await readSpeedFile(options.speedsFile))
      : undefined;
    if (traffic)
      logger.info({ file: options.speedsFile, pieces: traffic.pieceCount }, 'traffic speeds loaded');
    router = new RoadRouter(network.graph, network.hierarchy, {
      traffic,
      utcOffsetMinutes: options.utcOffsetMinutes,
      onCustomize: (key, ms) =>
        logger.info({ metric: key.slice(0, 80), ms: Math.round(ms) }, 'metric customized'),
    });
    engine = new OsrmEngine(router, { utcOffsetMinutes: options.utcOffsetMinutes });
    logger.info(
      {
        source: source.osmFile,
        demoTown: source.isDemoTown,
        pieces: network.graph.pieceCount,
        shortcuts: network.hierarchy.shortcutCount,
      },
      'routing network ready',
    );
  }
  const logError = (error: unknown, request: { url: string }): void =>
    logger.error({ err: error, url: request.url }, 'routing request failed');
  const database: PlanDatabase | undefined = options.databaseUrl
    ? openPlanDatabase(options.databaseUrl, (message) => logger.info(message))
    : undefined;
  if (!database) logger.info('DATABASE_URL not set: /plans answers 503, routing and /optimize work');
  const optimizer = {
    engine,
    solve,
    maxTimeLimitS: options.optimizerMaxTimeS,
    jwtSecret: options.jwtSecret ?? (await loadOrCreateSecret(options.dataDir)),
    ...(options.optimizerThreads !== undefined ? { threads: options.optimizerThreads } : {}),
    ...(database ? { database } : {}),
    logError,
  };
  const plans = createPlansRoutes({ ...optimizer, database, utcOffsetMinutes: options.utcOffsetMinutes });
  const server = createRoutingServer(engine, {
    limits: { maxTableSize: options.maxTableSize },
    logError,
    routes: [createOptimizerRoutes(optimizer), plans],
  });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new RoutingPortInUseError(
              `port ${options.port} on ${options.host} is already in use: set ROUTING_PORT to a free port`,
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve(server.address() as AddressInfo));
  });
  return {
    address,
    engine,
    router,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await plans.close();
      await database?.close();
    },
  };
}
