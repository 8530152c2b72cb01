import { upsertDevices } from '@msw/gateway/db/devices';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierBody, facilityBody, siteBody, vehicleBody } from './helpers/fixtures.js';
import { startTestPlatform, type TestPlatform } from './helpers/test-platform.js';

/**
 * Carrier settlements end to end, against hand-computed figures (Europe/Moscow, UTC+3).
 * Carrier 1: lot СТ-1 (m³, 612.10 ₽, fixed deductions 1500/500 ₽) and lot СТ-2 (m³, 480.55 ₽);
 * carrier 2: lot СТ-3 (tonnes, 1830.55 ₽, threshold 0.8, 2.5 % per missed visit);
 * carrier 3: lot СТ-4 (trips, 3500 ₽), its facts keyed by the tracker id.
 */

let t: TestPlatform;
let pool: pg.Pool;
let admin: string;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function post(path: string, body: Record<string, unknown>, token = admin): Promise<string> {
  const response = await t.request<{ id: string }>('POST', `/api/v1${path}`, { token, body });
  if (response.status !== 201) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

const utc = (local: string): string => new Date(`${local}+03:00`).toISOString();

async function insertFact(
  id: string,
  vehicle: string,
  site: string,
  local: string,
  containers: number,
  confidence: string,
): Promise<void> {
  await pool.query(
    `INSERT INTO collection_facts (id, vehicle_id, site_id, arrival_time, departure_time, lon, lat, lift_count,
                                   container_count, confidence, needs_review, evidence)
     VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + interval '5 minutes', 37.6, 55.8, $5, $5, $6, $7, '[]')`,
    [id, vehicle, site, utc(local), containers, confidence, Number(confidence) < 0.9],
  );
}

async function insertUnloading(
  id: string,
  vehicle: string,
  local: string,
  netKg: number | null,
): Promise<void> {
  await pool.query(
    `INSERT INTO facility_unloadings (id, vehicle_id, facility_id, arrival_time, departure_time, lon, lat, net_kg)
     VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + interval '20 minutes', 38.1, 56.3, $5)`,
    [id, vehicle, ids['facility'], utc(local), netKg],
  );
}

interface Summary {
  id: string;
  contractNumber: string;
  version: number;
  status: string;
  [key: string]: unknown;
}

async function compute(body: Record<string, unknown>): Promise<{ items: Summary[]; frozen: string[] }> {
  const response = await t.request<{ items: Summary[]; frozen: string[] }>(
    'POST',
    '/api/v1/settlements/compute',
    {
      token: tokens['billing'],
      body,
    },
  );
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}
const lot = (items: Summary[], number: string): Summary => items.find((s) => s.contractNumber === number)!;

beforeAll(async () => {
  t = await startTestPlatform();
  admin = await t.adminToken();
  pool = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });

  ids['m1'] = await post('/municipalities', { name: 'г.о. Первый' });
  ids['m2'] = await post('/municipalities', { name: 'г.о. Второй' });
  ids['s1'] = await post('/sites', siteBody({ municipalityId: ids['m1'] })); // 3 × 1.1 + 1 × 8 = 11.3 m³
  ids['s2'] = await post(
    '/sites',
    siteBody({ municipalityId: ids['m1'], containers: [{ type: 'euro', count: 2, volumeM3: '0.75' }] }),
  );
  ids['s3'] = await post(
    '/sites',
    siteBody({ municipalityId: ids['m2'], containers: [{ type: 'euro', count: 5, volumeM3: '1.1' }] }),
  );
  ids['facility'] = await post('/facilities', facilityBody());
  const contract = (
    carrierId: string,
    number: string,
    municipality: string,
    extra: Record<string, unknown>,
  ) =>
    post('/contracts', {
      carrierId,
      number,
      municipalityId: ids[municipality],
      lotName: `Лот ${number}`,
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
      ...extra,
    });
  for (const n of ['1', '2', '3'])
    ids[`c${n}`] = await post('/carriers', carrierBody({ name: `ООО «Перевозчик ${n}»` }));
  await upsertDevices(pool, [{ id: 'tracker-c3', secretHash: 'sha256$x' }]);
  ids['v1'] = await post('/vehicles', vehicleBody({ carrierId: ids['c1'] }));
  ids['v2'] = await post('/vehicles', vehicleBody({ carrierId: ids['c2'] }));
  ids['v3'] = await post('/vehicles', vehicleBody({ carrierId: ids['c3'], trackerDeviceId: 'tracker-c3' }));
  ids['k1'] = await contract(ids['c1']!, 'СТ-1', 'm1', {
    tariffUnit: 'm3',
    tariffRub: '612.10',
    deductionRule: 'fixed',
    missedVisitDeduction: '1500',
    lateVisitDeduction: '500',
  });
  ids['k2'] = await contract(ids['c1']!, 'СТ-2', 'm2', { tariffUnit: 'm3', tariffRub: '480.55' });
  ids['k3'] = await contract(ids['c2']!, 'СТ-3', 'm1', {
    tariffUnit: 'tonne',
    tariffRub: '1830.55',
    confidenceThreshold: '0.8',
    deductionRule: 'percent',
    missedVisitDeduction: '2.5',
    lateVisitDeduction: '1',
  });
  ids['k4'] = await contract(ids['c3']!, 'СТ-4', 'm2', { tariffUnit: 'trip', tariffRub: '3500' });

  tokens['billing'] = (await t.userToken('billing')).token;
  tokens['dispatcher'] = (await t.userToken('dispatcher')).token;
  tokens['carrier1'] = (await t.userToken('carrier', { carrierId: ids['c1'] })).token;

  const [v1, v2] = [ids['v1']!, ids['v2']!];
  const [s1, s2, s3] = [ids['s1']!, ids['s2']!, ids['s3']!];
  // Carrier 1.
  await insertFact('F1', v1, s1, '2025-03-03T07:10', 4, '0.95'); // 11.3 m³, on time
  await insertFact('F2', v1, s2, '2025-03-03T07:40', 2, '0.92'); // 1.5 m³
  await insertFact('F3', v1, s3, '2025-03-04T08:00', 5, '0.99'); // 5.5 m³, lot СТ-2
  await insertFact('F4', v1, s1, '2025-03-05T13:30', 2, '0.900'); // 5.65 m³, late, at the threshold
  await insertFact('F5', v1, s2, '2025-03-07T09:00', 1, '0.60'); // disputed: claims 2 containers
  await insertFact('F6', v1, s2, '2025-03-10T09:00', 2, '0.50'); // disputed, rejected
  await insertFact('F8', v1, s1, '2025-04-01T00:30', 4, '0.95'); // 31 March 21:30 UTC: April locally
  await insertFact('F9', v1, s1, '2025-02-28T23:30', 4, '0.95'); // February
  // Carrier 2 (tonnes): two weighed trips, one not weighed yet.
  await insertFact('G1', v2, s1, '2025-03-03T08:00', 4, '0.85');
  await insertFact('G2', v2, s2, '2025-03-03T08:30', 2, '0.85');
  await insertUnloading('U1', v2, '2025-03-03T11:00', 5120); // 4520 + 600 kg
  await insertFact('G3', v2, s1, '2025-03-04T09:00', 2, '0.50'); // not counted, keeps its 2825 kg
  await insertFact('G4', v2, s2, '2025-03-04T09:20', 2, '0.90');
  await insertUnloading('U2', v2, '2025-03-04T12:00', 3575); // 2825 + 750 kg
  await insertFact('G5', v2, s2, '2025-03-05T09:00', 2, '0.95');
  await insertUnloading('U3', v2, '2025-03-05T11:00', null);
  // Carrier 3 (trips), facts under the tracker's id.
  await insertFact('H1', 'tracker-c3', s3, '2025-03-10T08:00', 5, '0.95');
  await insertUnloading('U4', 'tracker-c3', '2025-03-10T10:00', 2000);
  await insertFact('H2', 'tracker-c3', s3, '2025-03-11T08:00', 5, '0.95');
  await insertFact('H3', 'tracker-c3', s3, '2025-03-11T15:00', 5, '0.95');
  await insertUnloading('U5', 'tracker-c3', '2025-03-11T17:00', null);
  await insertFact('H4', 'tracker-c3', s3, '2025-03-12T08:00', 5, '0.95'); // no unloading yet: no trip

  const visit = (site: string, carrier: string, date: string) =>
    post(
      '/planned-visits',
      { siteId: ids[site], carrierId: ids[carrier], visitDate: date, windowFrom: '06:00', windowTo: '12:00' },
      tokens['dispatcher'],
    );
  ids['pv1'] = await visit('s1', 'c1', '2025-03-03'); // F1: served
  ids['pv2'] = await visit('s2', 'c1', '2025-03-03'); // F2: served
  ids['pv3'] = await visit('s1', 'c1', '2025-03-05'); // F4 at 13:30: late
  ids['pv4'] = await visit('s2', 'c1', '2025-03-06'); // missed
  ids['pv5'] = await visit('s2', 'c1', '2025-03-12'); // missed, disputed
  ids['pv6'] = await visit('s3', 'c1', '2025-03-04'); // F3: served
  ids['pv7'] = await visit('s1', 'c2', '2025-03-06'); // missed: 2.5 %

  const carrier1 = tokens['carrier1'];
  ids['d5'] = await post(
    '/disputes',
    {
      factId: 'F5',
      comment: 'Вывезено 2 контейнера, датчик подъёма не сработал',
      evidence: [{ kind: 'photo-url', value: 'https://photos.example/f5.jpg' }],
      claimedContainerCount: 2,
    },
    carrier1,
  );
  ids['d6'] = await post('/disputes', { factId: 'F6', comment: 'Вывоз выполнен' }, carrier1);
  ids['dv5'] = await post(
    '/disputes',
    {
      plannedVisitId: ids['pv5'],
      comment: 'Площадка была заставлена автомобилями',
      evidence: [{ kind: 'photo-id', value: 'ph-77' }],
    },
    carrier1,
  );
  await post(
    '/carrier-payments',
    { carrierId: ids['c1'], paidOn: '2025-02-25', amountRub: '1000', documentNumber: '101' },
    tokens['billing'],
  );
  await post(
    '/carrier-payments',
    {
      carrierId: ids['c1'],
      contractId: ids['k1'],
      paidOn: '2025-03-20',
      amountRub: '5000.00',
      documentNumber: '145',
    },
    tokens['billing'],
  );
  await post(
    '/carrier-payments',
    { carrierId: ids['c1'], paidOn: '2025-04-02', amountRub: '700', documentNumber: '160' },
    tokens['billing'],
  );
});

afterAll(async () => {
  await pool?.end();
  await t?.close();
});

describe('monthly settlement', () => {
  it('holds disputed facts out and deducts missed and late visits (fixed rule)', async () => {
    const { items } = await compute({ period: '2025-03' });
    expect(items).toHaveLength(4);
    // 11.3 + 1.5 + 5.65 = 18.45 m³ × 612.10 = 11 293.245 → 11 293.25; 2 missed × 1500 + 1 late × 500.
    expect(lot(items, 'СТ-1')).toMatchObject({
      version: 1,
      status: 'draft',
      factsCounted: 3,
      factsPending: 2,
      factsExcluded: 0,
      volumeM3: '18.450',
      accrualRub: '11293.25',
      visitsPlanned: 5,
      visitsServed: 2,
      visitsLate: 1,
      visitsMissed: 2,
      deductionRub: '3500.00',
      totalRub: '7793.25',
    });
    // Second lot of the same carrier: 5.5 m³ × 480.55 = 2643.025 → 2643.03.
    expect(lot(items, 'СТ-2')).toMatchObject({
      volumeM3: '5.500',
      accrualRub: '2643.03',
      visitsServed: 1,
      totalRub: '2643.03',
    });
  });

  it('per tonne: weighbridge mass shared by volume within each trip; percent deduction', async () => {
    const { items } = await compute({ period: '2025-03', carrierId: ids['c2'] });
    expect(items).toHaveLength(1);
    // 4520 + 600 + 750 kg = 5.870 t × 1830.55 = 10 745.3285 → 10 745.33; 2.5 % → 268.63325 → 268.63.
    expect(items[0]).toMatchObject({
      factsCounted: 4,
      factsExcluded: 1,
      massT: '5.870',
      unweighedFacts: 1,
      trips: 3,
      quantity: '5.870',
      accrualRub: '10745.33',
      visitsMissed: 1,
      deductionRub: '268.63',
      totalRub: '10476.70',
    });
    const detail = await t.request<{ details: { facts: { factId: string; massKg: string | null }[] } }>(
      'GET',
      `/api/v1/settlements/${items[0]!.id}`,
      { token: tokens['billing'] },
    );
    expect(Object.fromEntries(detail.body.details.facts.map((f) => [f.factId, f.massKg]))).toEqual({
      G1: '4520',
      G2: '600',
      G3: '2825',
      G4: '750',
      G5: null,
    });
  });

  it('per trip: a trip counts once it reaches a facility; facts found by the tracker id', async () => {
    const { items } = await compute({ period: '2025-03', carrierId: ids['c3'] });
    expect(items[0]).toMatchObject({
      factsCounted: 4,
      trips: 2,
      quantity: '2.000',
      accrualRub: '7000.00',
      massT: '2.000',
    });
  });

  it('resolved disputes change the amount: accepted counts (with the claimed count), rejected does not', async () => {
    const resolve = (id: string, decision: string) =>
      t.request('POST', `/api/v1/disputes/${id}/resolve`, {
        token: tokens['dispatcher'],
        body: { decision, comment: decision === 'accepted' ? 'Подтверждено фото' : 'Нет доказательств' },
      });
    expect((await resolve(ids['d5']!, 'accepted')).status).toBe(200);
    expect((await resolve(ids['d6']!, 'rejected')).status).toBe(200);
    expect((await resolve(ids['dv5']!, 'accepted')).status).toBe(200);
    const again = await resolve(ids['d5']!, 'rejected');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'DISPUTE_NOT_OPEN' });

    const { items } = await compute({ period: '2025-03', carrierId: ids['c1'] });
    // + F5 at the claimed 2 × 0.75 = 1.5 m³: 19.95 × 612.10 = 12 211.395 → 12 211.40; PV5 excused.
    expect(lot(items, 'СТ-1')).toMatchObject({
      version: 1,
      factsCounted: 4,
      factsPending: 0,
      factsExcluded: 1,
      volumeM3: '19.950',
      accrualRub: '12211.40',
      visitsMissed: 1,
      visitsExcused: 1,
      deductionRub: '2000.00',
      totalRub: '10211.40',
    });
    const audit = await pool.query(
      `SELECT action FROM audit_log WHERE entity = 'dispute' AND entity_id = $1 ORDER BY id`,
      [ids['d5']],
    );
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(['create', 'update']);
  });

  it('an approved settlement is frozen; recomputing it makes a new version only on request', async () => {
    const first = lot((await compute({ period: '2025-03', carrierId: ids['c1'] })).items, 'СТ-1');
    const approved = await t.request<Summary>('POST', `/api/v1/settlements/${first.id}/approve`, {
      token: tokens['billing'],
    });
    expect(approved.body).toMatchObject({ status: 'approved', totalRub: '10211.40' });
    expect(
      (await t.request('POST', `/api/v1/settlements/${first.id}/approve`, { token: tokens['billing'] }))
        .status,
    ).toBe(409);

    // The dispatcher accepts F6 after all (a review overrides the confidence).
    const review = await t.request('POST', '/api/v1/collection-facts/F6/review', {
      token: tokens['dispatcher'],
      body: { verdict: 'accepted', comment: 'Подтверждено по видеозаписи' },
    });
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    const frozen = await compute({ period: '2025-03', carrierId: ids['c1'] });
    expect(frozen.frozen).toEqual([first.id]);
    expect(frozen.items.map((s) => s.contractNumber)).toEqual(['СТ-2']);

    const next = lot(
      (await compute({ period: '2025-03', carrierId: ids['c1'], newVersion: true })).items,
      'СТ-1',
    );
    // 21.45 m³ × 612.10 = 13 129.545 → 13 129.55.
    expect(next).toMatchObject({ version: 2, status: 'draft', accrualRub: '13129.55', totalRub: '11129.55' });
    await t.request('POST', `/api/v1/settlements/${next.id}/approve`, { token: tokens['billing'] });
    const second = lot((await compute({ period: '2025-03', carrierId: ids['c1'] })).items, 'СТ-2');
    await t.request('POST', `/api/v1/settlements/${second.id}/approve`, { token: tokens['billing'] });
    const versions = await t.request<{ items: Summary[] }>(
      'GET',
      `/api/v1/settlements?contractId=${ids['k1']}&period=2025-03`,
      { token: tokens['billing'] },
    );
    expect(versions.body.items.map((s) => [s.version, s.status])).toEqual([
      [2, 'approved'],
      [1, 'superseded'],
    ]);
  });

  it('a carrier sees and disputes only its own', async () => {
    const own = await t.request<{ items: Summary[] }>('GET', '/api/v1/settlements', {
      token: tokens['carrier1'],
    });
    expect(new Set(own.body.items.map((s) => s.contractNumber))).toEqual(new Set(['СТ-1', 'СТ-2']));
    const facts = await t.request<{ items: { id: string }[] }>(
      'GET',
      '/api/v1/collection-facts?from=2025-03-01&to=2025-03-31',
      { token: tokens['carrier1'] },
    );
    expect(facts.body.items.map((f) => f.id)).toEqual(['F1', 'F2', 'F3', 'F4', 'F5', 'F6']);
    const foreign = await t.request('POST', '/api/v1/disputes', {
      token: tokens['carrier1'],
      body: { factId: 'G1', comment: 'чужой факт' },
    });
    expect(foreign.status).toBe(404);
    const twice = await t.request('POST', '/api/v1/disputes', {
      token: tokens['carrier1'],
      body: { factId: 'F4', comment: 'первая' },
    });
    expect(twice.status).toBe(201);
    const duplicate = await t.request('POST', '/api/v1/disputes', {
      token: tokens['carrier1'],
      body: { factId: 'F4', comment: 'вторая' },
    });
    expect(duplicate.body).toMatchObject({ code: 'DISPUTE_ALREADY_OPEN' });
  });
});

describe('reconciliation act (акт сверки) and accounting entries', () => {
  const march = 'from=2025-03-01&to=2025-03-31';

  it('Excel: opening balance, accruals by lot, deductions, payments, closing balance', async () => {
    const response = await t.request<Buffer>(
      'GET',
      `/api/v1/reports/carrier-reconciliation?carrierId=${ids['c1']}&${march}&format=xlsx`,
      { token: tokens['billing'] },
    );
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.raw as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Акт сверки')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const row = (label: string) => rows.find((r) => r[1] === label);
    expect(rows[0]).toEqual(['Акт сверки взаимных расчётов']);
    expect(rows[1]).toEqual(['за период с 01.03.2025 по 31.03.2025']);
    expect(rows[3]!.slice(0, 2)).toEqual(['Перевозчик', 'ООО «Перевозчик 1»']);
    expect(row('Сальдо начальное')).toEqual(['', 'Сальдо начальное', 1000]);
    const ledger = rows.slice(
      rows.indexOf(row('Сальдо начальное')!) + 1,
      rows.indexOf(row('Обороты за период')!),
    );
    expect(ledger).toEqual([
      ['20.03.2025', 'Оплата, платёжное поручение № 145', 5000],
      ['31.03.2025', 'Акт оказанных услуг за март 2025 г., договор № СТ-1, Лот СТ-1', undefined, 13129.55],
      ['31.03.2025', 'Акт оказанных услуг за март 2025 г., договор № СТ-2, Лот СТ-2', undefined, 2643.03],
      ['31.03.2025', 'Удержание за март 2025 г. по договору № СТ-1: пропуски 1, опоздания 1', 2000],
    ]);
    expect(row('Обороты за период')).toEqual(['', 'Обороты за период', 7000, 15772.58]);
    expect(row('Сальдо конечное')).toEqual(['', 'Сальдо конечное', undefined, 7772.58]);
    expect(rows.find((r) => r[0] === 'СТ-1')).toEqual([
      'СТ-1',
      'Лот СТ-1',
      'март 2025 г.',
      13129.55,
      2000,
      11129.55,
    ]);
    expect(rows.some((r) => r[2] === 'принято' && String(r[1]).includes('заставлена'))).toBe(true);
    expect(rows.some((r) => String(r[0]).includes('составляет 7 772,58 руб.'))).toBe(true);
  });

  it('PDF: a valid document with the Russian text and the amounts', async () => {
    const response = await t.request<Buffer>(
      'GET',
      `/api/v1/reports/carrier-reconciliation?${march}&format=pdf`,
      { token: tokens['carrier1'] },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.raw.subarray(0, 5).toString()).toBe('%PDF-');
    const extracted = await extractText(await getDocumentProxy(new Uint8Array(response.raw)), {
      mergePages: true,
    });
    // Table cells wrap: compare with whitespace collapsed.
    const text = extracted.text.replace(/\s+/g, ' ');
    for (const expected of [
      'АКТ СВЕРКИ ВЗАИМНЫХ РАСЧЁТОВ',
      'за период с 01.03.2025 по 31.03.2025',
      'ООО «Перевозчик 1»',
      'Сальдо начальное',
      '1 000,00',
      '13 129,55',
      '2 643,03',
      '15 772,58',
      '7 772,58',
      'Площадка была заставлена автомобилями',
      'От перевозчика',
    ]) {
      expect(text).toContain(expected);
    }
    const other = await t.request(
      'GET',
      `/api/v1/reports/carrier-reconciliation?carrierId=${ids['c2']}&${march}`,
      {
        token: tokens['carrier1'],
      },
    );
    expect(other.status).toBe(404);
  });

  it('entries balance: debits = credits, account 60 = accruals − deductions − payments', async () => {
    const json = await t.request<{
      entries: { date: string; debit: string; credit: string; amountRub: string }[];
      totals: {
        debitRub: string;
        creditRub: string;
        accounts: Record<string, { debitRub: string; creditRub: string }>;
      };
    }>('GET', `/api/v1/accounting/entries?${march}&carrierId=${ids['c1']}&format=json`, {
      token: tokens['billing'],
    });
    expect(json.status).toBe(200);
    expect(json.body.entries.map((e) => [e.date, e.debit, e.credit, e.amountRub])).toEqual([
      ['2025-03-20', '60.01', '51', '5000.00'],
      ['2025-03-31', '20.01', '60.01', '13129.55'],
      ['2025-03-31', '76.02', '91.01', '2000.00'],
      ['2025-03-31', '60.01', '76.02', '2000.00'],
      ['2025-03-31', '20.01', '60.01', '2643.03'],
    ]);
    expect(json.body.totals).toMatchObject({ debitRub: '24772.58', creditRub: '24772.58' });
    expect(json.body.totals.accounts['60.01']).toEqual({ debitRub: '7000.00', creditRub: '15772.58' });
    expect(json.body.totals.accounts['76.02']).toEqual({ debitRub: '2000.00', creditRub: '2000.00' });

    const csv = await t.request<Buffer>('GET', `/api/v1/accounting/entries?${march}&carrierId=${ids['c1']}`, {
      token: tokens['billing'],
    });
    const lines = csv.raw
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Дата (date);Счёт Дт (debit);Счёт Кт (credit);Сумма (amount);Содержание (description);Документ (document);Контрагент (counterparty);ИНН (inn);Договор (contract)',
    );
    expect(lines[2]).toMatch(
      /^2025-03-31;20\.01;60\.01;13129\.55;Услуги по транспортированию ТКО, Лот СТ-1;/,
    );
    const xml = await t.request<Buffer>('GET', `/api/v1/accounting/entries?${march}&format=xml`, {
      token: tokens['billing'],
    });
    const text = xml.raw.toString('utf8');
    expect(text).toContain('<Проводка Дата="2025-03-31" СчетДт="20.01" СчетКт="60.01" Сумма="13129.55">');
    expect(text).toContain('ИтогДт="24772.58" ИтогКт="24772.58"');
  });

  it('lists the new routes in the OpenAPI document', async () => {
    const doc = await t.request<{ paths: Record<string, unknown> }>('GET', '/api/openapi.json');
    for (const path of [
      '/api/v1/settlements',
      '/api/v1/settlements/compute',
      '/api/v1/settlements/{id}/approve',
      '/api/v1/disputes/{id}/resolve',
      '/api/v1/collection-facts/{id}/review',
      '/api/v1/reports/carrier-reconciliation',
      '/api/v1/accounting/entries',
      '/api/v1/planned-visits',
      '/api/v1/carrier-payments',
    ]) {
      expect(doc.body.paths, path).toHaveProperty([path]);
    }
  });
});
