import { pino } from 'pino';
import { loadRoutingOptions, RoutingConfigError } from './config.js';
import { RoutingPortInUseError, startRoutingService } from './service.js';

// The only place of the routing workspace that reads process.env.
async function main(): Promise<void> {
  const options = loadRoutingOptions(process.env);
  const logger = pino({ level: options.logLevel, base: { service: 'routing' } });
  const service = await startRoutingService(options, logger);
  process.stdout.write(
    `msw routing ready\n  osrm api       http://${options.host}:${service.address.port}/route/v1/driving/{lon},{lat};{lon},{lat}\n` +
      `  optimizer      http://${options.host}:${service.address.port}/optimize, /vroom (POST), /plans${options.databaseUrl ? '' : ' (503: no DATABASE_URL)'}\n`,
  );
  const stop = (): void => {
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const known = error instanceof RoutingConfigError || error instanceof RoutingPortInUseError;
  process.stderr.write(
    `routing: ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
});
