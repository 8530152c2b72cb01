import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeCommand,
  decodeTelemetryBatch,
  encodeCommand,
  encodeTelemetryBatch,
  type Telemetry,
} from './codec.js';

const f32 = (min: number, max: number): fc.Arbitrary<number> =>
  fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true, noDefaultInfinity: true });

const record: fc.Arbitrary<Telemetry> = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  timeMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  latE7: fc.integer({ min: -900_000_000, max: 900_000_000 }),
  lonE7: fc.integer({ min: -1_800_000_000, max: 1_800_000_000 }),
  speedKmh: f32(0, 250),
  headingDeg: f32(0, 360),
  hdop: f32(0, 50),
  satellites: fc.integer({ min: 0, max: 64 }),
  ignition: fc.boolean(),
  odometerM: fc.integer({ min: 0, max: 2 ** 40 }),
  fuelLevelL: fc.option(f32(0, 1000), { nil: undefined }),
  fuelUsedTotalL: fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: undefined }),
  engineHours: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
  containerEvents: fc.array(
    fc.record({
      kind: fc.integer({ min: 1, max: 2 }),
      timeMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      arm: fc.integer({ min: 0, max: 5 }),
      rfid: fc.string({ maxLength: 24 }),
      weightKg: fc.option(f32(0, 5000), { nil: undefined }),
    }),
    { maxLength: 4 },
  ),
});

describe('telemetry codec', () => {
  it('round-trips every field exactly (floats at float32 precision)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.array(record, { maxLength: 8 }),
        (deviceId, records) => {
          const decoded = decodeTelemetryBatch(encodeTelemetryBatch({ deviceId, records }));
          expect(decoded).toEqual({ deviceId, records });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ignores unknown fields (a newer tracker talking to this gateway)', () => {
    const known = encodeTelemetryBatch({ deviceId: 'd', records: [] });
    // Field 99, varint 1: tag = (99 << 3) | 0 = 792 -> varint bytes 0x98 0x06.
    const withUnknown = new Uint8Array([...known, 0x98, 0x06, 0x01]);
    expect(decodeTelemetryBatch(withUnknown)).toEqual({ deviceId: 'd', records: [] });
  });

  it('rejects truncated input', () => {
    const bytes = encodeTelemetryBatch({ deviceId: 'device-1', records: [] });
    expect(() => decodeTelemetryBatch(bytes.slice(0, bytes.length - 2))).toThrow();
  });

  it('round-trips commands', () => {
    const command = { id: 3, issuedMs: 1_800_000_000_000, setReportInterval: { movingS: 5, parkedS: 60 } };
    expect(decodeCommand(encodeCommand(command))).toEqual(command);
  });
});
