/** 15-minute slots of the week, Monday 00:00 = 0 … Sunday 23:45 = 671, in the region's local time. */
export const SLOTS_PER_WEEK = 7 * 24 * 4;
export const SLOT_MS = 15 * 60_000;

/**
 * Slot of an instant. `utcOffsetMinutes` is the region's offset (Moscow +180): traffic follows
 * local clocks, timestamps are UTC.
 */
export function weekSlotOf(timeMs: number, utcOffsetMinutes: number): number {
  const local = new Date(timeMs + utcOffsetMinutes * 60_000);
  const weekday = (local.getUTCDay() + 6) % 7; // Monday = 0
  return weekday * 96 + local.getUTCHours() * 4 + Math.floor(local.getUTCMinutes() / 15);
}
