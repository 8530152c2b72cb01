import type pg from 'pg';
import type { Actor, RowScope } from '../auth/actor.js';
import { writeAudit } from './audit.js';
import type { Queryable } from './pool.js';

/** Талон взвешивания: masses are exact decimal strings, kg. */
export interface WeighbridgeTicketRow {
  id: string;
  ticketNo: string;
  facilityId: string;
  vehicleId: string;
  weighedAt: string;
  grossKg: string | null;
  tareKg: string | null;
  netKg: string;
  enteredBy: string;
  createdAt: string;
  unloadingId: string | null;
}

export interface NewWeighbridgeTicket {
  ticketNo: string;
  facilityId: string;
  vehicleId: string;
  weighedAtMs: number;
  grossKg: string | null;
  tareKg: string | null;
  netKg: string;
}

const COLUMNS = `t.id, t.ticket_no AS "ticketNo", t.facility_id AS "facilityId", t.vehicle_id AS "vehicleId",
  t.weighed_at AS "weighedAt", t.gross_kg::text AS "grossKg", t.tare_kg::text AS "tareKg", t.net_kg::text AS "netKg",
  t.entered_by AS "enteredBy", t.created_at AS "createdAt", t.unloading_id AS "unloadingId"`;

export async function insertWeighbridgeTicket(
  tx: pg.PoolClient,
  actor: Actor,
  ticket: NewWeighbridgeTicket,
): Promise<WeighbridgeTicketRow> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO weighbridge_tickets (ticket_no, facility_id, vehicle_id, weighed_at, gross_kg, tare_kg, net_kg,
                                      entered_by)
     VALUES ($1, $2, $3, 'epoch'::timestamptz + $4::float8 * interval '1 millisecond', $5, $6, $7, $8)
     RETURNING id`,
    [
      ticket.ticketNo,
      ticket.facilityId,
      ticket.vehicleId,
      ticket.weighedAtMs,
      ticket.grossKg,
      ticket.tareKg,
      ticket.netKg,
      actor.userId,
    ],
  );
  const id = inserted.rows[0]!.id;
  const row = (
    await tx.query<WeighbridgeTicketRow>(`SELECT ${COLUMNS} FROM weighbridge_tickets t WHERE t.id = $1`, [id])
  ).rows[0]!;
  await writeAudit(tx, actor, 'create', 'weighbridge_ticket', id, undefined, row);
  return row;
}

export interface WeighbridgeTicketFilter {
  fromMs: number;
  toMs: number;
  facilityId?: string;
  vehicleId?: string;
  limit: number;
  offset: number;
}

/** A carrier sees the tickets of its own vehicles (joined in SQL); consumers none. */
export async function listWeighbridgeTickets(
  db: Queryable,
  scope: RowScope,
  filter: WeighbridgeTicketFilter,
): Promise<{ items: WeighbridgeTicketRow[]; total: number }> {
  if (scope.ownerUserId !== undefined) return { items: [], total: 0 };
  const params: unknown[] = [
    filter.fromMs,
    filter.toMs,
    filter.facilityId ?? null,
    filter.vehicleId ?? null,
    scope.carrierId ?? null,
    filter.limit,
    filter.offset,
  ];
  const result = await db.query<WeighbridgeTicketRow & { __total: string }>(
    `SELECT ${COLUMNS}, count(*) OVER () AS "__total"
       FROM weighbridge_tickets t JOIN vehicles v ON v.id = t.vehicle_id
      WHERE t.weighed_at >= 'epoch'::timestamptz + $1::float8 * interval '1 millisecond'
        AND t.weighed_at < 'epoch'::timestamptz + $2::float8 * interval '1 millisecond'
        AND ($3::uuid IS NULL OR t.facility_id = $3) AND ($4::uuid IS NULL OR t.vehicle_id = $4)
        AND ($5::uuid IS NULL OR v.carrier_id = $5)
      ORDER BY t.weighed_at, t.id LIMIT $6 OFFSET $7`,
    params,
  );
  const total = result.rows[0] ? Number(result.rows[0].__total) : 0;
  return { items: result.rows.map(({ __total: _total, ...row }) => row), total };
}
