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
  // Settlement rules (see settlements/settlement-rules.ts).
  confidenceThreshold: decimalString(
    1,
    3,
    'a fact counts when its confidence is at least this (0..1)',
  ).refine((value) => Number(value) <= 1, 'at most 1'),
  deductionRule: z
    .enum(['none', 'fixed', 'percent'])
    .describe('fixed: RUB per missed/late visit; percent: % of the lot’s monthly accrual per visit'),
  missedVisitDeduction: decimalString(12, 2, 'per missed visit: RUB (fixed) or % (percent)'),
  lateVisitDeduction: decimalString(12, 2, 'per late visit: RUB (fixed) or % (percent)'),
  lateToleranceMin: z
    .number()
    .int()
    .min(0)
    .max(1440)
    .describe('minutes after the window’s end still on time'),
};
const periodRule = (c: { validFrom: string; validTo: string }): boolean => c.validTo >= c.validFrom;
const percentRule = (c: {
  deductionRule: string;
  missedVisitDeduction: string;
  lateVisitDeduction: string;
}): boolean =>
  c.deductionRule !== 'percent' ||
  (Number(c.missedVisitDeduction) <= 100 && Number(c.lateVisitDeduction) <= 100);
export const contractCreate = z
  .object({
    ...contractFields,
    carrierId: uuid.optional().describe('carrier users: their own, implied'),
    confidenceThreshold: contractFields.confidenceThreshold.default('0.9'),
    deductionRule: contractFields.deductionRule.default('none'),
    missedVisitDeduction: contractFields.missedVisitDeduction.default('0'),
    lateVisitDeduction: contractFields.lateVisitDeduction.default('0'),
    lateToleranceMin: contractFields.lateToleranceMin.default(0),
  })
  .refine(periodRule, { message: 'validTo before validFrom', path: ['validTo'] })
  .refine(percentRule, { message: 'a percentage is at most 100', path: ['missedVisitDeduction'] });
export const contractPatch = z.object(contractFields).partial();
export const contract = z.object({
  ...rowMeta,
  ...contractFields,
  confidenceThreshold: z.string(),
  deductionRule: z.enum(['none', 'fixed', 'percent']),
  missedVisitDeduction: z.string(),
  lateVisitDeduction: z.string(),
  lateToleranceMin: z.number().int(),
});

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
  consumptionIdleLPerHour: decimalString(3, 2, 'fuel consumption idling (engine on, standing), L/h'),
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
  consumptionIdleLPerHour: vehicleFields.consumptionIdleLPerHour.default('3'),
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
