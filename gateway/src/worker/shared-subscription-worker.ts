import type { Logger } from 'pino';
import type { IPublishPacket, Packet } from 'mqtt-packet';
import { deviceIdOfTelemetryTopic } from '../auth/topic-acl.js';
import type { TelemetryIngest } from '../ingest/telemetry-ingest.js';
import type { GatewayMetrics } from '../metrics.js';
import { MqttSocket } from '../mqtt/mqtt-socket.js';

// MQTT 5 reason code for a PUBACK of a message whose payload we refused.
const PAYLOAD_FORMAT_INVALID = 0x99;
const SUBSCRIBE_ID = 1;

export interface WorkerOptions {
  url: string;
  workerId: string;
  group: string;
  username?: string;
  password?: string;
  /** How many unacknowledged messages the external broker may send us (MQTT 5 Receive Maximum). */
  receiveMaximum: number;
  ingest: TelemetryIngest;
  metrics: GatewayMetrics;
  logger: Logger;
}

/**
 * Runs the ingest path as a member of an MQTT 5 shared subscription on an external broker
 * (`$share/{group}/fleet/+/telemetry`): the broker spreads devices' messages over the workers and
 * redelivers whatever a worker did not acknowledge. Each PUBACK is sent after its commit, and the
 * session is persistent (clean start off, session expiry), so a worker crash or restart loses
 * nothing and a redelivery stores nothing twice.
 */
export class SharedSubscriptionWorker {
  private link: MqttSocket | undefined;
  private stopped = false;
  private subscribed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;

  constructor(private readonly options: WorkerOptions) {}

  get isConnected(): boolean {
    return this.subscribed && this.link?.isOpen === true;
  }

  start(): void {
    void this.connect();
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.link?.end();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { url, workerId, group, logger } = this.options;
    const link = new MqttSocket({
      url,
      clientId: workerId,
      username: this.options.username,
      password: this.options.password,
      protocolVersion: 5,
      clean: false,
      keepaliveS: 30,
      properties: { sessionExpiryInterval: 86_400, receiveMaximum: this.options.receiveMaximum },
    });
    this.link = link;
    link.on('packet', (packet: Packet) => this.onPacket(link, packet));
    link.on('close', (error?: Error) => {
      this.subscribed = false;
      if (this.link === link && !this.stopped) {
        logger.warn({ err: error?.message }, 'external broker connection lost; reconnecting');
        this.scheduleReconnect();
      }
    });
    try {
      const connack = await link.connect();
      this.attempt = 0;
      if (!connack.sessionPresent || !this.subscribed) {
        link.send({
          cmd: 'subscribe',
          messageId: SUBSCRIBE_ID,
          subscriptions: [{ topic: `$share/${group}/fleet/+/telemetry`, qos: 1 }],
        });
      }
      logger.info({ url, workerId, group }, 'ingest worker connected');
    } catch (error) {
      logger.warn({ err: (error as Error).message, url }, 'cannot connect to external broker');
      if (this.link === link) this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    this.attempt += 1;
    const delay = Math.min(5_000, 100 * 2 ** Math.min(this.attempt, 6));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private onPacket(link: MqttSocket, packet: Packet): void {
    if (packet.cmd === 'suback') {
      const granted = packet.granted[0];
      const ok = typeof granted === 'number' ? granted <= 2 : granted !== undefined;
      if (!ok) {
        this.options.logger.error({ granted }, 'shared subscription refused by the external broker');
        link.destroy();
        return;
      }
      this.subscribed = true;
      return;
    }
    if (packet.cmd === 'publish') this.onPublish(link, packet);
  }

  private onPublish(link: MqttSocket, packet: IPublishPacket): void {
    this.subscribed = true; // a resumed session delivers before any SUBACK of ours
    const ack = (reasonCode: number): void => {
      if (packet.qos > 0 && link.isOpen) {
        link.send({ cmd: 'puback', messageId: packet.messageId, reasonCode });
      }
    };
    const deviceId = deviceIdOfTelemetryTopic(packet.topic);
    if (!deviceId) {
      this.options.metrics.rejected.inc({ reason: 'bad_topic' });
      ack(PAYLOAD_FORMAT_INVALID);
      return;
    }
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    this.options.ingest.handle(
      deviceId,
      payload,
      (verdict) => ack(verdict === 'stored' ? 0 : PAYLOAD_FORMAT_INVALID),
      () => !link.isOpen,
    );
  }
}
