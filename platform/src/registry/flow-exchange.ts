import type { ExchangeSpec } from './registry-exchange.js';
import { flowCreate } from './registry-schemas.js';

/** Territorial scheme flows (municipality → facility, a share over a period); no geometry of their own. */
export const flowExchange: ExchangeSpec = {
  noun: 'flows',
  sheetName: 'Потоки отходов',
  located: false,
  columns: [
    { key: 'municipalityId', title: 'Муниципальное образование', type: 'text' },
    { key: 'facilityId', title: 'Объект', type: 'text' },
    { key: 'sharePercent', title: 'Доля, %', type: 'text' },
    { key: 'validFrom', title: 'Действует с', type: 'text' },
    { key: 'validTo', title: 'Действует по', type: 'text', emptyIsNull: true },
  ],
  schema: flowCreate,
};
