import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDATION } from '../config.js';
import type { Telemetry } from '../proto/codec.js';
import { checkRecord } from './validate-record.js';

const NOW = Date.UTC(2026, 10, 27, 12);

const validRecord: fc.Arbitrary<Telemetry> = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  timeMs: fc.integer({ min: NOW - DEFAULT_VALIDATION.maxAgeMs, max: NOW + DEFAULT_VALIDATION.maxFutureMs }),
  latE7: fc.integer({ min: -900_000_000, max: 900_000_000 }).filter((v) => v !== 0),
  lonE7: fc.integer({ min: -1_800_000_000, max: 1_800_000_000 }),
  speedKmh: fc.double({ min: 0, max: 250, noNaN: true }),
  headingDeg: fc.double({ min: 0, max: 360, noNaN: true }),
  hdop: fc.double({ min: 0, max: 100, noNaN: true }),
  satellites: fc.integer({ min: 0, max: 128 }),
  ignition: fc.boolean(),
  odometerM: fc.integer({ min: 0, max: 2 ** 45 }),
  fuelLevelL: fc.option(fc.double({ min: 0, max: 2000, noNaN: true }), { nil: undefined }),
  fuelUsedTotalL: fc.constant(undefined),
  engineHours: fc.constant(undefined),
  containerEvents: fc.constant([]),
});

describe('checkRecord', () => {
  it('accepts every record within the physical limits', () => {
    fc.assert(
      fc.property(validRecord, (record) => {
        expect(checkRecord(record, NOW, DEFAULT_VALIDATION)).toBeUndefined();
      }),
    );
  });

  it('names the first broken limit', () => {
    const base = { ...fc.sample(validRecord, { numRuns: 1, seed: 1 })[0]!, timeMs: NOW };
    expect(checkRecord({ ...base, seq: 0 }, NOW, DEFAULT_VALIDATION)).toBe('bad_seq');
    expect(checkRecord({ ...base, latE7: 900_000_001 }, NOW, DEFAULT_VALIDATION)).toBe('bad_coordinates');
    expect(checkRecord({ ...base, latE7: 0, lonE7: 0 }, NOW, DEFAULT_VALIDATION)).toBe('no_fix');
    expect(checkRecord({ ...base, timeMs: NOW + 301_000 }, NOW, DEFAULT_VALIDATION)).toBe('time_in_future');
    expect(checkRecord({ ...base, timeMs: NOW - 31 * 86_400_000 }, NOW, DEFAULT_VALIDATION)).toBe(
      'time_too_old',
    );
    expect(checkRecord({ ...base, speedKmh: Number.NaN }, NOW, DEFAULT_VALIDATION)).toBe('bad_speed');
    expect(checkRecord({ ...base, headingDeg: 400 }, NOW, DEFAULT_VALIDATION)).toBe('bad_heading');
    expect(checkRecord({ ...base, fuelLevelL: -1 }, NOW, DEFAULT_VALIDATION)).toBe('bad_fuel');
    expect(
      checkRecord(
        { ...base, containerEvents: [{ kind: 0, timeMs: NOW, arm: 1, rfid: '' }] },
        NOW,
        DEFAULT_VALIDATION,
      ),
    ).toBe('bad_container_event');
  });
});
