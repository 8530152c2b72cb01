import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation } from './match-types.js';
import { tidyTrace } from './tidy-trace.js';

// About 1 m per 0.000009° of latitude.
const METRE_LAT = 1 / 111_195;
const along = (metres: readonly number[], times?: readonly number[]): Observation[] =>
  metres.map((m, i) => ({ lon: 37.6, lat: 55.7 + m * METRE_LAT, ...(times ? { timeS: times[i]! } : {}) }));

describe('tidyTrace', () => {
  it('keeps the first, the last and each one 15 m on (summed) from the last kept', () => {
    expect(Array.from(tidyTrace(along([0, 2, 4, 6, 20, 22, 40, 60, 61, 80])))).toEqual([0, 4, 6, 7, 9]);
  });

  it('with timestamps also needs 5 s since the last kept one', () => {
    const metres = [0, 20, 40, 60, 80, 100, 120];
    expect(Array.from(tidyTrace(along(metres, [0, 1, 2, 3, 4, 5, 6])))).toEqual([0, 5, 6]);
    expect(Array.from(tidyTrace(along(metres, [0, 5, 10, 15, 20, 25, 30])))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('honours other thresholds', () => {
    expect(Array.from(tidyTrace(along([0, 2, 4, 6, 20, 22, 40]), { distanceM: 5, seconds: 0 }))).toEqual([
      0, 3, 4, 6,
    ]);
  });

  it('keeps short traces whole', () => {
    expect(Array.from(tidyTrace([]))).toEqual([]);
    expect(Array.from(tidyTrace(along([0])))).toEqual([0]);
    expect(Array.from(tidyTrace(along([0, 0])))).toEqual([0, 1]);
  });

  it('returns an ascending subset that starts and ends with the trace', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (steps) => {
          let at = 0;
          const trace = along(steps.map((s) => (at += s)));
          const kept = Array.from(tidyTrace(trace));
          expect(kept[0]).toBe(0);
          expect(kept[kept.length - 1]).toBe(trace.length - 1);
          for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
        },
      ),
    );
  });
});
