import type pg from 'pg';
import type { Actor, RowScope } from '../auth/actor.js';
import { writeAudit } from './audit.js';
import type { Queryable } from './pool.js';

export type SqlType = 'text' | 'uuid' | 'numeric' | 'jsonb' | 'date' | 'float8' | 'int' | 'boolean';

export interface ColumnSpec {
  /** Name in the API (camelCase). */
  field: string;
  column: string;
  type: SqlType;
}

/**
 * How rows of a table are limited for scoped roles:
 * - `public`: no limit (the registry is public information, Decree 1039 §11);
 * - `carrier`: `carrier_id` must be the actor's carrier; `carrier-self`: the row *is* the carrier;
 * - `owner`: `owner_user_id` must be the actor (consumer accounts).
 * An actor whose scope kind the table cannot express sees no rows at all.
 */
export type TableScope = 'public' | 'carrier' | 'carrier-self' | 'owner';

export interface EntityTable {
  table: string;
  /** Entity name in the audit log. */
  entity: string;
  columns: readonly ColumnSpec[];
  scope: TableScope;
  orderBy: string;
  /** Has lon/lat and a `location point` column (bbox filter). */
  located?: boolean;
}

export type EntityRow = { id: string } & Record<string, unknown>;
export type ColumnValues = Record<string, unknown>;

export interface ListQuery {
  /** Equality filters by API field name (only fields of the table). */
  equals?: Record<string, string | undefined>;
  /** [minLon, minLat, maxLon, maxLat]. */
  bbox?: readonly [number, number, number, number];
  limit: number;
  offset: number;
}

export interface Page {
  items: EntityRow[];
  total: number;
}

export function selectList(table: EntityTable): string {
  const columns = table.columns.map((c) => `${c.column} AS "${c.field}"`);
  return ['id', ...columns, 'created_at AS "createdAt"', 'updated_at AS "updatedAt"'].join(', ');
}

function bind(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

function sqlValue(column: ColumnSpec, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return column.type === 'jsonb' ? JSON.stringify(value) : value;
}

/** The row-level limit for this actor, as SQL appended to a WHERE clause. */
export function scopeCondition(table: EntityTable, scope: RowScope, params: unknown[]): string {
  const conditions: string[] = [];
  if (scope.carrierId !== undefined) {
    if (table.scope === 'carrier') conditions.push(`carrier_id = ${bind(params, scope.carrierId)}::uuid`);
    else if (table.scope === 'carrier-self') conditions.push(`id = ${bind(params, scope.carrierId)}::uuid`);
    else if (table.scope !== 'public') conditions.push('false');
  }
  if (scope.ownerUserId !== undefined) {
    if (table.scope === 'owner') conditions.push(`owner_user_id = ${bind(params, scope.ownerUserId)}::uuid`);
    else if (table.scope !== 'public') conditions.push('false');
  }
  return conditions.map((c) => ` AND ${c}`).join('');
}

export async function findEntity(
  db: Queryable,
  table: EntityTable,
  scope: RowScope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EntityRow | undefined> {
  const params: unknown[] = [id];
  const result = await db.query<EntityRow>(
    `SELECT ${selectList(table)} FROM ${table.table}
      WHERE id = $1${scopeCondition(table, scope, params)}${options.forUpdate ? ' FOR UPDATE' : ''}`,
    params,
  );
  return result.rows[0];
}

export async function listEntities(
  db: Queryable,
  table: EntityTable,
  scope: RowScope,
  query: ListQuery,
): Promise<Page> {
  const params: unknown[] = [];
  let where = `true${scopeCondition(table, scope, params)}`;
  for (const [field, value] of Object.entries(query.equals ?? {})) {
    if (value === undefined) continue;
    const column = table.columns.find((c) => c.field === field);
    if (!column) throw new Error(`${table.table} has no field ${field}`);
    where += ` AND ${column.column} = ${bind(params, value)}::${column.type}`;
  }
  if (query.bbox && table.located) {
    const [minLon, minLat, maxLon, maxLat] = query.bbox.map((v) => bind(params, v));
    // `<@ box` on the GiST-indexed point column; box corners are (lon, lat).
    where += ` AND location <@ box(point(${minLon}, ${minLat}), point(${maxLon}, ${maxLat}))`;
  }
  const limit = bind(params, query.limit);
  const offset = bind(params, query.offset);
  const result = await db.query<EntityRow & { __total: string }>(
    `SELECT ${selectList(table)}, count(*) OVER () AS "__total" FROM ${table.table}
      WHERE ${where} ORDER BY ${table.orderBy}, id LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const total = result.rows[0] ? Number(result.rows[0].__total) : 0;
  return { items: result.rows.map(({ __total: _total, ...row }) => row as EntityRow), total };
}

/** Inserts one row (with its `id` when given, e.g. an import) and audits it in the same transaction. */
export async function insertEntity(
  tx: pg.PoolClient,
  table: EntityTable,
  actor: Actor,
  values: ColumnValues,
  id?: string,
): Promise<EntityRow> {
  const params: unknown[] = [];
  const columns = table.columns.filter((c) => values[c.field] !== undefined);
  const placeholders = columns.map((c) => `${bind(params, sqlValue(c, values[c.field]))}::${c.type}`);
  if (id) {
    columns.unshift({ field: 'id', column: 'id', type: 'uuid' });
    placeholders.unshift(`${bind(params, id)}::uuid`);
  }
  const result = await tx.query<EntityRow>(
    `INSERT INTO ${table.table} (${columns.map((c) => c.column).join(', ')})
     VALUES (${placeholders.join(', ')}) RETURNING ${selectList(table)}`,
    params,
  );
  const row = result.rows[0]!;
  await writeAudit(tx, actor, 'create', table.entity, row.id, undefined, row);
  return row;
}

/**
 * Replaces the row's writable columns with `compute(before)` — callers merge a partial change into
 * the current row and validate the whole, so rules spanning fields hold after a PATCH too.
 * The row is locked and must be inside the actor's scope, else undefined (404, never a leak).
 */
export async function updateEntity(
  tx: pg.PoolClient,
  table: EntityTable,
  actor: Actor,
  scope: RowScope,
  id: string,
  compute: (before: EntityRow) => ColumnValues | Promise<ColumnValues>,
): Promise<EntityRow | undefined> {
  const before = await findEntity(tx, table, scope, id, { forUpdate: true });
  if (!before) return undefined;
  const values = await compute(before);
  const params: unknown[] = [id];
  const assignments = table.columns.map(
    (c) => `${c.column} = ${bind(params, sqlValue(c, values[c.field]))}::${c.type}`,
  );
  const result = await tx.query<EntityRow>(
    `UPDATE ${table.table} SET ${assignments.join(', ')}, updated_at = now()
      WHERE id = $1 RETURNING ${selectList(table)}`,
    params,
  );
  const after = result.rows[0]!;
  await writeAudit(tx, actor, 'update', table.entity, id, before, after);
  return after;
}

export async function deleteEntity(
  tx: pg.PoolClient,
  table: EntityTable,
  actor: Actor,
  scope: RowScope,
  id: string,
): Promise<boolean> {
  const params: unknown[] = [id];
  const result = await tx.query<EntityRow>(
    `DELETE FROM ${table.table} WHERE id = $1${scopeCondition(table, scope, params)} RETURNING ${selectList(table)}`,
    params,
  );
  const before = result.rows[0];
  if (!before) return false;
  await writeAudit(tx, actor, 'delete', table.entity, id, before, undefined);
  return true;
}
