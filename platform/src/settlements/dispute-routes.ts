import { rowScopeOf, type Role } from '../auth/actor.js';
import { listCollectionFacts } from '../db/collection-facts.js';
import {
  findDispute,
  findFactCarrier,
  findVisitCarrier,
  insertDispute,
  listDisputes,
  resolveDispute,
  saveFactReview,
} from '../db/disputes.js';
import { withTransaction } from '../db/pool.js';
import { ApiError, apiErrors } from '../http/api-error.js';
import { idParams, pageOf } from '../http/common-schemas.js';
import { defineRoute, type RouteSpec } from '../http/route.js';
import {
  dispute,
  disputeCreate,
  disputeListQuery,
  disputeResolve,
  factListItem,
  factListQuery,
  factParams,
  factReview,
  factReviewBody,
} from './settlement-schemas.js';

const DISPUTE_READ: readonly Role[] = ['admin', 'dispatcher', 'billing', 'carrier'];
// Admin may file on a carrier's behalf (a paper claim); the carrier is the subject's.
const DISPUTE_CREATE: readonly Role[] = ['admin', 'carrier'];
const DISPATCH: readonly Role[] = ['admin', 'dispatcher'];

const errors = {
  alreadyOpen: () =>
    new ApiError(
      409,
      'DISPUTE_ALREADY_OPEN',
      'По этому факту или вывозу уже есть открытая претензия',
      'This fact or visit already has an open dispute',
    ),
  notOpen: () =>
    new ApiError(409, 'DISPUTE_NOT_OPEN', 'Претензия уже рассмотрена', 'The dispute is already resolved'),
};

/** Collection facts (as settlements see them), dispatcher reviews, carrier disputes and their resolution. */
export function disputeRoutes(): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/collection-facts',
      tag: 'settlements',
      summary: 'Факты вывоза с решениями / Collection facts with reviews and disputes',
      roles: DISPUTE_READ,
      query: factListQuery,
      response: { status: 200, schema: pageOf(factListItem) },
      handler: ({ actor, query, services }) => listCollectionFacts(services.db, rowScopeOf(actor), query),
    }),
    defineRoute({
      method: 'post',
      path: '/collection-facts/:id/review',
      tag: 'settlements',
      summary: 'Решение диспетчера по факту (принять/отклонить) / Dispatcher review of a fact',
      roles: DISPATCH,
      params: factParams,
      body: factReviewBody,
      response: { status: 200, schema: factReview },
      handler: ({ actor, params, body, services }) =>
        withTransaction(services.db, async (tx) => {
          if (!(await findFactCarrier(tx, {}, params.id))) throw apiErrors.notFound();
          return saveFactReview(tx, actor, params.id, body.verdict, body.comment);
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/disputes',
      tag: 'settlements',
      summary: 'Претензии перевозчиков: список / Carrier disputes: list',
      roles: DISPUTE_READ,
      query: disputeListQuery,
      response: { status: 200, schema: pageOf(dispute) },
      handler: ({ actor, query, services }) => listDisputes(services.db, rowScopeOf(actor), query),
    }),
    defineRoute({
      method: 'get',
      path: '/disputes/:id',
      tag: 'settlements',
      summary: 'Претензия перевозчика / Carrier dispute',
      roles: DISPUTE_READ,
      params: idParams,
      response: { status: 200, schema: dispute },
      handler: async ({ actor, params, services }) => {
        const found = await findDispute(services.db, rowScopeOf(actor), params.id);
        if (!found) throw apiErrors.notFound();
        return found;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/disputes',
      tag: 'settlements',
      summary: 'Оспорить факт или пропуск вывоза / Dispute a fact or a missed visit',
      roles: DISPUTE_CREATE,
      body: disputeCreate,
      response: { status: 201, schema: dispute },
      handler: ({ actor, body, services }) =>
        withTransaction(services.db, async (tx) => {
          // The subject must be the carrier's own: another carrier's looks missing (404, no leak).
          const scope = rowScopeOf(actor);
          const carrierId = body.factId
            ? await findFactCarrier(tx, scope, body.factId)
            : await findVisitCarrier(tx, scope, body.plannedVisitId!);
          if (!carrierId) throw apiErrors.notFound();
          try {
            return await insertDispute(tx, actor, {
              carrierId,
              factId: body.factId ?? null,
              plannedVisitId: body.plannedVisitId ?? null,
              comment: body.comment,
              evidence: body.evidence,
              claimedContainerCount: body.claimedContainerCount ?? null,
            });
          } catch (error) {
            if ((error as { code?: string }).code === '23505') throw errors.alreadyOpen();
            throw error;
          }
        }),
    }),
    defineRoute({
      method: 'post',
      path: '/disputes/:id/resolve',
      tag: 'settlements',
      summary: 'Рассмотреть претензию (принять/отклонить) / Resolve a dispute',
      roles: DISPATCH,
      params: idParams,
      body: disputeResolve,
      response: { status: 200, schema: dispute },
      handler: ({ actor, params, body, services }) =>
        withTransaction(services.db, async (tx) => {
          const found = await findDispute(tx, {}, params.id, { forUpdate: true });
          if (!found) throw apiErrors.notFound();
          if (found.status !== 'open') throw errors.notOpen();
          return resolveDispute(tx, actor, found, body.decision, body.comment);
        }),
    }),
  ];
}
