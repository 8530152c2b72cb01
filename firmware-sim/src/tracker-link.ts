import mqtt, { type MqttClient } from 'mqtt';
import {
  commandTopic,
  encodeTelemetryBatch,
  telemetryTopic,
  type Telemetry,
} from '../../gateway/src/proto/codec.js';
import type { Chaos } from './chaos.js';
import { uniform, type Random } from './prng.js';

export interface TrackerLinkOptions {
  url: string;
  deviceId: string;
  secret: string;
  /** Jitter for reconnect delays. */
  random: Random;
  chaos?: Chaos;
  maxBatchRecords?: number;
  maxInFlight?: number;
  /** Store-and-forward capacity in records; beyond it the oldest are dropped. */
  bufferCap?: number;
  connectTimeoutMs?: number;
  keepaliveS?: number;
  minReconnectMs?: number;
  maxReconnectMs?: number;
}

export interface LinkStats {
  /** Records handed to the link. */
  generated: number;
  /** Records whose batch got its PUBACK. */
  acknowledged: number;
  /** Records dropped because the buffer was full. */
  dropped: number;
  /** PUBLISH packets sent, batches and chaos extras alike. */
  publishes: number;
  connects: number;
  /** Connections lost after CONNACK (not counting the final close). */
  disconnects: number;
  /** CONNACKs with a refusal code (bad credentials, banned, server unavailable). */
  refused: number;
  /** Socket, protocol and publish errors. */
  errors: number;
  commandsReceived: number;
  lastError?: string;
}

interface InFlight {
  /** Undefined for chaos extras: nothing to requeue when they are lost. */
  records: Telemetry[] | undefined;
  payload: Buffer;
}

const REMEMBERED_ACKS = 16;

/**
 * A tracker's uplink: a store-and-forward buffer of its own in front of one MQTT 3.1.1 connection.
 * Records leave the buffer only when the PUBACK for their batch arrives (the gateway sends it
 * after the database commit). The session is clean and every connection is a fresh client, so
 * what was in flight when a connection dropped goes back to the head of the buffer and is sent
 * again, in order, on the next connection; the gateway deduplicates by (device, seq).
 */
export class TrackerLink {
  readonly stats: LinkStats = {
    generated: 0,
    acknowledged: 0,
    dropped: 0,
    publishes: 0,
    connects: 0,
    disconnects: 0,
    refused: 0,
    errors: 0,
    commandsReceived: 0,
  };
  private readonly topic: string;
  private readonly maxBatchRecords: number;
  private readonly maxInFlight: number;
  private readonly bufferCap: number;
  private queue: Telemetry[] = [];
  private head = 0;
  private readonly inFlight = new Set<InFlight>();
  private inFlightRecords = 0;
  private readonly acknowledgedPayloads: Uint8Array[] = [];
  private client: MqttClient | undefined;
  private connected = false;
  private closing = false;
  private failedAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: TrackerLinkOptions) {
    this.topic = telemetryTopic(options.deviceId);
    this.maxBatchRecords = options.maxBatchRecords ?? 50;
    this.maxInFlight = options.maxInFlight ?? 8;
    this.bufferCap = options.bufferCap ?? 100_000;
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Records not yet acknowledged: queued plus in flight. */
  get bufferedRecords(): number {
    return this.queue.length - this.head + this.inFlightRecords;
  }

  /** Starts connecting after `delayMs` (a fleet staggers its first connections). */
  start(delayMs = 0): void {
    this.closing = false;
    this.scheduleConnect(delayMs);
  }

  enqueue(record: Telemetry): void {
    this.stats.generated++;
    if (this.bufferedRecords >= this.bufferCap) {
      this.stats.dropped++;
      // In-flight records cannot be taken back; with nothing queued the newest one is lost instead.
      if (this.queue.length === this.head) return;
      this.head++;
      this.compact();
    }
    this.queue.push(record);
    this.pump();
  }

  /** Cuts the TCP connection without DISCONNECT, as a lost GSM link would. */
  dropConnection(): void {
    this.client?.stream?.destroy();
  }

  /**
   * Stops reconnecting and disconnects, waiting up to `timeoutMs` for in-flight PUBACKs.
   * Records still buffered stay counted in `bufferedRecords`.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.end(true);
        resolve();
      }, timeoutMs);
      client.end(false, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private scheduleConnect(delayMs: number): void {
    if (this.closing) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  private connect(): void {
    if (this.closing) return;
    const { options } = this;
    const client = mqtt.connect(options.url, {
      protocolVersion: 4,
      clean: true,
      clientId: options.deviceId,
      username: options.deviceId,
      password: options.secret,
      // Reconnects are ours (a new client each time), so mqtt.js never replays its own store.
      reconnectPeriod: 0,
      connectTimeout: options.connectTimeoutMs ?? 30_000,
      keepalive: options.keepaliveS ?? 60,
      resubscribe: false,
    });
    this.client = client;
    client.on('connect', () => {
      if (this.client !== client) return;
      this.connected = true;
      this.failedAttempts = 0;
      this.stats.connects++;
      client.subscribe(commandTopic(options.deviceId), { qos: 1 }, () => undefined);
      this.pump();
    });
    client.on('message', () => {
      this.stats.commandsReceived++;
    });
    client.on('error', (error: Error & { code?: unknown }) => {
      if (this.client !== client) return;
      // CONNACK refusals carry the numeric return code; socket errors a string code.
      if (typeof error.code === 'number') this.stats.refused++;
      else this.stats.errors++;
      this.stats.lastError = error.message;
    });
    client.on('close', () => this.onClose(client));
  }

  private onClose(client: MqttClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    // Our own close() is not a lost connection.
    if (this.connected && !this.closing) this.stats.disconnects++;
    else if (!this.connected) this.failedAttempts++;
    this.connected = false;
    this.requeueInFlight();
    // Ends the old client for good; its pending publish callbacks fire with errors and are ignored.
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end(true);
    this.scheduleConnect(this.reconnectDelayMs());
  }

  // Exponential backoff with jitter, so a fleet that lost the gateway does not return in lockstep.
  private reconnectDelayMs(): number {
    const min = this.options.minReconnectMs ?? 1_000;
    const max = this.options.maxReconnectMs ?? 30_000;
    const base = Math.min(max, min * 2 ** Math.min(this.failedAttempts, 16));
    return base * uniform(this.options.random, 0.5, 1);
  }

  private pump(): void {
    const client = this.client;
    if (!this.connected || !client) return;
    while (this.inFlight.size < this.maxInFlight && this.queue.length > this.head) {
      const extra = this.options.chaos?.extraPayload(this.options.deviceId, this.acknowledgedPayloads);
      if (extra) {
        this.publish(client, undefined, Buffer.from(extra));
        if (this.inFlight.size >= this.maxInFlight) break;
      }
      const end = Math.min(this.queue.length, this.head + this.maxBatchRecords);
      const records = this.queue.slice(this.head, end);
      this.head = end;
      this.compact();
      const payload = encodeTelemetryBatch({ deviceId: this.options.deviceId, records });
      this.publish(client, records, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
    }
  }

  private publish(client: MqttClient, records: Telemetry[] | undefined, payload: Buffer): void {
    const entry: InFlight = { records, payload };
    this.inFlight.add(entry);
    this.inFlightRecords += records?.length ?? 0;
    this.stats.publishes++;
    client.publish(this.topic, payload, { qos: 1 }, (error) => this.onPublished(entry, error));
  }

  private onPublished(entry: InFlight, error: Error | undefined): void {
    // Already handed back to the queue by a disconnect: a late callback changes nothing.
    if (!this.inFlight.delete(entry)) return;
    this.inFlightRecords -= entry.records?.length ?? 0;
    if (error) {
      this.stats.errors++;
      this.stats.lastError = error.message;
      if (entry.records) this.prepend(entry.records);
      return;
    }
    if (entry.records) {
      this.stats.acknowledged += entry.records.length;
      this.acknowledgedPayloads.push(entry.payload);
      if (this.acknowledgedPayloads.length > REMEMBERED_ACKS) this.acknowledgedPayloads.shift();
    }
    this.pump();
  }

  private requeueInFlight(): void {
    const batches: Telemetry[][] = [];
    for (const entry of this.inFlight) if (entry.records) batches.push(entry.records);
    this.inFlight.clear();
    this.inFlightRecords = 0;
    // PUBACKs can come out of order; the oldest batch goes first again.
    batches.sort((a, b) => (a[0]?.seq ?? 0) - (b[0]?.seq ?? 0));
    this.prepend(batches.flat());
  }

  private prepend(records: Telemetry[]): void {
    if (records.length === 0) return;
    if (this.head >= records.length) {
      this.head -= records.length;
      for (let i = 0; i < records.length; i++) this.queue[this.head + i] = records[i] as Telemetry;
      return;
    }
    this.queue = records.concat(this.queue.slice(this.head));
    this.head = 0;
  }

  // Drops the consumed prefix now and then, so the queue array does not grow without bound.
  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
