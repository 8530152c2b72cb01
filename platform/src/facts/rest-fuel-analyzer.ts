import { CenteredMedian } from './centered-median.js';

export interface FuelDetectionOptions {
  /** A rise of at least this much at rest is a refuel, litres. */
  refuelMinL: number;
  /** A fall of at least this much at rest, beyond idling, is a drain, litres. */
  drainMinL: number;
  /** Readings in the first moments of a rest are slosh from braking, ms. */
  settleMs: number;
  /** A change must show within this much time to count (slow drift is idling or calibration). */
  changeWindowMs: number;
  /** The level has settled when its 10 s means stayed within this band for stableMs, litres. */
  stableBandL: number;
  stableMs: number;
}

export const DEFAULT_FUEL_OPTIONS: FuelDetectionOptions = {
  refuelMinL: 10,
  drainMinL: 10,
  settleMs: 15_000,
  changeWindowMs: 30 * 60_000,
  stableBandL: 1.5,
  stableMs: 120_000,
};

/** One level change found at rest. Levels are as read (not corrected for idling). */
export interface RestFuelChange {
  kind: 'refuel' | 'drain';
  startMs: number;
  endMs: number;
  /** Corrected for the idling burn during the change. */
  litres: number;
  levelBeforeL: number;
  levelAfterL: number;
  ignitionOff: boolean;
}

const BUCKET_MS = 10_000;
// Hampel: 11 readings, 3 sigma; then a median of 15 against slosh and sensor noise.
const HAMPEL_HALF = 5;
const SMOOTH_HALF = 7;

/**
 * Fuel level changes of one vehicle while it stands still (one rest at a time). Levels are only
 * compared at rest, so the slope of consumption and the slosh of driving never look like events.
 * Readings pass a Hampel filter (spikes) and a running median (noise), are averaged per 10 s and
 * corrected for idling (norm × ignition-on time), then a rise or fall of the corrected level by the
 * threshold within `changeWindowMs` starts a change that ends when the level settles.
 */
export class RestFuelAnalyzer {
  /** Level soon after the rest began and at its end (medians), litres; NaN until known. */
  startLevelL = NaN;
  endLevelL = NaN;
  private readonly options: FuelDetectionOptions;
  private readonly idleLPerMs: number;
  private readonly hampel: CenteredMedian;
  private readonly smooth: CenteredMedian;
  private restStartMs = 0;
  private lastTimeMs = NaN;
  private lastIgnitionOn = true;
  private burnL = 0;
  // The open 10 s bucket.
  private bucketIndex = -1;
  private bucketStartMs = 0;
  private bucketSum = 0;
  private bucketBurnSum = 0;
  private bucketCount = 0;
  private bucketIgnitionOff = false;
  // Closed buckets within changeWindowMs (since the last change): time, level, corrected level.
  private windowTimes: number[] = [];
  private windowLevels: number[] = [];
  private windowCorrected: number[] = [];
  private windowHead = 0;
  private pending:
    | { kind: 'refuel' | 'drain'; startMs: number; level: number; corrected: number; ignitionOff: boolean }
    | undefined;

  constructor(
    private readonly onChange: (change: RestFuelChange) => void,
    idleLPerHour: number,
    options: Partial<FuelDetectionOptions> = {},
  ) {
    this.options = { ...DEFAULT_FUEL_OPTIONS, ...options };
    this.idleLPerMs = idleLPerHour / 3_600_000;
    this.smooth = new CenteredMedian(SMOOTH_HALF, (level, timeMs, burn, ignitionOff) =>
      this.addSmoothed(level, timeMs, burn, ignitionOff === 1),
    );
    this.hampel = new CenteredMedian(
      HAMPEL_HALF,
      (level, timeMs, burn, ignitionOff) => this.smooth.push(level, timeMs, burn, ignitionOff),
      { nSigma: 3, minDeviation: 2 },
    );
  }

  /** Starts a new rest. */
  reset(restStartMs: number): void {
    this.hampel.reset();
    this.smooth.reset();
    this.restStartMs = restStartMs;
    this.lastTimeMs = NaN;
    this.lastIgnitionOn = true;
    this.burnL = 0;
    this.bucketIndex = -1;
    this.bucketCount = 0;
    this.clearWindow();
    this.pending = undefined;
    this.startLevelL = NaN;
    this.endLevelL = NaN;
  }

  push(timeMs: number, levelL: number, ignitionOn: boolean): void {
    if (this.lastTimeMs === this.lastTimeMs && this.lastIgnitionOn) {
      this.burnL += (timeMs - this.lastTimeMs) * this.idleLPerMs;
    }
    this.lastTimeMs = timeMs;
    this.lastIgnitionOn = ignitionOn;
    if (timeMs - this.restStartMs < this.options.settleMs) return;
    this.hampel.push(levelL, timeMs, this.burnL, ignitionOn ? 0 : 1);
  }

  /** The rest ended: drains the filters and reports a change still in progress. */
  finish(): void {
    this.hampel.flush();
    this.smooth.flush();
    this.closeBucket();
    if (this.pending) this.emitPending(this.lastBucketTime(), this.lastLevel(), this.lastCorrected(), false);
  }

  private addSmoothed(level: number, timeMs: number, burn: number, ignitionOff: boolean): void {
    const index = Math.floor((timeMs - this.restStartMs) / BUCKET_MS);
    if (index !== this.bucketIndex) {
      this.closeBucket();
      this.bucketIndex = index;
      this.bucketStartMs = timeMs;
      this.bucketSum = 0;
      this.bucketBurnSum = 0;
      this.bucketCount = 0;
    }
    this.bucketSum += level;
    this.bucketBurnSum += burn;
    this.bucketCount++;
    this.bucketIgnitionOff = ignitionOff;
  }

  private closeBucket(): void {
    if (this.bucketCount === 0) return;
    const level = this.bucketSum / this.bucketCount;
    const corrected = level + this.bucketBurnSum / this.bucketCount;
    const timeMs = this.bucketStartMs;
    this.bucketCount = 0;
    if (this.startLevelL !== this.startLevelL) this.startLevelL = level;
    this.endLevelL = level;
    this.addBucket(timeMs, level, corrected, this.bucketIgnitionOff);
  }

  private addBucket(timeMs: number, level: number, corrected: number, ignitionOff: boolean): void {
    const { options } = this;
    this.windowTimes.push(timeMs);
    this.windowLevels.push(level);
    this.windowCorrected.push(corrected);
    while (
      this.windowHead < this.windowTimes.length &&
      (this.windowTimes[this.windowHead] as number) < timeMs - options.changeWindowMs
    ) {
      this.windowHead++;
    }
    if (this.windowHead > 1024) {
      this.windowTimes.splice(0, this.windowHead);
      this.windowLevels.splice(0, this.windowHead);
      this.windowCorrected.splice(0, this.windowHead);
      this.windowHead = 0;
    }
    if (this.pending) {
      if (this.isSettled(timeMs)) this.emitPending(timeMs, level, corrected, true);
      return;
    }
    let min = 0;
    let max = 0;
    for (let i = this.windowHead + 1; i < this.windowTimes.length; i++) {
      const c = this.windowCorrected[i] as number;
      if (c < (this.windowCorrected[this.windowHead + min] as number)) min = i - this.windowHead;
      if (c > (this.windowCorrected[this.windowHead + max] as number)) max = i - this.windowHead;
    }
    const minAt = this.windowHead + min;
    const maxAt = this.windowHead + max;
    if (corrected - (this.windowCorrected[minAt] as number) >= options.refuelMinL) {
      this.pending = this.pendingFrom('refuel', minAt, ignitionOff);
    } else if ((this.windowCorrected[maxAt] as number) - corrected >= options.drainMinL) {
      this.pending = this.pendingFrom('drain', maxAt, ignitionOff);
    }
  }

  private pendingFrom(
    kind: 'refuel' | 'drain',
    extremeAt: number,
    ignitionOff: boolean,
  ): NonNullable<RestFuelAnalyzer['pending']> {
    // The level it changed from: the mean of the buckets near the extreme (the extreme alone is
    // biased by noise), then the change began at the newest bucket still at that level.
    const extreme = this.windowCorrected[extremeAt] as number;
    const band = this.options.stableBandL / 2;
    let flatSum = 0;
    let flatCount = 0;
    for (let i = extremeAt; i < this.windowCorrected.length; i++) {
      const value = this.windowCorrected[i] as number;
      if (Math.abs(value - extreme) <= band) {
        flatSum += value;
        flatCount++;
      }
    }
    const flat = flatSum / flatCount;
    let at = this.windowCorrected.length - 1;
    while (at > extremeAt && Math.abs((this.windowCorrected[at] as number) - flat) > band) at--;
    let sumCorrected = 0;
    let sumLevel = 0;
    let n = 0;
    for (let i = extremeAt; i <= at; i++) {
      if (Math.abs((this.windowCorrected[i] as number) - flat) > band) continue;
      sumCorrected += this.windowCorrected[i] as number;
      sumLevel += this.windowLevels[i] as number;
      n++;
    }
    if (n === 0) {
      // Noise so large that no bucket sits near the mean: the extreme is all there is.
      sumCorrected = extreme;
      sumLevel = this.windowLevels[extremeAt] as number;
      n = 1;
    }
    return {
      kind,
      startMs: this.windowTimes[at] as number,
      level: sumLevel / n,
      corrected: sumCorrected / n,
      ignitionOff,
    };
  }

  /**
   * The last stableMs of buckets lie within stableBandL of each other and show no trend (their
   * halves differ by less than a quarter of the band): a slow drain is not "settled".
   */
  private isSettled(nowMs: number): boolean {
    const { options } = this;
    let lo = Infinity;
    let hi = -Infinity;
    let oldest = nowMs;
    let first = this.windowTimes.length;
    for (let i = this.windowTimes.length - 1; i >= this.windowHead; i--) {
      const t = this.windowTimes[i] as number;
      if (t < nowMs - options.stableMs) break;
      const c = this.windowCorrected[i] as number;
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
      oldest = t;
      first = i;
    }
    if (nowMs - oldest < options.stableMs - BUCKET_MS || hi - lo > options.stableBandL) return false;
    const count = this.windowTimes.length - first;
    const half = count >> 1;
    let older = 0;
    let newer = 0;
    for (let k = 0; k < half; k++) {
      older += this.windowCorrected[first + k] as number;
      newer += this.windowCorrected[this.windowTimes.length - 1 - k] as number;
    }
    return half === 0 || Math.abs(newer - older) / half <= options.stableBandL / 4;
  }

  private emitPending(nowMs: number, level: number, corrected: number, settled: boolean): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    // Settled: the median of the stable buckets, not the last one alone. When the rest ended
    // first: the median of the final plateau (one bucket if the level was still changing).
    const median = settled ? this.recentCorrectedMedian(nowMs) : this.finalPlateauMedian();
    const after = Number.isNaN(median) ? corrected : median;
    const litres = pending.kind === 'refuel' ? after - pending.corrected : pending.corrected - after;
    const threshold = pending.kind === 'refuel' ? this.options.refuelMinL : this.options.drainMinL;
    const endMs = settled ? this.settledSince(nowMs) : nowMs;
    this.clearWindow();
    this.windowTimes.push(nowMs);
    this.windowLevels.push(level);
    this.windowCorrected.push(corrected);
    // The trigger saw the threshold crossed; the settled level may land a little short of it.
    if (litres < threshold / 2) return;
    this.onChange({
      kind: pending.kind,
      startMs: pending.startMs,
      endMs,
      litres,
      levelBeforeL: pending.level,
      levelAfterL: level,
      ignitionOff: pending.ignitionOff,
    });
  }

  private recentCorrectedMedian(nowMs: number): number {
    const values: number[] = [];
    for (let i = this.windowTimes.length - 1; i >= this.windowHead; i--) {
      if ((this.windowTimes[i] as number) < nowMs - this.options.stableMs) break;
      values.push(this.windowCorrected[i] as number);
    }
    if (values.length === 0) return NaN;
    values.sort((a, b) => a - b);
    return values[values.length >> 1] as number;
  }

  private finalPlateauMedian(): number {
    const last = this.windowCorrected.length - 1;
    if (last < this.windowHead) return NaN;
    const final = this.windowCorrected[last] as number;
    const values: number[] = [];
    for (let i = last; i >= this.windowHead; i--) {
      const c = this.windowCorrected[i] as number;
      if (Math.abs(c - final) > this.options.stableBandL) break;
      values.push(c);
    }
    values.sort((a, b) => a - b);
    return values[values.length >> 1] as number;
  }

  // When the level reached its settled band: the first bucket of the final stable run.
  private settledSince(nowMs: number): number {
    const last = this.windowCorrected.length - 1;
    if (last < this.windowHead) return nowMs;
    const final = this.windowCorrected[last] as number;
    let since = nowMs;
    for (let i = last; i >= this.windowHead; i--) {
      if (Math.abs((this.windowCorrected[i] as number) - final) > this.options.stableBandL) break;
      since = this.windowTimes[i] as number;
    }
    return since;
  }

  private clearWindow(): void {
    this.windowTimes.length = 0;
    this.windowLevels.length = 0;
    this.windowCorrected.length = 0;
    this.windowHead = 0;
  }

  private lastBucketTime(): number {
    return (this.windowTimes[this.windowTimes.length - 1] as number | undefined) ?? this.lastTimeMs;
  }

  private lastLevel(): number {
    return this.endLevelL;
  }

  private lastCorrected(): number {
    return (this.windowCorrected[this.windowCorrected.length - 1] as number | undefined) ?? this.endLevelL;
  }
}
