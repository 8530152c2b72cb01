import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import type { LivePosition } from './live-hub.js';

/**
 * Live positions shared between gateway instances through Redis: socket.io's Redis adapter carries
 * every instance's emits to the dashboard clients of all instances, and a hash keeps the newest
 * position per vehicle, so a client connecting to any instance gets the whole fleet's snapshot.
 */
export interface SharedPositions {
  save(positions: readonly LivePosition[]): Promise<void>;
  all(): Promise<LivePosition[]>;
  close(): Promise<void>;
}

// Stores each position unless a newer one is already there: with a shared subscription the
// messages of one vehicle may be committed by different instances, out of order. ISO times compare
// as strings.
const SAVE_NEWER = `
for i = 1, #ARGV, 3 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if (not current) or (string.sub(current, 1, 24) < ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. ARGV[i + 2])
  end
end
return 1`;

/** `namespace` separates deployments sharing one Redis (the ingest group name). */
export async function attachRedis(io: Server, url: string, namespace: string): Promise<SharedPositions> {
  const positionsKey = `msw:${namespace}:live:positions`;
  const publisher = createClient({ url });
  const subscriber = publisher.duplicate();
  // Errors are reported by the reconnect loop; an unhandled 'error' event would end the process.
  publisher.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  io.adapter(createAdapter(publisher, subscriber, { key: `msw:${namespace}:socket.io` }));
  return {
    async save(positions) {
      if (positions.length === 0) return;
      const args: string[] = [];
      for (const p of positions) args.push(p.deviceId, p.time, JSON.stringify(p));
      await publisher.eval(SAVE_NEWER, { keys: [positionsKey], arguments: args });
    },
    async all() {
      const stored = await publisher.hGetAll(positionsKey);
      // Each value is the 24-character ISO time followed by the JSON.
      return Object.values(stored).map((value) => JSON.parse(value.slice(24)) as LivePosition);
    },
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
