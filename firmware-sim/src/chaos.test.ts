import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTelemetryBatch, encodeTelemetryBatch, type Telemetry } from '../../gateway/src/proto/codec.js';
import {
  ChaosModeError,
  createChaos,
  isRefusedPayload,
  makeGarbagePayload,
  parseChaosModes,
  pickDuplicate,
  ReconnectStorm,
  skewClock,
} from './chaos.js';
import { createRandom } from './prng.js';

const record: Telemetry = {
  seq: 7,
  timeMs: Date.UTC(2026, 10, 27, 9, 0, 0),
  latE7: 558_150_000,
  lonE7: 376_000_000,
  speedKmh: 31.5,
  headingDeg: 90,
  hdop: 0.9,
  satellites: 11,
  ignition: true,
  odometerM: 123_456_789,
  fuelLevelL: 180.5,
  fuelUsedTotalL: 51_000.3,
  engineHours: 6_000.25,
  containerEvents: [{ kind: 1, timeMs: Date.UTC(2026, 10, 27, 8, 59, 59), arm: 1, rfid: 'RU-CNT-000123' }],
};

describe('garbage', () => {
  it('makes payloads the gateway refuses: undecodable, another device, or no records', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.constantFrom('sim-0001', 'a', ''),
        (seed, id) => {
          const payload = makeGarbagePayload(createRandom(seed), id);
          expect(payload.length).toBeGreaterThan(0);
          let batch;
          try {
            batch = decodeTelemetryBatch(payload);
          } catch {
            return; // refused as a decode error
          }
          expect(batch.deviceId !== id || batch.records.length === 0).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('tells a real batch from garbage', () => {
    const real = encodeTelemetryBatch({ deviceId: 'sim-0001', records: [record] });
    expect(isRefusedPayload(real, 'sim-0001')).toBe(false);
    expect(isRefusedPayload(real, 'sim-0002')).toBe(true);
    expect(isRefusedPayload(Uint8Array.of(0x0a, 0x7f, 0x00), 'sim-0001')).toBe(true);
  });
});

describe('clock skew', () => {
  it('shifts the record and its events by one to twelve hours, leaving the original alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const before = structuredClone(record);
        const skewed = skewClock(record, createRandom(seed));
        expect(record).toEqual(before);
        const shift = skewed.timeMs - record.timeMs;
        expect(Math.abs(shift)).toBeGreaterThanOrEqual(3_600_000);
        expect(Math.abs(shift)).toBeLessThanOrEqual(12 * 3_600_000);
        expect(skewed.containerEvents[0]!.timeMs - record.containerEvents[0]!.timeMs).toBe(shift);
        expect({ ...skewed, timeMs: record.timeMs, containerEvents: record.containerEvents }).toEqual(record);
      }),
    );
  });
});

describe('duplicates', () => {
  it('resends one of the acknowledged payloads, and nothing before the first acknowledgement', () => {
    const random = createRandom(1);
    expect(pickDuplicate([], random)).toBeUndefined();
    const acked = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    for (let i = 0; i < 50; i++) expect(acked).toContain(pickDuplicate(acked, random));
  });
});

describe('reconnect storm', () => {
  it('is due once per period', () => {
    const storm = new ReconnectStorm(30_000, 0);
    expect(storm.isDue(29_999)).toBe(false);
    expect(storm.isDue(30_000)).toBe(true);
    expect(storm.isDue(30_001)).toBe(false);
    expect(storm.isDue(60_000)).toBe(true);
  });
});

describe('parseChaosModes', () => {
  it('reads a comma-separated list and refuses unknown names', () => {
    expect(parseChaosModes('')).toEqual([]);
    expect(parseChaosModes('garbage, clock-skew,garbage')).toEqual(['garbage', 'clock-skew']);
    expect(() => parseChaosModes('garbage,flood')).toThrow(ChaosModeError);
    expect(() => parseChaosModes('flood')).toThrow(
      /unknown chaos mode 'flood' \(expected garbage, clock-skew/,
    );
  });
});

describe('createChaos', () => {
  it('does nothing when no mode is on', () => {
    const chaos = createChaos([], createRandom(1), 0);
    for (let i = 0; i < 1_000; i++) {
      expect(chaos.onRecord(record)).toBe(record);
      expect(chaos.extraPayload('sim-0001', [Uint8Array.of(1)])).toBeUndefined();
      expect(chaos.isStormDue(i * 1_000_000)).toBe(false);
    }
  });

  it('applies each mode at its rate and counts it', () => {
    const rates = { garbage: 0.5, clockSkew: 0.5, duplicates: 0.5, stormEveryMs: 1_000 };
    const chaos = createChaos(
      ['garbage', 'clock-skew', 'duplicates', 'reconnect-storm'],
      createRandom(9),
      0,
      rates,
    );
    const acked = [encodeTelemetryBatch({ deviceId: 'sim-0001', records: [record] })];
    let garbage = 0;
    let duplicates = 0;
    for (let i = 0; i < 1_000; i++) {
      const extra = chaos.extraPayload('sim-0001', acked);
      if (extra === acked[0]) duplicates++;
      else if (extra) {
        expect(isRefusedPayload(extra, 'sim-0001')).toBe(true);
        garbage++;
      }
      chaos.onRecord(record);
    }
    expect(garbage).toBe(chaos.stats.garbageSent);
    expect(duplicates).toBe(chaos.stats.duplicatesSent);
    expect(garbage).toBeGreaterThan(400);
    expect(duplicates).toBeGreaterThan(150);
    expect(chaos.stats.clockSkewed).toBeGreaterThan(400);
    expect(chaos.isStormDue(1_000)).toBe(true);
    expect(chaos.stats.storms).toBe(1);
  });
});
