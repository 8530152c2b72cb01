import { accountResource } from '../accounts/account-resources.js';
import {
  carrierResource,
  contractResource,
  driverResource,
  vehicleResource,
} from '../fleet/fleet-resources.js';
import {
  facilityResource,
  flowResource,
  municipalityResource,
  siteResource,
} from '../registry/registry-resources.js';
import { facilityRoutes } from '../registry/facility-exchange.js';
import { siteRoutes } from '../registry/site-routes.js';
import { disputeRoutes } from '../settlements/dispute-routes.js';
import { reportRoutes } from '../settlements/report-routes.js';
import { carrierPaymentResource, plannedVisitResource } from '../settlements/settlement-resources.js';
import { settlementRoutes } from '../settlements/settlement-routes.js';
import { evidenceRoutes } from '../facts-worker/evidence-routes.js';
import { factRoutes } from '../facts-worker/fact-routes.js';
import { crudRoutes } from './crud-routes.js';
import type { RouteSpec } from './route.js';
import { authRoutes } from './routes/auth-routes.js';
import { userRoutes } from './routes/user-routes.js';

export const API_PREFIX = '/api/v1';

/** Every route of the API, in matching order (fixed paths such as `/sites/nearest` before `/sites/:id`). */
export function apiRoutes(): RouteSpec[] {
  return [
    ...authRoutes(),
    ...userRoutes(),
    ...siteRoutes(),
    ...facilityRoutes(),
    ...settlementRoutes(),
    ...disputeRoutes(),
    ...reportRoutes(),
    ...factRoutes(),
    ...evidenceRoutes(),
    ...[
      siteResource,
      facilityResource,
      municipalityResource,
      flowResource,
      carrierResource,
      contractResource,
      vehicleResource,
      driverResource,
      accountResource,
      plannedVisitResource,
      carrierPaymentResource,
    ].flatMap(crudRoutes),
  ];
}
