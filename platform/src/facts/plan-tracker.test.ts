import { describe, expect, it } from 'vitest';
import { PlanTracker, type WorkOrder } from './plan-tracker.js';
import type { CollectionFact } from './types.js';

const H = 3_600_000;
const order: WorkOrder = {
  id: 'wo-1',
  vehicleId: 'truck-1',
  visits: [
    { siteId: 'a', windowStartMs: 0, windowEndMs: 2 * H },
    { siteId: 'b', windowStartMs: H, windowEndMs: 3 * H },
    { siteId: 'c', windowStartMs: 2 * H, windowEndMs: 4 * H },
  ],
};

function fact(siteId: string, arrivalMs: number, extra: Partial<CollectionFact> = {}): CollectionFact {
  return {
    id: `truck-1:${siteId}:${arrivalMs}`,
    vehicleId: 'truck-1',
    siteId,
    arrivalMs,
    departureMs: arrivalMs + 120_000,
    lon: 37.6,
    lat: 55.8,
    liftCount: 2,
    rfidTags: [],
    liftWeightKg: 0,
    containerCount: 2,
    evidence: [],
    confidence: 0.95,
    needsReview: false,
    ...extra,
  };
}

describe('PlanTracker', () => {
  it('raises "not served" when a window closes, and "served late" when the truck comes after all', () => {
    const tracker = new PlanTracker([order], { graceMs: 10 * 60_000 });
    expect(tracker.onFact(fact('a', H))).toEqual([]);
    expect(tracker.advanceTo(3 * H + 5 * 60_000)).toEqual([]);
    const closed = tracker.advanceTo(3 * H + 11 * 60_000);
    expect(closed.map((a) => [a.kind, a.kind === 'unplanned-visit' ? '' : a.outcome.siteId])).toEqual([
      ['window-closed-not-served', 'b'],
    ]);
    const late = tracker.onFact(fact('b', 3.5 * H));
    expect(late[0]).toMatchObject({
      kind: 'served-late',
      outcome: { siteId: 'b', status: 'late', deviationMs: 0.5 * H },
    });
    expect(tracker.onFact(fact('x', 3.6 * H))[0]?.kind).toBe('unplanned-visit');
    tracker.close();
    expect(tracker.report()).toMatchObject({ served: 1, late: 1, missed: 1, pending: 0 });
    expect(tracker.report().unplanned.map((f) => f.siteId)).toEqual(['x']);
  });

  it('ignores facts that need review and repeats of the same fact', () => {
    const tracker = new PlanTracker([order]);
    expect(tracker.onFact(fact('a', H, { needsReview: true }))).toEqual([]);
    tracker.onFact(fact('a', H));
    tracker.onFact(fact('a', H));
    tracker.onFact(fact('a', 1.5 * H, { id: 'second-visit' }));
    const report = tracker.report();
    expect(report.served).toBe(1);
    expect(report.unplanned).toEqual([]);
  });

  it('an early arrival is served with a negative deviation; another vehicle may serve the site', () => {
    const tracker = new PlanTracker([order]);
    tracker.onFact(fact('c', H));
    tracker.onFact(fact('b', 2 * H, { vehicleId: 'truck-2', id: 'other' }));
    const outcomes = tracker.report().outcomes;
    expect(outcomes.find((o) => o.siteId === 'c')).toMatchObject({ status: 'served', deviationMs: -H });
    expect(outcomes.find((o) => o.siteId === 'b')).toMatchObject({
      status: 'served',
      servedByVehicleId: 'truck-2',
    });
  });
});
