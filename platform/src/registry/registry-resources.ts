import { Decimal } from 'decimal.js';
import type { Role } from '../auth/actor.js';
import { FACILITIES, FLOWS, MUNICIPALITIES, SITES } from '../db/tables.js';
import type { EntityRow } from '../db/entity-store.js';
import { apiErrors } from '../http/api-error.js';
import { uuid, type GeoJsonPolygon } from '../http/common-schemas.js';
import type { CrudResource } from '../http/crud-routes.js';
import { boundingRadiusM, circlePolygon } from './geofence.js';
import {
  facility,
  facilityCreate,
  facilityPatch,
  flow,
  flowCreate,
  flowPatch,
  municipality,
  municipalityCreate,
  municipalityPatch,
  objectStatus,
  site,
  siteCreate,
  sitePatch,
  type FacilityCreate,
  type SiteCreate,
} from './registry-schemas.js';

// The registry is public information (Decree 1039 §11): every role reads it; staff edit it.
export const REGISTRY_READ: readonly Role[] = [
  'admin',
  'dispatcher',
  'billing',
  'carrier',
  'consumer',
  'driver',
];
export const REGISTRY_WRITE: readonly Role[] = ['admin', 'dispatcher'];

const MAX_POLYGON_RADIUS_M = 2_000;

/** A circle geofence is stored with its generated polygon, so maps and fact detection need no math. */
export function siteColumns(site: SiteCreate): Record<string, unknown> {
  // One stored form whatever the source (API, CSV, Excel): absent optional values become null.
  const input = {
    ...site,
    registryNumber: site.registryNumber ?? null,
    municipalityId: site.municipalityId ?? null,
    collectionWindow: site.collectionWindow ?? null,
    owner: { ...site.owner, inn: site.owner.inn ?? null, ogrn: site.owner.ogrn ?? null },
    wasteSources: site.wasteSources.map((source) => ({ ...source, name: source.name ?? null })),
  };
  const fence = input.geofence;
  if (fence.kind === 'circle') {
    return { ...input, geofence: { ...fence, polygon: circlePolygon(input.lon, input.lat, fence.radiusM) } };
  }
  checkPolygonNearPoint(input.lon, input.lat, fence.polygon, 'geofence.polygon');
  return input;
}

/** A drawn geofence belongs to its point: far away it is a mistake (swapped lon/lat, wrong object). */
function checkPolygonNearPoint(lon: number, lat: number, polygon: GeoJsonPolygon, path: string): void {
  if (boundingRadiusM(lon, lat, polygon) > MAX_POLYGON_RADIUS_M) {
    throw apiErrors.validation([
      { in: 'body', path, message: `must lie within ${MAX_POLYGON_RADIUS_M} m of the point` },
    ]);
  }
}

/** A facility's drawn geofence obeys the sites' rule; without one, detection uses the radius. */
export function facilityColumns(facility: FacilityCreate): Record<string, unknown> {
  const input = {
    ...facility,
    gateFeePerTonne: facility.gateFeePerTonne ?? null,
    geofence: facility.geofence ?? null,
  };
  if (input.geofence) checkPolygonNearPoint(input.lon, input.lat, input.geofence, 'geofence');
  return input;
}

export function presentSite(row: EntityRow): EntityRow {
  const containers = (row['containers'] ?? []) as { count: number; volumeM3: string }[];
  const total = containers.reduce(
    (sum, c) => sum.plus(new Decimal(c.volumeM3).times(c.count)),
    new Decimal(0),
  );
  return { ...row, totalVolumeM3: total.toString() };
}

export const siteResource: CrudResource = {
  path: '/sites',
  tag: 'registry',
  names: { ru: 'Места накопления ТКО', en: 'Container sites' },
  table: SITES,
  output: site,
  create: siteCreate,
  patch: sitePatch,
  filters: { status: objectStatus.optional(), municipalityId: uuid.optional() },
  read: REGISTRY_READ,
  write: REGISTRY_WRITE,
  toColumns: (input) => siteColumns(input as SiteCreate),
  present: presentSite,
};

export const facilityResource: CrudResource = {
  path: '/facilities',
  tag: 'registry',
  names: { ru: 'Объекты обращения с отходами', en: 'Facilities' },
  table: FACILITIES,
  output: facility,
  create: facilityCreate,
  patch: facilityPatch,
  filters: { status: objectStatus.optional(), kind: facilityCreate.shape.kind.optional() },
  read: REGISTRY_READ,
  write: REGISTRY_WRITE,
  toColumns: (input) => facilityColumns(input as FacilityCreate),
};

export const municipalityResource: CrudResource = {
  path: '/municipalities',
  tag: 'registry',
  names: { ru: 'Муниципальные образования', en: 'Municipalities' },
  table: MUNICIPALITIES,
  output: municipality,
  create: municipalityCreate,
  patch: municipalityPatch,
  read: REGISTRY_READ,
  write: REGISTRY_WRITE,
};

export const flowResource: CrudResource = {
  path: '/flows',
  tag: 'registry',
  names: { ru: 'Потоки территориальной схемы', en: 'Territorial scheme flows' },
  table: FLOWS,
  output: flow,
  create: flowCreate,
  patch: flowPatch,
  filters: { municipalityId: uuid.optional(), facilityId: uuid.optional() },
  read: REGISTRY_READ,
  write: REGISTRY_WRITE,
};
