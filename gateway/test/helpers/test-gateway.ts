import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { hashDeviceSecret } from '../../src/auth/device-secret.js';
import { loadOptions, type Options } from '../../src/config.js';
import { upsertDevices } from '../../src/db/devices.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import type { Telemetry } from '../../src/proto/codec.js';

export const TEST_JWT_SECRET = 'test-secret-for-dashboard-tokens-0123456789';

/** Gateway options for tests: ephemeral ports on loopback, quiet logs, a temp data dir. */
export async function testOptions(databaseUrl: string, env: Record<string, string> = {}): Promise<Options> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'msw-gw-'));
  return loadOptions({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    MQTT_PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LIVE_THROTTLE_MS: '100',
    ...env,
  });
}

export async function startTestGateway(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<RunningGateway> {
  const options = await testOptions(databaseUrl, env);
  const gateway = await startGateway(options, pino({ level: options.logLevel }));
  const close = gateway.close;
  gateway.close = async () => {
    await close();
    await rm(options.dataDir, { recursive: true, force: true });
  };
  return gateway;
}

export function mqttUrlOf(gateway: RunningGateway): string {
  return `mqtt://127.0.0.1:${gateway.mqtt?.port ?? 0}`;
}

export function httpUrlOf(gateway: RunningGateway): string {
  return `http://127.0.0.1:${gateway.http.port}`;
}

export interface TestDevice {
  id: string;
  secret: string;
  carrierId: string | null;
}

/** Provisions devices straight into the gateway's database (as the CLI does). */
export async function provisionDevices(
  gateway: RunningGateway,
  devices: { id: string; carrierId?: string | null }[],
): Promise<TestDevice[]> {
  const withSecrets = devices.map((d) => ({
    id: d.id,
    secret: `secret-of-${d.id}-0123456789`,
    carrierId: d.carrierId ?? null,
  }));
  const hashes = await Promise.all(withSecrets.map((d) => hashDeviceSecret(d.secret)));
  await upsertDevices(
    gateway.pool,
    withSecrets.map((d, i) => ({ id: d.id, secretHash: hashes[i]!, carrierId: d.carrierId })),
  );
  return withSecrets;
}

/** A real MQTT client logged in as the device (no automatic reconnect unless asked). */
export function connectDevice(
  url: string,
  device: TestDevice,
  options: mqtt.IClientOptions = {},
): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(url, {
    clientId: device.id,
    username: device.id,
    password: device.secret,
    reconnectPeriod: 0,
    ...options,
  });
}

/** A plausible fix near Ostankino, Moscow, `seq` seconds after `baseMs`. */
export function fixAt(seq: number, baseMs: number, overrides: Partial<Telemetry> = {}): Telemetry {
  return {
    seq,
    timeMs: baseMs + seq * 1000,
    latE7: 558_150_000 + seq * 50,
    lonE7: 376_050_000 + seq * 50,
    speedKmh: 25,
    headingDeg: 45,
    hdop: 0.8,
    satellites: 14,
    ignition: true,
    odometerM: 100_000 + seq * 7,
    fuelLevelL: 180.5,
    fuelUsedTotalL: 12_345.5,
    engineHours: 4321.25,
    containerEvents: [],
    ...overrides,
  };
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  stepMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
