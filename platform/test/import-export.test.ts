import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facilityBody, siteBody } from './helpers/fixtures.js';
import { startTestPlatform, type TestPlatform } from './helpers/test-platform.js';

const MEDIA = {
  geojson: 'application/geo+json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
type Format = keyof typeof MEDIA;

// One platform: the round trip exports, empties the registry, imports. (Each test file gets one
// database; with the embedded PostgreSQL a second one in the same file would share its server.)
let source: TestPlatform;
let target: TestPlatform;
let sourceAdmin: string;

beforeAll(async () => {
  source = await startTestPlatform();
  target = source;
  sourceAdmin = await source.adminToken();
  const ring = [
    [37.6, 55.8],
    [37.6003, 55.8],
    [37.6003, 55.8002],
    [37.6, 55.8],
  ];
  const bodies = [
    siteBody(),
    siteBody({
      registryNumber: null,
      fenced: false,
      status: 'planned',
      schedule: { kind: 'every-n-days', every: 3, anchor: '2025-03-01' },
      collectionWindow: null,
    }),
    siteBody({
      lon: 37.6001,
      lat: 55.8001,
      geofence: { kind: 'polygon', polygon: { type: 'Polygon', coordinates: [ring] } },
    }),
    siteBody({
      address: 'г. Москва, пр-т Мира; д. 1, "корпус" 2',
      owner: { kind: 'individual', name: 'Иванов И. И.' },
    }),
  ];
  for (const body of bodies) {
    const response = await source.request('POST', '/api/v1/sites', { token: sourceAdmin, body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
});
afterAll(async () => {
  await source?.close();
});

async function exportFrom(platform: TestPlatform, token: string, format: Format): Promise<Buffer> {
  const response = await platform.request('GET', `/api/v1/sites/export?format=${format}`, { token });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain(MEDIA[format]);
  expect(response.headers.get('content-disposition')).toContain(`sites.${format}`);
  return response.raw;
}

async function allSites(platform: TestPlatform, token: string): Promise<Record<string, unknown>[]> {
  const response = await platform.request<{ items: Record<string, unknown>[] }>(
    'GET',
    '/api/v1/sites?limit=1000',
    { token },
  );
  return response.body.items.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest);
}

describe.each(['geojson', 'csv', 'xlsx'] as const)('%s', (format) => {
  it('round-trips the registry into an empty registry exactly, and re-importing changes nothing', async () => {
    const token = await target.adminToken();
    const snapshot = await allSites(source, sourceAdmin);
    expect(snapshot).toHaveLength(4);
    const exported = await exportFrom(source, sourceAdmin, format);
    for (const site of snapshot) {
      expect((await target.request('DELETE', `/api/v1/sites/${site['id']}`, { token })).status).toBe(204);
    }
    expect(await allSites(target, token)).toEqual([]);
    const imported = await target.request('POST', '/api/v1/sites/import', {
      token,
      file: { data: exported, contentType: MEDIA[format] },
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toEqual({ created: 4, updated: 0 });
    expect(await allSites(target, token)).toEqual(snapshot);

    const again = await target.request('POST', '/api/v1/sites/import', {
      token,
      file: { data: exported, contentType: MEDIA[format] },
    });
    expect(again.body).toEqual({ created: 0, updated: 4 });
    expect(await allSites(target, token)).toEqual(snapshot);
  });
});

describe('import validation', () => {
  it('refuses the whole file when one row is bad, naming the row, and writes nothing', async () => {
    const token = await target.adminToken();
    const before = await allSites(target, token);
    const csv = (await exportFrom(source, sourceAdmin, 'csv')).toString('utf8');
    const lines = csv.trimEnd().split('\n');
    // Row 3 of the file: drop its id (would be created) and break its longitude.
    const broken = lines[2]!.replace(/^[^;]*;/, ';').replace(/;37\.6117;/, ';999;');
    const extra = lines[1]!.replace(/^[^;]*;/, ';').replace(/;77-\d+;/, ';77-NEW;');
    const file = [lines[0], extra, broken, ...lines.slice(3)].join('\n');
    const response = await target.request('POST', '/api/v1/sites/import', {
      token,
      file: { data: file, contentType: 'text/csv' },
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ in: 'row 3', path: 'lon' }],
    });
    expect(await allSites(target, token)).toEqual(before);
  });

  it('rolls back everything when the database refuses one site', async () => {
    const token = await target.adminToken();
    const before = await allSites(target, token);
    const collection = {
      type: 'FeatureCollection',
      features: [siteBody({ registryNumber: 'DUP-1' }), siteBody({ registryNumber: 'DUP-1' })].map(
        ({ lon, lat, ...properties }) => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties,
        }),
      ),
    };
    const response = await target.request('POST', '/api/v1/sites/import', {
      token,
      file: { data: JSON.stringify(collection), contentType: 'application/geo+json' },
    });
    expect(response.status).toBe(409);
    expect(await allSites(target, token)).toEqual(before);
  });

  it('reads an Excel file typed by a person, with Russian headers and numbers as numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Лист1');
    sheet.addRow([
      'Адрес (address)',
      'Долгота (lon)',
      'Широта (lat)',
      'Покрытие (surface)',
      'Собственник: вид (ownerKind)',
      'Собственник (ownerName)',
      'График вывоза (JSON) (schedule)',
    ]);
    sheet.addRow([
      'г. Тверь, ул. Советская, 1',
      35.9,
      56.86,
      'concrete',
      'municipal',
      'Администрация г. Твери',
      '{"kind":"daily"}',
    ]);
    const token = await target.adminToken();
    const response = await target.request('POST', '/api/v1/sites/import', {
      token,
      file: { data: Buffer.from(await workbook.xlsx.writeBuffer()), contentType: MEDIA.xlsx },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const found = await target.request<{ items: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/sites?bbox=35.8,56.8,36,56.9',
      { token },
    );
    expect(found.body.items[0]).toMatchObject({
      address: 'г. Тверь, ул. Советская, 1',
      lon: 35.9,
      schedule: { kind: 'daily' },
    });
  });

  it('refuses garbage files and unknown media types', async () => {
    const token = await target.adminToken();
    for (const [data, type] of [
      ['not json', 'application/geo+json'],
      ['{"type":"Feature"}', 'application/geo+json'],
      ['PK\u0003\u0004garbage', MEDIA.xlsx],
    ] as const) {
      const response = await target.request('POST', '/api/v1/sites/import', {
        token,
        file: { data, contentType: type },
      });
      expect(response.status, data).toBe(422);
    }
    const wrongType = await target.request('POST', '/api/v1/sites/import', {
      token,
      file: { data: 'x', contentType: 'image/png' },
    });
    expect(wrongType.status).toBe(415);
  });
});

describe('facilities', () => {
  const gate = [
    [38.1, 56.3],
    [38.102, 56.3],
    [38.102, 56.301],
    [38.1, 56.3],
  ];

  async function allFacilities(token: string): Promise<Record<string, unknown>[]> {
    const response = await source.request<{ items: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/facilities?limit=1000',
      { token },
    );
    return response.body.items.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest);
  }

  async function exportFacilities(format: Format, token = sourceAdmin): Promise<Buffer> {
    const response = await source.request('GET', `/api/v1/facilities/export?format=${format}`, { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(MEDIA[format]);
    expect(response.headers.get('content-disposition')).toContain(`facilities.${format}`);
    return response.raw;
  }

  beforeAll(async () => {
    const bodies = [
      facilityBody(),
      facilityBody({
        kind: 'transfer_station',
        name: 'МПС «Север»; "корпус" 2',
        gateFeePerTonne: null,
        hasWeighbridge: false,
        openingHours: [],
        acceptedWaste: [],
        status: 'planned',
        geofenceRadiusM: 320,
      }),
      facilityBody({ geofence: { type: 'Polygon', coordinates: [gate] }, gateFeePerTonne: '1000000.05' }),
    ];
    for (const body of bodies) {
      const response = await source.request('POST', '/api/v1/facilities', { token: sourceAdmin, body });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    }
  });

  it.each(['geojson', 'csv', 'xlsx'] as const)(
    '%s: round-trips into an empty registry exactly, and re-importing changes nothing',
    async (format) => {
      const snapshot = await allFacilities(sourceAdmin);
      expect(snapshot).toHaveLength(3);
      const exported = await exportFacilities(format);
      for (const facility of snapshot) {
        const deleted = await source.request('DELETE', `/api/v1/facilities/${facility['id']}`, {
          token: sourceAdmin,
        });
        expect(deleted.status).toBe(204);
      }
      expect(await allFacilities(sourceAdmin)).toEqual([]);
      const file = { data: exported, contentType: MEDIA[format] };
      const imported = await source.request('POST', '/api/v1/facilities/import', {
        token: sourceAdmin,
        file,
      });
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      expect(imported.body).toEqual({ created: 3, updated: 0 });
      expect(await allFacilities(sourceAdmin)).toEqual(snapshot);
      const again = await source.request('POST', '/api/v1/facilities/import', { token: sourceAdmin, file });
      expect(again.body).toEqual({ created: 0, updated: 3 });
      expect(await allFacilities(sourceAdmin)).toEqual(snapshot);
    },
  );

  it('refuses the whole file when a row is bad, naming each bad row, and writes nothing', async () => {
    const before = await allFacilities(sourceAdmin);
    const audit = await source.request<{ items: unknown[] }>(
      'GET',
      '/api/v1/audit?entity=facility&limit=1000',
      {
        token: sourceAdmin,
      },
    );
    const lines = (await exportFacilities('csv')).toString('utf8').trimEnd().split('\n');
    const header = lines[0]!.replace(/^\uFEFF/, '').split(';');
    const radius = header.indexOf('geofenceRadiusM');
    const edit = (line: string, column: number, value: string): string => {
      const cells = line.split(';');
      cells[column] = value;
      return cells.join(';');
    };
    const noId = (line: string): string => edit(line, 0, '');
    // Row 2 new and valid, row 3 a radius out of range, row 4 a polygon far from its point.
    const fresh = noId(lines[1]!).replace(/Полигон №\d+/, 'Полигон новый');
    const tooSmall = edit(lines[2]!, radius, '5');
    const farPolygon = lines
      .slice(1)
      .find((line) => line.includes('Polygon'))!
      .replaceAll('38.102', '38.2');
    const file = [lines[0], fresh, tooSmall, farPolygon].join('\n');
    const response = await source.request('POST', '/api/v1/facilities/import', {
      token: sourceAdmin,
      file: { data: file, contentType: 'text/csv' },
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        { in: 'row 3', path: 'geofenceRadiusM' },
        { in: 'row 4', path: 'geofence' },
      ],
    });
    expect(await allFacilities(sourceAdmin)).toEqual(before);
    const auditAfter = await source.request<{ items: unknown[] }>(
      'GET',
      '/api/v1/audit?entity=facility&limit=1000',
      { token: sourceAdmin },
    );
    expect(auditAfter.body.items).toHaveLength(audit.body.items.length);
  });

  it('lets every role export and only admin and dispatcher import', async () => {
    const exported = await exportFacilities('geojson');
    for (const role of ['billing', 'carrier', 'dispatcher'] as const) {
      const carrierId =
        role === 'carrier'
          ? (
              await source.request<{ id: string }>('POST', '/api/v1/carriers', {
                token: sourceAdmin,
                body: { name: 'ООО «Экотранс-импорт»', inn: '7712345670' },
              })
            ).body.id
          : undefined;
      const { token } = await source.userToken(role, { carrierId });
      expect((await source.request('GET', '/api/v1/facilities/export?format=csv', { token })).status).toBe(
        200,
      );
      const imported = await source.request('POST', '/api/v1/facilities/import', {
        token,
        file: { data: exported, contentType: MEDIA.geojson },
      });
      expect(imported.status, role).toBe(role === 'dispatcher' ? 200 : 403);
    }
  });
});

describe('flows', () => {
  let facilityId: string;

  async function allFlows(): Promise<Record<string, unknown>[]> {
    const response = await source.request<{ items: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/flows?limit=1000',
      { token: sourceAdmin },
    );
    return response.body.items.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest);
  }

  beforeAll(async () => {
    const municipality = await source.request<{ id: string }>('POST', '/api/v1/municipalities', {
      token: sourceAdmin,
      body: { name: 'Сергиево-Посадский г.о.', oktmo: '46615000' },
    });
    const facility = await source.request<{ id: string }>('POST', '/api/v1/facilities', {
      token: sourceAdmin,
      body: facilityBody(),
    });
    facilityId = facility.body.id;
    for (const body of [
      { sharePercent: '62.5', validFrom: '2025-01-01', validTo: '2025-12-31' },
      { sharePercent: '37.5', validFrom: '2026-01-01' },
    ]) {
      const response = await source.request('POST', '/api/v1/flows', {
        token: sourceAdmin,
        body: { municipalityId: municipality.body.id, facilityId, ...body },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    }
  });

  it.each(['geojson', 'csv', 'xlsx'] as const)(
    '%s: round-trips into an empty scheme exactly',
    async (format) => {
      const snapshot = await allFlows();
      expect(snapshot).toHaveLength(2);
      const response = await source.request('GET', `/api/v1/flows/export?format=${format}`, {
        token: sourceAdmin,
      });
      expect(response.headers.get('content-disposition')).toContain(`flows.${format}`);
      for (const flow of snapshot) {
        await source.request('DELETE', `/api/v1/flows/${flow['id']}`, { token: sourceAdmin });
      }
      expect(await allFlows()).toEqual([]);
      const imported = await source.request('POST', '/api/v1/flows/import', {
        token: sourceAdmin,
        file: { data: response.raw, contentType: MEDIA[format] },
      });
      expect(imported.body).toEqual({ created: 2, updated: 0 });
      expect(await allFlows()).toEqual(snapshot);
    },
  );

  it('refuses a file with a bad share or a missing facility, writing nothing', async () => {
    const before = await allFlows();
    const csv = (
      await source.request('GET', '/api/v1/flows/export?format=csv', { token: sourceAdmin })
    ).raw.toString('utf8');
    const [header, first, second] = csv.trimEnd().split('\n');
    const badShare = first!.replace(/;62\.50;/, ';150;');
    const refused = await source.request('POST', '/api/v1/flows/import', {
      token: sourceAdmin,
      file: { data: [header, badShare, second].join('\n'), contentType: 'text/csv' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ details: [{ in: 'row 2', path: 'sharePercent' }] });
    const missing = second!.replace(facilityId, '11111111-1111-4111-8111-111111111111');
    const dangling = await source.request('POST', '/api/v1/flows/import', {
      token: sourceAdmin,
      file: { data: [header, first, missing].join('\n'), contentType: 'text/csv' },
    });
    expect(dangling.status).toBe(422);
    expect(dangling.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND' });
    expect(await allFlows()).toEqual(before);
  });
});
