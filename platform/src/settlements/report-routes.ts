import { rowScopeOf } from '../auth/actor.js';
import { apiErrors } from '../http/api-error.js';
import { defineRoute, fileResult, type RouteSpec } from '../http/route.js';
import { loadReconciliationAct } from './reconciliation-act.js';
import { renderReconciliationPdf } from './reconciliation-pdf.js';
import { renderReconciliationXlsx } from './reconciliation-xlsx.js';
import { reconciliationQuery } from './settlement-schemas.js';

const MEDIA_TYPES = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** Акт сверки взаиморасчётов with a carrier, as PDF or Excel. */
export function reportRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/reports/carrier-reconciliation',
      tag: 'settlements',
      summary: 'Акт сверки взаиморасчётов с перевозчиком (PDF, Excel) / Carrier reconciliation act',
      roles: ['admin', 'billing', 'carrier'],
      query: reconciliationQuery,
      response: { status: 200, schema: fileResult, contentTypes: Object.values(MEDIA_TYPES) },
      handler: async ({ actor, query, services }) => {
        const own = rowScopeOf(actor).carrierId;
        // A carrier user gets its own act; naming another carrier looks like a missing one.
        if (own !== undefined && query.carrierId !== undefined && query.carrierId !== own) {
          throw apiErrors.notFound();
        }
        const carrierId = own ?? query.carrierId;
        if (!carrierId) {
          throw apiErrors.validation([{ in: 'query', path: 'carrierId', message: 'required for this role' }]);
        }
        const act = await loadReconciliationAct(services.db, carrierId, query.from, query.to);
        if (!act) throw apiErrors.notFound();
        const body =
          query.format === 'pdf' ? await renderReconciliationPdf(act) : await renderReconciliationXlsx(act);
        return {
          body,
          contentType: MEDIA_TYPES[query.format],
          filename: `akt-sverki-${query.from}-${query.to}.${query.format}`,
        };
      },
    }),
  ];
}
