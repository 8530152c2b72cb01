import { describe, expect, it } from 'vitest';
import { collectionScheduleSchema, expandSchedule, isoWeekday } from './collection-schedule.js';

describe('collection schedules', () => {
  it('knows ISO weekdays', () => {
    expect(isoWeekday('2026-11-30')).toBe(1); // Monday
    expect(isoWeekday('2026-12-06')).toBe(7); // Sunday
  });

  it('expands daily and weekday schedules', () => {
    expect(expandSchedule({ kind: 'daily' }, '2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(expandSchedule({ kind: 'weekdays', days: [1, 3, 5] }, '2026-11-30', '2026-12-13')).toEqual([
      '2026-11-30',
      '2026-12-02',
      '2026-12-04',
      '2026-12-07',
      '2026-12-09',
      '2026-12-11',
    ]);
  });

  it('counts every N days from the anchor, also before it', () => {
    const schedule = { kind: 'every-n-days' as const, every: 3, anchor: '2026-12-05' };
    expect(expandSchedule(schedule, '2026-11-29', '2026-12-12')).toEqual([
      '2026-11-29',
      '2026-12-02',
      '2026-12-05',
      '2026-12-08',
      '2026-12-11',
    ]);
  });

  it('puts monthly days a month lacks on its last day', () => {
    const schedule = { kind: 'monthly' as const, days: [15, 31] };
    expect(expandSchedule(schedule, '2027-02-01', '2027-04-30')).toEqual([
      '2027-02-15',
      '2027-02-28',
      '2027-03-15',
      '2027-03-31',
      '2027-04-15',
      '2027-04-30',
    ]);
  });

  it('rejects malformed schedules', () => {
    expect(collectionScheduleSchema.safeParse({ kind: 'weekdays', days: [0] }).success).toBe(false);
    expect(
      collectionScheduleSchema.safeParse({ kind: 'every-n-days', every: 2, anchor: '2026-13-01' }).success,
    ).toBe(false);
    expect(collectionScheduleSchema.safeParse({ kind: 'yearly' }).success).toBe(false);
  });
});
