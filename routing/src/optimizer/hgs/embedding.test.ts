import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embedDistanceMatrix, polarAngles } from './embedding.js';

describe('embedDistanceMatrix', () => {
  it('recovers planar points up to a rigid motion (pairwise distances preserved)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: -500, max: 500 })), {
          minLength: 3,
          maxLength: 40,
        }),
        (pts) => {
          const n = pts.length;
          const d = new Float64Array(n * n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++)
              d[i * n + j] = Math.hypot(pts[i]![0] - pts[j]![0], pts[i]![1] - pts[j]![1]);
          }
          const { x, y } = embedDistanceMatrix(n, d);
          let max = 0;
          for (let k = 0; k < n * n; k++) max = Math.max(max, d[k]!);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              const e = Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!);
              expect(Math.abs(e - d[i * n + j]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, max));
            }
          }
          const angles = polarAngles({ x, y });
          for (const a of angles) expect(a >= 0 && a < 65536).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
