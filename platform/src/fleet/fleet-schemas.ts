import { z } from 'zod';
import { decimalString, isoDate, rowMeta, uuid } from '../http/common-schemas.js';

const carrierFields = {
  name: z.string().min(1).max(300),
  inn: z.string().regex(/^[0-9]{10}([0-9]{2})?$/, 'ИНН: 10 or 12 digits'),
  ogrn: z
    .string()
    .regex(/^[0-9]{13}([0-9]{2})?$/, 'ОГРН: 13 or 15 digits')
    .nullable()
    .optional(),
  address: z.string().max(500).nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
};
export const carrierCreate = z.object(carrierFields);
export const carrierPatch = carrierCreate.partial();
export const carrier = z.object({
  ...rowMeta,
  ...carrierFields,
  ogrn: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
});

const contractFields = {
  carrierId: uuid,
  number: z.string().min(1).max(100),
  municipalityId: uuid.describe('the lot’s municipality'),
  lotName: z.string().min(1).max(300),
  tariffUnit: z.enum(['m3', 'tonne', 'trip']),
  tariffRub: decimalString(12, 2, 'RUB per tariff unit, exact'),
  validFrom: isoDate,
  validTo: isoDate,
};
const periodRule = (c: { validFrom: string; validTo: string }): boolean => c.validTo >= c.validFrom;
export const contractCreate = z
  .object({ ...contractFields, carrierId: uuid.optional().describe('carrier users: their own, implied') })
  .refine(periodRule, { message: 'validTo before validFrom', path: ['validTo'] });
export const contractPatch = z.object(contractFields).partial();
export const contract = z.object({ ...rowMeta, ...contractFields });

// Russian registration plates use Cyrillic letters that look Latin (А В Е К М Н О Р С Т У Х).
const plate = z
  .string()
  .trim()
  .toUpperCase()
  .min(4)
  .max(12)
  .regex(/^[0-9A-ZА-ЯЁ]+$/u, 'letters and digits only, upper case, no spaces');

const vehicleFields = {
  carrierId: uuid,
  plate,
  bodyType: z.enum(['rear_loader', 'side_loader', 'front_loader', 'roll_off', 'hook_lift', 'crane', 'other']),
  bodyVolumeM3: decimalString(4, 2, 'body volume, m³'),
  compactionRatio: decimalString(2, 2, 'compaction ratio (1 = none)'),
  fuelTankL: decimalString(5, 1, 'fuel tank, litres'),
  consumptionEmptyL100km: decimalString(3, 2, 'fuel consumption empty, L/100 km'),
  consumptionLoadedL100km: decimalString(3, 2, 'fuel consumption loaded, L/100 km'),
  trackerDeviceId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .nullable()
    .optional()
    .describe('the gateway device (tracker) on this vehicle'),
  status: z.enum(['active', 'repair', 'retired']),
};
export const vehicleCreate = z.object({
  ...vehicleFields,
  carrierId: uuid.optional().describe('carrier users: their own, implied'),
  status: vehicleFields.status.default('active'),
});
export const vehiclePatch = z.object(vehicleFields).partial();
export const vehicle = z.object({ ...rowMeta, ...vehicleFields, trackerDeviceId: z.string().nullable() });

const driverFields = {
  carrierId: uuid,
  fullName: z.string().min(1).max(300),
  licenseNumber: z.string().min(4).max(30),
  phone: z.string().max(50).nullable().optional(),
  userId: uuid.nullable().optional().describe('the driver’s login (role driver)'),
};
export const driverCreate = z.object({ ...driverFields, carrierId: uuid.optional() });
export const driverPatch = z.object(driverFields).partial();
export const driver = z.object({
  ...rowMeta,
  ...driverFields,
  phone: z.string().nullable(),
  userId: uuid.nullable(),
});
