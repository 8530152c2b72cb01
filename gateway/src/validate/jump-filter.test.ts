import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JumpFilter } from './jump-filter.js';

describe('JumpFilter', () => {
  it('accepts any track driven at legal speeds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dtS: fc.integer({ min: 1, max: 30 }),
            kmh: fc.double({ min: 0, max: 120, noNaN: true }),
            bearing: fc.double({ min: 0, max: 6.28, noNaN: true }),
          }),
          { maxLength: 200 },
        ),
        (steps) => {
          const filter = new JumpFilter(250);
          let t = 0;
          let lat = 557_500_000;
          let lon = 376_000_000;
          expect(filter.accept('d', t, lat, lon)).toBe(true);
          for (const step of steps) {
            const metres = (step.kmh / 3.6) * step.dtS;
            t += step.dtS * 1000;
            lat += Math.round((Math.cos(step.bearing) * metres) / 0.0111);
            lon += Math.round(
              (Math.sin(step.bearing) * metres) / (0.0111 * Math.cos((55.75 * Math.PI) / 180)),
            );
            expect(filter.accept('d', t, lat, lon)).toBe(true);
          }
        },
      ),
    );
  });

  it('refuses a lone outlier and re-anchors after consistent refusals', () => {
    const filter = new JumpFilter(250);
    expect(filter.accept('d', 0, 557_500_000, 376_000_000)).toBe(true);
    expect(filter.accept('d', 1000, 567_500_000, 376_000_000)).toBe(false); // 111 km in 1 s
    expect(filter.accept('d', 2000, 557_500_100, 376_000_000)).toBe(true);
    // The reference itself was wrong (first fix after a cold start): the truck is really elsewhere.
    expect(filter.accept('d', 3000, 547_500_000, 376_000_000)).toBe(false);
    expect(filter.accept('d', 4000, 547_500_100, 376_000_000)).toBe(false);
    expect(filter.accept('d', 5000, 547_500_200, 376_000_000)).toBe(true);
    expect(filter.accept('d', 6000, 547_500_300, 376_000_000)).toBe(true);
  });

  it('keeps devices apart', () => {
    const filter = new JumpFilter(250);
    expect(filter.accept('a', 0, 557_500_000, 376_000_000)).toBe(true);
    expect(filter.accept('b', 1000, 597_500_000, 306_000_000)).toBe(true);
  });
});
