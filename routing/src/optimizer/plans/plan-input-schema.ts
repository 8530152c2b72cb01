/**
 * Input of a collection plan (POST /plans; its author is the access token's subject): a day's request in our JSON — its timestamps fix the clock
 * times of one reference day — whose sites carry collection schedules, and the period to plan. Every
 * day of the period repeats the reference day's times with the sites scheduled that day.
 */
import { z } from 'zod';
import { planRequestSchema } from '../api/plan-request-schema.js';

const isoDate = z.iso.date();

/** Longest period planned at once (a quarter). */
export const MAX_PLAN_DAYS = 92;

export const planInputSchema = z
  .object({
    name: z.string().min(1).max(300),
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    request: planRequestSchema,
  })
  .strict();

/** Re-optimising: anything left out is taken from the plan's latest version. */
export const planVersionInputSchema = z
  .object({
    period: z.object({ from: isoDate, to: isoDate }).strict().optional(),
    request: planRequestSchema.optional(),
  })
  .strict();

export type PlanInput = z.infer<typeof planInputSchema>;
