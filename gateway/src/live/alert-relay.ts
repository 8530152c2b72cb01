import pg from 'pg';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { ALL_ROOM, carrierRoom } from './live-hub.js';

/** The platform's facts worker NOTIFYs here (platform/src/facts-worker/alerts.ts). */
export const ALERT_CHANNEL = 'dispatcher_alerts';
const RECONNECT_MS = 5000;

export interface AlertRelay {
  /** Resolves once LISTEN is in place (tests wait for it before raising alerts). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Forwards alerts from PostgreSQL NOTIFY to the live map's sockets as `alert` events: operators
 * (the `fleet:all` room) get every alert, a carrier's users only alerts whose `carrier_id` is theirs.
 * One dedicated connection (LISTEN needs a session, not a pooled one), reopened after a failure.
 */
export function startAlertRelay(io: Server, databaseUrl: string, logger: Logger): AlertRelay {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const relay = (payload: string | undefined): void => {
    let alert: unknown;
    try {
      alert = JSON.parse(payload ?? '');
    } catch {
      logger.warn('alert notification is not JSON');
      return;
    }
    if (typeof alert !== 'object' || alert === null) return;
    io.to(ALL_ROOM).emit('alert', alert);
    const carrierId = (alert as { carrier_id?: unknown }).carrier_id;
    if (typeof carrierId === 'string') io.to(carrierRoom(carrierId)).emit('alert', alert);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => relay(message.payload));
    next.on('error', (error) => {
      logger.warn({ err: error.message }, 'alert relay connection lost');
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      if (!closed) retry = setTimeout(() => void connect().catch(onFailure), RECONNECT_MS);
    });
    await next.connect();
    await next.query(`LISTEN ${ALERT_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
  };
  const onFailure = (error: unknown): void => {
    logger.warn({ err: (error as Error).message }, 'alert relay cannot listen; retrying');
    if (!closed) retry = setTimeout(() => void connect().catch(onFailure), RECONNECT_MS);
  };

  const ready = connect().catch(onFailure);
  return {
    ready,
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await ready;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
