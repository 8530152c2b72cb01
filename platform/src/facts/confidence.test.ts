import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factConfidence, needsReview } from './confidence.js';
import type { Evidence } from './types.js';

const stop: Evidence = { kind: 'gnss-stop', startMs: 0, endMs: 90_000, lon: 37.6, lat: 55.8, distanceM: 8 };
const lift: Evidence = { kind: 'lift', timeMs: 10_000 };
const rfid: Evidence = { kind: 'rfid', timeMs: 10_000, rfid: 'RU-CNT-000001' };
const driver: Evidence = {
  kind: 'driver',
  reportId: 'r1',
  timeMs: 30_000,
  lon: 37.6,
  lat: 55.8,
  distanceM: 12,
  containerCount: 2,
};
const farDriver: Evidence = { ...driver, reportId: 'r2', distanceM: 900 };

describe('factConfidence', () => {
  it('follows the documented table', () => {
    expect(factConfidence([stop])).toBe(0.6);
    expect(factConfidence([stop, lift])).toBe(0.95);
    expect(factConfidence([stop, lift, lift, lift])).toBe(0.95);
    expect(factConfidence([stop, lift, driver])).toBe(0.99);
    expect(factConfidence([stop, lift, rfid])).toBe(0.975);
    expect(factConfidence([lift])).toBe(0.875);
    expect(factConfidence([driver])).toBe(0.8);
    expect(factConfidence([stop, farDriver])).toBe(0.72);
    expect(factConfidence([stop, farDriver, driver])).toBe(factConfidence([stop, driver]));
  });

  it('a driver report alone always needs review; telematics at 0.6 does not', () => {
    expect(needsReview([driver], factConfidence([driver]))).toBe(true);
    expect(needsReview([stop], 0.6)).toBe(false);
  });

  it('more evidence never lowers confidence, and it stays in [0, 1]', () => {
    const any = fc.constantFrom(stop, lift, rfid, driver, farDriver);
    fc.assert(
      fc.property(fc.array(any, { maxLength: 6 }), any, (evidence, extra) => {
        const before = factConfidence(evidence);
        const after = factConfidence([...evidence, extra]);
        expect(after).toBeGreaterThanOrEqual(before);
        expect(after).toBeLessThanOrEqual(1);
        expect(before).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
