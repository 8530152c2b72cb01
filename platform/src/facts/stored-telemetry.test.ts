import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateGatewaySchema } from '../../../gateway/src/db/migrate.js';
import {
  emptyContainerEventColumns,
  emptyTelemetryColumns,
  ensureTelemetryPartitions,
  insertTelemetry,
} from '../../../gateway/src/db/telemetry.js';
import { createTestDatabase, type TestDatabase } from '../../../gateway/test/helpers/test-database.js';
import { collectOutput, type CollectedOutput } from './collect-output.js';
import { FactEngine } from './fact-engine.js';
import { applyFactSchema, PgFactStore } from './fact-store.js';
import { loadMoscowNetwork } from './scenario/moscow-network.js';
import { replayTruckDay } from './scenario/replay.js';
import { buildScenarioWorld, type ScenarioWorld } from './scenario/scenario-world.js';
import { generateTruckDay, type TruckDay } from './scenario/truck-day.js';
import { replayStoredTelemetry } from './telemetry-reader.js';

let database: TestDatabase;
let db: pg.Pool;
let world: ScenarioWorld;
let day: TruckDay;

/** Stores the generated day as the gateway would: telemetry rows plus container events. */
async function storeDay(): Promise<void> {
  const { track, containerEvents, vehicleId } = day;
  const first = track.timeMs[0]!;
  const last = track.timeMs[track.length - 1]!;
  await ensureTelemetryPartitions(db, first, last);
  let e = 0;
  for (let start = 0; start < track.length; start += 5000) {
    const rows = emptyTelemetryColumns();
    const events = emptyContainerEventColumns();
    for (let i = start; i < Math.min(track.length, start + 5000); i++) {
      const seq = track.firstSeq + i;
      rows.deviceId.push(vehicleId);
      rows.seq.push(seq);
      rows.timeMs.push(track.timeMs[i]!);
      rows.lat.push(track.lat[i]!);
      rows.lon.push(track.lon[i]!);
      rows.speedKmh.push(track.speedKmh[i]!);
      rows.headingDeg.push(track.headingDeg[i]!);
      rows.hdop.push(0.9);
      rows.satellites.push(11);
      rows.ignition.push(track.ignition[i] === 1);
      rows.odometerM.push(0);
      rows.fuelLevelL.push(track.fuelL[i]!);
      rows.fuelUsedTotalL.push(null);
      rows.engineHours.push(null);
      // Each lift travels in the first record at or after it, as a tracker batches them.
      let idx = 0;
      while (e < containerEvents.length && containerEvents[e]!.timeMs <= track.timeMs[i]!) {
        const event = containerEvents[e++]!;
        events.deviceId.push(vehicleId);
        events.seq.push(seq);
        events.idx.push(idx++);
        events.timeMs.push(event.timeMs);
        events.kind.push(event.kind === 'lift' ? 1 : 2);
        events.arm.push(1);
        events.rfid.push(event.rfid ?? null);
        events.weightKg.push(event.weightKg ?? null);
      }
    }
    await insertTelemetry(db, rows, events);
  }
}

function detect(feed: (engine: FactEngine) => Promise<void> | void): Promise<CollectedOutput> {
  const { output, listener } = collectOutput();
  const engine = new FactEngine({ sites: world.sites, facilities: world.facilities }, listener);
  return Promise.resolve(feed(engine)).then(() => {
    engine.flush();
    return output;
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateGatewaySchema(database.url);
  db = new pg.Pool({ connectionString: database.url, max: 2 });
  world = buildScenarioWorld(await loadMoscowNetwork());
  day = generateTruckDay(world, {
    vehicleId: 'sim-0001',
    seed: 11,
    startMs: Date.UTC(2025, 8, 2, 4),
    depotBeforeS: 300,
    depotAfterS: 300,
    siteIds: world.sites.slice(10, 15).map((site) => site.id),
    skip: new Set(),
    unplanned: [],
    refuel: { afterIndex: 1, litres: 80 },
    unloadAfter: [],
    driverReportShare: 0,
    lateShare: 0,
  });
  await storeDay();
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

describe('stored telemetry', () => {
  it('gives the same facts, stops, trips and fuel events as the live stream', async () => {
    const live = await detect((engine) => replayTruckDay(engine, day));
    const stored = await detect(async (engine) => {
      const summary = await replayStoredTelemetry(
        db,
        engine,
        day.track.timeMs[0]!,
        day.track.timeMs[day.track.length - 1]! + 1,
      );
      expect(summary).toEqual({
        devices: 1,
        fixes: day.track.length,
        containerEvents: day.containerEvents.length,
      });
    });
    expect(live.facts).toHaveLength(5);
    expect(live.fuelEvents.map((event) => event.kind)).toEqual(['refuel']);
    // float4 columns round speed and fuel to single precision: compare what detection decides.
    expect(stored.facts.map((f) => [f.id, f.liftCount, f.confidence])).toEqual(
      live.facts.map((f) => [f.id, f.liftCount, f.confidence]),
    );
    expect(stored.stops.map((s) => [s.startMs, s.endMs])).toEqual(
      live.stops.map((s) => [s.startMs, s.endMs]),
    );
    expect(stored.trips).toHaveLength(live.trips.length);
    expect(stored.fuelEvents.map((e) => [e.id, Math.round(e.litres)])).toEqual(
      live.fuelEvents.map((e) => [e.id, Math.round(e.litres)]),
    );
  });

  it('persists everything idempotently and reads facts and fuel events back', async () => {
    const output = await detect(async (engine) => {
      await replayStoredTelemetry(
        db,
        engine,
        day.track.timeMs[0]!,
        day.track.timeMs[day.track.length - 1]! + 1,
      );
    });
    await applyFactSchema(db);
    await applyFactSchema(db);
    const store = new PgFactStore(db);
    await store.saveAll(output);
    await store.saveAll(output);
    const from = day.track.timeMs[0]!;
    const to = day.track.timeMs[day.track.length - 1]! + 1;
    expect(await store.listFacts(from, to)).toEqual(output.facts);
    expect(await store.listFuelEvents(from, to, 'sim-0001')).toEqual(output.fuelEvents);
    const counts = await db.query<{ stops: number; trips: number; unloadings: number }>(
      `SELECT (SELECT count(*) FROM vehicle_stops)::int AS stops, (SELECT count(*) FROM vehicle_trips)::int AS trips,
              (SELECT count(*) FROM facility_unloadings)::int AS unloadings`,
    );
    expect(counts.rows[0]).toEqual({
      stops: output.stops.length,
      trips: output.trips.length,
      unloadings: output.unloadings.length,
    });
  });
});
