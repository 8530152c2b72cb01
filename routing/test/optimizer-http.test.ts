import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signAccessToken } from '@msw/gateway/auth/access-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOptimizerRoutes } from '../src/optimizer/api/optimizer-http.js';
import { queuedSolver, solvePlanOffLoop } from '../src/optimizer/api/plan-solver.js';
import { createRoutingServer } from '../src/server/routing-server.js';
import { buildDemoTownEngine, type DemoTownEngine } from './helpers/demo-town-engine.js';

const SECRET = 'optimizer-test-secret-0123456789abcdef01234567';
let town: DemoTownEngine;
let server: Server;
let base = '';

beforeAll(async () => {
  town = await buildDemoTownEngine();
  const optimizer = {
    engine: town.engine,
    solve: queuedSolver(solvePlanOffLoop),
    maxTimeLimitS: 5,
    threads: 1,
    jwtSecret: SECRET,
  };
  server = createRoutingServer(town.engine, { routes: [createOptimizerRoutes(optimizer)] });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await town?.remove();
});

async function post(
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function collectionDay() {
  return {
    vehicles: [
      {
        id: 'truck-1',
        carrier_id: 'carrier-1',
        start: town.depot,
        shift: { from: '2026-12-01T05:00:00Z', to: '2026-12-01T15:00:00Z' },
        body: { volume_m3: 8, compaction_ratio: 4 },
        skills: ['rear-loader'],
        fuel: {
          tank_l: 120,
          level_l: 15,
          reserve_l: 10,
          consumption_l_per_100km: { empty: 30, loaded: 45 },
          idle_l_per_hour: 3,
        },
        costs: { fixed: 1000, per_km: 30, per_hour: 600, fuel_per_l: 65 },
      },
      {
        id: 'crane-1',
        carrier_id: 'carrier-2',
        start: town.depot,
        shift: { from: '2026-12-01T06:00:00Z', to: '2026-12-01T12:00:00Z' },
        body: { volume_m3: 20, compaction_ratio: 1 },
        skills: ['crane', 'roll-off'],
      },
    ],
    sites: [
      ...town.streetPoints.slice(0, 10).map((location, i) => ({
        id: `site-${i}`,
        location,
        containers: [{ count: 4, volume_m3: 1.1, fill: 0.8 }],
        skills: ['rear-loader'],
        waste_type: 'msw',
      })),
      {
        id: 'bunker-1',
        location: town.streetPoints[12]!,
        containers: [{ count: 1, volume_m3: 8, fill: 0.5 }],
        skills: ['crane'],
        waste_type: 'msw',
        windows: [{ from: '2026-12-01T07:00:00Z', to: '2026-12-01T09:00:00Z' }],
      },
      {
        id: 'nobody-can',
        location: town.streetPoints[13]!,
        containers: [{ count: 1, volume_m3: 1.1 }],
        skills: ['side-loader'],
      },
    ],
    facilities: [{ id: 'landfill', kind: 'landfill', location: town.landfill, accepts: ['msw'] }],
    fuel_stations: [{ id: 'fuel', source: 'osm', location: town.fuel }],
    options: { time_limit_s: 1, seed: 3 },
  };
}

interface Stop {
  type: string;
  site_id?: string;
  facility_id?: string;
  load_m3: number;
  fuel_l: number | null;
}

describe('POST /optimize', () => {
  it('plans a collection day on the demo town: trips, refuelling, skills, geometry, an independent check', async () => {
    const { status, body } = await post('/optimize', collectionDay());
    expect(status).toBe(200);
    expect(body['code']).toBe('Ok');
    expect(body['check']).toEqual({ feasible: true, violations: [] });
    const routes = body['routes'] as {
      vehicle_id: string;
      stops: Stop[];
      trips: number;
      geometry: { type: string; coordinates: number[][] };
    }[];
    const truck = routes.find((r) => r.vehicle_id === 'truck-1')!;
    const crane = routes.find((r) => r.vehicle_id === 'crane-1')!;
    // 10 sites × 0.88 compacted m³ in an 8 m³ body: at least two trips, and it ends empty.
    expect(truck.trips).toBeGreaterThanOrEqual(2);
    expect(truck.stops.filter((s) => s.type === 'site')).toHaveLength(10);
    expect(truck.stops.at(-1)).toMatchObject({ type: 'end', load_m3: 0 });
    // 15 L with a 10 L reserve does not last the day: it refuels.
    expect(truck.stops.some((s) => s.type === 'refuel' && s.facility_id === 'fuel')).toBe(true);
    expect(crane.stops.filter((s) => s.type === 'site').map((s) => s.site_id)).toEqual(['bunker-1']);
    expect(truck.geometry.type).toBe('LineString');
    expect(truck.geometry.coordinates.length).toBeGreaterThan(10);
    expect(body['unassigned']).toEqual([
      {
        site_id: 'nobody-can',
        reason: 'skills',
        message: expect.stringContaining('Нет машины'),
        message_en: expect.stringContaining('skills'),
      },
    ]);
  });

  it('answers invalid input with 400, Russian first', async () => {
    const broken = await post('/optimize', '{"vehicles": [');
    expect(broken.status).toBe(400);
    expect(broken.body['code']).toBe('InvalidJson');
    expect(broken.body['message']).toMatch(/^Тело запроса — не корректный JSON/);

    const day = collectionDay();
    (day.sites[0] as { containers: unknown }).containers = [{ count: 0, volume_m3: 1.1 }];
    const invalid = await post('/optimize', day);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      code: 'InvalidInput',
      message: expect.stringContaining('поле sites[0].containers[0].count'),
      message_en: expect.stringContaining('sites[0].containers[0].count'),
    });

    const far = collectionDay();
    far.sites[0]!.location = [10, 10];
    const noRoad = await post('/optimize', far);
    expect(noRoad.status).toBe(400);
    expect(noRoad.body['code']).toBe('NoSegment');

    const limit = await fetch(`${base}/optimize?time_limit_s=abc`, { method: 'POST', body: '{}' });
    expect(limit.status).toBe(400);
    const wrongMethod = await fetch(`${base}/optimize`);
    expect(wrongMethod.status).toBe(405);
    const preflight = await fetch(`${base}/optimize`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('reads live state only for dispatchers', async () => {
    const day = { ...collectionDay(), options: { ...collectionDay().options, live_state: true } };
    const anonymous = await post('/optimize', day);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body['code']).toBe('Unauthorized');
    const consumer = await post(
      '/optimize',
      day,
      await signAccessToken({ sub: 'c', role: 'consumer' }, SECRET),
    );
    expect(consumer.status).toBe(403);
    const carrier = await post(
      '/optimize',
      day,
      await signAccessToken({ sub: 'k', role: 'carrier', carrierId: 'x' }, SECRET),
    );
    expect(carrier.status).toBe(403);
    // A dispatcher gets past the door; this server has no telemetry database.
    const dispatcher = await post(
      '/optimize',
      day,
      await signAccessToken({ sub: 'd', role: 'dispatcher' }, SECRET),
    );
    expect(dispatcher.status).toBe(503);
    expect(dispatcher.body['code']).toBe('DatabaseUnavailable');
  });

  it('stays responsive while the solver runs', async () => {
    const day = collectionDay();
    day.options.time_limit_s = 2;
    const order: string[] = [];
    const solving = post('/optimize', day).then((r) => {
      order.push('optimize');
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = await fetch(`${base}/health`);
    order.push('health');
    const route = await fetch(`${base}/route/v1/driving/${town.depot.join(',')};${town.landfill.join(',')}`);
    order.push('route');
    expect(health.status).toBe(200);
    expect(route.status).toBe(200);
    expect((await solving).status).toBe(200);
    expect(order).toEqual(['health', 'route', 'optimize']);
  });
});

describe('POST /vroom', () => {
  it('solves VROOM input with custom matrices and answers in VROOM output', async () => {
    const { status, body } = await post('/vroom?time_limit_s=0.5', {
      vehicles: [
        {
          id: 1,
          start_index: 0,
          end_index: 0,
          capacity: [2],
          breaks: [{ id: 5, service: 60, time_windows: [[15, 100]] }],
        },
      ],
      jobs: [
        { id: 10, location_index: 1, pickup: [1], service: 5 },
        { id: 11, location_index: 2, pickup: [1], service: 5, time_windows: [[0, 1000]] },
        { id: 12, location_index: 2, pickup: [3] },
      ],
      matrices: {
        car: {
          durations: [
            [0, 10, 20],
            [10, 0, 10],
            [20, 10, 0],
          ],
          distances: [
            [0, 100, 200],
            [100, 0, 100],
            [200, 100, 0],
          ],
        },
      },
    });
    expect(status).toBe(200);
    expect(body['code']).toBe(0);
    const routes = body['routes'] as {
      vehicle: number;
      distance: number;
      steps: { type: string; id?: number; load: number[] }[];
    }[];
    expect(routes).toHaveLength(1);
    expect(routes[0]!.distance).toBe(400);
    expect(routes[0]!.steps.map((s) => s.type)).toEqual(['start', 'job', 'break', 'job', 'end']);
    expect(routes[0]!.steps.find((s) => s.type === 'break')!.id).toBe(5);
    expect(routes[0]!.steps.at(-1)!.load).toEqual([2]);
    expect(body['unassigned']).toEqual([
      expect.objectContaining({ id: 12, type: 'job', location_index: 2, reason: 'capacity' }),
    ]);
    expect(body['summary']).toMatchObject({
      routes: 1,
      unassigned: 1,
      pickup: [2],
      delivery: [0],
      distance: 400,
    });
  });

  it('asks the routing engine for locations, with unloading trips and geometry', async () => {
    const { status, body } = await post('/vroom?geometry=true&time_limit_s=2', {
      vehicles: [
        { id: 1, start: town.depot, end: town.depot, capacity: [2], time_window: [1796101200, 1796140800] },
      ],
      jobs: town.streetPoints
        .slice(0, 4)
        .map((location, i) => ({ id: i + 1, location, pickup: [1], service: 60 })),
      facilities: [{ id: 99, kind: 'disposal', location: town.landfill, service: 300 }],
    });
    expect(status).toBe(200);
    const route = (body['routes'] as { steps: { type: string; arrival: number }[]; geometry: string }[])[0]!;
    expect(route.steps.filter((s) => s.type === 'job')).toHaveLength(4);
    expect(route.steps.some((s) => s.type === 'unload')).toBe(true);
    expect(route.steps[0]!.arrival).toBe(1796101200);
    expect(typeof route.geometry).toBe('string');
  });

  it('refuses shipments with a clear 400', async () => {
    const { status, body } = await post('/vroom', {
      vehicles: [{ id: 1, start: town.depot }],
      shipments: [{ pickup: { id: 1, location: town.depot }, delivery: { id: 2, location: town.landfill } }],
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 'Unsupported',
      message: expect.stringContaining('shipments'),
      error: expect.any(String),
    });
  });
});
