import type { ValidationOptions } from '../config.js';
import type { GatewayMetrics } from '../metrics.js';
import { decodeTelemetryBatch, type Telemetry, type TelemetryBatch } from '../proto/codec.js';
import type { TelemetrySink } from '../sink/telemetry-sink.js';
import { GarbageGuard } from '../validate/garbage-guard.js';
import { JumpFilter } from '../validate/jump-filter.js';
import { checkRecord } from '../validate/validate-record.js';

/** Largest batch a tracker may send in one message (a store-and-forward drain is chunked). */
export const MAX_RECORDS_PER_MESSAGE = 1000;

export type MessageRejection =
  | 'decode_error'
  | 'device_mismatch'
  | 'empty_batch'
  | 'too_many_records'
  | 'no_valid_records'
  | 'store_refused';

/**
 * What became of a message. `stored`: its valid records are committed (some may have been refused).
 * `refused`: nothing of it is kept; acknowledge it all the same so the device does not resend it.
 * `disconnect`: refused, and the device has sent too much garbage; drop its connection.
 */
export type IngestVerdict = 'stored' | 'refused' | 'disconnect';

export interface IngestDependencies {
  sink: TelemetrySink;
  metrics: GatewayMetrics;
  validation: ValidationOptions;
  garbageLimit: number;
  now?: () => number;
}

/**
 * The ingest path shared by the embedded broker and the shared-subscription worker:
 * decode -> validate -> group commit -> verdict (after commit). Never throws on input.
 */
export class TelemetryIngest {
  private readonly jumps: JumpFilter;
  private readonly garbage: GarbageGuard;
  private readonly now: () => number;

  constructor(private readonly deps: IngestDependencies) {
    this.jumps = new JumpFilter(deps.validation.maxImpliedSpeedKmh);
    this.garbage = new GarbageGuard(deps.garbageLimit);
    this.now = deps.now ?? Date.now;
  }

  handle(
    deviceId: string,
    payload: Uint8Array,
    done: (verdict: IngestVerdict, reason?: MessageRejection) => void,
    isAbandoned?: () => boolean,
  ): void {
    const { metrics, sink } = this.deps;
    metrics.messagesIn.inc();
    let batch: TelemetryBatch;
    try {
      batch = decodeTelemetryBatch(payload);
    } catch {
      return this.refuse(deviceId, 'decode_error', done);
    }
    if (batch.deviceId !== deviceId) return this.refuse(deviceId, 'device_mismatch', done);
    if (batch.records.length === 0) return this.refuse(deviceId, 'empty_batch', done);
    if (batch.records.length > MAX_RECORDS_PER_MESSAGE) {
      return this.refuse(deviceId, 'too_many_records', done);
    }
    metrics.recordsIn.inc(batch.records.length);
    const accepted = this.validRecords(deviceId, batch.records);
    if (accepted.length === 0) return this.refuse(deviceId, 'no_valid_records', done);
    if (accepted.length < batch.records.length && this.garbage.strike(deviceId, this.now())) {
      // Keep the valid part, but the device is over its garbage limit.
      sink.enqueue({ deviceId, records: accepted, done: () => done('disconnect'), isAbandoned });
      return;
    }
    sink.enqueue({
      deviceId,
      records: accepted,
      done: (outcome) =>
        outcome === 'stored' ? done('stored') : this.refuse(deviceId, 'store_refused', done),
      isAbandoned,
    });
  }

  private validRecords(deviceId: string, records: Telemetry[]): Telemetry[] {
    const now = this.now();
    const accepted: Telemetry[] = [];
    for (const record of records) {
      const reason =
        checkRecord(record, now, this.deps.validation) ??
        (this.jumps.accept(deviceId, record.timeMs, record.latE7, record.lonE7)
          ? undefined
          : 'implied_speed');
      if (reason) this.deps.metrics.rejected.inc({ reason });
      else accepted.push(record);
    }
    return accepted;
  }

  private refuse(
    deviceId: string,
    reason: MessageRejection,
    done: (verdict: IngestVerdict, reason?: MessageRejection) => void,
  ): void {
    this.deps.metrics.rejected.inc({ reason });
    done(this.garbage.strike(deviceId, this.now()) ? 'disconnect' : 'refused', reason);
  }
}
