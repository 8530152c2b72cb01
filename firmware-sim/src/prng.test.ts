import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, gaussian, uniformInt } from './prng.js';

describe('createRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = Array.from({ length: 100 }, createRandom(seed));
        const b = Array.from({ length: 100 }, createRandom(seed));
        expect(a).toEqual(b);
        expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
      }),
    );
  });

  it('is roughly uniform', () => {
    const random = createRandom(123);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(random() * 10)]!++;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('helpers', () => {
  it('derives distinct child seeds', () => {
    const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => deriveSeed(1, i)));
    expect(seeds.size).toBe(10_000);
  });

  it('draws inclusive integers and standard normals', () => {
    const random = createRandom(5);
    const ints = new Set(Array.from({ length: 1_000 }, () => uniformInt(random, 1, 4)));
    expect([...ints].sort()).toEqual([1, 2, 3, 4]);
    const normals = Array.from({ length: 20_000 }, () => gaussian(random));
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    const variance = normals.reduce((s, x) => s + (x - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
