import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signAccessToken, type AccessClaims } from '@msw/gateway/auth/access-token';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../gateway/test/helpers/test-database.js';
import { loadRoutingOptions } from '../src/config.js';
import { buildDemoTown } from '../src/osm/demo-town.js';
import { startRoutingService, type RunningRoutingService } from '../src/service.js';

let database: TestDatabase;
let dataDir = '';
let withDb: RunningRoutingService;
let withoutDb: RunningRoutingService;
const town = buildDemoTown();
const SECRET = 'plans-test-secret-0123456789abcdef0123456789';
const tokens: Record<string, string> = {};
const at = (landmark: { lon: number; lat: number }): [number, number] => [landmark.lon, landmark.lat];

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'msw-plans-'));
  const logger = pino({ level: 'silent' });
  const env = {
    ROUTING_PORT: '0',
    DATA_DIR: dataDir,
    ROUTING_OPTIMIZER_THREADS: '1',
    ROUTING_OPTIMIZER_MAX_TIME_S: '1',
    AUTH_JWT_SECRET: SECRET,
  };
  const people: Record<string, AccessClaims> = {
    'dispatcher-1': { sub: 'dispatcher-1', role: 'dispatcher' },
    'dispatcher-2': { sub: 'dispatcher-2', role: 'dispatcher' },
    'carrier-1': { sub: 'carrier-user-1', role: 'carrier', carrierId: 'carrier-1' },
    'driver-2': { sub: 'driver-2', role: 'driver', carrierId: 'carrier-2' },
    billing: { sub: 'billing-1', role: 'billing' },
    consumer: { sub: 'consumer-1', role: 'consumer' },
  };
  for (const [name, claims] of Object.entries(people)) tokens[name] = await signAccessToken(claims, SECRET);
  withDb = await startRoutingService(loadRoutingOptions({ ...env, DATABASE_URL: database.url }), logger);
  withoutDb = await startRoutingService(loadRoutingOptions(env), logger);
});

afterAll(async () => {
  await withDb?.close();
  await withoutDb?.close();
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const url = (service: RunningRoutingService, p: string): string =>
  `http://127.0.0.1:${service.address.port}${p}`;

async function call(
  service: RunningRoutingService,
  method: string,
  p: string,
  body?: unknown,
  as: string | null = 'dispatcher-1',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = as ? { Authorization: `Bearer ${tokens[as]!}` } : {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url(service, p), {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Residential street points of the demo town for container sites. */
function streetPoints(): [number, number][] {
  const nodes = new Map(town.nodes.map((n) => [n.id, n]));
  return town.ways
    .filter((way) => way.tags['highway'] === 'residential')
    .map((way) => nodes.get(way.refs[Math.floor(way.refs.length / 2)]!)!)
    .map((node) => [node.lon, node.lat]);
}

function planInput() {
  const points = streetPoints();
  const site = (id: string, index: number, schedule: unknown) => ({
    id,
    location: points[index]!,
    containers: [{ count: 2, volume_m3: 1.1, fill: 0.9 }],
    schedule,
  });
  return {
    name: 'Декабрь, лот 1',
    // Monday 30 November – Sunday 6 December 2026.
    period: { from: '2026-11-30', to: '2026-12-06' },
    request: {
      vehicles: [
        {
          id: 'truck-1',
          carrier_id: 'carrier-1',
          start: at(town.landmarks.depot),
          // 07:00–16:00 Moscow time on the reference day.
          shift: { from: '2026-11-30T04:00:00Z', to: '2026-11-30T13:00:00Z' },
          body: { volume_m3: 12, compaction_ratio: 4 },
        },
        {
          id: 'truck-2',
          carrier_id: 'carrier-2',
          start: at(town.landmarks.depot),
          shift: { from: '2026-11-30T04:00:00Z', to: '2026-11-30T13:00:00Z' },
          body: { volume_m3: 12, compaction_ratio: 4 },
        },
      ],
      sites: [
        site('daily-1', 0, { kind: 'daily' }),
        site('daily-2', 1, { kind: 'daily' }),
        site('daily-3', 2, { kind: 'daily' }),
        site('mon-wed-fri', 3, { kind: 'weekdays', days: [1, 3, 5] }),
        site('every-3', 4, { kind: 'every-n-days', every: 3, anchor: '2026-11-30' }),
        site('first-of-month', 5, { kind: 'monthly', days: [1] }),
        site('no-schedule', 6, undefined),
      ],
      facilities: [{ id: 'landfill', kind: 'landfill', location: at(town.landmarks.landfill) }],
      options: { time_limit_s: 0.2, geometry: false },
    },
  };
}

interface Group {
  carrier_id: string;
  vehicle_id: string;
  from: string;
  days: string[];
  status: string;
  orders: { date: string; stops?: { type: string; site_id?: string }[] }[];
}

describe('/plans without a database', () => {
  it('answers 503 with a clear message, while routing works', async () => {
    const { status, body } = await call(withoutDb, 'GET', '/plans');
    expect(status).toBe(503);
    expect(body).toMatchObject({
      code: 'DatabaseUnavailable',
      message: expect.stringContaining('DATABASE_URL'),
      message_en: expect.stringContaining('DATABASE_URL'),
    });
    const health = await fetch(url(withoutDb, '/health'));
    expect(health.status).toBe(200);
  });
});

describe('/plans with PostgreSQL', () => {
  let planId = 0;

  it('creates a plan: every day of the period optimized from the site schedules', async () => {
    const { status, body } = await call(withDb, 'POST', '/plans', planInput());
    expect(status).toBe(201);
    planId = body['id'] as number;
    expect(body['version']).toBe(1);
    expect(body['summary']).toMatchObject({ days: 7, feasible: true, sites_unassigned: 0 });
    const days = body['days'] as { date: string; sites_served: number }[];
    // Mon: 3 daily + no-schedule + M/W/F + every-3 (30 Nov) = 6; Tue 1 Dec: 4 daily + monthly = 5.
    expect(days.map((d) => [d.date, d.sites_served])).toEqual([
      ['2026-11-30', 6],
      ['2026-12-01', 5],
      ['2026-12-02', 5],
      ['2026-12-03', 5],
      ['2026-12-04', 5],
      ['2026-12-05', 4],
      ['2026-12-06', 5],
    ]);
    const migrations = new pg.Client({ connectionString: database.url });
    await migrations.connect();
    const applied = await migrations.query('SELECT name FROM pgmigrations_routing');
    await migrations.end();
    expect(applied.rows.map((r: { name: string }) => r.name)).toEqual([
      '1764300000000_plans',
      '1764900000000_plan-jobs',
    ]);
  });

  it('lists plans and work orders per day, week and month', async () => {
    const list = await call(withDb, 'GET', '/plans');
    expect(list.body['plans']).toEqual([
      expect.objectContaining({
        id: planId,
        name: 'Декабрь, лот 1',
        latest_version: 1,
        published_version: null,
      }),
    ]);
    const daily = await call(withDb, 'GET', `/plans/${planId}/work-orders?period=daily`);
    const dailyGroups = daily.body['work_orders'] as Group[];
    const tuesday = dailyGroups.filter((g) => g.from === '2026-12-01');
    const tuesdaySites = tuesday.flatMap((g) =>
      g.orders[0]!.stops!.filter((s) => s.type === 'site').map((s) => s.site_id),
    );
    expect(tuesdaySites.sort()).toEqual(['daily-1', 'daily-2', 'daily-3', 'first-of-month', 'no-schedule']);
    expect(tuesday.every((g) => g.status === 'draft')).toBe(true);
    const weekly = await call(withDb, 'GET', `/plans/${planId}/work-orders?period=weekly`);
    const weeks = weekly.body['work_orders'] as Group[];
    expect(weeks.every((g) => g.from === '2026-11-30')).toBe(true);
    expect(new Set(weeks.flatMap((g) => g.days)).size).toBe(7);
    const monthly = await call(
      withDb,
      'GET',
      `/plans/${planId}/work-orders?period=monthly&carrier_id=carrier-1`,
    );
    const months = monthly.body['work_orders'] as Group[];
    expect(months.every((g) => g.carrier_id === 'carrier-1')).toBe(true);
    expect(months.map((g) => g.from).sort()).toEqual(
      months.length === 2 ? ['2026-11-01', '2026-12-01'] : ['2026-11-01'],
    );
  });

  it('keeps every version when re-optimising, and publishes a version to the drivers', async () => {
    const notYet = await call(withDb, 'GET', '/plans/vehicles/truck-1/today?date=2026-12-01');
    expect(notYet.status).toBe(404);
    expect(notYet.body['message']).toContain('Нет опубликованного наряда');

    const second = await call(withDb, 'POST', `/plans/${planId}/versions`, {}, 'dispatcher-2');
    expect(second.status).toBe(201);
    expect(second.body['version']).toBe(2);
    const plan = await call(withDb, 'GET', `/plans/${planId}`);
    const versions = plan.body['versions'] as { version: number; created_by: string }[];
    expect(versions.map((v) => [v.version, v.created_by])).toEqual([
      [1, 'dispatcher-1'],
      [2, 'dispatcher-2'],
    ]);
    const first = await call(withDb, 'GET', `/plans/${planId}/versions/1`);
    expect(first.body).toMatchObject({
      version: 1,
      input: expect.objectContaining({ name: 'Декабрь, лот 1' }),
    });
    expect((first.body['solution'] as { days: unknown[] }).days).toHaveLength(7);

    const published = await call(withDb, 'POST', `/plans/${planId}/versions/1/publish`);
    expect(published.status).toBe(200);
    expect(published.body['work_orders']).toBeGreaterThan(0);
    // Which truck serves Tuesday is the solver's choice: ask both.
    const orders = await Promise.all(
      ['truck-1', 'truck-2'].map((v) => call(withDb, 'GET', `/plans/vehicles/${v}/today?date=2026-12-01`)),
    );
    const found = orders.filter((o) => o.status === 200);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.body).toMatchObject({
      plan_id: planId,
      version: 1,
      status: 'published',
      date: '2026-12-01',
    });

    await call(withDb, 'POST', `/plans/${planId}/versions/2/publish`);
    const vehicle = found[0]!.body['vehicle_id'] as string;
    const newest = await call(withDb, 'GET', `/plans/vehicles/${vehicle}/today?date=2026-12-01`);
    expect(newest.body).toMatchObject({ version: 2, status: 'published' });
    const list = await call(withDb, 'GET', '/plans');
    expect(list.body['plans']).toEqual([
      expect.objectContaining({ latest_version: 2, published_version: 2 }),
    ]);
  });

  it('answers bad requests clearly and writes nothing', async () => {
    const bad = planInput();
    bad.period.to = '2026-11-01';
    const refused = await call(withDb, 'POST', '/plans', bad);
    expect(refused.status).toBe(400);
    expect(refused.body['message']).toMatch(/Период плана/);
    const schedule = planInput();
    (schedule.request.sites[0] as { schedule: unknown }).schedule = { kind: 'weekdays', days: [8] };
    const invalid = await call(withDb, 'POST', '/plans', schedule);
    expect(invalid.status).toBe(400);
    expect(invalid.body['message']).toContain('request.sites[0].schedule');
    expect((await call(withDb, 'GET', '/plans/999')).status).toBe(404);
    expect((await call(withDb, 'GET', `/plans/${planId}/versions/9`)).status).toBe(404);
    expect((await call(withDb, 'DELETE', '/plans')).status).toBe(405);
    // Published to drivers: kept.
    expect(await call(withDb, 'DELETE', `/plans/${planId}`)).toMatchObject({
      status: 409,
      body: { code: 'Conflict' },
    });
    const list = await call(withDb, 'GET', '/plans');
    expect(list.body['plans']).toHaveLength(1);
  });
});

describe('/plans as background jobs', () => {
  it('answers 202 at once and the job, polled, ends with the plan the synchronous call would give', async () => {
    const queued = await call(withDb, 'POST', '/plans?async=true', {
      ...planInput(),
      name: 'Фоновый расчёт',
    });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: 'running', days_total: 7 });
    const statusUrl = queued.body['status_url'] as string;
    let job: Record<string, unknown> = {};
    for (let attempt = 0; attempt < 300; attempt++) {
      job = (await call(withDb, 'GET', statusUrl)).body;
      if (job['status'] !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(job).toMatchObject({
      status: 'done',
      kind: 'create',
      days_done: 7,
      days_total: 7,
      created_by: 'dispatcher-1',
    });
    const result = job['result'] as { id: number; version: number; summary: { feasible: boolean } };
    expect(result).toMatchObject({ version: 1, summary: { feasible: true } });
    expect(job['plan_id']).toBe(result.id);
    const plan = await call(withDb, 'GET', `/plans/${result.id}`);
    expect(plan.body).toMatchObject({ name: 'Фоновый расчёт', latest_version: 1 });
    expect(await call(withDb, 'DELETE', `/plans/${result.id}`)).toMatchObject({ status: 200 });
    expect((await call(withDb, 'GET', `/plans/${result.id}`)).status).toBe(404);
  });

  it('refuses bad input before queueing, and reports a job whose process died as interrupted', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const count = async (): Promise<number> =>
      (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM plan_jobs`)).rows[0]!.n;
    const before = await count();
    const bad = planInput();
    bad.period.to = '2026-11-01';
    const refused = await call(withDb, 'POST', '/plans?async=true', bad);
    expect(refused.status).toBe(400);
    expect(await count()).toBe(before);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO plan_jobs (kind, days_total, created_by, heartbeat_at)
       VALUES ('create', 7, 'dispatcher-1', now() - interval '10 minutes') RETURNING id`,
    );
    await client.end();
    const dead = await call(withDb, 'GET', `/plans/jobs/${rows[0]!.id}`);
    expect(dead.body).toMatchObject({ status: 'failed', error: { code: 'Interrupted' } });
    expect((dead.body['error'] as { message: string }).message).toContain('прерван');
    expect((await call(withDb, 'GET', '/plans/jobs/999999')).status).toBe(404);
    expect((await call(withDb, 'GET', `/plans/jobs/${rows[0]!.id}`, undefined, 'carrier-1')).status).toBe(
      403,
    );
  });
});

describe('/plans access', () => {
  it('refuses callers without a token or with a role that does not plan, and writes nothing', async () => {
    const anonymous = await call(withDb, 'GET', '/plans', undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({
      code: 'Unauthorized',
      message: expect.stringContaining('Требуется вход'),
    });
    const forged = await fetch(url(withDb, '/plans'), { headers: { Authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    for (const role of ['billing', 'consumer', 'carrier-1', 'driver-2']) {
      expect((await call(withDb, 'GET', '/plans', undefined, role)).status).toBe(403);
      expect((await call(withDb, 'POST', '/plans', planInput(), role)).status).toBe(403);
      expect((await call(withDb, 'POST', '/plans/1/versions/1/publish', undefined, role)).status).toBe(403);
      expect((await call(withDb, 'GET', '/plans/1/versions/1', undefined, role)).status).toBe(403);
    }
    expect((await call(withDb, 'POST', '/plans', planInput(), null)).status).toBe(401);
    const list = await call(withDb, 'GET', '/plans');
    expect(list.body['plans']).toHaveLength(1);
  });

  it("shows a carrier only its own company's work orders, whatever it asks for", async () => {
    const plans = (await call(withDb, 'GET', '/plans')).body['plans'] as { id: number }[];
    const planId = plans[0]!.id;
    const everyone = await call(withDb, 'GET', `/plans/${planId}/work-orders?period=weekly`);
    const carriers = new Set((everyone.body['work_orders'] as Group[]).map((g) => g.carrier_id));
    const own = await call(
      withDb,
      'GET',
      `/plans/${planId}/work-orders?carrier_id=carrier-2`,
      undefined,
      'carrier-1',
    );
    expect(own.status).toBe(200);
    const groups = own.body['work_orders'] as Group[];
    expect(groups.every((g) => g.carrier_id === 'carrier-1')).toBe(true);
    expect(groups.length > 0).toBe(carriers.has('carrier-1'));
    const driver = await call(withDb, 'GET', `/plans/${planId}/work-orders`, undefined, 'driver-2');
    expect(driver.status).toBe(403);
  });

  it("gives a driver its company's vehicles' orders of the day and nothing of another company", async () => {
    // truck-1 belongs to carrier-1, truck-2 to carrier-2; the driver works for carrier-2.
    let published = 0;
    for (const vehicle of ['truck-1', 'truck-2']) {
      const path = `/plans/vehicles/${vehicle}/today?date=2026-12-01`;
      const asDispatcher = await call(withDb, 'GET', path);
      const asDriver = await call(withDb, 'GET', path, undefined, 'driver-2');
      if (asDispatcher.status !== 200) continue;
      published += 1;
      if (asDispatcher.body['carrier_id'] === 'carrier-2') expect(asDriver.body).toEqual(asDispatcher.body);
      else expect(asDriver).toMatchObject({ status: 404, body: { code: 'NotFound' } });
    }
    expect(published).toBeGreaterThan(0);
    const consumer = await call(withDb, 'GET', '/plans/vehicles/truck-2/today', undefined, 'consumer');
    expect(consumer.status).toBe(403);
  });
});
