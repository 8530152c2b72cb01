import { z } from 'zod';
import { decimalString, isoDate, pagination, rowMeta, timestamp, uuid } from '../http/common-schemas.js';

export const period = z
  .string()
  .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .describe('settlement month, YYYY-MM');
const money = z.string().describe('RUB, exact decimal');
const measure = z.string().describe('exact decimal, 3 places');
const settlementStatus = z.enum(['draft', 'approved', 'superseded']);
const disputeStatus = z.enum(['open', 'accepted', 'rejected']);

export const settlementSummary = z.object({
  id: uuid,
  carrierId: uuid,
  carrierName: z.string(),
  contractId: uuid,
  contractNumber: z.string(),
  lotName: z.string(),
  period,
  version: z.number().int(),
  status: settlementStatus.describe('draft → approved (frozen) → superseded by an approved later version'),
  periodFrom: isoDate.describe('the contract period clipped to the month'),
  periodTo: isoDate,
  tariffUnit: z.enum(['m3', 'tonne', 'trip']),
  tariffRub: money,
  factsCounted: z.number().int(),
  factsPending: z.number().int().describe('held out by an open dispute'),
  factsExcluded: z.number().int(),
  volumeM3: measure,
  massT: measure,
  unweighedFacts: z.number().int().describe('counted facts whose trip has no weighbridge mass yet'),
  trips: z.number().int(),
  quantity: measure.describe('m³, t or trips, as the tariff unit'),
  accrualRub: money.describe('quantity × tariff, rounded half-up to kopecks'),
  visitsPlanned: z.number().int(),
  visitsServed: z.number().int(),
  visitsLate: z.number().int(),
  visitsMissed: z.number().int(),
  visitsExcused: z.number().int().describe('missed or late, excused by an accepted dispute'),
  deductionRule: z.enum(['none', 'fixed', 'percent']),
  deductionRub: money,
  totalRub: money.describe('accrual − deduction'),
  computedAt: timestamp,
  approvedAt: timestamp.nullable(),
  approvedBy: uuid.nullable(),
});

const factLine = z.object({
  factId: z.string(),
  siteId: z.string(),
  localDate: isoDate,
  localTime: z.string(),
  verdict: z.enum(['verified', 'accepted', 'low-confidence', 'rejected', 'disputed']),
  counted: z.boolean(),
  containerCount: z.number().int(),
  volumeM3: measure,
  massKg: z.string().nullable().describe('the fact’s share of its trip’s weighbridge mass'),
  unloadingId: z.string().nullable(),
});
const visitLine = z.object({
  visitId: uuid,
  siteId: uuid,
  visitDate: isoDate,
  outcome: z.enum(['served', 'late', 'missed', 'excused']),
  factId: z.string().nullable(),
  disputeStatus: disputeStatus.nullable(),
});
export const settlement = settlementSummary.extend({
  details: z.object({ facts: z.array(factLine), visits: z.array(visitLine) }),
});

export const settlementListQuery = z.object({
  ...pagination,
  carrierId: uuid.optional(),
  contractId: uuid.optional(),
  period: period.optional(),
  status: settlementStatus.optional(),
});

export const computeBody = z.object({
  period,
  carrierId: uuid.optional().describe('only this carrier’s lots; all lots in force when absent'),
  newVersion: z
    .boolean()
    .default(false)
    .describe('recompute approved lots as a new draft version (approved ones are frozen otherwise)'),
});
export const computeResponse = z.object({
  items: z.array(settlementSummary),
  frozen: z.array(uuid).describe('approved settlements left unchanged'),
});

// ---- Disputes and fact reviews ----

export const evidenceItem = z
  .object({
    kind: z.enum(['photo-url', 'photo-id', 'document']),
    value: z.string().min(1).max(2000),
  })
  .refine((e) => e.kind !== 'photo-url' || /^https?:\/\/\S+$/.test(e.value), {
    message: 'photo-url must be an http(s) URL',
    path: ['value'],
  });

export const disputeCreate = z
  .object({
    factId: z.string().min(1).max(200).optional().describe('the disputed collection fact'),
    plannedVisitId: uuid.optional().describe('the planned visit judged missed or late'),
    comment: z.string().trim().min(1).max(2000),
    evidence: z.array(evidenceItem).max(20).default([]),
    claimedContainerCount: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe('the count the carrier claims (fact disputes only)'),
  })
  .refine((d) => (d.factId === undefined) !== (d.plannedVisitId === undefined), {
    message: 'exactly one of factId and plannedVisitId',
    path: ['factId'],
  })
  .refine((d) => d.claimedContainerCount === undefined || d.factId !== undefined, {
    message: 'only for a fact',
    path: ['claimedContainerCount'],
  });

export const disputeResolve = z.object({
  decision: z.enum(['accepted', 'rejected']),
  comment: z.string().trim().min(1).max(2000),
});

export const dispute = z.object({
  id: uuid,
  carrierId: uuid,
  factId: z.string().nullable(),
  plannedVisitId: uuid.nullable(),
  comment: z.string(),
  evidence: z.array(z.object({ kind: z.string(), value: z.string() })),
  claimedContainerCount: z.number().int().nullable(),
  status: disputeStatus,
  resolutionComment: z.string().nullable(),
  resolvedBy: uuid.nullable(),
  resolvedAt: timestamp.nullable(),
  createdBy: uuid,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const disputeListQuery = z.object({
  ...pagination,
  status: disputeStatus.optional(),
  carrierId: uuid.optional(),
  factId: z.string().max(200).optional(),
});

export const factParams = z.object({ id: z.string().min(1).max(200) });
export const factReviewBody = z.object({
  verdict: z.enum(['accepted', 'rejected']),
  comment: z.string().trim().min(1).max(2000),
});
export const factReview = z.object({
  factId: z.string(),
  verdict: z.enum(['accepted', 'rejected']),
  comment: z.string(),
  reviewedBy: uuid,
  reviewedAt: timestamp,
});

export const factListQuery = z
  .object({
    ...pagination,
    from: isoDate.describe('local date, inclusive'),
    to: isoDate.describe('local date, inclusive'),
    carrierId: uuid.optional(),
    siteId: z.string().max(200).optional(),
  })
  .refine((q) => q.to >= q.from, { message: 'to before from', path: ['to'] });

export const factListItem = z.object({
  id: z.string(),
  vehicleId: z.string(),
  carrierId: uuid,
  siteId: z.string(),
  arrivalTime: timestamp,
  departureTime: timestamp,
  containerCount: z.number().int(),
  confidence: z.string(),
  needsReview: z.boolean(),
  review: z.enum(['accepted', 'rejected']).nullable(),
  disputeStatus: disputeStatus.nullable(),
});

// ---- Planned visits and payments (CRUD) ----

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM');
const plannedVisitFields = {
  siteId: uuid,
  visitDate: isoDate,
  windowFrom: hhmm.nullable().optional().describe('local time'),
  windowTo: hhmm.nullable().optional(),
  carrierId: uuid,
  vehicleId: uuid.nullable().optional(),
  workOrderRef: z.string().max(200).nullable().optional().describe('the work order (наряд) that planned it'),
};
const windowRule = (v: { windowFrom?: string | null; windowTo?: string | null }): boolean =>
  (v.windowFrom == null) === (v.windowTo == null) && (v.windowFrom == null || v.windowTo! >= v.windowFrom);
export const plannedVisitCreate = z
  .object(plannedVisitFields)
  .refine(windowRule, { message: 'both window ends, from ≤ to', path: ['windowTo'] });
export const plannedVisitPatch = z.object(plannedVisitFields).partial();
export const plannedVisit = z.object({
  ...rowMeta,
  ...plannedVisitFields,
  windowFrom: z.string().nullable(),
  windowTo: z.string().nullable(),
  vehicleId: uuid.nullable(),
  workOrderRef: z.string().nullable(),
});

const paymentFields = {
  carrierId: uuid,
  contractId: uuid.nullable().optional(),
  paidOn: isoDate,
  amountRub: decimalString(12, 2, 'RUB, exact'),
  documentNumber: z.string().min(1).max(50).describe('платёжное поручение №'),
  purpose: z.string().max(500).nullable().optional(),
};
export const paymentCreate = z
  .object(paymentFields)
  .refine((p) => Number(p.amountRub) > 0, { message: 'must be positive', path: ['amountRub'] });
export const paymentPatch = z.object(paymentFields).partial();
export const payment = z.object({
  ...rowMeta,
  ...paymentFields,
  contractId: uuid.nullable(),
  purpose: z.string().nullable(),
});

// ---- Reports ----

export const reconciliationQuery = z
  .object({
    carrierId: uuid.optional().describe('required for staff; carrier users: their own'),
    from: isoDate,
    to: isoDate,
    format: z.enum(['pdf', 'xlsx']).default('pdf'),
  })
  .refine((q) => q.to >= q.from, { message: 'to before from', path: ['to'] });

export const accountingQuery = z
  .object({
    from: isoDate,
    to: isoDate,
    carrierId: uuid.optional(),
    format: z.enum(['csv', 'xml', 'json']).default('csv'),
  })
  .refine((q) => q.to >= q.from, { message: 'to before from', path: ['to'] });
