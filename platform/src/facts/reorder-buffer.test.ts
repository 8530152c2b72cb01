import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from './reorder-buffer.js';

interface Rec {
  timeMs: number;
  seq: number;
}

function run(input: Rec[], windowMs: number): { out: Rec[]; buffer: ReorderBuffer<Rec> } {
  const out: Rec[] = [];
  const buffer = new ReorderBuffer<Rec>(
    windowMs,
    (a, b) => a.seq - b.seq,
    (item) => out.push(item),
  );
  for (const item of input) buffer.push(item);
  buffer.flush();
  return { out, buffer };
}

describe('ReorderBuffer', () => {
  it('releases in time order once the window has passed', () => {
    const out: Rec[] = [];
    const buffer = new ReorderBuffer<Rec>(
      10,
      (a, b) => a.seq - b.seq,
      (item) => out.push(item),
    );
    buffer.push({ timeMs: 5, seq: 2 });
    buffer.push({ timeMs: 1, seq: 1 });
    expect(out).toEqual([]);
    buffer.push({ timeMs: 12, seq: 3 });
    expect(out.map((r) => r.seq)).toEqual([1]);
    buffer.flush();
    expect(out.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('drops duplicates and counts records older than what was released as late', () => {
    const { out, buffer } = run(
      [
        { timeMs: 0, seq: 1 },
        { timeMs: 0, seq: 1 },
        { timeMs: 100, seq: 2 },
        { timeMs: 0, seq: 1 },
        // Behind the window but after everything released so far: still in order, kept.
        { timeMs: 50, seq: 9 },
        { timeMs: 200, seq: 3 },
        { timeMs: 60, seq: 10 },
      ],
      10,
    );
    expect(out.map((r) => r.seq)).toEqual([1, 9, 2, 3]);
    expect(buffer.duplicateCount).toBe(2);
    expect(buffer.lateCount).toBe(1);
  });

  it('any delivery displaced by less than the window, with resends, gives the sorted unique stream', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.boolean()), { minLength: 1, maxLength: 300 }),
        (n, jitter) => {
          const records = Array.from({ length: n }, (_, i) => ({ timeMs: i * 1000, seq: i + 1 }));
          // Each record is delivered up to 9 s late (window 10 s), some twice.
          const deliveries = records.flatMap((record, i) => {
            const [delayS, twice] = jitter[i % jitter.length] as [number, boolean];
            const at = record.timeMs + delayS * 1000;
            return twice
              ? [
                  { at, record },
                  { at: at + 500, record },
                ]
              : [{ at, record }];
          });
          deliveries.sort((a, b) => a.at - b.at);
          const { out, buffer } = run(
            deliveries.map((d) => d.record),
            10_000,
          );
          expect(out).toEqual(records);
          expect(buffer.lateCount).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
