import { z } from 'zod';
import { rowScopeOf } from '../auth/actor.js';
import { findEntity, listEntities, type EntityRow } from '../db/entity-store.js';
import { withTransaction } from '../db/pool.js';
import { apiErrors } from '../http/api-error.js';
import { createRow, patchRow, type CrudResource } from '../http/crud-routes.js';
import { defineRoute, fileResult, type RouteSpec } from '../http/route.js';
import {
  EXCHANGE_MEDIA_TYPES,
  exportEntities,
  parseImport,
  type ExchangeFormat,
  type ExchangeSpec,
} from './registry-exchange.js';

const format = z.enum(['geojson', 'csv', 'xlsx']);
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const EXPORT_PAGE = 1000;

const formatByMediaType = Object.fromEntries(
  Object.entries(EXCHANGE_MEDIA_TYPES).map(([key, type]) => [type, key as ExchangeFormat]),
);

/**
 * `GET {path}/export?format=` (the list's filters apply) and `POST {path}/import`, all or nothing,
 * with the resource's roles; register them before `{path}/:id`.
 */
export function exchangeRoutes(resource: CrudResource, spec: ExchangeSpec): RouteSpec[] {
  const { ru, en } = resource.names;
  const exportQuery = z.object({ format: format.default('geojson'), ...(resource.filters ?? {}) });
  return [
    defineRoute({
      method: 'get',
      path: `${resource.path}/export`,
      tag: resource.tag,
      summary: `${ru}: выгрузка (GeoJSON, CSV, Excel) / ${en}: export`,
      roles: resource.read,
      query: exportQuery,
      response: { status: 200, schema: fileResult, contentTypes: Object.values(EXCHANGE_MEDIA_TYPES) },
      handler: async ({ actor, query, services }) => {
        const { format: kind, ...equals } = query as z.output<typeof exportQuery>;
        const rows: EntityRow[] = [];
        for (let offset = 0; ; offset += EXPORT_PAGE) {
          const page = await listEntities(services.db, resource.table, rowScopeOf(actor), {
            equals: equals as Record<string, string | undefined>,
            limit: EXPORT_PAGE,
            offset,
          });
          rows.push(...page.items);
          if (page.items.length < EXPORT_PAGE) break;
        }
        return {
          body: await exportEntities(spec, rows, kind),
          contentType: EXCHANGE_MEDIA_TYPES[kind],
          filename: `${spec.noun}.${kind}`,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${resource.path}/import`,
      tag: resource.tag,
      summary: `${ru}: загрузка, всё или ничего / ${en}: import, all or nothing`,
      roles: resource.write,
      rawBody: {
        contentTypes: [...Object.values(EXCHANGE_MEDIA_TYPES), 'application/json'],
        maxBytes: MAX_IMPORT_BYTES,
      },
      response: { status: 200, schema: z.object({ created: z.number().int(), updated: z.number().int() }) },
      handler: async ({ actor, raw, services }) => {
        const parsed = await parseImport(spec, raw!.data, formatByMediaType[raw!.contentType] ?? 'geojson');
        if (parsed.issues.length > 0) throw apiErrors.validation(parsed.issues);
        return withTransaction(services.db, async (tx) => {
          let created = 0;
          let updated = 0;
          for (const { id, input } of parsed.entities) {
            const exists = id ? await findEntity(tx, resource.table, {}, id) : undefined;
            if (exists && id) {
              await patchRow(resource, tx, actor, id, input);
              updated++;
            } else {
              await createRow(resource, tx, actor, input, id);
              created++;
            }
          }
          return { created, updated };
        });
      },
    }),
  ];
}
