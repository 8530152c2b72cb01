import { z } from 'zod';
import { listAudit } from '../db/audit.js';
import { findNearestSites } from '../db/sites.js';
import { SITES } from '../db/tables.js';
import { auditEntry, idParams, lat, lon, pagination } from '../http/common-schemas.js';
import { defineRoute, type RouteSpec } from '../http/route.js';
import { exchangeRoutes } from './exchange-routes.js';
import { objectStatus, site } from './registry-schemas.js';
import { presentSite, REGISTRY_READ, siteResource } from './registry-resources.js';
import { siteExchange } from './site-exchange.js';

const nearestResponse = z.object({
  items: z.array(site.extend({ distanceM: z.number().describe('metres, great circle') })),
});

/** Site routes beyond CRUD: nearest, history, export and import. Registered before `/sites/:id`. */
export function siteRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/sites/nearest',
      tag: 'registry',
      summary: 'Ближайшие места накопления / Nearest container sites',
      roles: REGISTRY_READ,
      query: z.object({
        lon: z.coerce.number().pipe(lon),
        lat: z.coerce.number().pipe(lat),
        limit: z.coerce.number().int().min(1).max(100).default(10),
        maxDistanceM: z.coerce.number().positive().max(20_000_000).optional(),
        status: objectStatus.optional(),
      }),
      response: { status: 200, schema: nearestResponse },
      handler: async ({ query, services }) => {
        const rows = await findNearestSites(services.db, query);
        return { items: rows.map(presentSite) } as unknown as z.input<typeof nearestResponse>;
      },
    }),
    ...exchangeRoutes(siteResource, siteExchange),
    defineRoute({
      method: 'get',
      path: '/sites/:id/history',
      tag: 'registry',
      summary: 'История изменений места накопления / Site change history',
      roles: ['admin', 'dispatcher', 'billing'],
      params: idParams,
      query: z.object(pagination),
      response: { status: 200, schema: z.object({ items: z.array(auditEntry) }) },
      handler: async ({ params, query, services }) => ({
        items: await listAudit(services.db, { entity: SITES.entity, entityId: params.id, ...query }),
      }),
    }),
  ];
}
