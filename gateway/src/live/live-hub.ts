import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import { verifyAccessToken, type AccessClaims } from '../auth/access-token.js';
import type { SinkEntry } from '../sink/telemetry-sink.js';

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
}

const ALL_ROOM = 'fleet:all';
const carrierRoom = (carrierId: string): string => `carrier:${carrierId}`;

/**
 * Pushes the latest committed position of each vehicle to authorised socket.io clients, at most
 * once per `throttleMs` per vehicle. Dispatchers and admins see the whole fleet (room
 * `fleet:all`); a carrier's users see only their own vehicles (room `carrier:{id}`).
 */
export class LiveHub {
  private readonly latest = new Map<string, LivePosition>();
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

  /** Takes the newest record of each device from a committed group. */
  onCommitted(entries: readonly SinkEntry[]): void {
    const directory = this.options.directory();
    for (const entry of entries) {
      let newest = entry.records[0];
      for (const record of entry.records) if (newest && record.timeMs > newest.timeMs) newest = record;
      if (!newest) continue;
      const current = this.latest.get(entry.deviceId);
      const time = new Date(newest.timeMs).toISOString();
      if (current && current.time >= time) continue;
      const device = directory.get(entry.deviceId);
      this.latest.set(entry.deviceId, {
        deviceId: entry.deviceId,
        carrierId: device?.carrierId ?? null,
        vehiclePlate: device?.vehiclePlate ?? null,
        lon: newest.lonE7 / 1e7,
        lat: newest.latE7 / 1e7,
        speedKmh: round1(newest.speedKmh),
        headingDeg: round1(newest.headingDeg),
        ignition: newest.ignition,
        fuelLevelL: newest.fuelLevelL === undefined ? null : round1(newest.fuelLevelL),
        time,
      });
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
    const snapshot = [...this.latest.values()].filter((p) => scope === undefined || p.carrierId === scope);
    socket.emit('positions', snapshot);
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    const all: LivePosition[] = [];
    const byCarrier = new Map<string, LivePosition[]>();
    for (const deviceId of this.dirty) {
      const position = this.latest.get(deviceId);
      if (!position) continue;
      all.push(position);
      if (position.carrierId) {
        const list = byCarrier.get(position.carrierId) ?? [];
        list.push(position);
        byCarrier.set(position.carrierId, list);
      }
    }
    this.dirty.clear();
    this.io.to(ALL_ROOM).emit('positions', all);
    for (const [carrierId, list] of byCarrier) this.io.to(carrierRoom(carrierId)).emit('positions', list);
  }
}

function mayWatch(claims: AccessClaims): boolean {
  if (claims.role === 'admin' || claims.role === 'dispatcher') return true;
  return claims.role === 'carrier' && typeof claims.carrierId === 'string';
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
