import type { RouteSpec } from '../http/route.js';
import { exchangeRoutes } from './exchange-routes.js';
import { flowExchange } from './flow-exchange.js';
import type { ExchangeSpec } from './registry-exchange.js';
import { facilityColumns, facilityResource, flowResource } from './registry-resources.js';
import { facilityCreate, type FacilityCreate } from './registry-schemas.js';

/** Facilities (landfills, transfer stations, plants) in GeoJSON, CSV and Excel. */
export const facilityExchange: ExchangeSpec = {
  noun: 'facilities',
  sheetName: 'Объекты обращения с отходами',
  columns: [
    { key: 'name', title: 'Наименование', type: 'text' },
    { key: 'kind', title: 'Вид объекта', type: 'text' },
    { key: 'address', title: 'Адрес', type: 'text' },
    { key: 'lon', title: 'Долгота', type: 'number' },
    { key: 'lat', title: 'Широта', type: 'number' },
    { key: 'status', title: 'Статус', type: 'text' },
    // Text, not a number: the exact decimal (e.g. "512.40") survives Excel.
    { key: 'gateFeePerTonne', title: 'Плата за приём, руб./т', type: 'text', emptyIsNull: true },
    { key: 'hasWeighbridge', title: 'Весовая', type: 'boolean' },
    { key: 'openingHours', title: 'Часы работы (JSON)', type: 'json' },
    { key: 'acceptedWaste', title: 'Принимаемые отходы (JSON)', type: 'json' },
    { key: 'geofenceRadiusM', title: 'Радиус геозоны, м', type: 'number' },
    { key: 'geofence', title: 'Геозона (GeoJSON)', type: 'json', emptyIsNull: true },
  ],
  located: true,
  schema: facilityCreate,
  check: (input) => facilityColumns(input as FacilityCreate),
};

/** Facility and flow routes beyond CRUD: export and import (before `/facilities/:id`, `/flows/:id`). */
export function facilityRoutes(): RouteSpec[] {
  return [
    ...exchangeRoutes(facilityResource, facilityExchange),
    ...exchangeRoutes(flowResource, flowExchange),
  ];
}
