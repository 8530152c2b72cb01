import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';

export interface MqttSocketOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  protocolVersion: 4 | 5;
  clean: boolean;
  keepaliveS: number;
  properties?: IConnectPacket['properties'];
  connectTimeoutMs?: number;
  tls?: tls.ConnectionOptions;
}

/**
 * One MQTT connection at the packet level (mqtt-packet over TCP/TLS), with no queueing and no
 * ordering of acknowledgements of its own. mqtt.js handles incoming packets one after another,
 * which would allow a single unacknowledged message at a time; the ingest worker and the load
 * generator need many in flight, each acknowledged when its own work is done.
 *
 * Events: 'packet' (every packet after CONNACK), 'close' (error or end; the socket is gone).
 */
export class MqttSocket extends EventEmitter {
  private socket: net.Socket | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: MqttSocketOptions) {
    super();
  }

  /** Connects and resolves with the CONNACK, or rejects when refused, unreachable or timed out. */
  connect(): Promise<mqttPacket.IConnackPacket> {
    const url = new URL(this.options.url);
    const secure = url.protocol === 'mqtts:' || url.protocol === 'ssl:' || url.protocol === 'tls:';
    const port = Number(url.port || (secure ? 8883 : 1883));
    const host = url.hostname;
    const generateOptions = { protocolVersion: this.options.protocolVersion };
    const parser = mqttPacket.parser(generateOptions);
    return new Promise((resolve, reject) => {
      const socket = secure
        ? tls.connect({ host, port, servername: host, ...this.options.tls })
        : net.connect({ host, port });
      this.socket = socket;
      socket.setNoDelay(true);
      let connected = false;
      const timeout = setTimeout(() => {
        socket.destroy(new Error('CONNACK did not arrive in time'));
      }, this.options.connectTimeoutMs ?? 10_000);
      const fail = (error: Error): void => {
        clearTimeout(timeout);
        if (!connected) reject(error);
        this.shutdown(error);
      };
      socket.on(secure ? 'secureConnect' : 'connect', () => {
        this.send({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: this.options.protocolVersion,
          clientId: this.options.clientId,
          clean: this.options.clean,
          keepalive: this.options.keepaliveS,
          username: this.options.username,
          password: this.options.password === undefined ? undefined : Buffer.from(this.options.password),
          properties: this.options.properties,
        });
      });
      socket.on('data', (chunk: Buffer) => {
        // Packets answered while handling one chunk (acknowledgements) leave in one write.
        socket.cork();
        parser.parse(chunk);
        socket.uncork();
      });
      socket.on('error', fail);
      socket.on('close', () => fail(new Error('connection closed')));
      parser.on('error', (error: Error) => socket.destroy(error));
      parser.on('packet', (packet: Packet) => {
        if (!connected) {
          if (packet.cmd !== 'connack')
            return socket.destroy(new Error(`expected CONNACK, got ${packet.cmd}`));
          clearTimeout(timeout);
          const code = packet.reasonCode ?? packet.returnCode ?? 0;
          if (code !== 0) {
            const error = Object.assign(new Error(`connection refused (code ${code})`), { code });
            reject(error);
            socket.destroy();
            return;
          }
          connected = true;
          this.startPings();
          resolve(packet);
          return;
        }
        this.emit('packet', packet);
      });
    });
  }

  /** Writes a packet; false when the socket buffer is full (wait for 'drain'). */
  send(packet: Packet): boolean {
    const socket = this.socket;
    if (!socket || socket.destroyed) return false;
    return socket.write(mqttPacket.generate(packet, { protocolVersion: this.options.protocolVersion }));
  }

  /** Writes an already generated packet (the load generator pre-encodes). */
  sendRaw(bytes: Buffer): boolean {
    const socket = this.socket;
    if (!socket || socket.destroyed) return false;
    return socket.write(bytes);
  }

  get isOpen(): boolean {
    return !this.closed && this.socket !== undefined && !this.socket.destroyed;
  }

  get writable(): net.Socket | undefined {
    return this.socket;
  }

  /** Sends DISCONNECT and closes. */
  end(): void {
    if (this.isOpen) this.send({ cmd: 'disconnect' });
    this.socket?.end();
    this.shutdown();
  }

  destroy(): void {
    this.socket?.destroy();
    this.shutdown();
  }

  private startPings(): void {
    if (this.options.keepaliveS <= 0) return;
    this.pingTimer = setInterval(() => this.send({ cmd: 'pingreq' }), (this.options.keepaliveS * 1000) / 2);
    this.pingTimer.unref();
  }

  private shutdown(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pingTimer);
    this.emit('close', error);
  }
}
