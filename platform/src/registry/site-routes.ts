import { z } from 'zod';
import { rowScopeOf } from '../auth/actor.js';
import { listAudit } from '../db/audit.js';
import { findEntity, listEntities, type EntityRow } from '../db/entity-store.js';
import { withTransaction } from '../db/pool.js';
import { findNearestSites } from '../db/sites.js';
import { SITES } from '../db/tables.js';
import { apiErrors } from '../http/api-error.js';
import { auditEntry, idParams, lat, lon, pagination } from '../http/common-schemas.js';
import { createRow, patchRow } from '../http/crud-routes.js';
import { defineRoute, fileResult, type RouteSpec } from '../http/route.js';
import { objectStatus, site } from './registry-schemas.js';
import {
  presentSite,
  REGISTRY_READ,
  REGISTRY_WRITE,
  siteColumns,
  siteResource,
} from './registry-resources.js';
import { EXCHANGE_MEDIA_TYPES, exportSites, parseSiteImport, type ExchangeFormat } from './site-exchange.js';

const format = z.enum(['geojson', 'csv', 'xlsx']);
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const EXPORT_PAGE = 1000;

const nearestResponse = z.object({
  items: z.array(site.extend({ distanceM: z.number().describe('metres, great circle') })),
});

const formatByMediaType = Object.fromEntries(
  Object.entries(EXCHANGE_MEDIA_TYPES).map(([key, type]) => [type, key as ExchangeFormat]),
);

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
    defineRoute({
      method: 'get',
      path: '/sites/export',
      tag: 'registry',
      summary: 'Выгрузка реестра (GeoJSON, CSV, Excel) / Registry export',
      roles: REGISTRY_READ,
      query: z.object({ format: format.default('geojson'), status: objectStatus.optional() }),
      response: { status: 200, schema: fileResult, contentTypes: Object.values(EXCHANGE_MEDIA_TYPES) },
      handler: async ({ actor, query, services }) => {
        const rows: EntityRow[] = [];
        for (let offset = 0; ; offset += EXPORT_PAGE) {
          const page = await listEntities(services.db, SITES, rowScopeOf(actor), {
            equals: { status: query.status },
            limit: EXPORT_PAGE,
            offset,
          });
          rows.push(...page.items);
          if (page.items.length < EXPORT_PAGE) break;
        }
        const extension = query.format === 'geojson' ? 'geojson' : query.format;
        return {
          body: await exportSites(rows, query.format),
          contentType: EXCHANGE_MEDIA_TYPES[query.format],
          filename: `sites.${extension}`,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/sites/import',
      tag: 'registry',
      summary: 'Загрузка реестра: всё или ничего / Registry import: all or nothing',
      roles: REGISTRY_WRITE,
      rawBody: {
        contentTypes: [...Object.values(EXCHANGE_MEDIA_TYPES), 'application/json'],
        maxBytes: MAX_IMPORT_BYTES,
      },
      response: { status: 200, schema: z.object({ created: z.number().int(), updated: z.number().int() }) },
      handler: async ({ actor, raw, services }) => {
        const kind = formatByMediaType[raw!.contentType] ?? 'geojson';
        const parsed = await parseSiteImport(raw!.data, kind);
        for (const [index, imported] of parsed.sites.entries()) {
          try {
            siteColumns(imported.input);
          } catch {
            parsed.issues.push({
              in: `site ${index}`,
              path: 'geofence',
              message: 'geofence too far from the point',
            });
          }
        }
        if (parsed.issues.length > 0) throw apiErrors.validation(parsed.issues);
        return withTransaction(services.db, async (tx) => {
          let created = 0;
          let updated = 0;
          for (const { id, input } of parsed.sites) {
            const exists = id ? await findEntity(tx, SITES, {}, id) : undefined;
            if (exists && id) {
              await patchRow(siteResource, tx, actor, id, input);
              updated++;
            } else {
              await createRow(siteResource, tx, actor, input, id);
              created++;
            }
          }
          return { created, updated };
        });
      },
    }),
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
