import { describe, expect, it } from 'vitest';
import { Exact } from './exact-decimal.js';
import {
  allocateTripMass,
  deductionRub,
  factVolumeM3,
  judgeFact,
  judgeVisits,
  settleLots,
  type FactInput,
  type LotTerms,
  type VisitInput,
} from './settlement-rules.js';

const MIXED_SITE = [
  { count: 3, volumeM3: '1.1' },
  { count: 1, volumeM3: '8' },
];

const terms = (overrides: Partial<LotTerms> = {}): LotTerms => ({
  contractId: 'k1',
  carrierId: 'c1',
  periodFrom: '2025-03-01',
  periodTo: '2025-03-31',
  tariffUnit: 'm3',
  tariffRub: '612.10',
  confidenceThreshold: '0.9',
  deductionRule: 'none',
  missedVisitDeduction: '0',
  lateVisitDeduction: '0',
  lateToleranceMin: 0,
  ...overrides,
});

let sequence = 0;
const fact = (overrides: Partial<FactInput> = {}): FactInput => {
  const n = ++sequence;
  return {
    id: `f${n}`,
    vehicleKey: 'v1',
    carrierId: 'c1',
    siteId: 's1',
    contractId: 'k1',
    localDate: '2025-03-03',
    localTime: '08:00',
    arrivalMs: Date.UTC(2025, 2, 3, 5, 0) + n * 60_000,
    containerCount: 2,
    confidence: '0.95',
    siteContainers: [{ count: 2, volumeM3: '0.75' }],
    ...overrides,
  };
};

describe('fact volume', () => {
  it('is containers × volume, the whole site when all were collected, mean volume on mixed sites', () => {
    expect(factVolumeM3(2, [{ count: 2, volumeM3: '0.75' }]).toFixed(3)).toBe('1.500');
    expect(factVolumeM3(4, MIXED_SITE).toFixed(3)).toBe('11.300');
    expect(factVolumeM3(2, MIXED_SITE).toFixed(3)).toBe('5.650');
    // 2.6 m³ over 3 containers: 0.8666… → 0.867 (rounding point 1).
    expect(
      factVolumeM3(1, [
        { count: 1, volumeM3: '1.1' },
        { count: 2, volumeM3: '0.75' },
      ]).toFixed(3),
    ).toBe('0.867');
    expect(factVolumeM3(3, []).toFixed(3)).toBe('0.000');
  });
});

describe('fact verdict', () => {
  it('counts at the threshold, and lets disputes and reviews override confidence in order', () => {
    expect(judgeFact({ confidence: '0.900', containerCount: 2 }, '0.9')).toMatchObject({
      verdict: 'verified',
    });
    expect(judgeFact({ confidence: '0.899', containerCount: 2 }, '0.9')).toMatchObject({
      verdict: 'low-confidence',
      counted: false,
    });
    const open = { status: 'open' as const, claimedContainerCount: null };
    expect(
      judgeFact({ confidence: '0.99', containerCount: 2, review: 'accepted', dispute: open }, '0.9'),
    ).toMatchObject({ verdict: 'disputed', counted: false });
    const accepted = { status: 'accepted' as const, claimedContainerCount: 5 };
    expect(judgeFact({ confidence: '0.1', containerCount: 2, dispute: accepted }, '0.9')).toEqual({
      verdict: 'accepted',
      counted: true,
      containerCount: 5,
    });
    const rejected = { status: 'rejected' as const, claimedContainerCount: null };
    expect(judgeFact({ confidence: '0.95', containerCount: 2, dispute: rejected }, '0.9').counted).toBe(true);
    expect(judgeFact({ confidence: '0.5', containerCount: 2, dispute: rejected }, '0.9').counted).toBe(false);
    expect(judgeFact({ confidence: '0.5', containerCount: 2, review: 'accepted' }, '0.9').counted).toBe(true);
    expect(judgeFact({ confidence: '0.99', containerCount: 2, review: 'rejected' }, '0.9').counted).toBe(
      false,
    );
  });
});

describe('trip mass', () => {
  it('is shared by volume, equally when no fact has a volume, and keeps every kilogram', () => {
    const shares = allocateTripMass('5120', [new Exact('11.3'), new Exact('1.5')]);
    expect(shares.map(String)).toEqual(['4520', '600']);
    expect(allocateTripMass('1000', [new Exact(0), new Exact(0)]).map(String)).toEqual(['500', '500']);
    const thirds = allocateTripMass('1000', [new Exact(1), new Exact(1), new Exact(1)]);
    expect(
      thirds
        .reduce((sum, v) => sum.plus(v), new Exact(0))
        .toDecimalPlaces(30)
        .toString(),
    ).toBe('1000');
  });
});

describe('deductions', () => {
  it('fixed: RUB per visit; percent: of the accrual, half-up to kopecks; never above the accrual', () => {
    const fixedTerms = terms({
      deductionRule: 'fixed',
      missedVisitDeduction: '1500',
      lateVisitDeduction: '500',
    });
    expect(deductionRub(fixedTerms, new Exact('11293.25'), 2, 1).toFixed(2)).toBe('3500.00');
    expect(deductionRub(fixedTerms, new Exact('1000.00'), 2, 1).toFixed(2)).toBe('1000.00');
    const percent = terms({ deductionRule: 'percent', missedVisitDeduction: '2.5', lateVisitDeduction: '1' });
    // 10 745.33 × 2.5 % = 268.63325 → 268.63
    expect(deductionRub(percent, new Exact('10745.33'), 1, 0).toFixed(2)).toBe('268.63');
    // 10 745.33 × 4.5 % = 483.53985 → 483.54
    expect(deductionRub(percent, new Exact('10745.33'), 1, 2).toFixed(2)).toBe('483.54');
    expect(deductionRub(terms(), new Exact('100'), 5, 5).toFixed(2)).toBe('0.00');
  });
});

describe('visits', () => {
  const visit = (overrides: Partial<VisitInput>): VisitInput => ({
    id: `pv-${++sequence}`,
    siteId: 's1',
    carrierId: 'c1',
    contractId: 'k1',
    visitDate: '2025-03-03',
    windowFrom: '06:00',
    windowTo: '12:00',
    ...overrides,
  });

  it('served within the window (+ tolerance), late after it, missed without a fact, excused by an accepted dispute', () => {
    const facts = [
      fact({ id: 'on-time', localTime: '11:59' }),
      fact({ id: 'late', localDate: '2025-03-04', localTime: '12:20' }),
      fact({ id: 'tolerated', localDate: '2025-03-05', localTime: '12:15' }),
    ];
    const lines = judgeVisits(
      [
        visit({}),
        visit({ visitDate: '2025-03-04' }),
        visit({ visitDate: '2025-03-05' }),
        visit({ visitDate: '2025-03-06' }),
        visit({ visitDate: '2025-03-07', dispute: { status: 'accepted' } }),
        visit({ visitDate: '2025-03-08', dispute: { status: 'open' } }),
        visit({ visitDate: '2025-03-03', siteId: 's2' }),
      ],
      facts,
      15,
    );
    expect(lines.map((l) => [l.visitDate, l.siteId, l.outcome, l.factId])).toEqual([
      ['2025-03-03', 's1', 'served', 'on-time'],
      ['2025-03-03', 's2', 'missed', null],
      ['2025-03-04', 's1', 'late', 'late'],
      ['2025-03-05', 's1', 'served', 'tolerated'],
      ['2025-03-06', 's1', 'missed', null],
      ['2025-03-07', 's1', 'excused', null],
      ['2025-03-08', 's1', 'missed', null],
    ]);
  });
});

describe('a lot’s month', () => {
  it('rounds the accrual half-up to kopecks: 18.45 m³ × 612.10 = 11 293.245 → 11 293.25', () => {
    const facts = [
      fact({ containerCount: 4, siteContainers: MIXED_SITE }),
      fact({ containerCount: 2, siteContainers: MIXED_SITE }),
      fact({ containerCount: 2 }),
    ];
    const [lot] = settleLots([terms()], facts, [], []);
    expect(lot).toMatchObject({
      volumeM3: '18.450',
      quantity: '18.450',
      accrualRub: '11293.25',
      totalRub: '11293.25',
    });
  });

  it('pays a trip once, to the lot with the larger counted volume in it', () => {
    const lots = [
      terms({ tariffUnit: 'trip', tariffRub: '3500' }),
      terms({ contractId: 'k2', tariffUnit: 'trip' }),
    ];
    const facts = [
      fact({ contractId: 'k2', containerCount: 1 }),
      fact({ contractId: 'k1', containerCount: 2 }),
      fact({ contractId: 'k2', containerCount: 2, confidence: '0.1' }),
    ];
    const unloading = { id: 'u1', vehicleKey: 'v1', arrivalMs: Date.UTC(2025, 2, 3, 10), netKg: null };
    const [k1, k2] = settleLots(lots, facts, [unloading], []);
    expect([k1!.trips, k1!.accrualRub, k2!.trips]).toEqual([1, '3500.00', 0]);
  });
});
