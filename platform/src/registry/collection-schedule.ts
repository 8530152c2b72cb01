import { z } from 'zod';
import { isoDate } from '../http/common-schemas.js';

/**
 * When a site is served (график вывоза). The JSON is the one the route optimizer reads
 * (`routing/src/optimizer/plans/collection-schedule.ts`): the same kinds and fields, strict objects,
 * so a stored schedule goes to the optimizer unchanged. ISO weekdays: 1 = Monday … 7 = Sunday.
 */
export const collectionSchedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily') }).strict(),
  z
    .object({ kind: z.literal('weekdays'), days: z.array(z.number().int().min(1).max(7)).min(1).max(7) })
    .strict(),
  /** Every `every` days counted from `anchor` (через N дней). */
  z
    .object({ kind: z.literal('every-n-days'), every: z.number().int().min(1).max(366), anchor: isoDate })
    .strict(),
  /** Days of the month; a day the month lacks (31 in April) falls on its last day. */
  z
    .object({ kind: z.literal('monthly'), days: z.array(z.number().int().min(1).max(31)).min(1).max(31) })
    .strict(),
]);
export type CollectionSchedule = z.infer<typeof collectionSchedule>;

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM');
/** Local time window for the collection (e.g. not before 07:00 near housing). */
export const collectionWindow = z.object({ from: hhmm, to: hhmm });

const DAY_MS = 86_400_000;

function toDayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

/** Is a collection due on this calendar day (YYYY-MM-DD, the region's local date)? */
export function isCollectionDue(schedule: CollectionSchedule, date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`);
  switch (schedule.kind) {
    case 'daily':
      return true;
    case 'weekdays':
      return schedule.days.includes(((day.getUTCDay() + 6) % 7) + 1);
    case 'every-n-days': {
      const offset = toDayNumber(date) - toDayNumber(schedule.anchor);
      return ((offset % schedule.every) + schedule.every) % schedule.every === 0;
    }
    case 'monthly': {
      const lastDay = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
      const dayOfMonth = day.getUTCDate();
      return schedule.days.some((d) => Math.min(d, lastDay) === dayOfMonth);
    }
  }
}

/** Every due date in [from, to] inclusive, ascending. */
export function collectionDates(schedule: CollectionSchedule, from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = toDayNumber(from); day <= toDayNumber(to); day++) {
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isCollectionDue(schedule, date)) dates.push(date);
  }
  return dates;
}
