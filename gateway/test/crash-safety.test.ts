import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import type { RunningGateway } from '../src/gateway.js';
import { encodeTelemetryBatch, telemetryTopic } from '../src/proto/codec.js';
import {
  fixAt,
  mqttUrlOf,
  provisionDevices,
  startTestGateway,
  waitFor,
  type TestDevice,
  connectDevice,
} from './helpers/test-gateway.js';

const DEVICES = 4;
const INTERVAL_MS = 15;

let dataDir: string;
let port: number;
let server: EmbeddedDatabase;
let gateway: RunningGateway;
let devices: TestDevice[];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'msw-crash-'));
  port = 51000 + Math.floor(Math.random() * 4000);
  server = await startEmbeddedPostgres({ dataDir, port });
  gateway = await startTestGateway(server.url);
  devices = await provisionDevices(
    gateway,
    Array.from({ length: DEVICES }, (_, i) => ({ id: `crash-${i}` })),
  );
});

afterAll(async () => {
  await gateway?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Publisher {
  device: TestDevice;
  client: mqtt.MqttClient;
  sent: number;
  acked: Set<number>;
}

describe('crash safety', () => {
  it('stores every acknowledged message exactly once across a database outage', async () => {
    const base = Date.now() - 3_600_000;
    const publishers: Publisher[] = await Promise.all(
      devices.map(async (device) => ({
        device,
        client: await connectDevice(mqttUrlOf(gateway), device, {
          keepalive: 2,
          reconnectPeriod: 200,
          connectTimeout: 2_000,
        }),
        sent: 0,
        acked: new Set<number>(),
      })),
    );
    let publishing = true;
    const loops = publishers.map(async (p) => {
      while (publishing) {
        const seq = ++p.sent;
        const payload = encodeTelemetryBatch({ deviceId: p.device.id, records: [fixAt(seq, base)] });
        // mqtt.js keeps an unacknowledged QoS 1 message and resends it after reconnecting.
        p.client.publish(telemetryTopic(p.device.id), Buffer.from(payload), { qos: 1 }, (error) => {
          if (!error) p.acked.add(seq);
        });
        await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
      }
    });

    await waitFor(() => publishers.every((p) => p.acked.size > 20));
    const ackedBeforeOutage = publishers.reduce((n, p) => n + p.acked.size, 0);
    await server.stop();
    await waitFor(async () => (await fetch(`http://127.0.0.1:${gateway.http.port}/health`)).status === 503);
    const health = await (await fetch(`http://127.0.0.1:${gateway.http.port}/health`)).json();
    expect(health).toMatchObject({ status: 'unavailable', database: 'down' });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const ackedDuringOutage = publishers.reduce((n, p) => n + p.acked.size, 0) - ackedBeforeOutage;
    server = await startEmbeddedPostgres({ dataDir, port });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    publishing = false;
    await Promise.all(loops);
    // Everything sent is eventually acknowledged once the database is back.
    await waitFor(() => publishers.every((p) => p.acked.size === p.sent), 60_000, 100);

    for (const p of publishers) {
      const { rows } = await gateway.pool.query<{ seq: string }>(
        'SELECT seq FROM telemetry WHERE device_id = $1 ORDER BY seq',
        [p.device.id],
      );
      const stored = rows.map((r) => Number(r.seq));
      expect(new Set(stored).size).toBe(stored.length);
      expect(stored).toEqual(Array.from({ length: p.sent }, (_, i) => i + 1));
    }
    // While the database was down, at most the commits already in flight were acknowledged.
    expect(ackedDuringOutage).toBeLessThan(DEVICES * 5);
    await Promise.all(publishers.map((p) => p.client.endAsync()));
    const failures = await gateway.metrics.registry.getSingleMetricAsString(
      'msw_gateway_commit_failures_total',
    );
    expect(failures).toMatch(/total [1-9]/);
  });
});
