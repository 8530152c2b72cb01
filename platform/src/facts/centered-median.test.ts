import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CenteredMedian } from './centered-median.js';

function filter(
  values: number[],
  halfWindow: number,
  hampel?: { nSigma: number; minDeviation: number },
): number[] {
  const out: number[] = [];
  const stage = new CenteredMedian(halfWindow, (value) => out.push(value), hampel);
  values.forEach((value, i) => stage.push(value, i, 0, 0));
  stage.flush();
  return out;
}

describe('CenteredMedian', () => {
  it('emits one value per sample, the window median, with the window cut at both ends', () => {
    expect(filter([5, 1, 3, 9, 7], 1)).toEqual([3, 3, 3, 7, 8]);
  });

  it('Hampel mode replaces isolated spikes and keeps everything else', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 20, max: 200, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 199 }), { maxLength: 6 }),
        fc.double({ min: 10, max: 40, noNaN: true }),
        (level, spikeAt, size) => {
          const clean = Array.from({ length: 200 }, (_, i) => level + 0.2 * Math.sin(i));
          const spiked = [...clean];
          // Spikes at least 12 samples apart: each window of 11 holds at most one.
          const spread = [...new Set(spikeAt.map((i) => i - (i % 12)))];
          for (const i of spread) spiked[i] = (spiked[i] as number) + size;
          const out = filter(spiked, 5, { nSigma: 3, minDeviation: 2 });
          out.forEach((value, i) => expect(Math.abs(value - (clean[i] as number))).toBeLessThan(0.5));
        },
      ),
      { numRuns: 100 },
    );
  });
});
