import { PortInUseError } from '@msw/gateway/http/listen';
import { pino } from 'pino';
import { loadPlatformOptions, PlatformConfigError } from './config.js';
import { startPlatform } from './platform.js';

// The only place that reads process.env (STYLE: config validated once, at start).
async function main(): Promise<void> {
  const options = loadPlatformOptions(process.env);
  const logger = pino({ level: options.logLevel, base: { service: 'platform' } });
  const platform = await startPlatform(options, logger);
  const database = {
    configured: '',
    'running-gateway': ' (the gateway’s embedded)',
    embedded: ' (embedded)',
  };
  const lines = [
    `database       ${platform.databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}${database[platform.databaseSource]}`,
    `api            ${platform.url}/api/v1`,
    `openapi        ${platform.url}/api/openapi.json`,
  ];
  process.stdout.write(`msw platform ready\n${lines.map((l) => `  ${l}`).join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    platform.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof PlatformConfigError || error instanceof PortInUseError) {
    process.stderr.write(`platform: ${error.message}\n`);
  } else {
    process.stderr.write(`platform: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
