import type pg from 'pg';
import { z } from 'zod';
import { rowScopeOf, type Actor, type Role, type RowScope } from '../auth/actor.js';
import {
  deleteEntity,
  findEntity,
  insertEntity,
  listEntities,
  updateEntity,
  type ColumnValues,
  type EntityRow,
  type EntityTable,
} from '../db/entity-store.js';
import { withTransaction } from '../db/pool.js';
import { apiErrors, type ValidationIssue } from './api-error.js';
import { idParams, pageOf, pagination } from './common-schemas.js';
import { defineRoute, type RouteSpec } from './route.js';

export interface WriteContext {
  actor: Actor;
  scope: RowScope;
  tx: pg.PoolClient;
  /** The row before a PATCH; undefined on create. */
  before?: EntityRow;
}

export interface CrudResource {
  /** Collection path below /api/v1, e.g. `/vehicles`. */
  path: string;
  tag: string;
  /** Russian, then English, for the OpenAPI summaries. */
  names: { ru: string; en: string };
  table: EntityTable;
  output: z.ZodType;
  create: z.ZodType<ColumnValues>;
  patch: z.ZodType<ColumnValues>;
  /** Equality filters of the list (fields of the table). */
  filters?: z.ZodRawShape;
  read: readonly Role[];
  write: readonly Role[];
  /** Defaults to `write`. */
  remove?: readonly Role[];
  /** Whole validated input → column values; may refuse with an ApiError. */
  toColumns?(input: ColumnValues, context: WriteContext): ColumnValues | Promise<ColumnValues>;
  /** Side effects in the same transaction (e.g. a vehicle claims its tracker). */
  afterWrite?(row: EntityRow, context: WriteContext): Promise<void>;
  /** Adds derived fields to a row for the response. */
  present?(row: EntityRow): EntityRow;
}

const bbox = z
  .string()
  .transform((value, ctx) => {
    const parts = value.split(',').map(Number);
    const [minLon, minLat, maxLon, maxLat] = parts;
    const valid =
      parts.length === 4 &&
      parts.every(Number.isFinite) &&
      minLon! >= -180 &&
      maxLon! <= 180 &&
      minLat! >= -90 &&
      maxLat! <= 90 &&
      minLon! <= maxLon! &&
      minLat! <= maxLat!;
    if (!valid) {
      ctx.addIssue({ code: 'custom', message: 'minLon,minLat,maxLon,maxLat in degrees, min ≤ max' });
      return z.NEVER;
    }
    return [minLon!, minLat!, maxLon!, maxLat!] as const;
  })
  .describe('minLon,minLat,maxLon,maxLat (WGS84)');

const META_FIELDS = new Set(['id', 'createdAt', 'updatedAt']);

function withoutMeta(row: EntityRow): ColumnValues {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !META_FIELDS.has(key)));
}

/** Rows of carrier-owned tables: carrier users write only their own; staff must name the carrier. */
function enforceCarrier(resource: CrudResource, values: ColumnValues, scope: RowScope): ColumnValues {
  if (resource.table.scope !== 'carrier') return values;
  if (scope.carrierId !== undefined) {
    if (values['carrierId'] !== undefined && values['carrierId'] !== scope.carrierId)
      throw apiErrors.forbidden();
    return { ...values, carrierId: scope.carrierId };
  }
  if (!values['carrierId']) {
    throw apiErrors.validation([{ in: 'body', path: 'carrierId', message: 'required for this role' }]);
  }
  return values;
}

function validateWhole(schema: z.ZodType<ColumnValues>, value: unknown): ColumnValues {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: ValidationIssue[] = parsed.error.issues.map((issue) => ({
    in: 'body',
    path: issue.path.join('.'),
    message: issue.message,
  }));
  throw apiErrors.validation(issues);
}

/** Writes one validated input as a new row (used by the create route and by imports). */
export async function createRow(
  resource: CrudResource,
  tx: pg.PoolClient,
  actor: Actor,
  input: ColumnValues,
  id?: string,
): Promise<EntityRow> {
  const scope = rowScopeOf(actor);
  const context: WriteContext = { actor, scope, tx };
  const checked = enforceCarrier(resource, input, scope);
  const values = resource.toColumns ? await resource.toColumns(checked, context) : checked;
  const row = await insertEntity(tx, resource.table, actor, values, id);
  await resource.afterWrite?.(row, context);
  return row;
}

/** Merges a partial change into the row and rewrites it; undefined when not found in scope. */
export async function patchRow(
  resource: CrudResource,
  tx: pg.PoolClient,
  actor: Actor,
  id: string,
  change: ColumnValues,
): Promise<EntityRow | undefined> {
  const scope = rowScopeOf(actor);
  let context: WriteContext = { actor, scope, tx };
  const row = await updateEntity(tx, resource.table, actor, scope, id, async (before) => {
    context = { ...context, before };
    const merged = validateWhole(resource.create, { ...withoutMeta(before), ...change });
    const checked = enforceCarrier(resource, merged, scope);
    return resource.toColumns ? resource.toColumns(checked, context) : checked;
  });
  if (row) await resource.afterWrite?.(row, context);
  return row;
}

/** list, get, create, patch and delete for one resource; every query carries the actor's row scope. */
export function crudRoutes(resource: CrudResource): RouteSpec[] {
  const present = (row: EntityRow): EntityRow => (resource.present ? resource.present(row) : row);
  const { ru, en } = resource.names;
  const listQuery = z.object({
    ...pagination,
    ...(resource.filters ?? {}),
    ...(resource.table.located ? { bbox: bbox.optional() } : {}),
  });
  const item = `${resource.path}/:id`;
  return [
    defineRoute({
      method: 'get',
      path: resource.path,
      tag: resource.tag,
      summary: `${ru}: список / ${en}: list`,
      roles: resource.read,
      query: listQuery,
      response: { status: 200, schema: pageOf(resource.output) },
      handler: async ({ actor, query, services }) => {
        const {
          limit,
          offset,
          bbox: box,
          ...equals
        } = query as z.output<typeof listQuery> & {
          bbox?: readonly [number, number, number, number];
        };
        const page = await listEntities(services.db, resource.table, rowScopeOf(actor), {
          equals: equals as Record<string, string | undefined>,
          bbox: box,
          limit,
          offset,
        });
        return { items: page.items.map(present), total: page.total };
      },
    }),
    defineRoute({
      method: 'get',
      path: item,
      tag: resource.tag,
      summary: `${ru} / ${en}`,
      roles: resource.read,
      params: idParams,
      response: { status: 200, schema: resource.output },
      handler: async ({ actor, params, services }) => {
        const row = await findEntity(services.db, resource.table, rowScopeOf(actor), params.id);
        if (!row) throw apiErrors.notFound();
        return present(row);
      },
    }),
    defineRoute({
      method: 'post',
      path: resource.path,
      tag: resource.tag,
      summary: `${ru}: создать / ${en}: create`,
      roles: resource.write,
      body: resource.create,
      response: { status: 201, schema: resource.output },
      handler: async ({ actor, body, services }) =>
        present(await withTransaction(services.db, (tx) => createRow(resource, tx, actor, body))),
    }),
    defineRoute({
      method: 'patch',
      path: item,
      tag: resource.tag,
      summary: `${ru}: изменить / ${en}: update`,
      roles: resource.write,
      params: idParams,
      body: resource.patch,
      response: { status: 200, schema: resource.output },
      handler: async ({ actor, params, body, services }) => {
        const row = await withTransaction(services.db, (tx) =>
          patchRow(resource, tx, actor, params.id, body),
        );
        if (!row) throw apiErrors.notFound();
        return present(row);
      },
    }),
    defineRoute({
      method: 'delete',
      path: item,
      tag: resource.tag,
      summary: `${ru}: удалить / ${en}: delete`,
      roles: resource.remove ?? resource.write,
      params: idParams,
      response: { status: 204, schema: z.void() },
      handler: async ({ actor, params, services }) => {
        const deleted = await withTransaction(services.db, (tx) =>
          deleteEntity(tx, resource.table, actor, rowScopeOf(actor), params.id),
        );
        if (!deleted) throw apiErrors.notFound();
      },
    }),
  ];
}
