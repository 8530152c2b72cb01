import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../src/gateway.js';
import { MqttSocket } from '../src/mqtt/mqtt-socket.js';
import { encodeTelemetryBatch, telemetryTopic } from '../src/proto/codec.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import {
  connectDevice,
  fixAt,
  provisionDevices,
  startTestGateway,
  type TestDevice,
} from './helpers/test-gateway.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let database: TestDatabase;
let certDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  certDir = await mkdtemp(path.join(tmpdir(), 'msw-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      path.join(certDir, 'key.pem'),
      '-out',
      path.join(certDir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
});

afterAll(async () => {
  await database?.drop();
  if (certDir) await rm(certDir, { recursive: true, force: true });
});

describe('TLS', () => {
  let gateway: RunningGateway;
  let device: TestDevice;

  beforeAll(async () => {
    gateway = await startTestGateway(database.url, {
      TLS_CERT_FILE: path.join(certDir, 'cert.pem'),
      TLS_KEY_FILE: path.join(certDir, 'key.pem'),
    });
    [device] = (await provisionDevices(gateway, [{ id: 'tls-truck' }])) as [TestDevice];
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('serves mqtts, wss and https with the configured certificate', async () => {
    const ca = await readFile(path.join(certDir, 'cert.pem'));
    for (const url of [
      `mqtts://127.0.0.1:${gateway.mqtt!.port}`,
      `wss://127.0.0.1:${gateway.http.port}/mqtt`,
    ]) {
      const client = await connectDevice(url, device, { ca });
      const seq = url.startsWith('mqtts') ? 1 : 2;
      const payload = encodeTelemetryBatch({
        deviceId: device.id,
        records: [fixAt(seq, Date.now() - 10_000)],
      });
      await client.publishAsync(telemetryTopic(device.id), Buffer.from(payload), { qos: 1 });
      await client.endAsync();
    }
    const { rows } = await gateway.pool.query('SELECT count(*)::int AS n FROM telemetry');
    expect(rows[0].n).toBe(2);
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(`https://127.0.0.1:${gateway.http.port}/health`, { ca }, (res) => resolve(res.statusCode ?? 0))
        .on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('refuses plain MQTT on the TLS port', async () => {
    const socket = new MqttSocket({
      url: `mqtt://127.0.0.1:${gateway.mqtt!.port}`,
      clientId: device.id,
      username: device.id,
      password: device.secret,
      protocolVersion: 4,
      clean: true,
      keepaliveS: 0,
      connectTimeoutMs: 2_000,
    });
    const outcome = await socket.connect().then(
      () => 'connected',
      () => 'refused',
    );
    socket.destroy();
    expect(outcome).toBe('refused');
  });
});

describe('npm start', () => {
  it('names the variable to change when a port is taken, in one line', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'msw-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        MQTT_PORT: String(port),
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    blocker.close();
    await rm(dataDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `gateway: port ${port} on 127.0.0.1 is already in use: set MQTT_PORT to a free port`,
    ]);
  });

  it('rejects a malformed variable with its name before starting anything', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: 'http' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^gateway: PORT: /);
  });
});
