/**
 * A container site's collection schedule (график вывоза) and the calendar dates it falls on. Dates
 * are local calendar days `YYYY-MM-DD` (the region's), weekdays ISO: 1 = Monday … 7 = Sunday.
 */
import { z } from 'zod';

const isoDate = z.iso.date();

export const collectionScheduleSchema = z.discriminatedUnion('kind', [
  /** Every day (ежедневно). */
  z.object({ kind: z.literal('daily') }).strict(),
  /** On these weekdays (по дням недели), e.g. Monday, Wednesday, Friday = [1, 3, 5]. */
  z.object({ kind: z.literal('weekdays'), days: z.array(z.number().int().min(1).max(7)).min(1) }).strict(),
  /** Every N days counted from an anchor date (через N дней). */
  z
    .object({ kind: z.literal('every-n-days'), every: z.number().int().min(1).max(366), anchor: isoDate })
    .strict(),
  /** On these days of the month; a day the month lacks (31 in April) falls on its last day. */
  z.object({ kind: z.literal('monthly'), days: z.array(z.number().int().min(1).max(31)).min(1) }).strict(),
]);

export type CollectionSchedule = z.infer<typeof collectionScheduleSchema>;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

export function isScheduledOn(schedule: CollectionSchedule, date: string): boolean {
  switch (schedule.kind) {
    case 'daily':
      return true;
    case 'weekdays':
      return schedule.days.includes(isoWeekday(date));
    case 'every-n-days': {
      const offset = dayNumber(date) - dayNumber(schedule.anchor);
      return ((offset % schedule.every) + schedule.every) % schedule.every === 0;
    }
    case 'monthly': {
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
      return schedule.days.some((day) => Math.min(day, lastDay) === d);
    }
  }
}

/** The dates in [from, to] (inclusive) on which the schedule falls, in order. */
export function expandSchedule(schedule: CollectionSchedule, from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = dayNumber(from); day <= dayNumber(to); day++) {
    const date = dateOfDayNumber(day);
    if (isScheduledOn(schedule, date)) dates.push(date);
  }
  return dates;
}
