import type { EntityRow } from '../db/entity-store.js';
import type { ExchangeSpec } from './registry-exchange.js';
import { siteColumns } from './registry-resources.js';
import { siteCreate, type SiteCreate } from './registry-schemas.js';

/** The geofence as it is entered: a circle by its radius (the polygon is regenerated on import). */
function geofenceInputOf(row: EntityRow): unknown {
  const fence = row['geofence'] as { kind: string; radiusM?: number; polygon?: unknown };
  return fence.kind === 'circle'
    ? { kind: 'circle', radiusM: fence.radiusM }
    : { kind: 'polygon', polygon: fence.polygon };
}

/** Container sites in GeoJSON, CSV and Excel (the column order is that of earlier exports). */
export const siteExchange: ExchangeSpec = {
  noun: 'sites',
  sheetName: 'Места накопления',
  columns: [
    { key: 'registryNumber', title: 'Номер в реестре', type: 'text', emptyIsNull: true },
    { key: 'address', title: 'Адрес', type: 'text' },
    { key: 'lon', title: 'Долгота', type: 'number' },
    { key: 'lat', title: 'Широта', type: 'number' },
    { key: 'surface', title: 'Покрытие', type: 'text' },
    { key: 'fenced', title: 'Ограждение', type: 'boolean' },
    { key: 'status', title: 'Статус', type: 'text' },
    { key: 'municipalityId', title: 'Муниципальное образование', type: 'text', emptyIsNull: true },
    { key: 'ownerKind', title: 'Собственник: вид', type: 'text', path: ['owner', 'kind'] },
    { key: 'ownerName', title: 'Собственник', type: 'text', path: ['owner', 'name'] },
    { key: 'ownerInn', title: 'ИНН собственника', type: 'text', path: ['owner', 'inn'], emptyIsNull: true },
    {
      key: 'ownerOgrn',
      title: 'ОГРН собственника',
      type: 'text',
      path: ['owner', 'ogrn'],
      emptyIsNull: true,
    },
    { key: 'containers', title: 'Контейнеры (JSON)', type: 'json' },
    { key: 'wasteSources', title: 'Источники образования (JSON)', type: 'json' },
    { key: 'schedule', title: 'График вывоза (JSON)', type: 'json' },
    { key: 'collectionWindow', title: 'Время вывоза (JSON)', type: 'json', emptyIsNull: true },
    { key: 'geofence', title: 'Геозона (JSON)', type: 'json' },
  ],
  located: true,
  schema: siteCreate,
  inputOf: (row) => ({
    registryNumber: row['registryNumber'],
    address: row['address'],
    lon: row['lon'],
    lat: row['lat'],
    surface: row['surface'],
    fenced: row['fenced'],
    status: row['status'],
    municipalityId: row['municipalityId'],
    owner: row['owner'],
    containers: row['containers'],
    wasteSources: row['wasteSources'],
    schedule: row['schedule'],
    collectionWindow: row['collectionWindow'],
    geofence: geofenceInputOf(row),
  }),
  check: (input) => siteColumns(input as SiteCreate),
};
