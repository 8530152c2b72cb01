import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap.js';

type Operation =
  { kind: 'relax'; id: number; key: number; key2: number } | { kind: 'pop' } | { kind: 'clear' };

describe('MinHeap', () => {
  it('pops in (key, key2) order and behaves like a sorted list under relax/pop/clear', () => {
    const capacity = 40;
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('relax' as const),
          id: fc.integer({ min: 0, max: capacity - 1 }),
          key: fc.integer({ min: 0, max: 20 }),
          key2: fc.integer({ min: 0, max: 3 }),
        }),
      },
      { weight: 3, arbitrary: fc.constant({ kind: 'pop' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const heap = new MinHeap(capacity);
        // Model: queued id → keys; popped ids remember their keys until clear.
        let queued = new Map<number, [number, number]>();
        let popped = new Map<number, [number, number]>();
        for (const op of operations) {
          if (op.kind === 'clear') {
            heap.clear();
            queued = new Map();
            popped = new Map();
          } else if (op.kind === 'relax') {
            const old = queued.get(op.id);
            const better =
              !popped.has(op.id) && (!old || op.key < old[0] || (op.key === old[0] && op.key2 < old[1]));
            expect(heap.relax(op.id, op.key, op.key2)).toBe(better);
            if (better) queued.set(op.id, [op.key, op.key2]);
          } else if (queued.size > 0) {
            const min = Math.min(...[...queued.values()].map(([k, k2]) => k * 10 + k2));
            const id = heap.pop();
            const keys = queued.get(id);
            expect(keys).toBeDefined();
            expect(keys![0] * 10 + keys![1]).toBe(min);
            queued.delete(id);
            popped.set(id, keys!);
          }
          expect(heap.size).toBe(queued.size);
          for (const [id, [k, k2]] of popped) {
            expect(heap.isPopped(id)).toBe(true);
            expect([heap.key(id), heap.key2(id)]).toEqual([k, k2]);
          }
          for (const id of queued.keys()) expect(heap.isQueued(id)).toBe(true);
        }
      }),
    );
  });

  it('update moves an id both ways', () => {
    const heap = new MinHeap(10);
    for (let id = 0; id < 10; id++) heap.push(id, id, 0);
    heap.update(0, 100, 0);
    heap.update(9, -1, 0);
    const order: number[] = [];
    while (heap.size > 0) order.push(heap.pop());
    expect(order).toEqual([9, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
  });

  it('clears in O(1) and forgets every id', () => {
    const heap = new MinHeap(5);
    heap.push(3, 1, 0);
    heap.pop();
    heap.clear();
    expect(heap.has(3)).toBe(false);
    expect(heap.size).toBe(0);
    expect(heap.relax(3, 7, 0)).toBe(true);
  });
});
