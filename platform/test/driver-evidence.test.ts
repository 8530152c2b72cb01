import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettlementSources } from '../src/db/settlement-sources.js';
import { FactProcessor } from '../src/facts-worker/fact-processor.js';
import { FixWriter } from '../src/facts/test-fixes.js';
import type { ContainerEvent, Fix } from '../src/facts/types.js';
import { storeTelemetry } from './helpers/stored-telemetry.js';
import { carrierBody, facilityBody, siteBody, vehicleBody } from './helpers/fixtures.js';
import { startTestPlatform, type TestPlatform } from './helpers/test-platform.js';

let t: TestPlatform;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};
const MINUTE = 60_000;
// Recent: the API takes reports of the last 30 days only.
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const START = NOW - 6 * 3600_000;
const START_C = NOW - 2 * 86_400_000;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF-test-photo')]);

interface TruckDay {
  fixes: Fix[];
  lifts: ContainerEvent[];
  site: { lon: number; lat: number; fromMs: number; toMs: number };
  facility: { lon: number; lat: number; fromMs: number; toMs: number };
}

/** Serves a site (3 lifts), drives 1 km to a landfill, unloads for 10 min, drives on and parks. */
function truckDay(startMs: number): TruckDay {
  const w = new FixWriter(startMs);
  w.drive(60, 30);
  const siteAt = w.fixes.length;
  const siteFrom = w.timeMs;
  w.park(180);
  const siteTo = w.timeMs;
  w.drive(120, 30);
  const facilityAt = w.fixes.length;
  const facilityFrom = w.timeMs;
  w.park(600);
  const facilityTo = w.timeMs;
  w.drive(120, 30).park(200);
  const lifts = [20, 50, 80].map((dt): ContainerEvent => ({ timeMs: siteFrom + dt * 1000, kind: 'lift' }));
  const site = w.fixes[siteAt + 10]!;
  const facility = w.fixes[facilityAt + 10]!;
  return {
    fixes: w.fixes,
    lifts,
    site: { lon: site.lon, lat: site.lat, fromMs: siteFrom, toMs: siteTo },
    facility: { lon: facility.lon, lat: facility.lat, fromMs: facilityFrom, toMs: facilityTo },
  };
}

const worker = (): FactProcessor =>
  new FactProcessor(t.platform.services.db, {
    intervalMs: 60_000,
    initialLookbackMs: 10 * 365 * 86_400_000,
    logger: pino({ level: 'silent' }),
  });

/** What carrier A's settlement for the month of the test day reads. */
function settlementSourcesOfA(): ReturnType<typeof loadSettlementSources> {
  const local = new Date(START + 3 * 3600_000).toISOString();
  return loadSettlementSources(t.platform.services.db, `${local.slice(0, 7)}-01`, ids['carrierA']!);
}

async function rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await t.platform.services.db.query(sql, params)).rows as T[];
}

/** What the merge decides, without the bookkeeping times. */
async function merged(): Promise<Record<string, unknown[]>> {
  return {
    facts: await rows(
      `SELECT id, vehicle_id, site_id, container_count, confidence::text, needs_review, evidence
         FROM collection_facts ORDER BY id`,
    ),
    reports: await rows('SELECT id::text, fact_id FROM driver_reports ORDER BY id'),
    unloadings: await rows(
      'SELECT id, vehicle_id, net_kg::text, ticket_id FROM facility_unloadings ORDER BY id',
    ),
    tickets: await rows('SELECT id::text, unloading_id FROM weighbridge_tickets ORDER BY id'),
    disputes: await rows('SELECT id::text, fact_id FROM disputes ORDER BY id'),
  };
}

function reportBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientId: randomUUID(),
    vehicleId: ids['vehicleA'],
    siteId: ids['site'],
    time: new Date(dayA.site.fromMs + 90_000).toISOString(),
    location: [dayA.site.lon, dayA.site.lat],
    containerCount: 4,
    comment: 'Площадка убрана',
    photo: { contentType: 'image/jpeg', dataBase64: JPEG.toString('base64') },
    ...overrides,
  };
}

const dayA = truckDay(START);
const dayC = truckDay(START_C);

beforeAll(async () => {
  t = await startTestPlatform();
  const admin = await t.adminToken();
  const post = async (url: string, body: Record<string, unknown>): Promise<string> => {
    const response = await t.request<{ id: string }>('POST', `/api/v1${url}`, { token: admin, body });
    if (response.status !== 201) throw new Error(`${url}: ${JSON.stringify(response.body)}`);
    return response.body.id;
  };
  ids['municipality'] = await post('/municipalities', { name: 'Останкинский' });
  ids['site'] = await post(
    '/sites',
    siteBody({ lon: dayA.site.lon, lat: dayA.site.lat, municipalityId: ids['municipality'] }),
  );
  ids['facility'] = await post(
    '/facilities',
    facilityBody({ lon: dayA.facility.lon, lat: dayA.facility.lat }),
  );
  for (const side of ['A', 'B']) {
    const carrierId = await post('/carriers', carrierBody());
    ids[`carrier${side}`] = carrierId;
    tokens[`carrier${side}`] = (await t.userToken('carrier', { carrierId })).token;
    tokens[`driver${side}`] = (await t.userToken('driver', { carrierId })).token;
  }
  await t.platform.services.db.query(
    `INSERT INTO devices (id, secret_hash, carrier_id) VALUES ('trk-a', 'x', $1), ('trk-c', 'x', $1)`,
    [ids['carrierA']],
  );
  ids['vehicleA'] = await post(
    '/vehicles',
    vehicleBody({ carrierId: ids['carrierA'], trackerDeviceId: 'trk-a' }),
  );
  ids['vehicleC'] = await post(
    '/vehicles',
    vehicleBody({ carrierId: ids['carrierA'], trackerDeviceId: 'trk-c' }),
  );
  ids['vehicleD'] = await post('/vehicles', vehicleBody({ carrierId: ids['carrierA'] }));
  ids['vehicleB'] = await post('/vehicles', vehicleBody({ carrierId: ids['carrierB'] }));
  await post('/contracts', {
    carrierId: ids['carrierA'],
    number: 'Д-ВЕС-1',
    municipalityId: ids['municipality'],
    lotName: 'Лот по массе',
    tariffUnit: 'tonne',
    tariffRub: '1830.55',
    validFrom: '2020-01-01',
    validTo: '2035-12-31',
  });
  tokens['dispatcher'] = (await t.userToken('dispatcher')).token;
  tokens['billing'] = (await t.userToken('billing')).token;
  tokens['consumer'] = (await t.userToken('consumer')).token;
  tokens['admin'] = admin;
  await storeTelemetry(t.platform.services.db, 'trk-a', dayA.fixes, dayA.lifts);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('driver reports and weighbridge tickets', () => {
  let reportA = '';
  let factA = '';
  let ticketA = '';

  it('merges a report uploaded hours after the telematics fact was stored; a retried upload changes nothing', async () => {
    await worker().runOnce(NOW);
    const facts = await rows<{ id: string; confidence: string }>(
      'SELECT id, confidence::text FROM collection_facts',
    );
    expect(facts).toMatchObject([{ confidence: '0.950' }]);
    factA = facts[0]!.id;

    const body = reportBody();
    const first = await t.request<{ id: string; factId: string | null; photo: unknown }>(
      'POST',
      '/api/v1/driver-reports',
      {
        token: tokens['driverA'],
        body,
      },
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      factId: null,
      photo: { contentType: 'image/jpeg', bytes: JPEG.length },
    });
    reportA = first.body.id;
    const retry = await t.request<{ id: string }>('POST', '/api/v1/driver-reports', {
      token: tokens['driverA'],
      body,
    });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(reportA);
    expect(await rows('SELECT id FROM driver_reports')).toHaveLength(1);
    expect(await rows('SELECT report_id FROM driver_report_photos')).toHaveLength(1);
    expect(
      await rows("SELECT entity_id FROM audit_log WHERE entity = 'driver_report' AND action = 'create'"),
    ).toEqual([{ entity_id: reportA }]);

    const summary = await worker().runOnce(NOW + MINUTE);
    expect(summary.evidence.reportsMerged).toBe(1);
    const fact = (
      await rows<Record<string, unknown>>(
        'SELECT id, container_count, confidence::text, needs_review, evidence FROM collection_facts',
      )
    )[0]!;
    expect(fact).toMatchObject({ id: factA, container_count: 4, confidence: '0.990', needs_review: false });
    expect(fact['evidence']).toContainEqual(
      expect.objectContaining({ kind: 'driver', reportId: reportA, containerCount: 4, photoId: reportA }),
    );
    const report = await t.request<{ factId: string }>('GET', `/api/v1/driver-reports/${reportA}`, {
      token: tokens['driverA'],
    });
    expect(report.body.factId).toBe(factA);

    // Running again, and uploading the same report again, change nothing.
    const before = await merged();
    const times = await rows('SELECT merged_at FROM driver_reports');
    expect((await worker().runOnce(NOW + 2 * MINUTE)).evidence).toEqual({
      reportsMerged: 0,
      driverOnlyFacts: 0,
      ticketsMatched: 0,
      ticketOnlyUnloadings: 0,
    });
    expect(
      (await t.request('POST', '/api/v1/driver-reports', { token: tokens['driverA'], body })).status,
    ).toBe(200);
    await worker().runOnce(NOW + 3 * MINUTE);
    expect(await merged()).toEqual(before);
    expect(await rows('SELECT merged_at FROM driver_reports')).toEqual(times);
  });

  it('sets the unloading mass from a ticket entered later and keeps it through re-detection', async () => {
    const response = await t.request<{ id: string; netKg: string }>('POST', '/api/v1/weighbridge-tickets', {
      token: tokens['dispatcher'],
      body: {
        ticketNo: 'ВЗ-000117',
        facilityId: ids['facility'],
        vehicleId: ids['vehicleA'],
        weighedAt: new Date(dayA.facility.toMs + 5 * MINUTE).toISOString(),
        grossKg: '18250.5',
        tareKg: '11000',
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.netKg).toBe('7250.5');
    ticketA = response.body.id;
    expect((await worker().runOnce(NOW + 4 * MINUTE)).evidence.ticketsMatched).toBe(1);
    const unloadings = await rows<{ id: string; net_kg: string; ticket_id: string }>(
      'SELECT id, net_kg::text, ticket_id FROM facility_unloadings',
    );
    expect(unloadings).toMatchObject([{ net_kg: '7250.5', ticket_id: ticketA }]);
    expect(await rows('SELECT unloading_id FROM weighbridge_tickets')).toEqual([
      { unloading_id: unloadings[0]!.id },
    ]);

    const before = await merged();
    await worker().runOnce(NOW + 5 * MINUTE);
    expect(await merged()).toEqual(before);
    // Forget the resume point: the worker re-detects and re-upserts the whole day (the fact's
    // evidence is replaced by telemetry's), and the merge puts the report and the mass back.
    await t.platform.services.db.query('DELETE FROM fact_watermarks');
    expect((await worker().runOnce(NOW + 6 * MINUTE)).evidence).toEqual({
      reportsMerged: 1,
      driverOnlyFacts: 0,
      ticketsMatched: 0,
      ticketOnlyUnloadings: 0,
    });
    expect(await merged()).toEqual(before);
    await worker().runOnce(NOW + 7 * MINUTE);
    expect(await merged()).toEqual(before);

    // Settlements read these very rows: the per-tonne lot sees the weighbridge mass and the merged fact.
    const sources = await settlementSourcesOfA();
    expect(sources.unloadings).toEqual([expect.objectContaining({ netKg: '7250.5' })]);
    expect(sources.facts).toEqual([
      expect.objectContaining({ id: factA, containerCount: 4, confidence: '0.990' }),
    ]);
  });

  it('makes a report without a telematics visit a driver-only fact; late telemetry then merges the two', async () => {
    const siteTime = dayC.site.fromMs + 90_000;
    const created = await t.request<{ id: string }>('POST', '/api/v1/driver-reports', {
      token: tokens['driverA'],
      body: reportBody({
        vehicleId: ids['vehicleC'],
        time: new Date(siteTime).toISOString(),
        photo: undefined,
      }),
    });
    expect(created.status).toBe(201);
    const reportC = created.body.id;
    // Vehicle D has no tracker: its report is driver-only at once; taken 300 m away it is weak evidence.
    const far = await t.request<{ id: string }>('POST', '/api/v1/driver-reports', {
      token: tokens['dispatcher'],
      body: reportBody({
        vehicleId: ids['vehicleD'],
        location: [dayA.site.lon + 0.0048, dayA.site.lat],
        photo: undefined,
      }),
    });
    expect(far.status).toBe(201);

    // trk-c has sent nothing for two days: after 24 h the report stands on its own.
    const summary = await worker().runOnce(NOW + 8 * MINUTE);
    expect(summary.evidence.driverOnlyFacts).toBe(2);
    const driverOnly = await rows(
      `SELECT id, container_count, confidence::text, needs_review FROM collection_facts WHERE id LIKE 'driver:%'
        ORDER BY confidence`,
    );
    expect(driverOnly).toEqual([
      { id: `driver:${far.body.id}`, container_count: 4, confidence: '0.300', needs_review: true },
      { id: `driver:${reportC}`, container_count: 4, confidence: '0.800', needs_review: true },
    ]);
    // The carrier disputes the driver-only fact meanwhile.
    const dispute = await t.request<{ id: string }>('POST', '/api/v1/disputes', {
      token: tokens['carrierA'],
      body: { factId: `driver:${reportC}`, comment: 'Вывоз был, трекер не работал' },
    });
    expect(dispute.status).toBe(201);

    // The tracker's store-and-forward buffer arrives.
    await storeTelemetry(t.platform.services.db, 'trk-c', dayC.fixes, dayC.lifts);
    expect((await worker().runOnce(NOW + 9 * MINUTE)).evidence.reportsMerged).toBe(1);
    const factsC = await rows<{ id: string; confidence: string; evidence: { kind: string }[] }>(
      'SELECT id, confidence::text, evidence FROM collection_facts WHERE vehicle_id = $1',
      [ids['vehicleC']],
    );
    expect(factsC).toHaveLength(1);
    expect(factsC[0]!.id.startsWith('driver:')).toBe(false);
    expect(factsC[0]!.confidence).toBe('0.990');
    expect(factsC[0]!.evidence.map((e) => e.kind)).toContain('driver');
    expect(await rows('SELECT fact_id FROM driver_reports WHERE id = $1', [reportC])).toEqual([
      { fact_id: factsC[0]!.id },
    ]);
    expect(await rows('SELECT fact_id FROM disputes WHERE id = $1', [dispute.body.id])).toEqual([
      { fact_id: factsC[0]!.id },
    ]);
    const before = await merged();
    await worker().runOnce(NOW + 10 * MINUTE);
    expect(await merged()).toEqual(before);
  });

  it('scopes reports, photos and tickets to the carrier in SQL; consumers get nothing', async () => {
    const list = async (url: string, token: string): Promise<number> => {
      const response = await t.request<{ items: unknown[] }>('GET', url, { token });
      expect(response.status, url).toBe(200);
      return response.body.items.length;
    };
    const range = `from=${new Date(NOW - 3 * 86_400_000).toISOString()}&to=${new Date(NOW + MINUTE).toISOString()}`;
    const reports = `/api/v1/driver-reports?${range}`;
    const tickets = `/api/v1/weighbridge-tickets?${range}`;
    expect(await list(reports, tokens['driverA']!)).toBe(3);
    expect(await list(reports, tokens['carrierA']!)).toBe(3);
    expect(await list(`${reports}&vehicleId=${ids['vehicleA']}`, tokens['dispatcher']!)).toBe(1);
    expect(await list(reports, tokens['billing']!)).toBe(3);
    expect(await list(reports, tokens['driverB']!)).toBe(0);
    expect(await list(reports, tokens['carrierB']!)).toBe(0);
    expect(await list(tickets, tokens['carrierA']!)).toBe(1);
    expect(await list(tickets, tokens['carrierB']!)).toBe(0);
    expect(await list(tickets, tokens['billing']!)).toBe(1);
    for (const who of ['driverB', 'carrierB']) {
      for (const url of [`/api/v1/driver-reports/${reportA}`, `/api/v1/driver-reports/${reportA}/photo`]) {
        expect((await t.request('GET', url, { token: tokens[who] })).status, `${who} ${url}`).toBe(404);
      }
    }
    for (const url of [
      reports,
      tickets,
      `/api/v1/driver-reports/${reportA}`,
      `/api/v1/driver-reports/${reportA}/photo`,
    ]) {
      expect((await t.request('GET', url, { token: tokens['consumer'] })).status, url).toBe(403);
      expect((await t.request('GET', url)).status, url).toBe(401);
    }
    expect((await t.request('GET', tickets, { token: tokens['driverA'] })).status).toBe(403);
    const photo = await t.request<Buffer>('GET', `/api/v1/driver-reports/${reportA}/photo`, {
      token: tokens['carrierA'],
    });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(photo.raw.equals(JPEG)).toBe(true);

    const count = async (): Promise<unknown> =>
      (
        await rows(
          'SELECT (SELECT count(*) FROM driver_reports)::int AS r, (SELECT count(*) FROM weighbridge_tickets)::int AS t',
        )
      )[0];
    const stored = await count();
    // Another company's vehicle looks missing; carrier office staff and consumers may not report.
    expect(
      (await t.request('POST', '/api/v1/driver-reports', { token: tokens['driverB'], body: reportBody() }))
        .status,
    ).toBe(404);
    for (const who of ['carrierA', 'consumer', 'billing']) {
      expect(
        (await t.request('POST', '/api/v1/driver-reports', { token: tokens[who], body: reportBody() }))
          .status,
      ).toBe(403);
    }
    const ticket = {
      ticketNo: 'ВЗ-9',
      facilityId: ids['facility'],
      vehicleId: ids['vehicleB'],
      weighedAt: new Date(NOW - 3600_000).toISOString(),
      netKg: '5000',
    };
    for (const who of ['carrierB', 'driverB', 'billing']) {
      expect(
        (await t.request('POST', '/api/v1/weighbridge-tickets', { token: tokens[who], body: ticket })).status,
      ).toBe(403);
    }
    expect(await count()).toEqual(stored);
  });

  it('refuses bad input with 422 and stores nothing', async () => {
    const count = async (): Promise<unknown> =>
      (
        await rows(
          'SELECT (SELECT count(*) FROM driver_reports)::int AS r, (SELECT count(*) FROM weighbridge_tickets)::int AS t',
        )
      )[0];
    const stored = await count();
    const badReports: Record<string, unknown>[] = [
      reportBody({ time: new Date(Date.now() + 10 * MINUTE).toISOString() }),
      reportBody({ time: new Date(Date.now() - 31 * 86_400_000).toISOString() }),
      reportBody({
        photo: { contentType: 'image/jpeg', dataBase64: Buffer.from('not an image').toString('base64') },
      }),
      reportBody({ photo: { contentType: 'image/png', dataBase64: JPEG.toString('base64') } }),
      reportBody({ photo: { contentType: 'image/jpeg', dataBase64: '@@@' } }),
      reportBody({
        photo: {
          contentType: 'image/jpeg',
          dataBase64: Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]).toString('base64'),
        },
      }),
      reportBody({ siteId: randomUUID() }),
      reportBody({ containerCount: 0 }),
      reportBody({ location: [200, 55] }),
    ];
    for (const body of badReports) {
      const response = await t.request<{ code: string; message: string }>('POST', '/api/v1/driver-reports', {
        token: tokens['driverA'],
        body,
      });
      expect(response.status, JSON.stringify(body).slice(0, 200)).toBe(422);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    const ticket = (overrides: Record<string, unknown>): Record<string, unknown> => ({
      ticketNo: `ВЗ-${randomUUID().slice(0, 8)}`,
      facilityId: ids['facility'],
      vehicleId: ids['vehicleA'],
      weighedAt: new Date(NOW - 3600_000).toISOString(),
      ...overrides,
    });
    for (const body of [
      ticket({ grossKg: '18000', tareKg: '11000', netKg: '7001' }),
      ticket({ grossKg: '18000' }),
      ticket({ grossKg: '10000', tareKg: '11000' }),
      ticket({}),
      ticket({ netKg: '-5' }),
      ticket({ netKg: '5000', weighedAt: new Date(Date.now() + 3600_000).toISOString() }),
    ]) {
      const response = await t.request('POST', '/api/v1/weighbridge-tickets', {
        token: tokens['dispatcher'],
        body,
      });
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
    const unknownFacility = await t.request<{ code: string }>('POST', '/api/v1/weighbridge-tickets', {
      token: tokens['dispatcher'],
      body: ticket({ netKg: '5000', facilityId: randomUUID() }),
    });
    expect(unknownFacility.status).toBe(422);
    expect(unknownFacility.body.code).toBe('REFERENCE_NOT_FOUND');
    const duplicate = await t.request('POST', '/api/v1/weighbridge-tickets', {
      token: tokens['admin'],
      body: ticket({ ticketNo: 'ВЗ-000117', netKg: '5000' }),
    });
    expect(duplicate.status).toBe(409);
    expect(await count()).toEqual(stored);
  });

  it('makes a ticket an unloading of its own when the truck shows none, so per-tonne settlement sees it', async () => {
    const enter = async (
      vehicle: string,
      ticketNo: string,
      weighedAt: number,
      netKg: string,
    ): Promise<string> => {
      const response = await t.request<{ id: string }>('POST', '/api/v1/weighbridge-tickets', {
        token: tokens['dispatcher'],
        body: {
          ticketNo,
          facilityId: ids['facility'],
          vehicleId: ids[vehicle],
          weighedAt: new Date(weighedAt).toISOString(),
          netKg,
        },
      });
      expect(response.status).toBe(201);
      return response.body.id;
    };
    // D has no tracker; A's telemetry passed this weighing (3 h before its detected unloading) without one.
    const untracked = await enter('vehicleD', 'ВЗ-000201', dayA.facility.fromMs - 60 * MINUTE, '6400');
    const unseen = await enter('vehicleA', 'ВЗ-000202', dayA.facility.fromMs - 3 * 3600_000, '5100.5');
    const run = await worker().runOnce(NOW + 8 * MINUTE);
    expect(run.evidence).toMatchObject({ ticketsMatched: 0, ticketOnlyUnloadings: 2 });
    const own = await rows<{ id: string; net_kg: string; ticket_id: string }>(
      `SELECT id, net_kg::text, ticket_id FROM facility_unloadings WHERE id LIKE 'ticket:%' ORDER BY net_kg`,
    );
    expect(own).toEqual([
      { id: `ticket:${unseen}`, net_kg: '5100.5', ticket_id: unseen },
      { id: `ticket:${untracked}`, net_kg: '6400.0', ticket_id: untracked },
    ]);
    // The detected unloading keeps its own ticket; nothing changes on the next run.
    const before = await merged();
    expect((await worker().runOnce(NOW + 9 * MINUTE)).evidence).toMatchObject({
      ticketsMatched: 0,
      ticketOnlyUnloadings: 0,
    });
    expect(await merged()).toEqual(before);
    const sources = await settlementSourcesOfA();
    // (Vehicle C's unloading has no ticket: no mass.)
    const masses = sources.unloadings.flatMap((u) => (u.netKg === null ? [] : [u.netKg]));
    expect(masses.sort()).toEqual(['5100.5', '6400.0', '7250.5']);

    // Detection finds A's unloading at that weighing after all (as a re-detection would store it):
    // the ticket's mass moves there and its stand-in goes, so the mass is counted once.
    const at = dayA.facility.fromMs - 3 * 3600_000;
    await t.platform.services.db.query(
      `INSERT INTO facility_unloadings (id, vehicle_id, facility_id, arrival_time, departure_time, lon, lat)
       VALUES ('late-detected', $1, $2, to_timestamp($3::float8 / 1000), to_timestamp($4::float8 / 1000), $5, $6)`,
      [
        ids['vehicleA'],
        ids['facility'],
        at - 5 * MINUTE,
        at + 10 * MINUTE,
        dayA.facility.lon,
        dayA.facility.lat,
      ],
    );
    expect((await worker().runOnce(NOW + 10 * MINUTE)).evidence).toMatchObject({ ticketsMatched: 1 });
    expect(
      await rows(`SELECT id, net_kg::text FROM facility_unloadings WHERE ticket_id = $1`, [unseen]),
    ).toEqual([{ id: 'late-detected', net_kg: '5100.5' }]);
    expect(await rows(`SELECT 1 FROM facility_unloadings WHERE id = $1`, [`ticket:${unseen}`])).toEqual([]);
  });
});
