import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emissionLogProbability, transitionLogProbability } from './hmm-log-probability.js';

describe('HMM log probabilities', () => {
  it('are the logs of the Gaussian and exponential densities of Newson & Krumm', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        (d, scale) => {
          const gaussian = Math.exp(-0.5 * (d / scale) ** 2) / (Math.sqrt(2 * Math.PI) * scale);
          const exponential = Math.exp(-d / scale) / scale;
          fc.pre(gaussian > 1e-250);
          expect(emissionLogProbability(d, scale)).toBeCloseTo(Math.log(gaussian), 8);
          expect(transitionLogProbability(d, scale)).toBeCloseTo(Math.log(exponential), 8);
        },
      ),
    );
  });

  it('stay finite where the densities underflow', () => {
    expect(Math.exp(-0.5 * (1000 / 4.07) ** 2)).toBe(0);
    expect(Number.isFinite(emissionLogProbability(1000, 4.07))).toBe(true);
    expect(Number.isFinite(transitionLogProbability(1e5, 10))).toBe(true);
  });
});
