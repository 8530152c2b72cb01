import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { RuntimeInfo } from '../../gateway/src/gateway.js';

export interface GatewayEndpoints {
  mqttUrl: string;
  databaseUrl: string;
  /** Where the endpoints came from, for messages. */
  source: string;
}

export class GatewayNotFoundError extends Error {
  readonly code = 'SIM_NO_GATEWAY';
}

/**
 * Endpoints from flags/env when both are given, otherwise filled in from the runtime.json a running
 * gateway (`npm start`) writes into its DATA_DIR. A runtime.json whose process is gone is stale.
 */
export async function locateGateway(
  explicit: { mqttUrl?: string; databaseUrl?: string },
  dataDir: string,
): Promise<GatewayEndpoints> {
  if (explicit.mqttUrl && explicit.databaseUrl) {
    return { mqttUrl: explicit.mqttUrl, databaseUrl: explicit.databaseUrl, source: 'flags' };
  }
  const runtimeFile = path.join(dataDir, 'runtime.json');
  const hint = 'start one with `npm start` or pass --mqtt-url and --database-url';
  if (!existsSync(runtimeFile)) {
    throw new GatewayNotFoundError(`no running gateway found (${runtimeFile} does not exist); ${hint}`);
  }
  let info: Partial<RuntimeInfo>;
  try {
    info = JSON.parse(await readFile(runtimeFile, 'utf8')) as Partial<RuntimeInfo>;
  } catch (error) {
    throw new GatewayNotFoundError(`${runtimeFile} is not valid JSON (${(error as Error).message}); ${hint}`);
  }
  if (typeof info.pid !== 'number' || !isAlive(info.pid)) {
    throw new GatewayNotFoundError(
      `${runtimeFile} is stale (gateway pid ${info.pid} is not running); ${hint}`,
    );
  }
  const mqttUrl = explicit.mqttUrl ?? info.mqttUrl;
  const databaseUrl = explicit.databaseUrl ?? info.databaseUrl;
  if (!mqttUrl) {
    throw new GatewayNotFoundError(
      `the gateway in ${runtimeFile} runs no MQTT broker (worker mode); pass --mqtt-url`,
    );
  }
  if (!databaseUrl)
    throw new GatewayNotFoundError(`${runtimeFile} names no databaseUrl; pass --database-url`);
  return { mqttUrl, databaseUrl, source: runtimeFile };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const DEFAULT_PORTS: Record<string, number> = {
  mqtt: 1883,
  tcp: 1883,
  mqtts: 8883,
  ssl: 8883,
  ws: 80,
  wss: 443,
};

/** Resolves when something accepts TCP connections at the broker's address; rejects with why not. */
export async function probeBroker(mqttUrl: string, timeoutMs = 3_000): Promise<void> {
  const url = new URL(mqttUrl);
  const scheme = url.protocol.replace(/:$/, '');
  const port = url.port ? Number(url.port) : (DEFAULT_PORTS[scheme] ?? 1883);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(
        new GatewayNotFoundError(`cannot reach the MQTT broker at ${mqttUrl} (no answer in ${timeoutMs} ms)`),
      );
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new GatewayNotFoundError(
          `cannot reach the MQTT broker at ${mqttUrl} (${error.code ?? error.message})`,
        ),
      );
    });
  });
}
