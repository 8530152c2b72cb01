import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../src/gateway.js';
import { encodeTelemetryBatch, telemetryTopic, type Telemetry } from '../src/proto/codec.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import {
  fixAt,
  httpUrlOf,
  mqttUrlOf,
  provisionDevices,
  startTestGateway,
  waitFor,
  type TestDevice,
  connectDevice,
} from './helpers/test-gateway.js';

let database: TestDatabase;
let gateway: RunningGateway;
let device: TestDevice;
let spammer: TestDevice;

beforeAll(async () => {
  database = await createTestDatabase();
  // A high garbage limit for the property runs; the limit itself is tested with its own device.
  gateway = await startTestGateway(database.url, { GARBAGE_LIMIT: '100000' });
  [device, spammer] = (await provisionDevices(gateway, [{ id: 'fuzzed' }, { id: 'spammer' }])) as [
    TestDevice,
    TestDevice,
  ];
});

afterAll(async () => {
  await gateway?.close();
  await database?.drop();
});

async function rowCount(): Promise<number> {
  const { rows } = await gateway.pool.query('SELECT count(*)::int AS n FROM telemetry');
  return rows[0].n as number;
}

function connect(who: TestDevice): Promise<mqtt.MqttClient> {
  return connectDevice(mqttUrlOf(gateway), who);
}

// Records that break at least one physical or protocol limit.
const invalidRecord = (nowMs: number): fc.Arbitrary<Telemetry> =>
  fc
    .record({
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      fault: fc.constantFrom(
        { seq: 0 },
        { latE7: 900_000_001 },
        { lonE7: -1_800_000_001 },
        { latE7: 0, lonE7: 0 },
        { timeMs: nowMs + 3_600_000 },
        { timeMs: nowMs - 400 * 86_400_000 },
        { timeMs: 0 },
        { speedKmh: -1 },
        { speedKmh: 900 },
        { speedKmh: Number.NaN },
        { headingDeg: 361 },
        { hdop: -0.5 },
        { satellites: 4000 },
        { fuelLevelL: -3 },
        { fuelLevelL: 1e6 },
        { containerEvents: [{ kind: 9, timeMs: nowMs, arm: 1, rfid: '' }] },
        { containerEvents: [{ kind: 1, timeMs: nowMs, arm: 1, rfid: 'x'.repeat(500) }] },
      ),
    })
    .map(({ seq, fault }) => ({ ...fixAt(seq, nowMs - 3_600_000), ...fault }) as Telemetry);

describe('garbage and boundary payloads', () => {
  it('never stores a row from random bytes, and the broker keeps serving', async () => {
    const client = await connect(device);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 512 }), async (bytes) => {
        await client.publishAsync(telemetryTopic(device.id), Buffer.from(bytes), { qos: 1 });
      }),
      { numRuns: 300, seed: 4242 },
    );
    expect(await rowCount()).toBe(0);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('refuses every record that breaks a limit and stores none of them', async () => {
    const client = await connect(device);
    const now = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(invalidRecord(now), { minLength: 1, maxLength: 20 }), async (records) => {
        const payload = encodeTelemetryBatch({ deviceId: device.id, records });
        await client.publishAsync(telemetryTopic(device.id), Buffer.from(payload), { qos: 1 });
      }),
      { numRuns: 200, seed: 7 },
    );
    expect(await rowCount()).toBe(0);
    // A batch naming another device inside the payload is refused whole.
    const foreign = encodeTelemetryBatch({ deviceId: 'someone-else', records: [fixAt(1, now - 60_000)] });
    await client.publishAsync(telemetryTopic(device.id), Buffer.from(foreign), { qos: 1 });
    expect(await rowCount()).toBe(0);
    // The valid records of a mixed batch are kept.
    const mixed = encodeTelemetryBatch({
      deviceId: device.id,
      records: [fixAt(1, now - 60_000), { ...fixAt(2, now - 60_000), latE7: 999_999_999 }],
    });
    await client.publishAsync(telemetryTopic(device.id), Buffer.from(mixed), { qos: 1 });
    expect(await rowCount()).toBe(1);
    await client.endAsync();
    const health = await fetch(`${httpUrlOf(gateway)}/health`);
    expect(health.status).toBe(200);
  });

  it('refuses an impossible jump between fixes', async () => {
    const client = await connect(device);
    const t = Date.now() - 30_000;
    const near = fixAt(100, 0, { timeMs: t, latE7: 558_150_000, lonE7: 376_050_000 });
    // 50 km away one second later.
    const far = fixAt(101, 0, { timeMs: t + 1000, latE7: 562_650_000, lonE7: 376_050_000 });
    const back = fixAt(102, 0, { timeMs: t + 2000, latE7: 558_150_100, lonE7: 376_050_100 });
    const payload = encodeTelemetryBatch({ deviceId: device.id, records: [near, far, back] });
    await client.publishAsync(telemetryTopic(device.id), Buffer.from(payload), { qos: 1 });
    const { rows } = await gateway.pool.query('SELECT seq FROM telemetry WHERE seq >= 100 ORDER BY seq');
    expect(rows.map((r) => Number(r.seq))).toEqual([100, 102]);
    await client.endAsync();
  });

  it('isolates a message the database refuses and stores the rest of its group commit', async () => {
    // Stands for any row the database rejects although it passed validation.
    await gateway.pool.query('ALTER TABLE telemetry ADD CONSTRAINT no_speed_123 CHECK (speed_kmh <> 123)');
    try {
      const client = await connect(device);
      const base = Date.now() - 50_000;
      const publish = (seq: number, speedKmh: number): Promise<unknown> =>
        client.publishAsync(
          telemetryTopic(device.id),
          Buffer.from(
            encodeTelemetryBatch({ deviceId: device.id, records: [fixAt(seq, base, { speedKmh })] }),
          ),
          { qos: 1 },
        );
      // Sent together, so they share one group commit.
      await Promise.all([publish(201, 20), publish(202, 123), publish(203, 20), publish(204, 20)]);
      const { rows } = await gateway.pool.query('SELECT seq FROM telemetry WHERE seq > 200 ORDER BY seq');
      expect(rows.map((r) => Number(r.seq))).toEqual([201, 203, 204]);
      const refused = await gateway.metrics.registry.getSingleMetricAsString('msw_gateway_rejected_total');
      expect(refused).toMatch(/reason="store_refused"} 1/);
      await client.endAsync();
    } finally {
      await gateway.pool.query('ALTER TABLE telemetry DROP CONSTRAINT no_speed_123');
    }
  });

  it('disconnects and briefly bans a device that keeps sending garbage', async () => {
    const limited = await startTestGateway(database.url, { GARBAGE_LIMIT: '5' });
    try {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${limited.mqtt!.port}`, {
        clientId: spammer.id,
        username: spammer.id,
        password: spammer.secret,
        reconnectPeriod: 0,
      });
      let closed = false;
      client.on('close', () => (closed = true));
      for (let i = 0; i < 10 && !closed; i++) {
        client.publish(telemetryTopic(spammer.id), Buffer.from([0xff, 0xff, 0xff, i]), { qos: 1 });
      }
      await waitFor(() => closed);
      client.end(true);
      const again = await mqtt
        .connectAsync(`mqtt://127.0.0.1:${limited.mqtt!.port}`, {
          clientId: spammer.id,
          username: spammer.id,
          password: spammer.secret,
          reconnectPeriod: 0,
        })
        .then(
          (c) => {
            c.end(true);
            return 'connected';
          },
          (error: { code?: number }) => error.code,
        );
      expect(again).toBe(5);
      const metrics = await limited.metrics.registry.getSingleMetricAsString(
        'msw_gateway_forced_disconnects_total',
      );
      expect(metrics).toMatch(/reason="garbage"} 1/);
    } finally {
      await limited.close();
    }
  });
});
