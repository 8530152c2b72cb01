import { upsertDevices, findDevice } from '@msw/gateway/db/devices';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierBody, vehicleBody } from './helpers/fixtures.js';
import { startTestPlatform, type TestPlatform } from './helpers/test-platform.js';

let t: TestPlatform;
let admin: string;
let pool: pg.Pool;
let carrierId: string;
let municipalityId: string;

beforeAll(async () => {
  t = await startTestPlatform();
  admin = await t.adminToken();
  pool = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });
  carrierId = (
    await t.request<{ id: string }>('POST', '/api/v1/carriers', { token: admin, body: carrierBody() })
  ).body.id;
  municipalityId = (
    await t.request<{ id: string }>('POST', '/api/v1/municipalities', {
      token: admin,
      body: { name: 'г.о. Мытищи' },
    })
  ).body.id;
});
afterAll(async () => {
  await pool?.end();
  await t?.close();
});

describe('carriers and contracts', () => {
  it('stores tariffs as exact decimals and refuses floats and backwards periods', async () => {
    const contract = {
      carrierId,
      number: 'Д-2025/17',
      municipalityId,
      lotName: 'Лот 3: Мытищи',
      tariffUnit: 'm3',
      tariffRub: '612.1',
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
    };
    const created = await t.request<{ id: string; tariffRub: string }>('POST', '/api/v1/contracts', {
      token: admin,
      body: contract,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.tariffRub).toBe('612.10');
    const big = await t.request('PATCH', `/api/v1/contracts/${created.body.id}`, {
      token: admin,
      body: { tariffRub: '999999999999.99' },
    });
    expect(big.body).toMatchObject({ tariffRub: '999999999999.99' });
    for (const bad of [
      { tariffRub: 612.1 },
      { tariffRub: '612.105' },
      { tariffRub: '-1' },
      { validTo: '2024-12-31' },
    ]) {
      const response = await t.request('PATCH', `/api/v1/contracts/${created.body.id}`, {
        token: admin,
        body: bad,
      });
      expect(response.status, JSON.stringify(bad)).toBe(422);
    }
    const duplicateInn = await t.request('POST', '/api/v1/carriers', {
      token: admin,
      body: carrierBody({
        inn: (await t.request<{ inn: string }>('GET', `/api/v1/carriers/${carrierId}`, { token: admin })).body
          .inn,
      }),
    });
    expect(duplicateInn.status).toBe(409);
  });

  it('needs the carrier of a contract from staff', async () => {
    const response = await t.request('POST', '/api/v1/contracts', {
      token: admin,
      body: {
        number: 'X-1',
        municipalityId,
        lotName: 'Лот',
        tariffUnit: 'trip',
        tariffRub: '1500',
        validFrom: '2025-01-01',
        validTo: '2025-06-30',
      },
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ details: [{ path: 'carrierId' }] });
  });
});

describe('vehicles', () => {
  it('creates a vehicle with exact measures and links its gateway tracker', async () => {
    await upsertDevices(pool, [{ id: 'truck-0001', secretHash: 'sha256$x' }]);
    const created = await t.request<Record<string, unknown> & { id: string }>('POST', '/api/v1/vehicles', {
      token: admin,
      body: vehicleBody({ carrierId, plate: 'а123вс77', trackerDeviceId: 'truck-0001' }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      plate: 'А123ВС77',
      bodyVolumeM3: '22.50',
      compactionRatio: '4.50',
      fuelTankL: '300.0',
      consumptionEmptyL100km: '38.50',
      consumptionLoadedL100km: '45.25',
      trackerDeviceId: 'truck-0001',
      status: 'active',
    });
    expect(await findDevice(pool, 'truck-0001')).toMatchObject({ carrierId, vehiclePlate: 'А123ВС77' });

    await upsertDevices(pool, [{ id: 'truck-0002', secretHash: 'sha256$x' }]);
    const moved = await t.request('PATCH', `/api/v1/vehicles/${created.body.id}`, {
      token: admin,
      body: { trackerDeviceId: 'truck-0002' },
    });
    expect(moved.status).toBe(200);
    expect(await findDevice(pool, 'truck-0001')).toMatchObject({ vehiclePlate: null });
    expect(await findDevice(pool, 'truck-0002')).toMatchObject({ carrierId, vehiclePlate: 'А123ВС77' });
  });

  it('refuses an unknown tracker, a taken tracker and a taken plate, changing nothing', async () => {
    const unknown = await t.request('POST', '/api/v1/vehicles', {
      token: admin,
      body: vehicleBody({ carrierId, trackerDeviceId: 'no-such-truck' }),
    });
    expect(unknown.status).toBe(422);
    const taken = await t.request('POST', '/api/v1/vehicles', {
      token: admin,
      body: vehicleBody({ carrierId, trackerDeviceId: 'truck-0002' }),
    });
    expect(taken.status).toBe(409);
    const plate = await t.request('POST', '/api/v1/vehicles', {
      token: admin,
      body: vehicleBody({ carrierId, plate: 'А123ВС77' }),
    });
    expect(plate.status).toBe(409);
    const list = await t.request<{ total: number }>('GET', `/api/v1/vehicles?carrierId=${carrierId}`, {
      token: admin,
    });
    expect(list.body.total).toBe(1);
  });
});

describe('drivers', () => {
  it('links a driver to a driver login of the same carrier only', async () => {
    const otherCarrier = (
      await t.request<{ id: string }>('POST', '/api/v1/carriers', { token: admin, body: carrierBody() })
    ).body.id;
    const own = await t.userToken('driver', { carrierId });
    const foreign = await t.userToken('driver', { carrierId: otherCarrier });
    const ok = await t.request('POST', '/api/v1/drivers', {
      token: admin,
      body: {
        carrierId,
        fullName: 'Петров Пётр Петрович',
        licenseNumber: '77 00 123456',
        userId: own.userId,
      },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const wrong = await t.request('POST', '/api/v1/drivers', {
      token: admin,
      body: { carrierId, fullName: 'Сидоров С. С.', licenseNumber: '77 00 654321', userId: foreign.userId },
    });
    expect(wrong.status).toBe(422);
  });
});
