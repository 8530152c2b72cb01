import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../../test/helpers/ascii-map.js';
import { buildTravelMatrix } from './travel-matrix.js';

// Monday 2026-11-30, 07:00 Moscow time (UTC+3); the jam lasts 08:00–09:59.
const MONDAY_7_MSK = Date.UTC(2026, 10, 30, 4, 0) / 1000;
const rushHour = Array.from({ length: 8 }, (_, q) => 8 * 4 + q);

describe('buildTravelMatrix', () => {
  it('asks one table per departure slot, sharing equal slots, and blocks agree with one table', async () => {
    const net = await buildScenario({
      map: `
a b c
d   e`,
      ways: [
        { nodes: 'abc', tags: { highway: 'primary' } },
        { nodes: 'ad' },
        { nodes: 'de' },
        { nodes: 'ec' },
      ],
      speeds: [{ from: 'b', to: 'c', speedKmh: 4, slots: rushHour }],
    });
    const coordinates = ['a', 'c', 'e', 'd'].map((letter) => net.at(letter));
    const options = { epochS: MONDAY_7_MSK, horizonS: 3 * 3600, slotSeconds: 3600, traffic: true };
    const matrix = await buildTravelMatrix(net.engine, coordinates, options);
    const slots = matrix.durationSlots!;
    expect(slots.slotSeconds).toBe(3600);
    expect(slots.matrices).toHaveLength(3);
    // 07:00 is free flow; the 08:00 and 09:00 slots are jammed on b → c (and equal: shared).
    const aToC = (k: number): number => slots.matrices[k]![0 * 4 + 1]!;
    expect(aToC(1)).toBeGreaterThan(aToC(0));
    expect(slots.matrices[2]).toBe(slots.matrices[1]);
    expect(matrix.duration).toBe(slots.matrices[0]);
    expect(matrix.distance[0]).toBe(0);
    expect(matrix.distance[0 * 4 + 1]).toBeGreaterThan(0);

    const blocked = await buildTravelMatrix(net.engine, coordinates, { ...options, blockSize: 3 });
    expect(Array.from(blocked.distance)).toEqual(Array.from(matrix.distance));
    expect(Array.from(blocked.durationSlots!.matrices[1]!)).toEqual(Array.from(slots.matrices[1]!));

    const free = await buildTravelMatrix(net.engine, coordinates, { ...options, traffic: false });
    expect(free.durationSlots).toBeUndefined();
    expect(Array.from(free.duration)).toEqual(Array.from(slots.matrices[0]!));
    await net.close();
  });
});
