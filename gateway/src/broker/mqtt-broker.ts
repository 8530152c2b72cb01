import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from 'pino';
import type { DeviceAuthenticator } from '../auth/device-auth.js';
import { mayPublish, maySubscribe } from '../auth/topic-acl.js';
import type { TelemetryIngest } from '../ingest/telemetry-ingest.js';
import type { GatewayMetrics } from '../metrics.js';
import { commandTopic, encodeCommand, type Command } from '../proto/codec.js';

// CONNACK return codes of MQTT 3.1.1 (aedes maps them to v5 reason codes).
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

const GARBAGE_BAN_MS = 30_000;

export interface BrokerDependencies {
  auth: DeviceAuthenticator;
  ingest: TelemetryIngest;
  metrics: GatewayMetrics;
  logger: Logger;
  /** False while new connections must be refused (database down, queue full). */
  isAcceptingConnections: () => boolean;
  /** A device authenticated; its registry data (carrier, plate) is current as of now. */
  onDeviceAuthenticated?: (session: DeviceSession) => void;
}

export interface DeviceSession {
  deviceId: string;
  carrierId: string | null;
  vehiclePlate: string | null;
}

export interface TelemetryBroker {
  aedes: Aedes;
  sessionOf(client: Client): DeviceSession | undefined;
  sendCommand(deviceId: string, command: Command): Promise<void>;
  close(): Promise<void>;
}

function authError(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The aedes broker with the gateway's policy: devices authenticate with their own credentials,
 * publish only their telemetry and subscribe only to their commands; every telemetry PUBLISH
 * goes through the ingest path and is acknowledged only after its records are committed.
 */
export async function createTelemetryBroker(deps: BrokerDependencies): Promise<TelemetryBroker> {
  const { auth, ingest, metrics, logger } = deps;
  const sessions = new WeakMap<Client, DeviceSession>();

  const aedes = await Aedes.createBroker({
    // A tracker reconnecting over a flaky GSM link must not wait long for CONNACK.
    connectTimeout: 15_000,
    // Telemetry topics are exactly three levels; nothing deeper is legitimate.
    maxTopicLevels: 8,

    authenticate(client, username, password, callback) {
      if (!deps.isAcceptingConnections()) {
        metrics.authFailures.inc({ reason: 'server_unavailable' });
        callback(authError(SERVER_UNAVAILABLE, 'server unavailable'), null);
        return;
      }
      auth.authenticate(client.id, username, password).then(
        (result) => {
          if (result.ok) {
            const session = {
              deviceId: result.deviceId,
              carrierId: result.carrierId,
              vehiclePlate: result.vehiclePlate,
            };
            sessions.set(client, session);
            deps.onDeviceAuthenticated?.(session);
            callback(null, true);
            return;
          }
          metrics.authFailures.inc({ reason: result.reason });
          logger.warn({ clientId: client.id, username, reason: result.reason }, 'device refused');
          const code =
            result.reason === 'bad_password' || result.reason === 'unknown_device'
              ? BAD_USERNAME_OR_PASSWORD
              : NOT_AUTHORIZED;
          callback(authError(code, result.reason), null);
        },
        (error: unknown) => {
          metrics.authFailures.inc({ reason: 'server_unavailable' });
          logger.warn({ clientId: client.id, err: error }, 'device authentication failed');
          callback(authError(SERVER_UNAVAILABLE, 'server unavailable'), null);
        },
      );
    },

    authorizePublish(client, packet, callback) {
      if (!client) return callback(null); // the gateway's own publishes (commands)
      const session = sessions.get(client);
      if (!session || !mayPublish(session.deviceId, packet.topic)) {
        metrics.authFailures.inc({ reason: 'acl_publish' });
        logger.warn({ clientId: client.id, topic: packet.topic }, 'publish refused by topic ACL');
        return callback(new Error('publish not authorized'));
      }
      // Telemetry is not retained: the database is its store.
      packet.retain = false;
      ingest.handle(
        session.deviceId,
        packet.payload as Buffer,
        (verdict, reason) => {
          if (reason) logger.debug({ deviceId: session.deviceId, reason }, 'message refused');
          if (verdict === 'disconnect') {
            metrics.disconnects.inc({ reason: 'garbage' });
            logger.warn({ deviceId: session.deviceId }, 'device disconnected: too many bad messages');
            auth.ban(session.deviceId, GARBAGE_BAN_MS);
            client.close();
            return;
          }
          callback(null);
        },
        () => client.closed,
      );
    },

    authorizeSubscribe(client, subscription, callback) {
      const session = sessions.get(client);
      if (!session || !maySubscribe(session.deviceId, subscription.topic)) {
        metrics.authFailures.inc({ reason: 'acl_subscribe' });
        logger.warn({ clientId: client.id, topic: subscription.topic }, 'subscribe refused by topic ACL');
        // A null subscription is granted as 0x80 (failure) and the connection stays up [MQTT-3.9.3].
        return callback(null, null);
      }
      callback(null, subscription);
    },
  });

  aedes.on('clientReady', () => metrics.connectedDevices.inc());
  aedes.on('clientDisconnect', () => metrics.connectedDevices.dec());
  // One bad connection never takes the broker down; it is logged once and dropped.
  aedes.on('clientError', (client, error) =>
    logger.debug({ clientId: client.id, err: error.message }, 'client error'),
  );
  aedes.on('connectionError', (_client, error) => logger.debug({ err: error.message }, 'connection error'));

  return {
    aedes,
    sessionOf: (client) => sessions.get(client),
    sendCommand: (deviceId, command) =>
      new Promise((resolve, reject) =>
        aedes.publish(
          {
            cmd: 'publish',
            topic: commandTopic(deviceId),
            payload: Buffer.from(encodeCommand(command)),
            qos: 1,
            retain: false,
            dup: false,
          },
          (error) => (error ? reject(error) : resolve()),
        ),
      ),
    close: () => new Promise((resolve) => aedes.close(() => resolve())),
  };
}
