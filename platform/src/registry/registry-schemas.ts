import { z } from 'zod';
import { decimalString, geoJsonPolygon, isoDate, lat, lon, rowMeta, uuid } from '../http/common-schemas.js';
import { collectionSchedule, collectionWindow } from './collection-schedule.js';

export const objectStatus = z.enum(['planned', 'active', 'suspended', 'closed']);

// ---- Container sites (места накопления ТКО, Decree 1039) ----

export const containerKind = z.enum(['euro', 'metal', 'bunker', 'underground', 'separate_collection']);
export const siteContainer = z.object({
  type: containerKind,
  count: z.number().int().min(1).max(100),
  volumeM3: decimalString(3, 3, 'volume of one container, m³'),
});

export const siteOwner = z.object({
  kind: z.enum(['individual', 'legal', 'entrepreneur', 'municipal']),
  name: z.string().min(1).max(300),
  inn: z
    .string()
    .regex(/^[0-9]{10}([0-9]{2})?$/, 'ИНН: 10 or 12 digits')
    .nullable()
    .optional(),
  ogrn: z
    .string()
    .regex(/^[0-9]{13}([0-9]{2})?$/, 'ОГРН/ОГРНИП: 13 or 15 digits')
    .nullable()
    .optional(),
});

export const wasteSource = z.object({
  kind: z.enum(['building', 'organisation']),
  name: z.string().max(300).nullable().optional(),
  address: z.string().min(1).max(500),
});

export const geofenceInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('circle'), radiusM: z.number().int().min(5).max(2000) }),
  z.object({ kind: z.literal('polygon'), polygon: geoJsonPolygon }),
]);
export const geofence = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('circle'), radiusM: z.number().int(), polygon: geoJsonPolygon }),
  z.object({ kind: z.literal('polygon'), polygon: geoJsonPolygon }),
]);
export const DEFAULT_GEOFENCE = { kind: 'circle', radiusM: 30 } as const;

export const siteSurface = z.enum(['asphalt', 'concrete', 'paving_slab', 'gravel', 'ground', 'other']);

const siteFields = {
  registryNumber: z.string().min(1).max(64).nullable().optional().describe('номер в реестре'),
  address: z.string().min(1).max(500),
  lon,
  lat,
  geofence: geofenceInput.describe('drawn polygon, or a circle generated around the point'),
  surface: siteSurface,
  fenced: z.boolean(),
  owner: siteOwner,
  containers: z.array(siteContainer).max(50),
  wasteSources: z.array(wasteSource).max(500),
  schedule: collectionSchedule,
  collectionWindow: collectionWindow.nullable().optional(),
  status: objectStatus,
  municipalityId: uuid.nullable().optional(),
};
export const siteCreate = z.object({
  ...siteFields,
  geofence: siteFields.geofence.default(DEFAULT_GEOFENCE),
  fenced: siteFields.fenced.default(false),
  containers: siteFields.containers.default([]),
  wasteSources: siteFields.wasteSources.default([]),
  status: siteFields.status.default('active'),
});
export const sitePatch = z.object(siteFields).partial();
export type SiteCreate = z.output<typeof siteCreate>;

export const site = z.object({
  ...rowMeta,
  ...siteFields,
  registryNumber: z.string().nullable(),
  municipalityId: uuid.nullable(),
  collectionWindow: collectionWindow.nullable(),
  geofence,
  totalVolumeM3: z.string().describe('Σ count × volume, m³ (exact)'),
});
export type Site = z.output<typeof site>;

// ---- Facilities (объекты обработки, утилизации, размещения) ----

const openingHours = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).describe('ISO weekdays, 1 = Monday'),
  from: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/),
  to: z.string().regex(/^([01][0-9]|2[0-4]):[0-5][0-9]$/),
});
const facilityFields = {
  name: z.string().min(1).max(300),
  kind: z.enum(['landfill', 'transfer_station', 'sorting_plant', 'incinerator', 'composting']),
  address: z.string().min(1).max(500),
  lon,
  lat,
  openingHours: z.array(openingHours).max(14),
  acceptedWaste: z.array(z.string().min(1).max(100)).max(100).describe('FKKO codes or waste kinds'),
  gateFeePerTonne: decimalString(12, 2, 'RUB per tonne').nullable().optional(),
  hasWeighbridge: z.boolean(),
  status: objectStatus,
  geofenceRadiusM: z
    .number()
    .int()
    .min(20)
    .max(2000)
    .describe('metres around the point: where a stop counts as unloading here, unless a polygon is drawn'),
  geofence: geoJsonPolygon
    .nullable()
    .optional()
    .describe('drawn gate area (within 2 km of the point); replaces the radius'),
};
export const facilityCreate = z.object({
  ...facilityFields,
  openingHours: facilityFields.openingHours.default([]),
  acceptedWaste: facilityFields.acceptedWaste.default([]),
  hasWeighbridge: facilityFields.hasWeighbridge.default(false),
  status: facilityFields.status.default('active'),
  geofenceRadiusM: facilityFields.geofenceRadiusM.default(150),
});
export const facilityPatch = z.object(facilityFields).partial();
export type FacilityCreate = z.output<typeof facilityCreate>;
export const facility = z.object({
  ...rowMeta,
  ...facilityFields,
  gateFeePerTonne: z.string().nullable(),
  geofence: geoJsonPolygon.nullable(),
});

// ---- Municipalities and flows (территориальная схема) ----

const municipalityFields = {
  name: z.string().min(1).max(300),
  oktmo: z
    .string()
    .regex(/^[0-9]{8}([0-9]{3})?$/, 'ОКТМО: 8 or 11 digits')
    .nullable()
    .optional(),
};
export const municipalityCreate = z.object(municipalityFields);
export const municipalityPatch = municipalityCreate.partial();
export const municipality = z.object({ ...rowMeta, ...municipalityFields, oktmo: z.string().nullable() });

const flowFields = {
  municipalityId: uuid,
  facilityId: uuid,
  sharePercent: decimalString(3, 2, 'share of the municipality’s waste, %').refine(
    (value) => Number(value) > 0 && Number(value) <= 100,
    'more than 0, at most 100',
  ),
  validFrom: isoDate,
  validTo: isoDate.nullable().optional(),
};
const flowRule = (flow: { validFrom: string; validTo?: string | null }): boolean =>
  !flow.validTo || flow.validTo >= flow.validFrom;
export const flowCreate = z
  .object(flowFields)
  .refine(flowRule, { message: 'validTo before validFrom', path: ['validTo'] });
export const flowPatch = z.object(flowFields).partial();
export const flow = z.object({ ...rowMeta, ...flowFields, validTo: isoDate.nullable() });
