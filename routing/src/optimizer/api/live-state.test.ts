import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateGatewaySchema } from '../../../../gateway/src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../../../gateway/test/helpers/test-database.js';
import { withLiveState } from './live-state.js';
import { parseInput } from './optimizer-error.js';
import { planRequestSchema } from './plan-request-schema.js';

const DEPOT: [number, number] = [37.61, 55.8];
const NOW = Date.now();
let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateGatewaySchema(database.url);
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query(`SELECT telemetry_ensure_partitions(current_date - 1, current_date + 1)`);
  const fix = `INSERT INTO telemetry (device_id, seq, time, lat, lon, speed_kmh, heading_deg, hdop, satellites,
    ignition, odometer_m, fuel_level_l) VALUES ($1, $2, to_timestamp($3::float8 / 1000), $4, $5, 20, 0, 1, 9, true, 0, $6)`;
  await pool.query(fix, ['trk-1', 1, NOW - 10 * 60_000, 55.81, 37.62, 150]);
  await pool.query(fix, ['trk-1', 2, NOW - 60_000, 55.82, 37.63, 140]);
  // Two hours old: too stale to say where the truck is now.
  await pool.query(fix, ['trk-2', 1, NOW - 2 * 3600_000, 55.9, 37.7, 90]);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('live state for mid-day re-planning', () => {
  it('starts a tracked truck at its latest recent fix with its fuel level, and leaves the others', async () => {
    const vehicle = (id: string, tracker?: string): Record<string, unknown> => ({
      id,
      start: DEPOT,
      shift: { from: new Date(NOW - 3600_000).toISOString(), to: new Date(NOW + 6 * 3600_000).toISOString() },
      body: { volume_m3: 16, compaction_ratio: 4 },
      fuel: { tank_l: 200, level_l: 200, consumption_l_per_100km: { empty: 30, loaded: 50 } },
      ...(tracker ? { tracker_device_id: tracker } : {}),
    });
    const request = parseInput(planRequestSchema, {
      vehicles: [vehicle('a', 'trk-1'), vehicle('b', 'trk-2'), vehicle('c')],
      sites: [],
      options: { live_state: true },
    });
    const live = await withLiveState(request, pool, NOW);
    const [a, b, c] = live.vehicles;
    expect(a!.start).toEqual([37.63, 55.82]);
    expect(a!.end).toEqual(DEPOT);
    expect(a!.fuel!.level_l).toBe(140);
    expect(b!.start).toEqual(DEPOT);
    expect(b!.fuel!.level_l).toBe(200);
    expect(c).toEqual(request.vehicles[2]);
  });
});
