import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../src/gateway.js';
import { encodeTelemetryBatch, telemetryTopic } from '../src/proto/codec.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { io as ioClient } from 'socket.io-client';
import { signAccessToken } from '../src/auth/access-token.js';
import type { LivePosition } from '../src/live/live-hub.js';
import { fixAt, startTestGateway, TEST_JWT_SECRET, waitFor } from './helpers/test-gateway.js';

// The machine's Mosquitto (MQTT 5, shared subscriptions); CI starts it before the tests.
const EXTERNAL_BROKER = process.env['TEST_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';
const DEVICES = 20;
const MESSAGES_PER_DEVICE = 150;

const run = Math.random().toString(36).slice(2, 8);
const group = `ingest-test-${run}`;
const workerIds = [`worker-a-${run}`, `worker-b-${run}`];

let database: TestDatabase;
const workers: RunningGateway[] = [];

// The machine's Redis carries live positions between the workers.
const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function startWorker(workerId: string): Promise<RunningGateway> {
  return startTestGateway(database.url, {
    MQTT_URL: EXTERNAL_BROKER,
    WORKER_ID: workerId,
    SHARED_GROUP: group,
    REDIS_URL: REDIS,
  });
}

async function messagesIn(worker: RunningGateway): Promise<number> {
  const metric = await worker.metrics.registry.getSingleMetric('msw_gateway_messages_in_total')?.get();
  return metric?.values[0]?.value ?? 0;
}

beforeAll(async () => {
  database = await createTestDatabase();
  for (const id of workerIds) workers.push(await startWorker(id));
  await waitFor(async () => {
    const states = await Promise.all(workers.map((w) => fetch(`http://127.0.0.1:${w.http.port}/health`)));
    return states.every((s) => s.status === 200);
  });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  // Drop the workers' persistent sessions so they do not collect messages after the test.
  for (const clientId of workerIds) {
    const client = await mqtt.connectAsync(EXTERNAL_BROKER, {
      clientId,
      clean: true,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    await client.endAsync();
  }
  await database?.drop();
});

describe('scale-out with an MQTT 5 shared subscription', () => {
  it('stores every message exactly once across two workers, one of them restarted mid-stream', async () => {
    const base = Date.now() - 7_200_000;
    // A dispatcher watching through worker A sees the vehicles whose messages worker B committed.
    const token = await signAccessToken({ sub: 'd', role: 'dispatcher' }, TEST_JWT_SECRET);
    const watcher = ioClient(`http://127.0.0.1:${workers[0]!.http.port}`, {
      auth: { token },
      transports: ['websocket'],
    });
    const seenLive = new Set<string>();
    watcher.on('positions', (list: LivePosition[]) => list.forEach((p) => seenLive.add(p.deviceId)));
    await new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
    const devices = await Promise.all(
      Array.from({ length: DEVICES }, (_, i) =>
        mqtt.connectAsync(EXTERNAL_BROKER, { clientId: `shared-dev-${run}-${i}`, reconnectPeriod: 0 }),
      ),
    );
    const publishAll = async (fromSeq: number, toSeq: number): Promise<void> => {
      for (let seq = fromSeq; seq <= toSeq; seq++) {
        await Promise.all(
          devices.map((client, i) => {
            const deviceId = `shared-${run}-${i}`;
            const payload = encodeTelemetryBatch({ deviceId, records: [fixAt(seq, base)] });
            return client.publishAsync(telemetryTopic(deviceId), Buffer.from(payload), { qos: 1 });
          }),
        );
      }
    };
    const half = MESSAGES_PER_DEVICE / 2;
    await publishAll(1, half);
    // Restart worker B while devices keep publishing: its session (clean start off) keeps its share.
    const stopped = workers[1]!;
    await stopped.close();
    const publishing = publishAll(half + 1, MESSAGES_PER_DEVICE);
    await new Promise((resolve) => setTimeout(resolve, 300));
    workers[1] = await startWorker(workerIds[1]!);
    await publishing;
    await Promise.all(devices.map((d) => d.endAsync()));

    const total = DEVICES * MESSAGES_PER_DEVICE;
    const counts = async (): Promise<{ n: number; distinct: number }> => {
      const { rows } = await workers[0]!.pool.query(
        `SELECT count(*)::int AS n, count(DISTINCT (device_id, seq))::int AS distinct FROM telemetry WHERE device_id LIKE $1`,
        [`shared-${run}-%`],
      );
      return rows[0] as { n: number; distinct: number };
    };
    await waitFor(async () => (await counts()).n >= total, 30_000, 100);
    expect(await counts()).toEqual({ n: total, distinct: total });
    await waitFor(() => seenLive.size === DEVICES, 10_000);
    watcher.close();
    // A client connecting later to the other worker gets the whole fleet's snapshot.
    const late = ioClient(`http://127.0.0.1:${workers[1]!.http.port}`, {
      auth: { token },
      transports: ['websocket'],
    });
    const snapshot = await new Promise<LivePosition[]>((resolve) => late.once('positions', resolve));
    late.close();
    expect(new Set(snapshot.map((p) => p.deviceId)).size).toBe(DEVICES);
    expect(snapshot.every((p) => p.time === new Date(base + MESSAGES_PER_DEVICE * 1000).toISOString())).toBe(
      true,
    );
    // Both workers took part.
    expect(await messagesIn(workers[0]!)).toBeGreaterThan(0);
    expect((await messagesIn(workers[1]!)) + (await messagesIn(stopped))).toBeGreaterThan(0);
  });
});
