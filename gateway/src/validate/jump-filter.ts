import { haversineE7 } from './geo.js';

interface LastFix {
  timeMs: number;
  latE7: number;
  lonE7: number;
  /** Fixes refused in a row as jumps from this one. */
  rejectedInRow: number;
}

// Below this distance a jump is GNSS noise around a stop, whatever the time step.
const NOISE_RADIUS_M = 300;
// After this many consistent refusals the old reference was the outlier: re-anchor on the new one.
const REANCHOR_AFTER = 3;

/**
 * Refuses fixes whose implied speed from the device's last accepted fix is physically impossible
 * (a multipath jump or a spoofed position). Keeps one small entry per device.
 */
export class JumpFilter {
  private readonly last = new Map<string, LastFix>();

  constructor(private readonly maxSpeedKmh: number) {}

  /** True when the fix is plausible; a plausible fix newer than the reference becomes the reference. */
  accept(deviceId: string, timeMs: number, latE7: number, lonE7: number): boolean {
    const previous = this.last.get(deviceId);
    if (!previous) {
      this.last.set(deviceId, { timeMs, latE7, lonE7, rejectedInRow: 0 });
      return true;
    }
    const distanceM = haversineE7(previous.latE7, previous.lonE7, latE7, lonE7);
    const seconds = Math.max(Math.abs(timeMs - previous.timeMs) / 1000, 1);
    const impliedKmh = (distanceM / seconds) * 3.6;
    if (distanceM > NOISE_RADIUS_M && impliedKmh > this.maxSpeedKmh) {
      previous.rejectedInRow += 1;
      if (previous.rejectedInRow < REANCHOR_AFTER) return false;
      this.last.set(deviceId, { timeMs, latE7, lonE7, rejectedInRow: 0 });
      return true;
    }
    if (timeMs >= previous.timeMs) {
      previous.timeMs = timeMs;
      previous.latE7 = latE7;
      previous.lonE7 = lonE7;
    }
    previous.rejectedInRow = 0;
    return true;
  }
}
