import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchingConfidence } from './matching-confidence.js';

/** OSRM's BayesClassifier<LaplaceDistribution, LaplaceDistribution>, literally, for comparison. */
function osrmConfidence(traceLength: number, matchedLength: number): number {
  const x = -Math.log(traceLength) + Math.log(matchedLength);
  if (!Number.isFinite(x)) return 0;
  const laplace = (value: number, location: number, scale: number): number =>
    (1 / (2 * scale)) * Math.exp(-Math.abs(value - location) / scale);
  const positive = 0.696774 * laplace(x, 0.005986, 0.016646);
  const negative = (1 - 0.696774) * laplace(x, 0.054385, 0.458432);
  const norm = positive + negative;
  return positive > negative ? positive / norm : 1 - negative / norm;
}

describe('matchingConfidence', () => {
  it('is high when the matched route is as long as the trace, low when much longer', () => {
    expect(matchingConfidence(1000, 1000)).toBeGreaterThan(0.97);
    expect(matchingConfidence(1000, 1030)).toBeGreaterThan(0.5);
    expect(matchingConfidence(1000, 1200)).toBeLessThan(0.01);
    expect(matchingConfidence(1000, 2000)).toBeLessThan(1e-6);
  });

  it('is 0 when either length is 0, as OSRM', () => {
    expect(matchingConfidence(0, 0)).toBe(0);
    expect(matchingConfidence(0, 10)).toBe(0);
    expect(matchingConfidence(10, 0)).toBe(0);
  });

  it("equals OSRM's classifier", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (trace, ratio) => {
          const expected = osrmConfidence(trace, trace * ratio);
          const actual = matchingConfidence(trace, trace * ratio);
          expect(actual).toBeGreaterThanOrEqual(0);
          expect(actual).toBeLessThanOrEqual(1);
          expect(actual).toBeCloseTo(expected, 12);
        },
      ),
    );
  });
});
