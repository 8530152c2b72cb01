import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contract } from './contract.js';
import {
  ContractionHierarchy,
  HIERARCHY_MAGIC,
  HIERARCHY_VERSION,
  serializeHierarchy,
} from './contraction-hierarchy.js';
import { HierarchyQuery } from './hierarchy-query.js';
import { edgeListArbitrary, endpointsArbitrary, toGraph } from './test-helpers.js';

describe('serializeHierarchy / ContractionHierarchy.from', () => {
  it('round-trips: the rebuilt hierarchy answers identically', () => {
    const arbitrary = edgeListArbitrary().chain((edges) =>
      fc.record({
        edges: fc.constant(edges),
        queries: fc.array(
          fc.tuple(endpointsArbitrary(edges.nodeCount), endpointsArbitrary(edges.nodeCount)),
          { minLength: 1, maxLength: 8 },
        ),
      }),
    );
    fc.assert(
      fc.property(arbitrary, ({ edges, queries }) => {
        const original = contract(toGraph(edges));
        // A copy, as if read back from disk or received by a worker.
        const copy = serializeHierarchy(original).slice(0);
        const rebuilt = ContractionHierarchy.from(copy);
        expect(rebuilt.data).toBe(copy);
        expect(rebuilt.nodeCount).toBe(original.nodeCount);
        expect(rebuilt.shortcutCount).toBe(original.shortcutCount);
        expect(Array.from(rebuilt.order)).toEqual(Array.from(original.order));
        const a = new HierarchyQuery(original);
        const b = new HierarchyQuery(rebuilt);
        for (const [sources, targets] of queries) {
          expect(b.route(sources, targets)).toEqual(a.route(sources, targets));
        }
        const sources = queries.map((q) => q[0]);
        const targets = queries.map((q) => q[1]);
        expect(b.manyToMany(sources, targets)).toEqual(a.manyToMany(sources, targets));
      }),
      { numRuns: 100 },
    );
  });

  it('views the buffer without copying', () => {
    const h = contract(toGraph({ nodeCount: 3, from: [0, 1], to: [1, 2], weight: [1, 2], distance: [1, 2] }));
    const data = serializeHierarchy(h);
    expect(data).toBe(h.data);
    const rebuilt = ContractionHierarchy.from(data);
    expect(rebuilt.upWeight.buffer).toBe(data);
    expect(rebuilt.order.buffer).toBe(data);
  });

  it('refuses buffers that are not a hierarchy of this version, with exact messages', () => {
    const h = contract(toGraph({ nodeCount: 3, from: [0, 1], to: [1, 2], weight: [1, 2], distance: [1, 2] }));
    const withWord = (index: number, value: number): ArrayBuffer => {
      const data = h.data.slice(0);
      new Uint32Array(data)[index] = value;
      return data;
    };
    expect(() => ContractionHierarchy.from(new ArrayBuffer(8))).toThrowError(
      'hierarchy buffer too short: 8 bytes',
    );
    expect(() => ContractionHierarchy.from(withWord(0, HIERARCHY_MAGIC + 1))).toThrowError(
      'data does not appear to be a serialized contraction hierarchy',
    );
    expect(() => ContractionHierarchy.from(withWord(1, HIERARCHY_VERSION + 1))).toThrowError(
      `got v${HIERARCHY_VERSION + 1} data when expected v${HIERARCHY_VERSION}`,
    );
    expect(() => ContractionHierarchy.from(h.data.slice(0, h.data.byteLength - 4))).toThrowError(
      expect.objectContaining({ code: 'InvalidBuffer' }),
    );
  });
});
