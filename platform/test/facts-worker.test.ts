import { pino } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../gateway/src/gateway.js';
import { startTestGateway } from '../../gateway/test/helpers/test-gateway.js';
import { migrateRoutingSchema } from '../../routing/src/db/migrate.js';
import { FactProcessor } from '../src/facts-worker/fact-processor.js';
import { FixWriter } from '../src/facts/test-fixes.js';
import type { ContainerEvent, Fix } from '../src/facts/types.js';
import { storeTelemetry } from './helpers/stored-telemetry.js';
import { carrierBody, siteBody, vehicleBody } from './helpers/fixtures.js';
import { startTestPlatform, TEST_JWT_SECRET, type TestPlatform } from './helpers/test-platform.js';

let t: TestPlatform;
let gateway: RunningGateway;
let carrierA: string;
let carrierB: string;
const sockets: Socket[] = [];
const START = Date.UTC(2025, 8, 1, 6);

/** A truck that serves a site (lifts), then stands 12 min while 40 L leave the tank, then drives on. */
function truckDay(): { fixes: Fix[]; lifts: ContainerEvent[]; siteLon: number; siteLat: number } {
  const w = new FixWriter(START);
  w.drive(60, 30);
  const siteAt = w.fixes.length;
  const liftFrom = w.timeMs + 20_000;
  w.park(180).drive(60, 30);
  const drain = (s: number): number => (s < 240 ? 150 : s < 360 ? 150 - ((s - 240) / 120) * 40 : 110);
  w.park(720, drain, false)
    .drive(90, 30, 110)
    .park(200, () => 110)
    .drive(60, 30, 110)
    .park(300, () => 110);
  const lifts = [0, 30, 60].map((dt): ContainerEvent => ({ timeMs: liftFrom + dt * 1000, kind: 'lift' }));
  const at = w.fixes[siteAt + 10] as Fix;
  return { fixes: w.fixes, lifts, siteLon: at.lon, siteLat: at.lat };
}

async function snapshot(): Promise<Record<string, unknown[]>> {
  const db = t.platform.services.db;
  const all = async (sql: string): Promise<unknown[]> => (await db.query(sql)).rows;
  return {
    facts: await all(
      'SELECT id, site_id, arrival_time, lift_count, confidence FROM collection_facts ORDER BY id',
    ),
    stops: await all('SELECT vehicle_id, start_time, end_time FROM vehicle_stops ORDER BY 1, 2'),
    trips: await all('SELECT vehicle_id, start_time, end_time, loaded FROM vehicle_trips ORDER BY 1, 2'),
    fuel: await all('SELECT id, kind, litres FROM fuel_events ORDER BY id'),
    alerts: await all('SELECT id, kind, carrier_id FROM alerts ORDER BY id'),
  };
}

function processor(): FactProcessor {
  return new FactProcessor(t.platform.services.db, {
    intervalMs: 60_000,
    initialLookbackMs: 10 * 365 * 86_400_000,
    logger: pino({ level: 'silent' }),
  });
}

async function liveSocket(token: string): Promise<{ socket: Socket; alerts: unknown[] }> {
  const socket = ioClient(`http://127.0.0.1:${gateway.http.port}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  sockets.push(socket);
  const alerts: unknown[] = [];
  socket.on('alert', (alert: unknown) => alerts.push(alert));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, alerts };
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  t = await startTestPlatform();
  gateway = await startTestGateway(t.databaseUrl, { AUTH_JWT_SECRET: TEST_JWT_SECRET });
  const admin = await t.adminToken();
  const post = async (url: string, body: Record<string, unknown>): Promise<string> => {
    const response = await t.request<{ id: string }>('POST', url, { token: admin, body });
    if (response.status !== 201) throw new Error(`${url}: ${JSON.stringify(response.body)}`);
    return response.body.id;
  };
  carrierA = await post('/api/v1/carriers', carrierBody());
  carrierB = await post('/api/v1/carriers', carrierBody());
  await t.platform.services.db.query(
    `INSERT INTO devices (id, secret_hash, carrier_id) VALUES ('trk-a', 'x', $1), ('trk-b', 'x', $2)`,
    [carrierA, carrierB],
  );
  await post('/api/v1/vehicles', vehicleBody({ carrierId: carrierA, trackerDeviceId: 'trk-a' }));
  await post('/api/v1/vehicles', vehicleBody({ carrierId: carrierB, trackerDeviceId: 'trk-b' }));
  const day = truckDay();
  await post('/api/v1/sites', siteBody({ lon: day.siteLon, lat: day.siteLat }));
  await storeTelemetry(t.platform.services.db, 'trk-a', day.fixes, day.lifts);
}, 30_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await gateway?.close();
  await t?.close();
});

describe('facts worker', () => {
  const now = START + 3 * 3600_000;
  let once: Record<string, unknown[]> = {};

  it('stores the same facts however often it runs, and after a restart; a drain alerts live', async () => {
    const dispatcher = await liveSocket((await t.userToken('dispatcher')).token);
    const ownCarrier = await liveSocket((await t.userToken('carrier', { carrierId: carrierA })).token);
    const otherCarrier = await liveSocket((await t.userToken('carrier', { carrierId: carrierB })).token);

    const first = processor();
    const summary = await first.runOnce(now);
    expect(summary.newAlerts).toBe(1);
    once = await snapshot();
    expect(once.facts).toHaveLength(1);
    expect(once.fuel).toMatchObject([{ kind: 'drain' }]);
    expect(once.alerts).toMatchObject([{ kind: 'fuel-drain', carrier_id: carrierA }]);
    expect(once.trips?.length).toBeGreaterThanOrEqual(3);

    expect((await first.runOnce(now)).newAlerts).toBe(0);
    expect(await snapshot()).toEqual(once);
    // A restart: a new processor with nothing in memory, only the stored resume points.
    expect((await processor().runOnce(now + 60_000)).newAlerts).toBe(0);
    expect(await snapshot()).toEqual(once);

    await waitFor(() => dispatcher.alerts.length === 1 && ownCarrier.alerts.length === 1);
    expect(dispatcher.alerts[0]).toMatchObject({ kind: 'fuel-drain', carrier_id: carrierA });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(otherCarrier.alerts).toEqual([]);
    expect(dispatcher.alerts).toHaveLength(1);
  });

  it('serves trips, fuel events and alerts, scoped to the carrier in SQL', async () => {
    const range = `from=${new Date(START - 3600_000).toISOString()}&to=${new Date(now).toISOString()}`;
    const dispatcher = (await t.userToken('dispatcher')).token;
    const own = (await t.userToken('carrier', { carrierId: carrierA })).token;
    const other = (await t.userToken('carrier', { carrierId: carrierB })).token;
    const billing = (await t.userToken('billing')).token;
    const count = async (url: string, token: string): Promise<number> => {
      const response = await t.request<{ items: unknown[] }>('GET', url, { token });
      expect(response.status, url).toBe(200);
      return response.body.items.length;
    };
    for (const [url, expected] of [
      [`/api/v1/trips?${range}`, 3],
      [`/api/v1/fuel-events?${range}`, 1],
      [`/api/v1/alerts?since=${new Date(Date.now() - 3600_000).toISOString()}`, 1],
    ] as const) {
      expect(await count(url, dispatcher)).toBeGreaterThanOrEqual(expected);
      expect(await count(url, own)).toBeGreaterThanOrEqual(expected);
      expect(await count(url, other)).toBe(0);
      expect((await t.request('GET', url, { token: billing })).status).toBe(403);
      expect((await t.request('GET', url)).status).toBe(401);
    }
    expect((await t.request('GET', '/api/v1/trips?from=nonsense', { token: dispatcher })).status).toBe(422);
  });

  it('running every 2 minutes while the data arrives stores what one run over the whole day does', async () => {
    const db = t.platform.services.db;
    await db.query(
      'TRUNCATE collection_facts, vehicle_stops, vehicle_trips, fuel_events, facility_unloadings, fact_watermarks',
    );
    const live = processor();
    for (let clock = START; clock <= START + 45 * 60_000; clock += 2 * 60_000) await live.runOnce(clock);
    await live.runOnce(now);
    expect(await snapshot()).toEqual(once);
  });

  it('alerts a planned visit whose window closed unserved, once; a served visit stays quiet', async () => {
    const db = t.platform.services.db;
    const admin = await t.adminToken();
    const far = await t.request<{ id: string }>('POST', '/api/v1/sites', {
      token: admin,
      body: siteBody({ lon: 37.7, lat: 55.85 }),
    });
    expect(far.status).toBe(201);
    const servedSite = (await db.query<{ site_id: string }>('SELECT site_id FROM collection_facts')).rows[0]!
      .site_id;
    const vehicle = (
      await db.query<{ id: string }>('SELECT id::text FROM vehicles WHERE carrier_id = $1', [carrierA])
    ).rows[0]!.id;
    // 2025-09-01, Moscow time: the served site's fact is at ~09:01, the far site is never visited.
    const planned = await db.query<{ id: string }>(
      `INSERT INTO planned_visits (site_id, visit_date, window_from, window_to, carrier_id, vehicle_id)
       VALUES ($1, '2025-09-01', '09:00', '09:30', $3, $4), ($2, '2025-09-01', '09:00', '09:20', $3, $4)
       RETURNING id::text`,
      [servedSite, far.body.id, carrierA, vehicle],
    );
    const missedVisit = planned.rows[1]!.id;
    expect((await processor().runOnce(now)).newAlerts).toBe(1);
    const alerts = await db.query<{ id: string; kind: string; carrier_id: string }>(
      "SELECT id, kind, carrier_id::text FROM alerts WHERE kind LIKE 'visit-%'",
    );
    expect(alerts.rows).toEqual([
      { id: `plan:${missedVisit}:missed`, kind: 'visit-missed', carrier_id: carrierA },
    ]);
    expect((await processor().runOnce(now + 60_000)).newAlerts).toBe(0);
  });

  it('turns the newest published work orders into planned visits, idempotently', async () => {
    const db = t.platform.services.db;
    await migrateRoutingSchema(t.databaseUrl);
    await db.query('DELETE FROM alerts WHERE kind LIKE $1', ['visit-%']);
    await db.query('DELETE FROM planned_visits');
    const site = (await db.query<{ site_id: string }>('SELECT site_id FROM collection_facts')).rows[0]!
      .site_id;
    const vehicle = (
      await db.query<{ id: string }>('SELECT id::text FROM vehicles WHERE carrier_id = $1', [carrierA])
    ).rows[0]!.id;
    const stop = (siteId: string, begin: string): Record<string, unknown> => ({
      type: 'site',
      site_id: siteId,
      begin,
    });
    const publish = async (version: number, stops: Record<string, unknown>[]): Promise<void> => {
      if (version === 1) {
        await db.query(
          `INSERT INTO plans (id, name, period_from, period_to, created_by) VALUES (1, 'p', '2025-09-01', '2025-09-01', 'test')`,
        );
      }
      await db.query(
        `INSERT INTO plan_versions (plan_id, version, input, solution, summary, created_by, published_at)
         VALUES (1, $1, '{}', '{}', '{}', 'test', now())`,
        [version],
      );
      await db.query(
        `INSERT INTO work_orders (plan_id, version, carrier_id, vehicle_id, date, stops, summary, status, published_at)
         VALUES (1, $1::int, $2, $3, '2025-09-01', $4, '{}', 'published', now() + $1::int * interval '1 second')`,
        [version, carrierA, vehicle, JSON.stringify(stops)],
      );
    };
    const visits = async (): Promise<unknown[]> =>
      (
        await db.query(
          'SELECT site_id::text, window_from, window_to, work_order_ref FROM planned_visits ORDER BY work_order_ref',
        )
      ).rows;
    // 06:05Z is 09:05 in Moscow: the visit's window is 08:05–10:05 local.
    await publish(1, [
      stop(site, '2025-09-01T06:05:00Z'),
      stop('not-a-registry-site', '2025-09-01T07:00:00Z'),
    ]);
    await processor().runOnce(now);
    const first = await visits();
    expect(first).toMatchObject([{ site_id: site, window_from: '08:05', window_to: '10:05' }]);
    await processor().runOnce(now);
    expect(await visits()).toEqual(first);
    // A newer publication replaces the older order's visits.
    await publish(2, [stop(site, '2025-09-01T07:30:00Z')]);
    await processor().runOnce(now);
    expect(await visits()).toMatchObject([{ site_id: site, window_from: '09:30', window_to: '11:30' }]);
  });
});
