import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformPool } from '../src/db/pool.js';
import { distanceM } from '../src/registry/geofence.js';
import { listSitesForGeofencing } from '../src/registry/site-repository.js';
import { facilityBody, siteBody } from './helpers/fixtures.js';
import { startTestPlatform, type TestPlatform } from './helpers/test-platform.js';

type Site = Record<string, unknown> & {
  id: string;
  lon: number;
  lat: number;
  geofence: { kind: string; radiusM?: number; polygon: { coordinates: number[][][] } };
  distanceM?: number;
};

let t: TestPlatform;
let admin: string;
beforeAll(async () => {
  t = await startTestPlatform();
  admin = await t.adminToken();
});
afterAll(async () => {
  await t?.close();
});

async function count(table: string): Promise<number> {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  } finally {
    await client.end();
  }
}

async function createSite(overrides: Record<string, unknown> = {}): Promise<Site> {
  const response = await t.request<Site>('POST', '/api/v1/sites', {
    token: admin,
    body: siteBody(overrides),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('container sites', () => {
  it('creates a site with a generated circle geofence and an exact total volume', async () => {
    const site = await createSite({ geofence: { kind: 'circle', radiusM: 25 } });
    expect(site).toMatchObject({
      status: 'active',
      totalVolumeM3: '11.3',
      registryNumber: expect.any(String),
    });
    expect(site.geofence.kind).toBe('circle');
    for (const [x, y] of site.geofence.polygon.coordinates[0]!)
      expect(distanceM(site.lon, site.lat, x!, y!)).toBeCloseTo(25, 0);
    const read = await t.request<Site>('GET', `/api/v1/sites/${site.id}`, { token: admin });
    expect(read.body).toEqual(site);
  });

  it('patches: moving the point moves its circle; the history keeps before and after', async () => {
    const site = await createSite();
    const moved = await t.request<Site>('PATCH', `/api/v1/sites/${site.id}`, {
      token: admin,
      body: { lon: 37.62, lat: 55.83, status: 'suspended' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      lon: 37.62,
      lat: 55.83,
      status: 'suspended',
      address: site['address'],
    });
    const [x, y] = moved.body.geofence.polygon.coordinates[0]![0]!;
    expect(distanceM(37.62, 55.83, x!, y!)).toBeCloseTo(30, 0);
    const history = await t.request<{
      items: { action: string; before: Site | null; after: Site | null; actorRole: string }[];
    }>('GET', `/api/v1/sites/${site.id}/history`, { token: admin });
    expect(history.body.items.map((e) => e.action)).toEqual(['update', 'create']);
    expect(history.body.items[0]).toMatchObject({
      actorRole: 'admin',
      before: { lon: 37.6117 },
      after: { lon: 37.62 },
    });
  });

  it('accepts a drawn polygon, refuses one far from the point', async () => {
    const ring = [
      [37.6, 55.8],
      [37.6003, 55.8],
      [37.6003, 55.8002],
      [37.6, 55.8],
    ];
    const drawn = await createSite({
      lon: 37.6001,
      lat: 55.8001,
      geofence: { kind: 'polygon', polygon: { type: 'Polygon', coordinates: [ring] } },
    });
    expect(drawn.geofence).toEqual({ kind: 'polygon', polygon: { type: 'Polygon', coordinates: [ring] } });
    const far = await t.request('POST', '/api/v1/sites', {
      token: admin,
      body: siteBody({
        lon: 38.5,
        lat: 55.8,
        geofence: { kind: 'polygon', polygon: { type: 'Polygon', coordinates: [ring] } },
      }),
    });
    expect(far.status).toBe(422);
  });

  it('refuses bad input and changes nothing', async () => {
    const site = await createSite();
    const sitesBefore = await count('sites');
    const auditBefore = await count('audit_log');
    const cases: Record<string, unknown>[] = [
      siteBody({ lon: 181 }),
      siteBody({ containers: [{ type: 'euro', count: 2, volumeM3: 1.1 }] }),
      siteBody({ schedule: { kind: 'monthly', days: [32] } }),
      siteBody({ owner: { kind: 'legal', name: 'X', inn: '123' } }),
      siteBody({
        geofence: {
          kind: 'polygon',
          polygon: {
            type: 'Polygon',
            coordinates: [
              [
                [37, 55],
                [37.1, 55],
                [37.1, 55.1],
                [37, 55.05],
              ],
            ],
          },
        },
      }),
      siteBody({ municipalityId: '11111111-1111-4111-8111-111111111111' }),
    ];
    for (const body of cases) {
      const response = await t.request('POST', '/api/v1/sites', { token: admin, body });
      expect([422], JSON.stringify(response.body)).toContain(response.status);
      expect(response.body).toHaveProperty('message');
    }
    const patch = await t.request('PATCH', `/api/v1/sites/${site.id}`, {
      token: admin,
      body: { surface: 'lava' },
    });
    expect(patch.status).toBe(422);
    const duplicate = await t.request('POST', '/api/v1/sites', {
      token: admin,
      body: siteBody({ registryNumber: site['registryNumber'] }),
    });
    expect(duplicate.status).toBe(409);
    expect(await count('sites')).toBe(sitesBefore);
    expect(await count('audit_log')).toBe(auditBefore);
    const unchanged = await t.request<Site>('GET', `/api/v1/sites/${site.id}`, { token: admin });
    expect(unchanged.body).toEqual(site);
  });

  it('deletes with an audit record; a missing site is 404', async () => {
    const site = await createSite();
    expect((await t.request('DELETE', `/api/v1/sites/${site.id}`, { token: admin })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/sites/${site.id}`, { token: admin })).status).toBe(404);
    expect((await t.request('DELETE', `/api/v1/sites/${site.id}`, { token: admin })).status).toBe(404);
    const audit = await t.request<{ items: { action: string; before: unknown; after: unknown }[] }>(
      'GET',
      `/api/v1/audit?entity=site&entityId=${site.id}`,
      { token: admin },
    );
    expect(audit.body.items[0]).toMatchObject({ action: 'delete', before: { id: site.id }, after: null });
  });
});

describe('facilities, municipalities and flows', () => {
  it('links a municipality to a facility; references are checked both ways', async () => {
    const municipality = await t.request<{ id: string }>('POST', '/api/v1/municipalities', {
      token: admin,
      body: { name: 'Останкинский район', oktmo: '45358000' },
    });
    expect(municipality.status).toBe(201);
    const facility = await t.request<{ id: string; gateFeePerTonne: string }>('POST', '/api/v1/facilities', {
      token: admin,
      body: facilityBody(),
    });
    expect(facility.status).toBe(201);
    expect(facility.body.gateFeePerTonne).toBe('512.40');
    const flow = await t.request('POST', '/api/v1/flows', {
      token: admin,
      body: {
        municipalityId: municipality.body.id,
        facilityId: facility.body.id,
        sharePercent: '100',
        validFrom: '2025-01-01',
      },
    });
    expect(flow.status).toBe(201);
    expect(flow.body).toMatchObject({ sharePercent: '100.00', validTo: null });
    const backwards = await t.request('POST', '/api/v1/flows', {
      token: admin,
      body: {
        municipalityId: municipality.body.id,
        facilityId: facility.body.id,
        sharePercent: '50',
        validFrom: '2025-02-01',
        validTo: '2025-01-01',
      },
    });
    expect(backwards.status).toBe(422);
    const dangling = await t.request('POST', '/api/v1/flows', {
      token: admin,
      body: {
        municipalityId: municipality.body.id,
        facilityId: '11111111-1111-4111-8111-111111111111',
        sharePercent: '50',
        validFrom: '2025-02-01',
      },
    });
    expect(dangling.status).toBe(422);
    expect(dangling.body).toMatchObject({
      code: 'REFERENCE_NOT_FOUND',
      message: 'Ссылка на несуществующий объект',
    });
    const inUse = await t.request('DELETE', `/api/v1/facilities/${facility.body.id}`, { token: admin });
    expect(inUse.status).toBe(409);
    expect(inUse.body).toMatchObject({ code: 'IN_USE' });
    const list = await t.request<{ items: unknown[]; total: number }>(
      'GET',
      `/api/v1/flows?municipalityId=${municipality.body.id}`,
      {
        token: admin,
      },
    );
    expect(list.body.total).toBe(1);
  });
});

describe('spatial queries', () => {
  // A grid of sites 0.01° apart in a separate corner of the map.
  const grid: Site[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) grid.push(await createSite({ lon: 60 + i * 0.01, lat: 56.8 + j * 0.01 }));
    }
  });

  it('lists the sites inside a bbox', async () => {
    const inside = await t.request<{ items: Site[]; total: number }>(
      'GET',
      '/api/v1/sites?bbox=60.005,56.805,60.025,56.825&limit=1000',
      {
        token: admin,
      },
    );
    expect(inside.status).toBe(200);
    const expected = grid.filter(
      (s) => s.lon >= 60.005 && s.lon <= 60.025 && s.lat >= 56.805 && s.lat <= 56.825,
    );
    expect(inside.body.items.map((s) => s.id).sort()).toEqual(expected.map((s) => s.id).sort());
    expect(inside.body.total).toBe(4);
    const invalid = await t.request('GET', '/api/v1/sites?bbox=61,56,60,57', { token: admin });
    expect(invalid.status).toBe(422);
  });

  it('finds the nearest sites by great-circle distance, equal to a brute-force answer', async () => {
    const point = { lon: 60.0137, lat: 56.8261 };
    const nearest = await t.request<{ items: Site[] }>(
      'GET',
      `/api/v1/sites/nearest?lon=${point.lon}&lat=${point.lat}&limit=6`,
      {
        token: admin,
      },
    );
    expect(nearest.status).toBe(200);
    const brute = [...grid]
      .map((s) => ({ id: s.id, d: distanceM(point.lon, point.lat, s.lon, s.lat) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 6);
    expect(nearest.body.items.map((s) => s.id)).toEqual(brute.map((b) => b.id));
    nearest.body.items.forEach((s, i) => expect(s.distanceM).toBeCloseTo(brute[i]!.d, 3));
    // Longitude degrees are shorter than latitude degrees at 56.8°N: the nearest is east-west.
    const within = await t.request<{ items: Site[] }>(
      'GET',
      `/api/v1/sites/nearest?lon=60&lat=56.8&limit=10&maxDistanceM=700`,
      {
        token: admin,
      },
    );
    expect(within.body.items.map((s) => [s.lon, s.lat])).toEqual([
      [60, 56.8],
      [60.01, 56.8],
    ]);
  });

  it('finds far-away sites too (the search box grows)', async () => {
    const nearest = await t.request<{ items: Site[] }>(
      'GET',
      '/api/v1/sites/nearest?lon=-120&lat=-40&limit=1',
      { token: admin },
    );
    expect(nearest.body.items).toHaveLength(1);
  });

  it('exposes sites for geofencing: circles by radius, drawn polygons with their bounding radius', async () => {
    const db = createPlatformPool(t.databaseUrl, 1);
    try {
      const sites = await listSitesForGeofencing(db);
      const circle = sites.find((s) => s.id === grid[0]!.id);
      expect(circle).toEqual({ id: grid[0]!.id, lon: 60, lat: 56.8, radiusM: 30, status: 'active' });
      const drawn = sites.find((s) => s.polygon);
      expect(drawn?.radiusM).toBeGreaterThan(10);
      expect(drawn?.radiusM).toBeLessThan(30);
    } finally {
      await db.end();
    }
  });
});
