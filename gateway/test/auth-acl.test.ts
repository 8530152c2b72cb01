import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDeviceEnabled } from '../src/db/devices.js';
import type { RunningGateway } from '../src/gateway.js';
import { decodeCommand, encodeTelemetryBatch, telemetryTopic } from '../src/proto/codec.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import {
  fixAt,
  mqttUrlOf,
  provisionDevices,
  startTestGateway,
  waitFor,
  type TestDevice,
  connectDevice,
} from './helpers/test-gateway.js';

let database: TestDatabase;
let gateway: RunningGateway;
let alice: TestDevice;
let bob: TestDevice;

beforeAll(async () => {
  database = await createTestDatabase();
  gateway = await startTestGateway(database.url);
  [alice, bob] = (await provisionDevices(gateway, [{ id: 'alice' }, { id: 'bob' }])) as [
    TestDevice,
    TestDevice,
  ];
});

afterAll(async () => {
  await gateway?.close();
  await database?.drop();
});

/** Resolves with the CONNACK outcome: 'connected' or the refusal's reason code. */
function tryConnect(options: mqtt.IClientOptions): Promise<string | number> {
  return new Promise((resolve) => {
    const client = mqtt.connect(mqttUrlOf(gateway), {
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      ...options,
    });
    client.on('connect', () => {
      client.end(true);
      resolve('connected');
    });
    client.on('error', (error) => {
      client.end(true);
      resolve((error as { code?: number }).code ?? error.message);
    });
  });
}

async function storedRows(deviceId: string): Promise<number> {
  const { rows } = await gateway.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [
    deviceId,
  ]);
  return rows[0].n as number;
}

describe('device authentication', () => {
  it('accepts a provisioned device with its own secret', async () => {
    expect(await tryConnect({ clientId: alice.id, username: alice.id, password: alice.secret })).toBe(
      'connected',
    );
  });

  it('refuses a wrong password, an unknown device, no credentials and a foreign client id', async () => {
    expect(await tryConnect({ clientId: alice.id, username: alice.id, password: 'wrong' })).toBe(4);
    expect(await tryConnect({ clientId: 'mallory', username: 'mallory', password: 'whatever' })).toBe(4);
    expect(await tryConnect({ clientId: alice.id })).toBe(4);
    // Bob's credentials under Alice's client id would let Bob take over Alice's session.
    expect(await tryConnect({ clientId: alice.id, username: bob.id, password: bob.secret })).toBe(5);
  });

  it('refuses a disabled device and accepts it again once re-enabled', async () => {
    await setDeviceEnabled(gateway.pool, bob.id, false);
    expect(await tryConnect({ clientId: bob.id, username: bob.id, password: bob.secret })).toBe(5);
    await setDeviceEnabled(gateway.pool, bob.id, true);
    expect(await tryConnect({ clientId: bob.id, username: bob.id, password: bob.secret })).toBe('connected');
  });

  it('counts refusals in the metrics', async () => {
    const text = await gateway.metrics.registry.getSingleMetricAsString('msw_gateway_auth_failures_total');
    expect(text).toMatch(/reason="bad_password"} [1-9]/);
    expect(text).toMatch(/reason="unknown_device"} [1-9]/);
    expect(text).toMatch(/reason="client_id_mismatch"} [1-9]/);
    expect(text).toMatch(/reason="disabled"} [1-9]/);
  });
});

describe('topic ACL', () => {
  it('disconnects an MQTT 3.1.1 device publishing to another device topic and stores nothing', async () => {
    const client = await connectDevice(mqttUrlOf(gateway), alice);
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    const payload = Buffer.from(
      encodeTelemetryBatch({ deviceId: bob.id, records: [fixAt(1, Date.now() - 5_000)] }),
    );
    client.publish(telemetryTopic(bob.id), payload, { qos: 1 });
    await closed;
    client.end(true);
    expect(await storedRows(bob.id)).toBe(0);
  });

  it('lets a device subscribe only to its own commands and delivers them', async () => {
    const client = await connectDevice(mqttUrlOf(gateway), alice);
    // mqtt.js rejects a subscription granted 0x80; the connection stays up.
    for (const topic of [
      `fleet/${bob.id}/commands`,
      'fleet/+/commands',
      `fleet/${alice.id}/telemetry`,
      '#',
    ]) {
      await expect(client.subscribeAsync(topic, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    }
    expect(client.connected).toBe(true);
    const own = await client.subscribeAsync(`fleet/${alice.id}/commands`, { qos: 1 });
    expect(own[0]?.qos).toBe(1);
    const received: unknown[] = [];
    client.on('message', (_topic, message) => received.push(decodeCommand(message)));
    await gateway.broker!.sendCommand(alice.id, {
      id: 7,
      issuedMs: 1_700_000_000_000,
      textMessage: { text: 'Вернитесь на базу' },
    });
    await gateway.broker!.sendCommand(bob.id, { id: 8, issuedMs: 1_700_000_000_000, requestPosition: {} });
    await waitFor(() => received.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual([
      { id: 7, issuedMs: 1_700_000_000_000, textMessage: { text: 'Вернитесь на базу' } },
    ]);
    await client.endAsync();
  });
});
