import type { Role } from '../auth/actor.js';
import { CARRIERS, CONTRACTS, DRIVERS, VEHICLES } from '../db/tables.js';
import { claimTracker, releaseTracker } from '../db/trackers.js';
import { findUser } from '../db/users.js';
import { apiErrors } from '../http/api-error.js';
import { uuid } from '../http/common-schemas.js';
import type { CrudResource } from '../http/crud-routes.js';
import {
  carrier,
  carrierCreate,
  carrierPatch,
  contract,
  contractCreate,
  contractPatch,
  driver,
  driverCreate,
  driverPatch,
  vehicle,
  vehicleCreate,
  vehiclePatch,
} from './fleet-schemas.js';

const STAFF: readonly Role[] = ['admin', 'dispatcher', 'billing'];

export const carrierResource: CrudResource = {
  path: '/carriers',
  tag: 'fleet',
  names: { ru: 'Перевозчики', en: 'Carriers' },
  table: CARRIERS,
  output: carrier,
  create: carrierCreate,
  patch: carrierPatch,
  read: [...STAFF, 'carrier', 'driver'],
  write: ['admin'],
};

export const contractResource: CrudResource = {
  path: '/contracts',
  tag: 'fleet',
  names: { ru: 'Договоры с перевозчиками', en: 'Carrier contracts' },
  table: CONTRACTS,
  output: contract,
  create: contractCreate,
  patch: contractPatch,
  filters: { carrierId: uuid.optional(), municipalityId: uuid.optional() },
  read: [...STAFF, 'carrier'],
  write: ['admin', 'billing'],
};

export const vehicleResource: CrudResource = {
  path: '/vehicles',
  tag: 'fleet',
  names: { ru: 'Транспортные средства', en: 'Vehicles' },
  table: VEHICLES,
  output: vehicle,
  create: vehicleCreate,
  patch: vehiclePatch,
  filters: { carrierId: uuid.optional(), trackerDeviceId: vehicleCreate.shape.trackerDeviceId },
  read: [...STAFF, 'carrier', 'driver'],
  write: ['admin', 'dispatcher', 'carrier'],
  afterWrite: async (row, { tx, scope, before }) => {
    const tracker = row['trackerDeviceId'] as string | null;
    const previous = before?.['trackerDeviceId'] as string | null | undefined;
    if (previous && previous !== tracker) await releaseTracker(tx, previous);
    if (!tracker) return;
    const vehicleInfo = { carrierId: row['carrierId'] as string, plate: row['plate'] as string };
    const claim = await claimTracker(tx, tracker, vehicleInfo, scope.carrierId === undefined);
    // Another carrier's tracker looks the same as a missing one: its existence is not revealed.
    if (claim !== 'claimed') {
      throw apiErrors.validation([
        { in: 'body', path: 'trackerDeviceId', message: 'no such tracker of this carrier' },
      ]);
    }
  },
};

export const driverResource: CrudResource = {
  path: '/drivers',
  tag: 'fleet',
  names: { ru: 'Водители', en: 'Drivers' },
  table: DRIVERS,
  output: driver,
  create: driverCreate,
  patch: driverPatch,
  filters: { carrierId: uuid.optional() },
  read: ['admin', 'dispatcher', 'carrier'],
  write: ['admin', 'dispatcher', 'carrier'],
  toColumns: async (input, { tx }) => {
    const userId = input['userId'] as string | null | undefined;
    if (userId) {
      const user = await findUser(tx, userId);
      if (!user || user.role !== 'driver' || user.carrierId !== input['carrierId']) {
        throw apiErrors.validation([
          { in: 'body', path: 'userId', message: 'must be a driver login of the same carrier' },
        ]);
      }
    }
    return input;
  },
};
