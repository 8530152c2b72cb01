import mqtt from 'mqtt';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../src/auth/access-token.js';
import type { RunningGateway } from '../src/gateway.js';
import type { LivePosition } from '../src/live/live-hub.js';
import { encodeTelemetryBatch, telemetryTopic, type Telemetry } from '../src/proto/codec.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import {
  fixAt,
  httpUrlOf,
  mqttUrlOf,
  provisionDevices,
  startTestGateway,
  TEST_JWT_SECRET,
  waitFor,
  type TestDevice,
  connectDevice,
} from './helpers/test-gateway.js';

let database: TestDatabase;
let gateway: RunningGateway;
let devices: TestDevice[];

beforeAll(async () => {
  database = await createTestDatabase();
  gateway = await startTestGateway(database.url);
  devices = await provisionDevices(gateway, [
    { id: 'truck-a', carrierId: 'carrier-1' },
    { id: 'truck-b', carrierId: 'carrier-2' },
  ]);
});

afterAll(async () => {
  await gateway?.close();
  await database?.drop();
});

function connect(device: TestDevice, url = mqttUrlOf(gateway)): Promise<mqtt.MqttClient> {
  return connectDevice(url, device);
}

function publish(client: mqtt.MqttClient, deviceId: string, records: Telemetry[]): Promise<unknown> {
  return client.publishAsync(
    telemetryTopic(deviceId),
    Buffer.from(encodeTelemetryBatch({ deviceId, records })),
    {
      qos: 1,
    },
  );
}

describe('telemetry round trip', () => {
  it('stores every field of a published fix and its container events', async () => {
    const [device] = devices;
    const client = await connect(device!);
    const base = Date.now() - 60_000;
    const record = fixAt(1, base, {
      containerEvents: [
        { kind: 1, timeMs: base + 900, arm: 1, rfid: 'RU-CNT-000042', weightKg: 61.5 },
        { kind: 2, timeMs: base + 950, arm: 2, rfid: '', weightKg: undefined },
      ],
    });
    await publish(client, device!.id, [record]);
    // PUBACK came back: the row must already be committed.
    const { rows } = await gateway.pool.query(
      `SELECT device_id, seq, extract(epoch from time) * 1000 AS time_ms, lat, lon, speed_kmh, heading_deg,
              hdop, satellites, ignition, odometer_m, fuel_level_l, fuel_used_total_l, engine_hours
       FROM telemetry WHERE device_id = $1`,
      [device!.id],
    );
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row.seq).toBe('1');
    expect(Number(row.time_ms)).toBe(record.timeMs);
    expect(row.lat).toBeCloseTo(record.latE7 / 1e7, 9);
    expect(row.lon).toBeCloseTo(record.lonE7 / 1e7, 9);
    expect(row.speed_kmh).toBeCloseTo(25, 5);
    expect(row.heading_deg).toBeCloseTo(45, 5);
    expect(row.hdop).toBeCloseTo(0.8, 5);
    expect(row.satellites).toBe(14);
    expect(row.ignition).toBe(true);
    expect(row.odometer_m).toBe(String(record.odometerM));
    expect(row.fuel_level_l).toBeCloseTo(180.5, 5);
    expect(row.fuel_used_total_l).toBeCloseTo(12_345.5, 9);
    expect(row.engine_hours).toBeCloseTo(4321.25, 9);
    const events = await gateway.pool.query(
      'SELECT idx, kind, arm, rfid, weight_kg FROM container_events WHERE device_id = $1 ORDER BY idx',
      [device!.id],
    );
    expect(events.rows).toEqual([
      { idx: 0, kind: 1, arm: 1, rfid: 'RU-CNT-000042', weight_kg: 61.5 },
      { idx: 1, kind: 2, arm: 2, rfid: null, weight_kg: null },
    ]);
    await client.endAsync();
  });

  it('stores a batch once even when the device resends it, and the absent sensors as NULL', async () => {
    const device = devices[1]!;
    const client = await connect(device);
    const base = Date.now() - 120_000;
    const records = Array.from({ length: 50 }, (_, i) => fixAt(i + 1, base, { fuelLevelL: undefined }));
    await publish(client, device.id, records);
    await publish(client, device.id, records.slice(10, 30)); // resend after a lost PUBACK
    await publish(client, device.id, [records[49]!, records[49]!]); // duplicate inside one batch
    const { rows } = await gateway.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d, count(fuel_level_l)::int AS fuel FROM telemetry WHERE device_id = $1',
      [device.id],
    );
    expect(rows[0]).toEqual({ n: 50, d: 50, fuel: 0 });
    await client.endAsync();
  });

  it('accepts trackers over MQTT on WebSocket', async () => {
    const device = devices[0]!;
    const client = await connect(device, `ws://127.0.0.1:${gateway.http.port}/mqtt`);
    await publish(client, device.id, [fixAt(500, Date.now() - 600_000)]);
    const { rows } = await gateway.pool.query('SELECT 1 FROM telemetry WHERE device_id = $1 AND seq = 500', [
      device.id,
    ]);
    expect(rows).toHaveLength(1);
    await client.endAsync();
  });

  it('streams live positions to dispatchers (whole fleet) and carriers (own vehicles only)', async () => {
    const watch = async (token: string): Promise<{ socket: Socket; seen: LivePosition[] }> => {
      const socket = ioClient(httpUrlOf(gateway), {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
      });
      const seen: LivePosition[] = [];
      socket.on('positions', (list: LivePosition[]) => seen.push(...list));
      await new Promise<void>((resolve, reject) => {
        socket.on('connect', () => resolve());
        socket.on('connect_error', reject);
      });
      return { socket, seen };
    };
    const dispatcher = await watch(await signAccessToken({ sub: 'd1', role: 'dispatcher' }, TEST_JWT_SECRET));
    const carrier1 = await watch(
      await signAccessToken({ sub: 'c1', role: 'carrier', carrierId: 'carrier-1' }, TEST_JWT_SECRET),
    );
    const now = Date.now();
    for (const device of devices) {
      const client = await connect(device);
      await publish(client, device.id, [
        fixAt(1000, now - 1_000_000, { latE7: 558_200_000, lonE7: 376_100_000 }),
      ]);
      await client.endAsync();
    }
    await waitFor(() => dispatcher.seen.some((p) => p.deviceId === 'truck-b' && p.lat === 55.82));
    await waitFor(() => carrier1.seen.some((p) => p.deviceId === 'truck-a' && p.lat === 55.82));
    expect(carrier1.seen.every((p) => p.carrierId === 'carrier-1')).toBe(true);
    const position = dispatcher.seen.find((p) => p.deviceId === 'truck-a' && p.lat === 55.82);
    expect(position).toMatchObject({ carrierId: 'carrier-1', lon: 37.61, speedKmh: 25, ignition: true });
    dispatcher.socket.close();
    carrier1.socket.close();
  });

  it('refuses live connections without a valid token or with a role that may not watch', async () => {
    const tryConnect = (token: string | undefined): Promise<string> =>
      new Promise((resolve) => {
        const socket = ioClient(httpUrlOf(gateway), {
          auth: token ? { token } : {},
          transports: ['websocket'],
          reconnection: false,
        });
        socket.on('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.on('connect_error', (error) => resolve(error.message));
      });
    expect(await tryConnect(undefined)).toBe('unauthorized');
    expect(await tryConnect('not-a-token')).toBe('unauthorized');
    expect(
      await tryConnect(
        await signAccessToken({ sub: 'x', role: 'dispatcher' }, 'another-secret-0123456789-0123456789'),
      ),
    ).toBe('unauthorized');
    expect(await tryConnect(await signAccessToken({ sub: 'p', role: 'consumer' }, TEST_JWT_SECRET))).toBe(
      'forbidden',
    );
  });

  it('reports health and Prometheus metrics', async () => {
    const health = await fetch(`${httpUrlOf(gateway)}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up', broker: 'up' });
    const metrics = await (await fetch(`${httpUrlOf(gateway)}/metrics`)).text();
    expect(metrics).toMatch(/msw_gateway_records_stored_total \d+/);
    expect(metrics).toMatch(/msw_gateway_records_duplicate_total [1-9]\d*/);
    expect(metrics).toContain('msw_gateway_batch_commit_seconds_bucket');
    expect(metrics).toContain('msw_gateway_queue_depth');
  });
});
