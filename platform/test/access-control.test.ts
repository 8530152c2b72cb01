import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowScopeOf } from '../src/auth/actor.js';
import { findDispute } from '../src/db/disputes.js';
import { findEntity, listEntities } from '../src/db/entity-store.js';
import { createPlatformPool } from '../src/db/pool.js';
import { findSettlement } from '../src/db/settlements.js';
import { VEHICLES } from '../src/db/tables.js';
import { carrierBody, siteBody, vehicleBody } from './helpers/fixtures.js';
import { startTestPlatform, type TestPlatform } from './helpers/test-platform.js';

let t: TestPlatform;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function post(token: string, path: string, body: Record<string, unknown>): Promise<string> {
  const response = await t.request<{ id: string }>('POST', `/api/v1${path}`, { token, body });
  if (response.status !== 201) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

beforeAll(async () => {
  t = await startTestPlatform();
  const admin = await t.adminToken();
  tokens['admin'] = admin;
  ids['municipality'] = await post(admin, '/municipalities', { name: 'Город' });
  ids['site'] = await post(admin, '/sites', siteBody());
  for (const side of ['A', 'B']) {
    const carrierId = await post(admin, '/carriers', carrierBody());
    ids[`carrier${side}`] = carrierId;
    ids[`vehicle${side}`] = await post(admin, '/vehicles', vehicleBody({ carrierId }));
    ids[`driver${side}`] = await post(admin, '/drivers', {
      carrierId,
      fullName: `Водитель ${side}`,
      licenseNumber: `99 00 00000${side === 'A' ? 1 : 2}`,
    });
    ids[`contract${side}`] = await post(admin, '/contracts', {
      carrierId,
      number: `Д-${side}`,
      municipalityId: ids['municipality'],
      lotName: `Лот ${side}`,
      tariffUnit: 'tonne',
      tariffRub: '1830.55',
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
    });
    tokens[`carrier${side}`] = (await t.userToken('carrier', { carrierId })).token;
    tokens[`driver${side}`] = (await t.userToken('driver', { carrierId })).token;
  }
  for (const n of ['1', '2']) {
    const consumer = await t.userToken('consumer');
    tokens[`consumer${n}`] = consumer.token;
    ids[`consumerUser${n}`] = consumer.userId;
    ids[`account${n}`] = await post(admin, '/accounts', {
      number: `50000000${n}`,
      holderName: `Абонент ${n}`,
      kind: 'individual',
      address: `ул. Ленина, д. ${n}`,
      ownerUserId: consumer.userId,
    });
  }
  tokens['dispatcher'] = (await t.userToken('dispatcher')).token;
  tokens['billing'] = (await t.userToken('billing')).token;

  // Settlements: one fact, planned visit, dispute, payment and March settlement per carrier.
  const pool = new pg.Pool({ connectionString: t.databaseUrl, max: 1 });
  try {
    for (const side of ['A', 'B']) {
      await pool.query(
        `INSERT INTO collection_facts (id, vehicle_id, site_id, arrival_time, departure_time, lon, lat, lift_count,
                                       container_count, confidence, needs_review, evidence)
         VALUES ($1, $2, $3, '2025-03-03T05:00Z', '2025-03-03T05:05Z', 37.6, 55.8, 2, 2, 0.5, true, '[]')`,
        [`fact-${side}`, ids[`vehicle${side}`], ids['site']],
      );
    }
  } finally {
    await pool.end();
  }
  for (const side of ['A', 'B']) {
    const carrierId = ids[`carrier${side}`];
    ids[`visit${side}`] = await post(admin, '/planned-visits', {
      siteId: ids['site'],
      carrierId,
      visitDate: '2025-03-04',
    });
    ids[`payment${side}`] = await post(admin, '/carrier-payments', {
      carrierId,
      paidOn: '2025-03-10',
      amountRub: '100.00',
      documentNumber: `${side}-1`,
    });
    ids[`dispute${side}`] = await post(tokens[`carrier${side}`]!, '/disputes', {
      factId: `fact-${side}`,
      comment: 'Вывоз выполнен',
    });
  }
  const computed = await t.request<{ items: { id: string; contractNumber: string }[] }>(
    'POST',
    '/api/v1/settlements/compute',
    { token: admin, body: { period: '2025-03' } },
  );
  for (const item of computed.body.items) ids[`settlement${item.contractNumber.slice(2)}`] = item.id;
});
afterAll(async () => {
  await t?.close();
});

// [who, method, path (with {placeholders} from ids), expected status]
const MATRIX: [string, string, string, number][] = [
  // Carrier A never sees carrier B's rows: 404, as if they did not exist.
  ['carrierA', 'GET', '/vehicles/{vehicleB}', 404],
  ['carrierA', 'PATCH', '/vehicles/{vehicleB}', 404],
  ['carrierA', 'DELETE', '/vehicles/{vehicleB}', 404],
  ['carrierA', 'GET', '/drivers/{driverB}', 404],
  ['carrierA', 'PATCH', '/drivers/{driverB}', 404],
  ['carrierA', 'GET', '/contracts/{contractB}', 404],
  ['carrierA', 'GET', '/carriers/{carrierB}', 404],
  ['carrierA', 'GET', '/vehicles/{vehicleA}', 200],
  ['carrierA', 'GET', '/contracts/{contractA}', 200],
  ['carrierA', 'GET', '/carriers/{carrierA}', 200],
  // What the carrier role may not do at all.
  ['carrierA', 'PATCH', '/carriers/{carrierA}', 403],
  ['carrierA', 'POST', '/contracts', 403],
  ['carrierA', 'PATCH', '/contracts/{contractA}', 403],
  ['carrierA', 'GET', '/accounts', 403],
  ['carrierA', 'GET', '/users', 403],
  ['carrierA', 'GET', '/audit', 403],
  ['carrierA', 'POST', '/sites', 403],
  ['carrierA', 'GET', '/sites/{site}/history', 403],
  // Drivers read their carrier's vehicles and the registry, and change nothing.
  ['driverA', 'GET', '/vehicles/{vehicleA}', 200],
  ['driverA', 'GET', '/vehicles/{vehicleB}', 404],
  ['driverA', 'GET', '/carriers/{carrierB}', 404],
  ['driverA', 'GET', '/sites/{site}', 200],
  ['driverA', 'POST', '/sites', 403],
  ['driverA', 'PATCH', '/sites/{site}', 403],
  ['driverA', 'DELETE', '/sites/{site}', 403],
  ['driverA', 'POST', '/sites/import', 403],
  ['driverA', 'PATCH', '/vehicles/{vehicleA}', 403],
  ['driverA', 'POST', '/vehicles', 403],
  ['driverA', 'GET', '/drivers/{driverA}', 403],
  ['driverA', 'GET', '/contracts/{contractA}', 403],
  ['driverA', 'GET', '/accounts/{account1}', 403],
  // Consumers see their own account only, and the public registry.
  ['consumer1', 'GET', '/accounts/{account1}', 200],
  ['consumer1', 'GET', '/accounts/{account2}', 404],
  ['consumer1', 'PATCH', '/accounts/{account1}', 403],
  ['consumer1', 'POST', '/accounts', 403],
  ['consumer1', 'GET', '/vehicles', 403],
  ['consumer1', 'GET', '/carriers', 403],
  ['consumer1', 'GET', '/contracts', 403],
  ['consumer1', 'GET', '/drivers', 403],
  ['consumer1', 'GET', '/users/{consumerUser2}', 403],
  ['consumer1', 'GET', '/sites/{site}', 200],
  ['consumer1', 'PATCH', '/sites/{site}', 403],
  ['consumer1', 'GET', '/sites/{site}/history', 403],
  // Staff roles: each to its own trade.
  ['dispatcher', 'PATCH', '/sites/{site}', 200],
  ['dispatcher', 'GET', '/vehicles/{vehicleB}', 200],
  ['dispatcher', 'PATCH', '/contracts/{contractA}', 403],
  ['dispatcher', 'GET', '/accounts/{account1}', 403],
  ['dispatcher', 'GET', '/users', 403],
  ['dispatcher', 'PATCH', '/carriers/{carrierA}', 403],
  ['billing', 'PATCH', '/contracts/{contractA}', 200],
  ['billing', 'GET', '/accounts/{account2}', 200],
  ['billing', 'PATCH', '/sites/{site}', 403],
  ['billing', 'PATCH', '/vehicles/{vehicleA}', 403],
  ['billing', 'GET', '/audit', 403],
  ['admin', 'GET', '/audit', 200],
  // Carrier settlements: a carrier sees its own settlements, facts, disputes, visits and payments.
  ['carrierA', 'GET', '/settlements/{settlementA}', 200],
  ['carrierA', 'GET', '/settlements/{settlementB}', 404],
  ['carrierA', 'POST', '/settlements/compute', 403],
  ['carrierA', 'POST', '/settlements/{settlementA}/approve', 403],
  ['carrierA', 'GET', '/disputes/{disputeA}', 200],
  ['carrierA', 'GET', '/disputes/{disputeB}', 404],
  ['carrierA', 'POST', '/disputes/{disputeA}/resolve', 403],
  ['carrierA', 'POST', '/collection-facts/fact-A/review', 403],
  ['carrierA', 'GET', '/planned-visits/{visitB}', 404],
  ['carrierA', 'POST', '/planned-visits', 403],
  ['carrierA', 'GET', '/carrier-payments/{paymentA}', 200],
  ['carrierA', 'GET', '/carrier-payments/{paymentB}', 404],
  ['carrierA', 'POST', '/carrier-payments', 403],
  ['carrierA', 'GET', '/accounting/entries?from=2025-03-01&to=2025-03-31', 403],
  [
    'carrierA',
    'GET',
    '/reports/carrier-reconciliation?carrierId={carrierB}&from=2025-03-01&to=2025-03-31',
    404,
  ],
  ...(['driverA', 'consumer1'] as const).flatMap((who): [string, string, string, number][] => [
    [who, 'GET', '/settlements', 403],
    [who, 'GET', '/settlements/{settlementA}', 403],
    [who, 'GET', '/disputes/{disputeA}', 403],
    [who, 'POST', '/disputes', 403],
    [who, 'GET', '/collection-facts?from=2025-03-01&to=2025-03-31', 403],
    [who, 'GET', '/planned-visits/{visitA}', 403],
    [who, 'GET', '/carrier-payments/{paymentA}', 403],
    [who, 'GET', '/reports/carrier-reconciliation?carrierId={carrierA}&from=2025-03-01&to=2025-03-31', 403],
    [who, 'GET', '/accounting/entries?from=2025-03-01&to=2025-03-31', 403],
  ]),
  ['dispatcher', 'GET', '/settlements/{settlementA}', 403],
  ['dispatcher', 'POST', '/settlements/compute', 403],
  ['dispatcher', 'GET', '/disputes/{disputeB}', 200],
  ['dispatcher', 'GET', '/planned-visits/{visitB}', 200],
  ['dispatcher', 'GET', '/carrier-payments/{paymentA}', 403],
  ['dispatcher', 'GET', '/accounting/entries?from=2025-03-01&to=2025-03-31', 403],
  [
    'dispatcher',
    'GET',
    '/reports/carrier-reconciliation?carrierId={carrierA}&from=2025-03-01&to=2025-03-31',
    403,
  ],
  ['billing', 'GET', '/settlements/{settlementB}', 200],
  ['billing', 'POST', '/disputes/{disputeA}/resolve', 403],
  ['billing', 'POST', '/disputes', 403],
  ['billing', 'POST', '/collection-facts/fact-A/review', 403],
  ['billing', 'POST', '/planned-visits', 403],
  ['admin', 'GET', '/settlements/{settlementB}', 200],
];

describe('role × resource matrix', () => {
  it.each(MATRIX)('%s %s %s → %i', async (who, method, template, expected) => {
    const path = template.replace(/\{(\w+)\}/g, (_, key: string) => ids[key]!);
    const body = method === 'PATCH' ? {} : method === 'POST' ? { x: 1 } : undefined;
    const response = await t.request(method, `/api/v1${path}`, { token: tokens[who], body });
    expect(response.status, JSON.stringify(response.body)).toBe(expected);
    if (expected === 403)
      expect(response.body).toMatchObject({ code: 'FORBIDDEN', message: 'Недостаточно прав' });
  });
});

describe('carrier scoping', () => {
  it('lists only the carrier’s own rows, whatever filter is asked for', async () => {
    for (const path of [
      '/vehicles',
      `/vehicles?carrierId=${ids['carrierB']}`,
      '/drivers',
      '/contracts',
      '/carriers',
      '/settlements',
      `/settlements?carrierId=${ids['carrierB']}`,
      '/disputes',
      '/collection-facts?from=2025-03-01&to=2025-03-31',
      '/planned-visits',
      '/carrier-payments',
    ]) {
      const response = await t.request<{ items: { carrierId?: string; id: string }[] }>(
        'GET',
        `/api/v1${path}`,
        {
          token: tokens['carrierA'],
        },
      );
      expect(response.status).toBe(200);
      for (const item of response.body.items) expect(item.carrierId ?? item.id).toBe(ids['carrierA']);
    }
    const consumer = await t.request<{ items: { id: string }[] }>('GET', '/api/v1/accounts', {
      token: tokens['consumer1'],
    });
    expect(consumer.body.items.map((a) => a.id)).toEqual([ids['account1']]);
  });

  it('a carrier creates vehicles for itself only and cannot hand one to another carrier', async () => {
    const own = await t.request<{ carrierId: string; id: string }>('POST', '/api/v1/vehicles', {
      token: tokens['carrierA'],
      body: vehicleBody(),
    });
    expect(own.status).toBe(201);
    expect(own.body.carrierId).toBe(ids['carrierA']);
    const foreign = await t.request('POST', '/api/v1/vehicles', {
      token: tokens['carrierA'],
      body: vehicleBody({ carrierId: ids['carrierB'] }),
    });
    expect(foreign.status).toBe(403);
    const handOver = await t.request('PATCH', `/api/v1/vehicles/${own.body.id}`, {
      token: tokens['carrierA'],
      body: { carrierId: ids['carrierB'] },
    });
    expect(handOver.status).toBe(403);
    const stillOwn = await t.request<{ carrierId: string }>('GET', `/api/v1/vehicles/${own.body.id}`, {
      token: tokens['admin'],
    });
    expect(stillOwn.body.carrierId).toBe(ids['carrierA']);
  });

  it('is enforced by the SQL itself, not only by the handlers', async () => {
    const db = createPlatformPool(t.databaseUrl, 1);
    try {
      const carrierA = rowScopeOf({ userId: 'x', role: 'carrier', carrierId: ids['carrierA'] });
      expect(await findEntity(db, VEHICLES, carrierA, ids['vehicleB']!)).toBeUndefined();
      const page = await listEntities(db, VEHICLES, carrierA, {
        equals: { carrierId: ids['carrierB'] },
        limit: 100,
        offset: 0,
      });
      expect(page.items).toEqual([]);
      expect(await findSettlement(db, carrierA, ids['settlementB']!)).toBeUndefined();
      expect(await findDispute(db, carrierA, ids['disputeB']!)).toBeUndefined();
      expect(await findSettlement(db, carrierA, ids['settlementA']!)).toBeDefined();
      const consumer = rowScopeOf({ userId: ids['consumerUser1']!, role: 'consumer' });
      expect(await findEntity(db, VEHICLES, consumer, ids['vehicleA']!)).toBeUndefined();
      const carrierWithoutCompany = rowScopeOf({ userId: 'x', role: 'carrier' });
      expect((await listEntities(db, VEHICLES, carrierWithoutCompany, { limit: 100, offset: 0 })).total).toBe(
        0,
      );
    } finally {
      await db.end();
    }
  });
});
