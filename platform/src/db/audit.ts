import type { Actor } from '../auth/actor.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import type { Queryable } from './pool.js';

export type AuditAction = 'create' | 'update' | 'delete';

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string;
  action: AuditAction;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** Call inside the transaction that makes the change, so the change and its record commit together. */
export async function writeAudit(
  tx: Queryable,
  actor: Actor,
  action: AuditAction,
  entity: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor_id, actor_role, action, entity, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [
      actor === SYSTEM_ACTOR ? null : actor.userId,
      actor === SYSTEM_ACTOR ? 'system' : actor.role,
      action,
      entity,
      entityId,
      before === undefined ? null : JSON.stringify(before),
      after === undefined ? null : JSON.stringify(after),
    ],
  );
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  limit: number;
  offset: number;
}

export async function listAudit(db: Queryable, query: AuditQuery): Promise<AuditEntry[]> {
  const result = await db.query<AuditEntry>(
    `SELECT id::text, at, actor_id AS "actorId", actor_role AS "actorRole", action, entity,
            entity_id AS "entityId", before, after
       FROM audit_log
      WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2)
      ORDER BY id DESC LIMIT $3 OFFSET $4`,
    [query.entity ?? null, query.entityId ?? null, query.limit, query.offset],
  );
  return result.rows;
}
