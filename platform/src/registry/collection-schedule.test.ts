import { describe, expect, it } from 'vitest';
import { collectionDates, collectionSchedule } from './collection-schedule.js';

describe('collection schedule', () => {
  it('expands weekdays (ISO: 1 = Monday)', () => {
    // 2025-03-03 is a Monday.
    expect(collectionDates({ kind: 'weekdays', days: [1, 4] }, '2025-03-03', '2025-03-13')).toEqual([
      '2025-03-03',
      '2025-03-06',
      '2025-03-10',
      '2025-03-13',
    ]);
  });

  it('expands every N days counted from the anchor, both ways', () => {
    const schedule = { kind: 'every-n-days', every: 3, anchor: '2025-01-30' } as const;
    expect(collectionDates(schedule, '2025-01-26', '2025-02-06')).toEqual([
      '2025-01-27',
      '2025-01-30',
      '2025-02-02',
      '2025-02-05',
    ]);
  });

  it('puts monthly days past the month end on its last day', () => {
    const dates = collectionDates({ kind: 'monthly', days: [15, 31] }, '2024-02-01', '2024-04-30');
    expect(dates).toEqual([
      '2024-02-15',
      '2024-02-29',
      '2024-03-15',
      '2024-03-31',
      '2024-04-15',
      '2024-04-30',
    ]);
  });

  it('expands daily and refuses malformed schedules', () => {
    expect(collectionDates({ kind: 'daily' }, '2025-12-30', '2026-01-02')).toHaveLength(4);
    expect(collectionSchedule.safeParse({ kind: 'weekdays', days: [0] }).success).toBe(false);
    expect(
      collectionSchedule.safeParse({ kind: 'every-n-days', every: 3, anchor: '2025-02-30' }).success,
    ).toBe(false);
    expect(collectionSchedule.safeParse({ kind: 'hourly' }).success).toBe(false);
    // Strict, as the optimizer parses it: unknown fields are refused, not dropped.
    expect(collectionSchedule.safeParse({ kind: 'daily', window: {} }).success).toBe(false);
  });
});
