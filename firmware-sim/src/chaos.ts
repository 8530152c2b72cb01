import { decodeTelemetryBatch, type Telemetry } from '../../gateway/src/proto/codec.js';
import { uniform, uniformInt, type Random } from './prng.js';

export const CHAOS_MODES = ['garbage', 'clock-skew', 'duplicates', 'reconnect-storm'] as const;
export type ChaosMode = (typeof CHAOS_MODES)[number];

export interface ChaosRates {
  /** Share of publishes preceded by a garbage payload. */
  garbage: number;
  /** Share of records whose clock is off by hours. */
  clockSkew: number;
  /** Share of publishes preceded by a resend of an already acknowledged batch. */
  duplicates: number;
  /** Time between reconnect storms, ms. */
  stormEveryMs: number;
}

// Low enough that a device stays under the gateway's garbage limit (GARBAGE_LIMIT, 20 a minute)
// at 1 Hz, so chaos exercises the refusal path without getting every device banned.
export const DEFAULT_CHAOS_RATES: ChaosRates = {
  garbage: 0.02,
  clockSkew: 0.01,
  duplicates: 0.05,
  stormEveryMs: 30_000,
};

export class ChaosModeError extends Error {
  readonly code = 'SIM_CHAOS_MODE';
}

/** `garbage,clock-skew` -> modes; an unknown name is an error naming the valid ones. */
export function parseChaosModes(text: string): ChaosMode[] {
  const modes = new Set<ChaosMode>();
  for (const part of text.split(',')) {
    const name = part.trim();
    if (!name) continue;
    if (!(CHAOS_MODES as readonly string[]).includes(name)) {
      throw new ChaosModeError(`unknown chaos mode '${name}' (expected ${CHAOS_MODES.join(', ')})`);
    }
    modes.add(name as ChaosMode);
  }
  return [...modes];
}

/**
 * Random bytes that the gateway must refuse: they either fail to decode as a TelemetryBatch or
 * decode to something that is not a batch of this device's records. Random bytes sometimes happen
 * to be valid protobuf, hence the check; after a few tries a truncated length prefix is used.
 */
export function makeGarbagePayload(random: Random, deviceId: string): Uint8Array {
  for (let attempt = 0; attempt < 8; attempt++) {
    const bytes = new Uint8Array(uniformInt(random, 1, 256));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    if (isRefusedPayload(bytes, deviceId)) return bytes;
  }
  // Field 1 (device_id), length-delimited, claiming 127 bytes that never come: always a decode error.
  return Uint8Array.of(0x0a, 0x7f, 0x00);
}

/** True when the gateway would refuse the payload as a whole (decode error, wrong device, no records). */
export function isRefusedPayload(payload: Uint8Array, deviceId: string): boolean {
  try {
    const batch = decodeTelemetryBatch(payload);
    return batch.deviceId !== deviceId || batch.records.length === 0;
  } catch {
    return true;
  }
}

/** A copy of the record as a tracker with a wrong clock (no GNSS time yet, bad RTC) would send it. */
export function skewClock(record: Telemetry, random: Random): Telemetry {
  const shiftMs = Math.round(uniform(random, 1, 12) * 3_600_000) * (random() < 0.5 ? -1 : 1);
  return {
    ...record,
    timeMs: record.timeMs + shiftMs,
    containerEvents: record.containerEvents.map((event) => ({ ...event, timeMs: event.timeMs + shiftMs })),
  };
}

/** One of the recently acknowledged payloads, as a tracker that missed the PUBACK would resend it. */
export function pickDuplicate(acknowledged: readonly Uint8Array[], random: Random): Uint8Array | undefined {
  if (acknowledged.length === 0) return undefined;
  return acknowledged[Math.floor(random() * acknowledged.length)];
}

/** Fires once per period: every connection of the fleet drops at the same moment. */
export class ReconnectStorm {
  private nextMs: number;

  constructor(
    private readonly periodMs: number,
    startMs: number,
  ) {
    this.nextMs = startMs + periodMs;
  }

  isDue(nowMs: number): boolean {
    if (nowMs < this.nextMs) return false;
    this.nextMs = nowMs + this.periodMs;
    return true;
  }
}

/** Counters of what chaos did, for the run summary. */
export interface ChaosStats {
  garbageSent: number;
  duplicatesSent: number;
  clockSkewed: number;
  storms: number;
}

/** What the link and the fleet ask before each record and each publish. */
export interface Chaos {
  readonly modes: readonly ChaosMode[];
  readonly stats: ChaosStats;
  /** The record to send in place of `record` (itself unless clock-skew strikes). */
  onRecord(record: Telemetry): Telemetry;
  /** An extra payload to publish before the next batch, or undefined. */
  extraPayload(deviceId: string, acknowledged: readonly Uint8Array[]): Uint8Array | undefined;
  /** True when every connection should drop now. */
  isStormDue(nowMs: number): boolean;
}

export function createChaos(
  modes: readonly ChaosMode[],
  random: Random,
  startMs: number,
  rates: ChaosRates = DEFAULT_CHAOS_RATES,
): Chaos {
  const has = (mode: ChaosMode): boolean => modes.includes(mode);
  const stats: ChaosStats = { garbageSent: 0, duplicatesSent: 0, clockSkewed: 0, storms: 0 };
  const storm = has('reconnect-storm') ? new ReconnectStorm(rates.stormEveryMs, startMs) : undefined;
  return {
    modes,
    stats,
    onRecord(record) {
      if (!has('clock-skew') || random() >= rates.clockSkew) return record;
      stats.clockSkewed++;
      return skewClock(record, random);
    },
    extraPayload(deviceId, acknowledged) {
      if (has('garbage') && random() < rates.garbage) {
        stats.garbageSent++;
        return makeGarbagePayload(random, deviceId);
      }
      if (has('duplicates') && random() < rates.duplicates) {
        const payload = pickDuplicate(acknowledged, random);
        if (payload) stats.duplicatesSent++;
        return payload;
      }
      return undefined;
    },
    isStormDue(nowMs) {
      if (!storm?.isDue(nowMs)) return false;
      stats.storms++;
      return true;
    },
  };
}
