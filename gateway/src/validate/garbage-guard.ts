const WINDOW_MS = 60_000;

/**
 * Counts bad messages per device in a sliding minute; tells when a device has crossed the limit
 * and should be disconnected. Good messages do not reset the count: a device that alternates
 * garbage with valid data is still misbehaving.
 */
export class GarbageGuard {
  private readonly strikes = new Map<string, number[]>();

  constructor(private readonly limitPerMinute: number) {}

  /** Records a bad message; true when the device is now over the limit. */
  strike(deviceId: string, nowMs: number): boolean {
    const times = (this.strikes.get(deviceId) ?? []).filter((t) => t > nowMs - WINDOW_MS);
    times.push(nowMs);
    this.strikes.set(deviceId, times);
    return times.length > this.limitPerMinute;
  }

  forget(deviceId: string): void {
    this.strikes.delete(deviceId);
  }
}
