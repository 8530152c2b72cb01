import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateGatewaySchema } from '../../gateway/src/db/migrate.js';
import { createPool } from '../../gateway/src/db/pool.js';
import { ensureTelemetryPartitions } from '../../gateway/src/db/telemetry.js';
import { createTestDatabase, type TestDatabase } from '../../gateway/test/helpers/test-database.js';
import { deviceTrack, devicesWithTelemetry } from '../src/db/fleet-telemetry.js';
import { legGeometry } from '../src/engine/leg-geometry.js';
import { SpeedLearner } from '../src/traffic/learn-speeds.js';
import { TrafficProfile } from '../src/traffic/traffic-profile.js';
import { weekSlotOf } from '../src/traffic/week-slot.js';
import { buildScenario, type ScenarioNetwork } from './helpers/ascii-map.js';

// Monday 2026-11-23 (a past week, within the telemetry retention), Moscow time = UTC+3.
const monday = (hourLocal: number, minute = 0): number => Date.UTC(2026, 10, 23, hourLocal - 3, minute);

let database: TestDatabase;
let pool: ReturnType<typeof createPool>;
let net: ScenarioNetwork;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateGatewaySchema(database.url);
  pool = createPool(database.url, 2);
  await ensureTelemetryPartitions(pool, monday(0) - 86_400_000, monday(23) + 86_400_000);
  net = await buildScenario({
    map: `
a   b   c   f
    x`,
    ways: [{ nodes: 'abcf', tags: { highway: 'secondary', name: 'улица Ленина' } }, { nodes: 'bx' }],
  });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await net?.close();
  await database?.drop();
});

/** Fixes every second of a truck driving from a to f at the given speed, starting at startMs. */
function drive(
  startMs: number,
  speedKmh: number,
): { timeMs: number; lon: number; lat: number; speedKmh: number }[] {
  const router = net.engine.router;
  const context = router.context(undefined);
  const [a, f] = [net.at('a'), net.at('f')].map(([lon, lat]) => router.nearest(context, lon, lat)[0]!);
  const leg = router.route(context, a!, f!)!;
  const line = legGeometry(router.graph, leg, { metric: context.metric });
  const fixes = [];
  const metresPerSecond = speedKmh / 3.6;
  let travelled = 0;
  for (let second = 0; travelled <= line.totalDistanceM; second++, travelled += metresPerSecond) {
    let remaining = travelled;
    let i = 0;
    while (i < line.distanceM.length - 1 && remaining > line.distanceM[i]!) remaining -= line.distanceM[i++]!;
    const t = line.distanceM[i]! > 0 ? Math.min(1, remaining / line.distanceM[i]!) : 0;
    const [lonA, latA] = line.coordinates[i]!;
    const [lonB, latB] = line.coordinates[i + 1]!;
    fixes.push({
      timeMs: startMs + second * 1000,
      lon: lonA + (lonB - lonA) * t,
      lat: latA + (latB - latA) * t,
      speedKmh,
    });
  }
  return fixes;
}

async function store(deviceId: string, fixes: ReturnType<typeof drive>, firstSeq: number): Promise<void> {
  for (const [i, fix] of fixes.entries()) {
    await pool.query(
      `INSERT INTO telemetry (device_id, seq, time, lat, lon, speed_kmh, heading_deg, hdop, satellites, ignition, odometer_m)
       VALUES ($1, $2, to_timestamp($3 / 1000.0), $4, $5, $6, 90, 0.8, 12, true, 0)`,
      [deviceId, firstSeq + i, fix.timeMs, fix.lat, fix.lon, fix.speedKmh],
    );
  }
}

describe('learning speeds from the fleet', () => {
  it('turns stored tracks into per-slot speeds that change the routes and their times', async () => {
    // Three trucks crawl along улица Ленина in the Monday 8:00 rush, three drive it freely at 3:00.
    for (let truck = 0; truck < 3; truck++) {
      await store(`truck-${truck}`, drive(monday(8, truck * 3), 10), 1);
      await store(`truck-${truck}`, drive(monday(3, truck * 3), 40), 10_000);
    }
    const from = monday(0);
    const to = monday(23);
    const learner = new SpeedLearner(net.engine.router, { utcOffsetMinutes: 180, minTraversals: 3 });
    for (const deviceId of await devicesWithTelemetry(pool, from, to)) {
      learner.addTrack(deviceId, await deviceTrack(pool, deviceId, from, to));
    }
    const speeds = learner.speeds();
    expect(learner.matchedPairs).toBeGreaterThan(100);
    const rush = speeds.filter((s) => s.slots?.[0] === weekSlotOf(monday(8, 1), 180));
    const night = speeds.filter((s) => s.slots?.[0] === weekSlotOf(monday(3, 1), 180));
    expect(rush.length).toBeGreaterThan(0);
    expect(night.length).toBeGreaterThan(0);
    for (const s of rush) expect(s.speedKmh).toSatisfy((v: number) => v > 8 && v < 12);
    for (const s of night) expect(s.speedKmh).toSatisfy((v: number) => v > 34 && v < 46);

    // The learned profile drives the time-dependent durations of routes.
    const router = net.engine.router;
    const traffic = new TrafficProfile(router.graph, speeds);
    const nextMonday = (hour: number): number => monday(hour) + 7 * 86_400_000;
    const slotRush = weekSlotOf(nextMonday(8) + 60_000, 180);
    const slotNight = weekSlotOf(nextMonday(3) + 60_000, 180);
    const piece = router.nearest(router.context(undefined), ...net.at('c'))[0]!.forwardPiece;
    expect(traffic.pieceSpeedAt(piece, slotRush)).toBeLessThan(12);
    expect(traffic.pieceSpeedAt(piece, slotNight)).toBeGreaterThan(34);
  });
});
