import { findEntity } from '../db/entity-store.js';
import { CARRIER_PAYMENTS, CONTRACTS, PLANNED_VISITS, VEHICLES } from '../db/tables.js';
import { apiErrors } from '../http/api-error.js';
import { isoDate, uuid } from '../http/common-schemas.js';
import type { CrudResource } from '../http/crud-routes.js';
import {
  payment,
  paymentCreate,
  paymentPatch,
  plannedVisit,
  plannedVisitCreate,
  plannedVisitPatch,
} from './settlement-schemas.js';

/** A referenced row must belong to the same carrier (a vehicle of the visit, a contract of the payment). */
function requireSameCarrier(
  found: Record<string, unknown> | undefined,
  carrierId: unknown,
  path: string,
): void {
  if (!found || found['carrierId'] !== carrierId) {
    throw apiErrors.validation([{ in: 'body', path, message: 'must belong to the same carrier' }]);
  }
}

// Work orders will write these; until then dispatchers do, and settlements read them.
export const plannedVisitResource: CrudResource = {
  path: '/planned-visits',
  tag: 'settlements',
  names: { ru: 'Плановые вывозы (наряды)', en: 'Planned visits (work orders)' },
  table: PLANNED_VISITS,
  output: plannedVisit,
  create: plannedVisitCreate,
  patch: plannedVisitPatch,
  filters: { carrierId: uuid.optional(), siteId: uuid.optional(), visitDate: isoDate.optional() },
  read: ['admin', 'dispatcher', 'billing', 'carrier'],
  write: ['admin', 'dispatcher'],
  toColumns: async (input, { tx }) => {
    const vehicleId = input['vehicleId'] as string | null | undefined;
    if (vehicleId) {
      requireSameCarrier(await findEntity(tx, VEHICLES, {}, vehicleId), input['carrierId'], 'vehicleId');
    }
    return input;
  },
};

export const carrierPaymentResource: CrudResource = {
  path: '/carrier-payments',
  tag: 'settlements',
  names: { ru: 'Оплаты перевозчикам', en: 'Carrier payments' },
  table: CARRIER_PAYMENTS,
  output: payment,
  create: paymentCreate,
  patch: paymentPatch,
  filters: { carrierId: uuid.optional() },
  read: ['admin', 'billing', 'carrier'],
  write: ['admin', 'billing'],
  toColumns: async (input, { tx }) => {
    const contractId = input['contractId'] as string | null | undefined;
    if (contractId) {
      requireSameCarrier(await findEntity(tx, CONTRACTS, {}, contractId), input['carrierId'], 'contractId');
    }
    return input;
  },
};
