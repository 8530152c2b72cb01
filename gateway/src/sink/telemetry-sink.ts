import type { Telemetry } from '../proto/codec.js';
import {
  emptyContainerEventColumns,
  emptyTelemetryColumns,
  type ContainerEventColumns,
  type InsertResult,
  type TelemetryColumns,
} from '../db/telemetry.js';

/** Where group commits go; the PostgreSQL implementation is `insertTelemetry`. */
export interface TelemetryStore {
  writeBatch(rows: TelemetryColumns, events: ContainerEventColumns): Promise<InsertResult>;
}

/** Validated records of one MQTT message, waiting to be committed and then acknowledged. */
export interface SinkEntry {
  deviceId: string;
  records: Telemetry[];
  /**
   * Called once: 'stored' after the commit that made these records durable; 'refused' when the
   * database rejected the entry's data itself (it would fail on every retry).
   */
  done: (outcome: 'stored' | 'refused') => void;
  /**
   * True when nobody is waiting for the acknowledgement any more (the connection closed). Such an
   * entry is dropped on retry: the device never got its PUBACK, keeps the data and resends it.
   */
  isAbandoned?: () => boolean;
}

export interface SinkOptions {
  maxRows: number;
  maxWaitMs: number;
  maxConcurrentCommits: number;
  /** Above this many queued records the sink reports saturation (new connections are refused). */
  maxQueueRows: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface SinkObserver {
  onCommitted?(entries: readonly SinkEntry[], result: InsertResult, rows: number, seconds: number): void;
  onCommitFailed?(error: unknown, attempt: number): void;
  onEntryRefused?(entry: SinkEntry, error: unknown): void;
  onQueueDepth?(rows: number): void;
}

/**
 * Group commit of telemetry. Entries collect until `maxRows` records or `maxWaitMs` after the
 * first one, then go to the store in one statement; each entry's `done` (which sends the PUBACK)
 * runs only after that statement committed. A failed commit is retried with backoff and nothing
 * is acknowledged meanwhile, so the broker stops reading from devices: back-pressure instead of
 * unbounded buffering.
 */
export class TelemetrySink {
  private pending: SinkEntry[] = [];
  private pendingRows = 0;
  private inFlightRows = 0;
  private inFlightCommits = 0;
  private timer: NodeJS.Timeout | undefined;
  private healthy = true;
  private lastError: string | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: TelemetryStore,
    private readonly options: SinkOptions,
    private readonly observer: SinkObserver = {},
  ) {}

  enqueue(entry: SinkEntry): void {
    this.pending.push(entry);
    this.pendingRows += entry.records.length;
    this.reportDepth();
    if (this.pendingRows >= this.options.maxRows) this.flush();
    else if (!this.timer) this.timer = setTimeout(this.onTimer, this.options.maxWaitMs);
  }

  /** Records received but not yet committed. */
  get queuedRows(): number {
    return this.pendingRows + this.inFlightRows;
  }

  get isSaturated(): boolean {
    return this.queuedRows >= this.options.maxQueueRows;
  }

  /** False from a failed commit until the next successful one. */
  get isHealthy(): boolean {
    return this.healthy;
  }

  get lastFailure(): string | undefined {
    return this.lastError;
  }

  /** Resolves when everything queued so far has been committed (or dropped as abandoned). */
  whenIdle(): Promise<void> {
    if (this.queuedRows === 0) return Promise.resolve();
    this.flush();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying; queued entries are left unacknowledged (their devices resend them). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.flush();
  };

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlightCommits < this.options.maxConcurrentCommits && this.pending.length > 0) {
      const batch = this.takeBatch();
      this.inFlightCommits += 1;
      void this.commit(batch.entries, batch.rows);
    }
    if (this.pending.length > 0 && !this.timer && this.inFlightCommits === 0) {
      this.timer = setTimeout(this.onTimer, this.options.maxWaitMs);
    }
  }

  private takeBatch(): { entries: SinkEntry[]; rows: number } {
    let rows = 0;
    let count = 0;
    while (count < this.pending.length && (count === 0 || rows < this.options.maxRows)) {
      rows += this.pending[count]!.records.length;
      count += 1;
    }
    const entries = this.pending.slice(0, count);
    this.pending = this.pending.slice(count);
    this.pendingRows -= rows;
    this.inFlightRows += rows;
    return { entries, rows };
  }

  private async commit(entries: SinkEntry[], rows: number): Promise<void> {
    await this.commitIsolating(entries);
    this.inFlightRows -= rows;
    this.inFlightCommits -= 1;
    this.reportDepth();
    if (this.closed) return;
    if (this.pending.length > 0) this.flush();
    if (this.queuedRows === 0) this.notifyIdle();
  }

  /**
   * Commits the entries, retrying while the database is unreachable. When the database refuses
   * the data itself, the batch is split in halves until the offending entry stands alone; it is
   * refused and everything else is stored, so one bad record never blocks the stream.
   */
  private async commitIsolating(initial: SinkEntry[]): Promise<void> {
    let entries = initial;
    let attempt = 0;
    while (!this.closed && entries.length > 0) {
      const { rows, events } = toColumns(entries);
      const started = performance.now();
      try {
        const result = await this.store.writeBatch(rows, events);
        const seconds = (performance.now() - started) / 1000;
        this.healthy = true;
        this.lastError = undefined;
        for (const entry of entries) entry.done('stored');
        this.observer.onCommitted?.(entries, result, rows.seq.length, seconds);
        return;
      } catch (error) {
        if (isDataError(error)) {
          if (entries.length === 1) {
            this.observer.onEntryRefused?.(entries[0]!, error);
            entries[0]!.done('refused');
            return;
          }
          const half = Math.ceil(entries.length / 2);
          await this.commitIsolating(entries.slice(0, half));
          await this.commitIsolating(entries.slice(half));
          return;
        }
        attempt += 1;
        this.healthy = false;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.observer.onCommitFailed?.(error, attempt);
        await sleep(this.backoff(attempt));
        entries = entries.filter((entry) => !entry.isAbandoned?.());
      }
    }
  }

  private backoff(attempt: number): number {
    const base = this.options.retryBaseMs ?? 100;
    const max = this.options.retryMaxMs ?? 2_000;
    return Math.min(max, base * 2 ** Math.min(attempt - 1, 10));
  }

  private reportDepth(): void {
    this.observer.onQueueDepth?.(this.queuedRows);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity violation): the rows, not the server. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

function toColumns(entries: readonly SinkEntry[]): {
  rows: TelemetryColumns;
  events: ContainerEventColumns;
} {
  const rows = emptyTelemetryColumns();
  const events = emptyContainerEventColumns();
  for (const entry of entries) {
    for (const r of entry.records) {
      rows.deviceId.push(entry.deviceId);
      rows.seq.push(r.seq);
      rows.timeMs.push(r.timeMs);
      rows.lat.push(r.latE7 / 1e7);
      rows.lon.push(r.lonE7 / 1e7);
      rows.speedKmh.push(r.speedKmh);
      rows.headingDeg.push(r.headingDeg);
      rows.hdop.push(r.hdop);
      rows.satellites.push(r.satellites);
      rows.ignition.push(r.ignition);
      rows.odometerM.push(r.odometerM);
      rows.fuelLevelL.push(r.fuelLevelL ?? null);
      rows.fuelUsedTotalL.push(r.fuelUsedTotalL ?? null);
      rows.engineHours.push(r.engineHours ?? null);
      for (let i = 0; i < r.containerEvents.length; i++) {
        const e = r.containerEvents[i]!;
        events.deviceId.push(entry.deviceId);
        events.seq.push(r.seq);
        events.idx.push(i);
        events.timeMs.push(e.timeMs);
        events.kind.push(e.kind);
        events.arm.push(e.arm);
        events.rfid.push(e.rfid === '' ? null : e.rfid);
        events.weightKg.push(e.weightKg ?? null);
      }
    }
  }
  return { rows, events };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
