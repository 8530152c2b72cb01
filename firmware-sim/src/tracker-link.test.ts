import { Aedes, type AuthenticateError } from 'aedes';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTelemetryBatch, type Telemetry, type TelemetryBatch } from '../../gateway/src/proto/codec.js';
import { generateGridTown } from './grid-town.js';
import { createRandom } from './prng.js';
import { TrackerLink, type TrackerLinkOptions } from './tracker-link.js';
import { VirtualTruck } from './virtual-truck.js';

// A plain in-process MQTT broker (aedes, as inside the gateway, but without the gateway): these
// tests are about the tracker's side of the protocol, not about ingest.
interface TestBroker {
  port: number;
  batches: TelemetryBatch[];
  /** While true, PUBACKs wait until release(). */
  holdAcks: boolean;
  release(): void;
  dropConnections(): void;
  close(): Promise<void>;
}

const DEVICE = 'sim-0001';
const SECRET = 'test-secret';
const town = generateGridTown();
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startBroker(port = 0): Promise<TestBroker> {
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const broker: TestBroker = {
    port: 0,
    batches: [],
    holdAcks: false,
    release: () => {
      for (const ack of held.splice(0)) ack();
    },
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      broker.dropConnections();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const aedes = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const ok = client.id === username && password?.toString() === SECRET;
      done(
        ok ? null : (Object.assign(new Error('bad password'), { returnCode: 4 }) as AuthenticateError),
        ok,
      );
    },
    authorizePublish(_client, packet, callback) {
      broker.batches.push(decodeTelemetryBatch(packet.payload as Buffer));
      if (broker.holdAcks) held.push(() => callback(null));
      else callback(null);
    },
  });
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  broker.port = (server.address() as net.AddressInfo).port;
  cleanups.push(() => broker.close());
  return broker;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function startLink(port: number, overrides: Partial<TrackerLinkOptions> = {}): TrackerLink {
  const link = new TrackerLink({
    url: `mqtt://127.0.0.1:${port}`,
    deviceId: DEVICE,
    secret: SECRET,
    random: createRandom(1),
    minReconnectMs: 40,
    maxReconnectMs: 200,
    connectTimeoutMs: 2_000,
    ...overrides,
  });
  link.start();
  cleanups.push(() => link.close(500));
  return link;
}

function fixes(count: number): Telemetry[] {
  const truck = new VirtualTruck(town, { seed: 5, startTimeMs: Date.now(), intervalMs: 1_000 });
  return Array.from({ length: count }, () => truck.nextFix());
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function receivedSeqs(broker: TestBroker): number[] {
  return broker.batches.flatMap((batch) => batch.records.map((record) => record.seq));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('TrackerLink', () => {
  it('buffers while the broker is unreachable and drains in batches of at most 50 on connect', async () => {
    const port = await freePort();
    const link = startLink(port);
    for (const record of fixes(120)) link.enqueue(record);
    await sleep(300);
    expect(link.isConnected).toBe(false);
    expect(link.bufferedRecords).toBe(120);
    expect(link.stats.errors).toBeGreaterThan(0);

    const broker = await startBroker(port);
    await waitFor(() => link.stats.acknowledged === 120, 'all records acknowledged');
    expect(link.bufferedRecords).toBe(0);
    expect(broker.batches.every((batch) => batch.deviceId === DEVICE)).toBe(true);
    expect(broker.batches.map((batch) => batch.records.length)).toEqual([50, 50, 20]);
    expect(receivedSeqs(broker)).toEqual(range(1, 120));
  });

  it('keeps at most 8 batches in flight and frees records only on PUBACK', async () => {
    const broker = await startBroker();
    broker.holdAcks = true;
    const link = startLink(broker.port);
    await waitFor(() => link.isConnected, 'connection');
    for (const record of fixes(1_000)) link.enqueue(record);
    await waitFor(() => broker.batches.length === 8, 'eight publishes');
    await sleep(200);
    expect(broker.batches.length).toBe(8);
    expect(link.stats.acknowledged).toBe(0);
    expect(link.bufferedRecords).toBe(1_000);

    broker.holdAcks = false;
    broker.release();
    await waitFor(() => link.stats.acknowledged === 1_000, 'all records acknowledged');
    expect(link.bufferedRecords).toBe(0);
    expect(receivedSeqs(broker)).toEqual(range(1, 1_000));
    expect(Math.max(...broker.batches.map((batch) => batch.records.length))).toBe(50);
  });

  it('resends what was in flight when the connection drops, oldest first', async () => {
    const broker = await startBroker();
    broker.holdAcks = true;
    const link = startLink(broker.port);
    await waitFor(() => link.isConnected, 'connection');
    // Online, each fix goes out on its own as it is enqueued, until 8 are in flight.
    for (const record of fixes(100)) link.enqueue(record);
    await waitFor(() => broker.batches.length === 8, 'eight publishes');

    broker.holdAcks = false;
    broker.dropConnections();
    await waitFor(() => link.stats.acknowledged === 100, 'all records acknowledged after reconnect');
    expect(link.stats.connects).toBe(2);
    expect(link.stats.disconnects).toBe(1);
    // The eight unacknowledged records come again at the head of the drain; nothing is missing.
    expect(broker.batches.map((batch) => batch.records.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 50, 50]);
    expect(receivedSeqs(broker)).toEqual([...range(1, 8), ...range(1, 100)]);
  });

  it('drops the oldest records beyond the buffer capacity and counts them', async () => {
    const port = await freePort();
    const link = startLink(port, { bufferCap: 10 });
    for (const record of fixes(25)) link.enqueue(record);
    expect(link.stats.dropped).toBe(15);
    expect(link.bufferedRecords).toBe(10);
    const broker = await startBroker(port);
    await waitFor(() => link.stats.acknowledged === 10, 'the kept records acknowledged');
    expect(receivedSeqs(broker)).toEqual(range(16, 25));
  });

  it('counts refused connections and keeps buffering', async () => {
    const broker = await startBroker();
    const link = startLink(broker.port, { secret: 'wrong' });
    for (const record of fixes(5)) link.enqueue(record);
    await waitFor(() => link.stats.refused >= 2, 'two refusals');
    expect(link.isConnected).toBe(false);
    expect(link.stats.connects).toBe(0);
    expect(link.bufferedRecords).toBe(5);
    expect(link.stats.lastError).toMatch(/Connection refused/);
  });
});
