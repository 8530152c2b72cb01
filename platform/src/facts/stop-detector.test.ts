import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StopDetector, type MotionListener, type StopSegment, type TripSegment } from './stop-detector.js';
import { FixWriter, parkedWithJitter } from './test-fixes.js';
import type { Fix } from './types.js';

function segment(fixes: readonly Fix[]): { stops: StopSegment[]; trips: TripSegment[] } {
  const stops: StopSegment[] = [];
  const trips: TripSegment[] = [];
  const listener: MotionListener = {
    restStarted: () => {},
    restFix: () => {},
    restAborted: () => {},
    stopConfirmed: () => {},
    stopEnded: (stop) => stops.push(stop),
    tripEnded: (trip) => trips.push(trip),
  };
  const detector = new StopDetector(listener);
  for (const fix of fixes) detector.push(fix);
  detector.flush();
  return { stops, trips };
}

describe('StopDetector', () => {
  it('splits drive, stop, drive; a 20 s wait at a light stays inside the trip', () => {
    const w = new FixWriter().drive(120, 36).park(90).drive(120, 36).park(20).drive(60, 36);
    const { stops, trips } = segment(w.fixes);
    expect(stops).toHaveLength(1);
    const stop = stops[0] as StopSegment;
    expect((stop.endMs - stop.startMs) / 1000).toBeCloseTo(89, 0);
    expect(trips).toHaveLength(2);
    expect(trips[0]?.truncated).toBe(true);
    expect(Math.abs(trips[1]!.distanceM - 1800)).toBeLessThan(20);
    expect(trips[1]?.startMs).toBe(stop.endMs);
  });

  it('a silent tracker that did not move is parked; one that moved is driving', () => {
    const parked = new FixWriter().drive(30, 36).park(10).silence(600).park(10).drive(30, 36);
    const a = segment(parked.fixes);
    expect(a.stops).toHaveLength(1);
    expect((a.stops[0]!.endMs - a.stops[0]!.startMs) / 1000).toBeGreaterThan(600);

    const moved = new FixWriter().drive(30, 36).silence(600, 5000).drive(30, 36);
    const b = segment(moved.fixes);
    expect(b.stops).toHaveLength(0);
    expect(b.trips).toHaveLength(1);
    expect(b.trips[0]!.distanceM).toBeGreaterThan(5000);
  });

  it('GNSS jitter, multipath jumps and speed spikes while parked make no trip', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          seconds: fc.integer({ min: 60, max: 3600 }),
          sigmaM: fc.double({ min: 0, max: 8, noNaN: true }),
          jumpChance: fc.double({ min: 0, max: 0.01, noNaN: true }),
          spikeChance: fc.double({ min: 0, max: 0.05, noNaN: true }),
        }),
        (noise) => {
          const { stops, trips } = segment(parkedWithJitter(noise));
          expect(trips).toHaveLength(0);
          expect(stops).toHaveLength(1);
          expect(stops[0]?.truncated).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
