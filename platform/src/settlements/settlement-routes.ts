import { z } from 'zod';
import { rowScopeOf, type Role } from '../auth/actor.js';
import { approvedSettlements, paymentsBetween } from '../db/carrier-ledger.js';
import { withTransaction } from '../db/pool.js';
import { approveDraft, findSettlement, listSettlements } from '../db/settlements.js';
import { ApiError, apiErrors } from '../http/api-error.js';
import { idParams, pageOf } from '../http/common-schemas.js';
import { defineRoute, fileResult, type RouteSpec } from '../http/route.js';
import { buildAccountingEntries } from './accounting-entries.js';
import { ACCOUNTING_MEDIA_TYPES, entriesToCsv, entriesToJson, entriesToXml } from './accounting-export.js';
import { computeSettlements } from './compute-settlements.js';
import {
  accountingQuery,
  computeBody,
  computeResponse,
  settlement,
  settlementListQuery,
  settlementSummary,
} from './settlement-schemas.js';

export const SETTLEMENT_READ: readonly Role[] = ['admin', 'billing', 'carrier'];
export const SETTLEMENT_WRITE: readonly Role[] = ['admin', 'billing'];

const notDraft = () =>
  new ApiError(
    409,
    'SETTLEMENT_NOT_DRAFT',
    'Утвердить можно только черновик расчёта',
    'Only a draft settlement can be approved',
  );

/** Settlements: list, one with its per-fact details, compute a month, approve, accounting export. */
export function settlementRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/settlements',
      tag: 'settlements',
      summary: 'Расчёты с перевозчиками: список / Carrier settlements: list',
      roles: SETTLEMENT_READ,
      query: settlementListQuery,
      response: { status: 200, schema: pageOf(settlementSummary) },
      handler: ({ actor, query, services }) => listSettlements(services.db, rowScopeOf(actor), query),
    }),
    defineRoute({
      method: 'post',
      path: '/settlements/compute',
      tag: 'settlements',
      summary: 'Рассчитать месяц (черновики) / Compute a month (drafts)',
      roles: SETTLEMENT_WRITE,
      body: computeBody,
      response: { status: 200, schema: computeResponse },
      handler: ({ actor, body, services }) => computeSettlements(services.db, actor, body),
    }),
    defineRoute({
      method: 'get',
      path: '/settlements/:id',
      tag: 'settlements',
      summary: 'Расчёт с перевозчиком (с фактами и визитами) / Carrier settlement with its facts and visits',
      roles: SETTLEMENT_READ,
      params: idParams,
      response: { status: 200, schema: settlement },
      handler: async ({ actor, params, services }) => {
        const found = await findSettlement(services.db, rowScopeOf(actor), params.id);
        if (!found) throw apiErrors.notFound();
        return found;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/settlements/:id/approve',
      tag: 'settlements',
      summary: 'Утвердить расчёт / Approve a settlement',
      roles: SETTLEMENT_WRITE,
      params: idParams,
      response: { status: 200, schema: settlementSummary },
      handler: ({ actor, params, services }) =>
        withTransaction(services.db, async (tx) => {
          const found = await findSettlement(tx, rowScopeOf(actor), params.id, { forUpdate: true });
          if (!found) throw apiErrors.notFound();
          if (found.status !== 'draft') throw notDraft();
          return approveDraft(tx, actor, found);
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/accounting/entries',
      tag: 'settlements',
      summary: 'Проводки по расчётам с перевозчиками (CSV, XML для 1С, JSON) / Accounting entries',
      roles: SETTLEMENT_WRITE,
      query: accountingQuery,
      response: { status: 200, schema: fileResult, contentTypes: Object.values(ACCOUNTING_MEDIA_TYPES) },
      handler: async ({ query, services }) => {
        const entries = buildAccountingEntries(
          await approvedSettlements(services.db, query.from, query.to, query.carrierId),
          await paymentsBetween(services.db, query.from, query.to, query.carrierId),
        );
        const body =
          query.format === 'csv'
            ? entriesToCsv(entries)
            : query.format === 'xml'
              ? entriesToXml(entries, query.from, query.to)
              : entriesToJson(entries, query.from, query.to);
        return {
          body,
          contentType: ACCOUNTING_MEDIA_TYPES[query.format],
          filename: `entries-${query.from}-${query.to}.${query.format}`,
        } satisfies z.input<typeof fileResult>;
      },
    }),
  ];
}
