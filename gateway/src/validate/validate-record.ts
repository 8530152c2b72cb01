import type { ValidationOptions } from '../config.js';
import type { Telemetry } from '../proto/codec.js';

/** Why a record was refused; the same strings label the `rejected` metric. */
export type RecordRejection =
  | 'bad_seq'
  | 'bad_coordinates'
  | 'no_fix'
  | 'time_in_future'
  | 'time_too_old'
  | 'bad_speed'
  | 'bad_heading'
  | 'bad_hdop'
  | 'bad_satellites'
  | 'bad_odometer'
  | 'bad_fuel'
  | 'bad_container_event'
  | 'implied_speed';

const MAX_SAFE_SEQ = Number.MAX_SAFE_INTEGER;
const MAX_SPEED_KMH = 250;
const MAX_TANK_L = 2000;
const MAX_CONTAINER_EVENTS = 64;
const MAX_RFID_LENGTH = 64;
// Tag identifiers are printed characters (hex, EPC, vendor prefixes); no spaces or control bytes.
const RFID_PATTERN = /^[\x21-\x7e]*$/;

/**
 * Checks one record on its own (no history). Returns the reason it is refused, or undefined.
 * Ranges are physical limits of a refuse truck and its sensors, not statistical filters.
 */
export function checkRecord(
  record: Telemetry,
  nowMs: number,
  options: ValidationOptions,
): RecordRejection | undefined {
  if (!Number.isSafeInteger(record.seq) || record.seq < 1 || record.seq > MAX_SAFE_SEQ) {
    return 'bad_seq';
  }
  if (
    !Number.isInteger(record.latE7) ||
    !Number.isInteger(record.lonE7) ||
    Math.abs(record.latE7) > 900_000_000 ||
    Math.abs(record.lonE7) > 1_800_000_000
  ) {
    return 'bad_coordinates';
  }
  // Many trackers report 0,0 when they have no fix.
  if (record.latE7 === 0 && record.lonE7 === 0) return 'no_fix';
  if (record.timeMs > nowMs + options.maxFutureMs) return 'time_in_future';
  if (record.timeMs < nowMs - options.maxAgeMs) return 'time_too_old';
  if (!(record.speedKmh >= 0 && record.speedKmh <= MAX_SPEED_KMH)) return 'bad_speed';
  if (!(record.headingDeg >= 0 && record.headingDeg <= 360)) return 'bad_heading';
  if (!(record.hdop >= 0 && record.hdop <= 100)) return 'bad_hdop';
  if (record.satellites > 128) return 'bad_satellites';
  if (!Number.isSafeInteger(record.odometerM) || record.odometerM < 0) return 'bad_odometer';
  if (
    !isOptionalInRange(record.fuelLevelL, MAX_TANK_L) ||
    !isOptionalInRange(record.fuelUsedTotalL, 1e9) ||
    !isOptionalInRange(record.engineHours, 1e7)
  ) {
    return 'bad_fuel';
  }
  if (record.containerEvents.length > MAX_CONTAINER_EVENTS) return 'bad_container_event';
  for (const event of record.containerEvents) {
    if (
      event.kind < 1 ||
      event.kind > 2 ||
      event.arm < 0 ||
      event.arm > 5 ||
      event.rfid.length > MAX_RFID_LENGTH ||
      !RFID_PATTERN.test(event.rfid) ||
      event.timeMs > nowMs + options.maxFutureMs ||
      event.timeMs < nowMs - options.maxAgeMs ||
      !isOptionalInRange(event.weightKg, 20_000)
    ) {
      return 'bad_container_event';
    }
  }
  return undefined;
}

function isOptionalInRange(value: number | undefined, max: number): boolean {
  return value === undefined || (value >= 0 && value <= max);
}
