import { upsertDevices, findDevice } from '@msw/gateway/db/devices';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleetDirectory } from '../src/facts-worker/fleet-directory.js';
import { carrierBody, facilityBody, vehicleBody } from './helpers/fixtures.js';
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

describe('idling norms and facility geofences', () => {
  it('stores a vehicle’s idling norm (3 L/h unless given) and refuses a negative one', async () => {
    await upsertDevices(pool, [{ id: 'truck-idle', secretHash: 'sha256$x' }]);
    const created = await t.request<{ id: string; consumptionIdleLPerHour: string }>(
      'POST',
      '/api/v1/vehicles',
      {
        token: admin,
        body: vehicleBody({ carrierId, trackerDeviceId: 'truck-idle', consumptionIdleLPerHour: '4.5' }),
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.consumptionIdleLPerHour).toBe('4.50');
    const plain = await t.request<{ consumptionIdleLPerHour: string }>('POST', '/api/v1/vehicles', {
      token: admin,
      body: vehicleBody({ carrierId }),
    });
    expect(plain.body.consumptionIdleLPerHour).toBe('3.00');
    for (const bad of ['-1', 4.5, '1000']) {
      const response = await t.request('PATCH', `/api/v1/vehicles/${created.body.id}`, {
        token: admin,
        body: { consumptionIdleLPerHour: bad },
      });
      expect(response.status, String(bad)).toBe(422);
    }
  });

  it('stores a facility’s radius (150 m unless given) or drawn polygon near its point, and refuses others', async () => {
    const plain = await t.request<Record<string, unknown>>('POST', '/api/v1/facilities', {
      token: admin,
      body: facilityBody(),
    });
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    expect(plain.body).toMatchObject({ geofenceRadiusM: 150, geofence: null });
    const far = [
      [38.2, 56.3],
      [38.21, 56.3],
      [38.21, 56.31],
      [38.2, 56.3],
    ];
    for (const bad of [
      { geofenceRadiusM: 10 },
      { geofenceRadiusM: 2001 },
      { geofenceRadiusM: 100.5 },
      {
        geofence: { type: 'Polygon', coordinates: [far] },
      },
      { geofence: { type: 'Polygon', coordinates: [far.slice(0, 3)] } },
    ]) {
      const response = await t.request('POST', '/api/v1/facilities', {
        token: admin,
        body: facilityBody(bad),
      });
      expect(response.status, JSON.stringify(bad)).toBe(422);
    }
  });

  it('are what the facts worker’s fleet directory reads', async () => {
    const gate = [
      [38.1, 56.3],
      [38.102, 56.3],
      [38.102, 56.301],
      [38.1, 56.3],
    ];
    const fenced = await t.request<{ id: string }>('POST', '/api/v1/facilities', {
      token: admin,
      body: facilityBody({ geofenceRadiusM: 300, geofence: { type: 'Polygon', coordinates: [gate] } }),
    });
    const wide = await t.request<{ id: string }>('POST', '/api/v1/facilities', {
      token: admin,
      body: facilityBody({ lon: 38.3, geofenceRadiusM: 400 }),
    });
    expect([fenced.status, wide.status]).toEqual([201, 201]);
    const directory = await loadFleetDirectory(t.platform.services.db);
    const byId = new Map(directory.facilities.map((facility) => [facility.id, facility]));
    expect(byId.get(wide.body.id)).toEqual({ id: wide.body.id, lon: 38.3, lat: 56.3, radiusM: 400 });
    const drawn = byId.get(fenced.body.id)!;
    expect(drawn.polygon).toEqual(gate);
    // The radius only bounds the polygon (the farthest corner, ~167 m), not the stored 300 m.
    expect(drawn.radiusM).toBeGreaterThan(160);
    expect(drawn.radiusM).toBeLessThan(175);
    const norms = new Map(directory.vehicles.map((vehicle) => [vehicle.deviceId, vehicle.norm]));
    expect(norms.get('truck-idle')).toEqual({
      emptyLPer100Km: 38.5,
      loadedLPer100Km: 45.25,
      idleLPerHour: 4.5,
    });
    expect(norms.get('truck-0002')?.idleLPerHour).toBe(3);
  });
});
