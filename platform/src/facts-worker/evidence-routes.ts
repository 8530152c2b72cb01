import { createHash } from 'node:crypto';
import { z } from 'zod';
import { rowScopeOf, type Role } from '../auth/actor.js';
import {
  findDriverReport,
  findReportPhoto,
  findVehicleCarrier,
  insertDriverReport,
  listDriverReports,
  siteExists,
} from '../db/driver-reports.js';
import { withTransaction } from '../db/pool.js';
import { insertWeighbridgeTicket, listWeighbridgeTickets } from '../db/weighbridge-tickets.js';
import { apiErrors, type ValidationIssue } from '../http/api-error.js';
import { decimalString, idParams, lat, lon, pageOf, timestamp, uuid } from '../http/common-schemas.js';
import { defineRoute, fileResult, type RouteSpec } from '../http/route.js';
import { Exact } from '../settlements/exact-decimal.js';

// Drivers report for their company's vehicles; dispatchers and admins may enter a report on a
// driver's behalf (a call from a driver whose phone died). Carrier office staff only read.
const REPORT_WRITE: readonly Role[] = ['admin', 'dispatcher', 'driver'];
const REPORT_READ: readonly Role[] = ['admin', 'dispatcher', 'billing', 'carrier', 'driver'];
const TICKET_WRITE: readonly Role[] = ['admin', 'dispatcher'];
const TICKET_READ: readonly Role[] = ['admin', 'dispatcher', 'billing', 'carrier'];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Phone clocks drift; beyond this a report "from the future" is a wrong clock. */
const MAX_CLOCK_AHEAD_MS = 5 * MINUTE_MS;
/** The app keeps unsent reports this long; older ones are no evidence for settlements any more. */
const MAX_REPORT_AGE_MS = 30 * DAY_MS;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
// base64 of the largest photo, plus the rest of the report.
const REPORT_BODY_MAX_BYTES = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64 * 1024;
const MAX_PERIOD_MS = 31 * DAY_MS;

const instant = z.iso.datetime({ offset: true }).describe('ISO-8601');
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const reportCreate = z.object({
  clientId: uuid.describe('made by the app when the fact was registered; a retry repeats it'),
  vehicleId: uuid,
  siteId: uuid
    .optional()
    .describe('the site picked in the app; else the geofence holding `location` decides'),
  time: instant.describe('when the driver registered the fact (ISO-8601)'),
  location: z.tuple([lon, lat]).describe('[lon, lat], WGS84'),
  containerCount: z.number().int().min(1).max(200),
  comment: z.string().max(2000).optional(),
  photo: z
    .object({
      contentType: z.enum(['image/jpeg', 'image/png']),
      dataBase64: z.string().min(1).max(REPORT_BODY_MAX_BYTES).regex(BASE64, 'base64'),
    })
    .optional()
    .describe('JPEG or PNG, at most 5 MB'),
});

const driverReport = z.object({
  id: uuid,
  clientId: uuid,
  vehicleId: uuid,
  carrierId: uuid,
  authorUserId: uuid,
  siteId: uuid.nullable(),
  time: timestamp,
  location: z.tuple([z.number(), z.number()]).describe('[lon, lat]'),
  containerCount: z.number().int(),
  comment: z.string().nullable(),
  photo: z.object({ contentType: z.string(), sha256: z.string(), bytes: z.number().int() }).nullable(),
  receivedAt: timestamp,
  factId: z.string().nullable().describe('the collection fact it was merged into by the facts worker'),
  mergedAt: timestamp.nullable(),
});

const periodFields = {
  from: instant.optional().describe('ISO-8601; default: 24 h before `to`'),
  to: instant.optional().describe('ISO-8601, exclusive; default: now'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

function toPeriod<Q extends { from?: string | undefined; to?: string | undefined }>({
  from,
  to,
  ...rest
}: Q) {
  const toMs = to ? Date.parse(to) : Date.now();
  return { ...rest, fromMs: from ? Date.parse(from) : toMs - DAY_MS, toMs };
}

const periodRule = [
  (q: { fromMs: number; toMs: number }) => q.fromMs < q.toMs && q.toMs - q.fromMs <= MAX_PERIOD_MS,
  { message: '`from` must be before `to`, at most 31 days apart' },
] as const;

const reportListQuery = z
  .object({ ...periodFields, vehicleId: uuid.optional(), siteId: uuid.optional() })
  .transform(toPeriod)
  .refine(...periodRule);

const ticketListQuery = z
  .object({ ...periodFields, facilityId: uuid.optional(), vehicleId: uuid.optional() })
  .transform(toPeriod)
  .refine(...periodRule);

const kg = (meaning: string) => decimalString(6, 1, meaning);
const ticketCreate = z.object({
  ticketNo: z.string().min(1).max(64),
  facilityId: uuid,
  vehicleId: uuid,
  weighedAt: instant,
  grossKg: kg('брутто / gross, kg').optional(),
  tareKg: kg('тара / tare, kg').optional(),
  netKg: kg('нетто / net, kg; gross − tare when both are given').optional(),
});

const ticket = z.object({
  id: uuid,
  ticketNo: z.string(),
  facilityId: uuid,
  vehicleId: uuid,
  weighedAt: timestamp,
  grossKg: z.string().nullable(),
  tareKg: z.string().nullable(),
  netKg: z.string(),
  enteredBy: uuid,
  createdAt: timestamp,
  unloadingId: z.string().nullable().describe('the detected unloading the mass went to'),
});

const invalid = (path: string, message: string): never => {
  throw apiErrors.validation([{ in: 'body', path, message } satisfies ValidationIssue]);
};

/** The media type the bytes start like, by magic number. */
export function imageTypeOf(bytes: Buffer): 'image/jpeg' | 'image/png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return undefined;
}

function decodePhoto(photo: z.output<typeof reportCreate>['photo']) {
  if (!photo) return null;
  const data = Buffer.from(photo.dataBase64, 'base64');
  if (data.length > MAX_PHOTO_BYTES) invalid('photo.dataBase64', 'Фото больше 5 МБ / photo over 5 MB');
  if (imageTypeOf(data) !== photo.contentType) {
    invalid('photo.dataBase64', `Это не ${photo.contentType} / not a ${photo.contentType} image`);
  }
  return { contentType: photo.contentType, data, sha256: createHash('sha256').update(data).digest('hex') };
}

/** Net mass from the ticket: given, or gross − tare; both given must agree. */
function netOf(body: z.output<typeof ticketCreate>): string {
  const { grossKg, tareKg, netKg } = body;
  if ((grossKg === undefined) !== (tareKg === undefined)) {
    invalid(
      grossKg === undefined ? 'grossKg' : 'tareKg',
      'Брутто и тара указываются вместе / gross and tare go together',
    );
  }
  if (grossKg === undefined || tareKg === undefined) {
    return (
      netKg ?? invalid('netKg', 'Нужна масса нетто или брутто и тара / net, or gross and tare, required')
    );
  }
  const net = new Exact(grossKg).minus(tareKg);
  if (net.isNegative()) invalid('tareKg', 'Тара больше брутто / tare exceeds gross');
  if (netKg !== undefined && !net.equals(netKg)) {
    invalid('netKg', 'Нетто не равно брутто минус тара / net is not gross minus tare');
  }
  return net.toFixed(1);
}

/**
 * Driver-app collection reports and weighbridge tickets: stored here, merged into the collection
 * facts and unloadings by the facts worker (evidence-merge.ts).
 */
export function evidenceRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/driver-reports',
      tag: 'facts',
      summary: 'Отметка водителя о вывозе (повтор с тем же clientId — 200) / Driver collection report',
      roles: REPORT_WRITE,
      body: reportCreate,
      jsonBodyMaxBytes: REPORT_BODY_MAX_BYTES,
      response: { status: 201, replayStatus: 200, schema: driverReport },
      handler: async ({ actor, body, services, replayed }) => {
        const timeMs = Date.parse(body.time);
        const now = Date.now();
        if (timeMs > now + MAX_CLOCK_AHEAD_MS) invalid('time', 'Время в будущем / time in the future');
        if (timeMs < now - MAX_REPORT_AGE_MS) invalid('time', 'Старше 30 дней / older than 30 days');
        const photo = decodePhoto(body.photo);
        const result = await withTransaction(services.db, async (tx) => {
          // Another company's vehicle looks missing to a driver (404, nothing leaks).
          const carrierId = await findVehicleCarrier(tx, rowScopeOf(actor), body.vehicleId);
          if (!carrierId) throw apiErrors.notFound();
          if (body.siteId !== undefined && !(await siteExists(tx, body.siteId))) {
            invalid('siteId', 'Нет такой площадки / no such site');
          }
          return insertDriverReport(tx, actor, {
            clientId: body.clientId,
            vehicleId: body.vehicleId,
            carrierId,
            siteId: body.siteId ?? null,
            timeMs,
            lon: body.location[0],
            lat: body.location[1],
            containerCount: body.containerCount,
            comment: body.comment ?? null,
            photo,
          });
        });
        if (!result.created) replayed();
        return result.report;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/driver-reports',
      tag: 'facts',
      summary: 'Отметки водителей: список / Driver reports: list',
      roles: REPORT_READ,
      query: reportListQuery,
      response: { status: 200, schema: pageOf(driverReport) },
      handler: ({ actor, query, services }) => listDriverReports(services.db, rowScopeOf(actor), query),
    }),
    defineRoute({
      method: 'get',
      path: '/driver-reports/:id',
      tag: 'facts',
      summary: 'Отметка водителя / Driver report',
      roles: REPORT_READ,
      params: idParams,
      response: { status: 200, schema: driverReport },
      handler: async ({ actor, params, services }) => {
        const found = await findDriverReport(services.db, rowScopeOf(actor), params.id);
        if (!found) throw apiErrors.notFound();
        return found;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/driver-reports/:id/photo',
      tag: 'facts',
      summary: 'Фото к отметке водителя / Photo of a driver report',
      roles: REPORT_READ,
      params: idParams,
      response: { status: 200, schema: fileResult, contentTypes: ['image/jpeg', 'image/png'] },
      handler: async ({ actor, params, services }) => {
        const photo = await findReportPhoto(services.db, rowScopeOf(actor), params.id);
        if (!photo) throw apiErrors.notFound();
        const extension = photo.contentType === 'image/png' ? 'png' : 'jpg';
        return { body: photo.data, contentType: photo.contentType, filename: `${params.id}.${extension}` };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/weighbridge-tickets',
      tag: 'facts',
      summary: 'Талон взвешивания / Weighbridge ticket',
      roles: TICKET_WRITE,
      body: ticketCreate,
      response: { status: 201, schema: ticket },
      handler: async ({ actor, body, services }) => {
        const weighedAtMs = Date.parse(body.weighedAt);
        if (weighedAtMs > Date.now() + MAX_CLOCK_AHEAD_MS) {
          invalid('weighedAt', 'Время в будущем / time in the future');
        }
        const netKg = netOf(body);
        // Unknown facility or vehicle: the foreign keys answer 422 REFERENCE_NOT_FOUND.
        return withTransaction(services.db, (tx) =>
          insertWeighbridgeTicket(tx, actor, {
            ticketNo: body.ticketNo,
            facilityId: body.facilityId,
            vehicleId: body.vehicleId,
            weighedAtMs,
            grossKg: body.grossKg ?? null,
            tareKg: body.tareKg ?? null,
            netKg,
          }),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/weighbridge-tickets',
      tag: 'facts',
      summary: 'Талоны взвешивания: список / Weighbridge tickets: list',
      roles: TICKET_READ,
      query: ticketListQuery,
      response: { status: 200, schema: pageOf(ticket) },
      handler: ({ actor, query, services }) => listWeighbridgeTickets(services.db, rowScopeOf(actor), query),
    }),
  ];
}
