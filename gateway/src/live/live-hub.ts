import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import { verifyAccessToken, type AccessClaims } from '../auth/access-token.js';
import type { Telemetry } from '../proto/codec.js';
import type { SinkEntry } from '../sink/telemetry-sink.js';
import type { SharedPositions } from './shared-positions.js';

/** What the dashboard's live map receives per vehicle. Coordinates WGS84 degrees. */
export interface LivePosition {
  deviceId: string;
  carrierId: string | null;
  vehiclePlate: string | null;
  lon: number;
  lat: number;
  speedKmh: number;
  headingDeg: number;
  ignition: boolean;
  fuelLevelL: number | null;
  time: string;
}

export interface DeviceDirectoryEntry {
  carrierId: string | null;
  vehiclePlate: string | null;
}

export interface LiveHubOptions {
  throttleMs: number;
  jwtSecret: string;
  /** Current device -> carrier mapping (refreshed by the caller). */
  directory: () => ReadonlyMap<string, DeviceDirectoryEntry>;
  logger: Logger;
  /** With several gateway instances: the fleet's newest positions, kept in Redis. */
  shared?: SharedPositions;
}

export const ALL_ROOM = 'fleet:all';
export const carrierRoom = (carrierId: string): string => `carrier:${carrierId}`;

/**
 * Pushes the latest committed position of each vehicle to authorised socket.io clients, at most
 * once per `throttleMs` per vehicle. Dispatchers and admins see the whole fleet (room
 * `fleet:all`); a carrier's users see only their own vehicles (room `carrier:{id}`).
 */
export class LiveHub {
  private readonly latest = new Map<string, LatestFix>();
  private readonly dirty = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly io: Server,
    private readonly options: LiveHubOptions,
  ) {
    io.use((socket, next) => {
      const token = socket.handshake.auth?.['token'];
      if (typeof token !== 'string') return next(new Error('unauthorized'));
      verifyAccessToken(token, options.jwtSecret).then(
        (claims) => {
          if (!mayWatch(claims)) return next(new Error('forbidden'));
          socket.data = { claims };
          next();
        },
        () => next(new Error('unauthorized')),
      );
    });
    io.on('connection', (socket) => this.onConnection(socket));
    this.timer = setInterval(() => this.flush(), Math.max(options.throttleMs, 50));
    this.timer.unref();
  }

  /** Takes the newest record of each device from a committed group (on the ingest hot path). */
  onCommitted(entries: readonly SinkEntry[]): void {
    for (const entry of entries) {
      let newest = entry.records[0];
      for (const record of entry.records) if (newest && record.timeMs > newest.timeMs) newest = record;
      if (!newest) continue;
      const current = this.latest.get(entry.deviceId);
      if (current && current.timeMs >= newest.timeMs) continue;
      // Keep the record itself; the position object is built once per flush, not per message.
      this.latest.set(entry.deviceId, { record: newest, timeMs: newest.timeMs, position: undefined });
      this.dirty.add(entry.deviceId);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private onConnection(socket: Socket): void {
    const claims = (socket.data as { claims: AccessClaims }).claims;
    const scope = claims.role === 'carrier' ? claims.carrierId : undefined;
    void socket.join(scope === undefined ? ALL_ROOM : carrierRoom(scope));
    const local = [...this.latest.keys()].map((deviceId) => this.positionOf(deviceId));
    const visible = (p: LivePosition | undefined): p is LivePosition =>
      p !== undefined && (scope === undefined || p.carrierId === scope);
    const shared = this.options.shared;
    if (!shared) {
      socket.emit('positions', local.filter(visible));
      return;
    }
    shared.all().then(
      (all) => socket.emit('positions', all.filter(visible)),
      (error: unknown) => {
        this.options.logger.warn({ err: (error as Error).message }, 'shared live positions unavailable');
        socket.emit('positions', local.filter(visible));
      },
    );
  }

  private positionOf(deviceId: string): LivePosition | undefined {
    const latest = this.latest.get(deviceId);
    if (!latest) return undefined;
    if (latest.position) return latest.position;
    const record = latest.record;
    const device = this.options.directory().get(deviceId);
    latest.position = {
      deviceId,
      carrierId: device?.carrierId ?? null,
      vehiclePlate: device?.vehiclePlate ?? null,
      lon: record.lonE7 / 1e7,
      lat: record.latE7 / 1e7,
      speedKmh: round1(record.speedKmh),
      headingDeg: round1(record.headingDeg),
      ignition: record.ignition,
      fuelLevelL: record.fuelLevelL === undefined ? null : round1(record.fuelLevelL),
      time: new Date(record.timeMs).toISOString(),
    };
    return latest.position;
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    const all: LivePosition[] = [];
    const byCarrier = new Map<string, LivePosition[]>();
    for (const deviceId of this.dirty) {
      const position = this.positionOf(deviceId);
      if (!position) continue;
      all.push(position);
      if (position.carrierId) {
        const list = byCarrier.get(position.carrierId) ?? [];
        list.push(position);
        byCarrier.set(position.carrierId, list);
      }
    }
    this.dirty.clear();
    this.options.shared?.save(all).catch((error: unknown) => {
      this.options.logger.warn({ err: (error as Error).message }, 'cannot store live positions');
    });
    this.io.to(ALL_ROOM).emit('positions', all);
    for (const [carrierId, list] of byCarrier) this.io.to(carrierRoom(carrierId)).emit('positions', list);
  }
}

interface LatestFix {
  record: Telemetry;
  timeMs: number;
  position: LivePosition | undefined;
}

function mayWatch(claims: AccessClaims): boolean {
  if (claims.role === 'admin' || claims.role === 'dispatcher') return true;
  return claims.role === 'carrier' && typeof claims.carrierId === 'string';
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
