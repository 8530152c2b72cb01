/**
 * Ingest benchmark: real MQTT clients (QoS 1, one fix per message, the worst case) against a
 * gateway running in its own process and a real PostgreSQL. Prints a table-free progress log on
 * stderr and one JSON line last on stdout.
 *
 *   npm run bench:ingest -- --devices 1000 --seconds 20 [--window 8] [--database-url URL]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mqttPacket, { type Packet } from 'mqtt-packet';
import pg from 'pg';
import { generateDeviceSecret, hashDeviceSecret } from '../src/auth/device-secret.js';
import { upsertDevices } from '../src/db/devices.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { migrateGatewaySchema } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import type { RuntimeInfo } from '../src/gateway.js';
import { MqttSocket } from '../src/mqtt/mqtt-socket.js';
import { encodeTelemetryBatch, telemetryTopic } from '../src/proto/codec.js';
import { createRandom } from '../../firmware-sim/src/prng.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    window: { type: 'string', default: '8' },
    'database-url': { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const DEVICES = Number(values.devices);
const SECONDS = Number(values.seconds);
const WINDOW = Number(values.window);
const log = (line: string): boolean => process.stderr.write(`${line}\n`);

interface Device {
  id: string;
  secret: string;
  socket?: MqttSocket;
  seq: number;
  inFlight: Map<number, { seq: number; sentNs: bigint }>;
  nextMessageId: number;
  acked: number;
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'msw-bench-'));
  await chmod(work, 0o755);
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = values['database-url'] ?? process.env['DATABASE_URL'];
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(work, 'pg'),
      port: 55000 + Math.floor(Math.random() * 1000),
    });
    databaseUrl = embedded.url;
  } else {
    // A database of its own on the given server, dropped afterwards.
    const name = `msw_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(databaseUrl);
    const serverUrl = databaseUrl;
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
  }
  cleanups.push(async () => {
    await embedded?.stop();
    await rm(work, { recursive: true, force: true });
  });

  await migrateGatewaySchema(databaseUrl);
  const pool = createPool(databaseUrl, 4);
  cleanups.push(() => pool.end());
  const devices: Device[] = Array.from({ length: DEVICES }, (_, i) => ({
    id: `bench-${String(i + 1).padStart(5, '0')}`,
    secret: generateDeviceSecret(),
    seq: 0,
    inFlight: new Map(),
    nextMessageId: 1,
    acked: 0,
  }));
  const hashes = await Promise.all(devices.map((d) => hashDeviceSecret(d.secret, 'generated')));
  await upsertDevices(
    pool,
    devices.map((d, i) => ({ id: d.id, secretHash: hashes[i]! })),
  );
  log(`provisioned ${DEVICES} devices`);

  const gateway = await startGatewayProcess(databaseUrl, work);
  cleanups.push(() => stopProcess(gateway.child));
  log(`gateway pid ${gateway.child.pid} at ${gateway.info.mqttUrl}`);

  // Seeded, so every run drives the same tracks.
  const random = createRandom(Number(values.seed));
  const baseMs = Date.now() - 3_600_000;
  const origins = devices.map(() => ({
    lat: 557_000_000 + Math.floor(random() * 2_000_000),
    lon: 375_000_000 + Math.floor(random() * 3_000_000),
  }));
  const latencies = new Float64Array(8_000_000);
  let latencyCount = 0;
  let measuring = false;
  let sending = true;
  let ackedInWindow = 0;
  let sent = 0;

  const publishNext = (device: Device, index: number): void => {
    const socket = device.socket;
    if (!socket || !sending) return;
    const seq = ++device.seq;
    const origin = origins[index]!;
    const payload = encodeTelemetryBatch({
      deviceId: device.id,
      records: [
        {
          seq,
          timeMs: baseMs + seq * 100,
          latE7: origin.lat + seq * 3,
          lonE7: origin.lon + seq * 3,
          speedKmh: 30,
          headingDeg: 45,
          hdop: 0.9,
          satellites: 12,
          ignition: true,
          odometerM: seq * 8,
          fuelLevelL: 200 - seq * 0.001,
          containerEvents: [],
        },
      ],
    });
    const messageId = device.nextMessageId;
    device.nextMessageId = messageId === 65535 ? 1 : messageId + 1;
    device.inFlight.set(messageId, { seq, sentNs: process.hrtime.bigint() });
    sent += 1;
    socket.sendRaw(
      mqttPacket.generate({
        cmd: 'publish',
        topic: telemetryTopic(device.id),
        payload: Buffer.from(payload),
        qos: 1,
        messageId,
        retain: false,
        dup: false,
      }),
    );
  };

  const onPacket = (device: Device, index: number, packet: Packet): void => {
    if (packet.cmd !== 'puback' || packet.messageId === undefined) return;
    const entry = device.inFlight.get(packet.messageId);
    if (!entry) return;
    device.inFlight.delete(packet.messageId);
    device.acked += 1;
    if (measuring) {
      ackedInWindow += 1;
      if (latencyCount < latencies.length) {
        latencies[latencyCount++] = Number(process.hrtime.bigint() - entry.sentNs) / 1e6;
      }
    }
    publishNext(device, index);
  };

  // Connect in waves so the connect storm itself is not what we measure.
  const mqttUrl = gateway.info.mqttUrl!;
  for (let start = 0; start < DEVICES; start += 100) {
    await Promise.all(
      devices.slice(start, start + 100).map(async (device, offset) => {
        const socket = new MqttSocket({
          url: mqttUrl,
          clientId: device.id,
          username: device.id,
          password: device.secret,
          protocolVersion: 4,
          clean: true,
          keepaliveS: 60,
        });
        socket.on('packet', (packet: Packet) => onPacket(device, start + offset, packet));
        await socket.connect();
        device.socket = socket;
      }),
    );
  }
  log(`${DEVICES} devices connected`);

  devices.forEach((device, index) => {
    for (let i = 0; i < WINDOW; i++) publishNext(device, index);
  });
  // Warm-up (JIT, pool connections, first partitions) before the measured window.
  await sleep(2_000);
  const sentBefore = sent;
  measuring = true;
  const started = performance.now();
  const progress = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    log(`t=${elapsed.toFixed(0)}s acked=${ackedInWindow} rate=${Math.round(ackedInWindow / elapsed)}/s`);
  }, 5_000);
  await sleep(SECONDS * 1000);
  measuring = false;
  const elapsedS = (performance.now() - started) / 1000;
  clearInterval(progress);
  sending = false;
  const sentInRun = sent;
  // Drain: everything sent must be acknowledged before we count.
  const drainDeadline = Date.now() + 60_000;
  while (devices.some((d) => d.inFlight.size > 0) && Date.now() < drainDeadline) await sleep(50);
  const rssMb = await peakRssMb(gateway.child.pid!);
  for (const device of devices) device.socket?.end();

  const { rows } = await pool.query<{ device_id: string; n: number; distinct_seq: number; max_seq: string }>(
    `SELECT device_id, count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, max(seq) AS max_seq
     FROM telemetry GROUP BY device_id`,
  );
  const byDevice = new Map(rows.map((r) => [r.device_id, r]));
  let stored = 0;
  let duplicates = 0;
  let lost = 0;
  for (const device of devices) {
    const row = byDevice.get(device.id);
    const n = row?.n ?? 0;
    stored += n;
    duplicates += n - (row?.distinct_seq ?? 0);
    // Acknowledged seqs are 1..acked (all sent ones after the drain); any missing one is lost.
    const contiguous = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1 AND seq BETWEEN 1 AND $2',
      [device.id, device.acked],
    );
    lost += device.acked - (contiguous.rows[0]?.n ?? 0);
  }
  const sorted = latencies.subarray(0, latencyCount).sort();
  const quantile = (q: number): number =>
    round2(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  const unacked = devices.reduce((n, d) => n + d.inFlight.size, 0);
  log(`sent during warm-up ${sentBefore}, total ${sentInRun}, unacknowledged after drain ${unacked}`);
  const result = {
    name: 'ingest',
    devices: DEVICES,
    seconds: round2(elapsedS),
    window: WINDOW,
    sent: sentInRun,
    stored,
    lost,
    duplicates,
    msgs_per_s: Math.round(ackedInWindow / elapsedS),
    ack_p50_ms: quantile(0.5),
    ack_p99_ms: quantile(0.99),
    rss_mb: rssMb,
  };
  await runCleanups();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // best effort
    }
  }
}

async function startGatewayProcess(
  databaseUrl: string,
  work: string,
): Promise<{ child: ChildProcess; info: RuntimeInfo }> {
  const dataDir = path.join(work, 'gateway');
  // The same command line as `npm start` (package.json).
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=64', '--import', 'tsx', 'gateway/src/main.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        PORT: '0',
        MQTT_PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('gateway exited during start-up');
    try {
      return {
        child,
        info: JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo,
      };
    } catch {
      await sleep(100);
    }
  }
  throw new Error('gateway did not start within 60 s');
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Peak resident set (VmHWM) of the gateway process, MiB. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch(async (error: unknown) => {
  log(`bench:ingest failed: ${(error as Error).stack ?? String(error)}`);
  await runCleanups();
  process.exit(1);
});
