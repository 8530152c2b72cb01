import { z } from 'zod';
import { rowScopeOf, type Role } from '../auth/actor.js';
import { timestamp, uuid } from '../http/common-schemas.js';
import { defineRoute, type RouteSpec } from '../http/route.js';
import { listAlerts, listFuelEvents, listTrips } from './fact-queries.js';

// Operators watch the whole fleet; a carrier sees its own vehicles (scoped in SQL).
const FACT_READ: readonly Role[] = ['admin', 'dispatcher', 'carrier'];
const DAY_MS = 86_400_000;
const MAX_PERIOD_MS = 31 * DAY_MS;

const instant = z.iso.datetime({ offset: true }).describe('ISO-8601');
const limit = z.coerce.number().int().min(1).max(5000).default(1000);

const periodQuery = z
  .object({
    vehicleId: uuid.optional(),
    from: instant.optional().describe('ISO-8601; default: 24 h before `to`'),
    to: instant.optional().describe('ISO-8601, exclusive; default: now'),
    limit,
  })
  .transform((q) => {
    const toMs = q.to ? Date.parse(q.to) : Date.now();
    const fromMs = q.from ? Date.parse(q.from) : toMs - DAY_MS;
    return { vehicleId: q.vehicleId, fromMs, toMs, limit: q.limit };
  })
  .refine((q) => q.fromMs < q.toMs && q.toMs - q.fromMs <= MAX_PERIOD_MS, {
    message: '`from` must be before `to`, at most 31 days apart',
  });

const trip = z.object({
  vehicleId: z.string(),
  startTime: timestamp,
  endTime: timestamp,
  fromLon: z.number(),
  fromLat: z.number(),
  toLon: z.number(),
  toLat: z.number(),
  distanceM: z.number(),
  maxSpeedKmh: z.number(),
  loaded: z.boolean(),
  truncated: z.boolean().describe('the data ended while driving'),
  fuelUsedL: z.number().nullable(),
  fuelExpectedL: z.number().nullable().describe('by the norm, empty or loaded'),
});

const fuelEvent = z.object({
  id: z.string(),
  vehicleId: z.string(),
  kind: z.enum(['refuel', 'drain']),
  startTime: timestamp,
  endTime: timestamp,
  litres: z.number(),
  levelBeforeL: z.number(),
  levelAfterL: z.number(),
  lon: z.number(),
  lat: z.number(),
  seen: z.enum(['stop', 'gap']),
  ignitionOff: z.boolean(),
});

const alert = z.object({
  id: z.string(),
  kind: z.string().describe('fuel-drain, …'),
  carrierId: z.string().nullable(),
  vehicleId: z.string().nullable(),
  time: timestamp.describe('when the deviation happened'),
  details: z.record(z.string(), z.unknown()),
  createdAt: timestamp.describe('when it was raised'),
});

/** Read-only views of what the facts worker detected: trips, fuel events, live alerts. */
export function factRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/trips',
      tag: 'facts',
      summary: 'Рейсы по телеметрии / Trips detected from telemetry',
      roles: FACT_READ,
      query: periodQuery,
      response: { status: 200, schema: z.object({ items: z.array(trip) }) },
      handler: async ({ actor, query, services }) => ({
        items: await listTrips(services.db, rowScopeOf(actor), query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/fuel-events',
      tag: 'facts',
      summary: 'Заправки и сливы / Refuels and drains',
      roles: FACT_READ,
      query: periodQuery,
      response: { status: 200, schema: z.object({ items: z.array(fuelEvent) }) },
      handler: async ({ actor, query, services }) => ({
        items: await listFuelEvents(services.db, rowScopeOf(actor), query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/alerts',
      tag: 'facts',
      summary: 'Оповещения об отклонениях / Deviation alerts',
      roles: FACT_READ,
      query: z.object({ since: instant.optional().describe('ISO-8601; default: 24 h ago'), limit }),
      response: { status: 200, schema: z.object({ items: z.array(alert) }) },
      handler: async ({ actor, query, services }) => {
        const sinceMs = query.since ? Date.parse(query.since) : Date.now() - DAY_MS;
        return { items: await listAlerts(services.db, rowScopeOf(actor), sinceMs, query.limit) };
      },
    }),
  ];
}
