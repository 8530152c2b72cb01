import { haversineM, localDistanceM } from './geo.js';
import type { Fix } from './types.js';

export interface StopDetectorOptions {
  /** A fix at or below this speed counts as at rest, km/h. */
  stillKmh: number;
  /** A fix above this speed is evidence of leaving, km/h. */
  moveKmh: number;
  /** A fix farther than this from the rest position is evidence of leaving, metres. */
  radiusM: number;
  /** Consecutive leaving fixes needed to end a rest: one GNSS jump or speed spike never does. */
  leaveConfirmFixes: number;
  /** ... and the last of them must be at least this far from the rest position, metres. */
  leaveMinM: number;
  /** A rest shorter than this is part of the trip (traffic lights, queues). */
  minStopMs: number;
  /** Time between fixes above which the tracker is considered to have been silent. */
  maxGapMs: number;
}

export const DEFAULT_STOP_OPTIONS: StopDetectorOptions = {
  stillKmh: 4,
  moveKmh: 8,
  radiusM: 40,
  leaveConfirmFixes: 3,
  leaveMinM: 15,
  minStopMs: 30_000,
  maxGapMs: 180_000,
};

export interface StopSegment {
  startMs: number;
  endMs: number;
  lon: number;
  lat: number;
  fixCount: number;
  ignitionOffMs: number;
  truncated: boolean;
}

export interface TripSegment {
  startMs: number;
  endMs: number;
  fromLon: number;
  fromLat: number;
  toLon: number;
  toLat: number;
  distanceM: number;
  maxSpeedKmh: number;
  truncated: boolean;
}

/** What the detector tells its owner, in time order. */
export interface MotionListener {
  /** A rest begins at this fix; it may still turn out to be too short (restAborted). */
  restStarted(fix: Fix): void;
  /** A further fix of the current rest. */
  restFix(fix: Fix): void;
  /** The rest ended before minStopMs: it was a pause within a trip. */
  restAborted(): void;
  /** The current rest has lasted minStopMs: it is a stop. */
  stopConfirmed(startMs: number, lon: number, lat: number): void;
  stopEnded(stop: StopSegment): void;
  tripEnded(trip: TripSegment): void;
}

/**
 * Splits one vehicle's time-ordered fixes into stops and trips. A rest starts at a fix with speed at
 * or below `stillKmh`; it holds while fixes stay slow and within `radiusM` of the rest's mean
 * position (outliers do not move the mean); it ends only after `leaveConfirmFixes` consecutive
 * fast or far fixes, so GNSS jitter of a parked truck never makes a trip. A silent tracker (gap
 * over `maxGapMs`) with no displacement is a rest; with displacement, the trip crosses the gap.
 * Trip distance integrates reported speed (robust to position jitter), and across gaps the
 * straight line.
 */
export class StopDetector {
  private readonly options: StopDetectorOptions;
  private last: Fix | undefined;
  private resting = false;
  private confirmed = false;
  private restStartMs = 0;
  private restLastMs = 0;
  private sumLon = 0;
  private sumLat = 0;
  private restCount = 0;
  private ignitionOffMs = 0;
  private leaving: Fix[] = [];
  /** The last fix accepted at rest or into the leaving run (outliers are not). */
  private accepted: Fix | undefined;
  private leavingDistanceM = 0;
  private leavingMaxKmh = 0;
  private tripOpen = false;
  private tripStartMs = 0;
  private tripFromLon = 0;
  private tripFromLat = 0;
  private tripDistanceM = 0;
  private tripMaxKmh = 0;
  private tripTruncated = false;

  constructor(
    private readonly listener: MotionListener,
    options: Partial<StopDetectorOptions> = {},
  ) {
    this.options = { ...DEFAULT_STOP_OPTIONS, ...options };
  }

  get isResting(): boolean {
    return this.resting;
  }

  get isStopConfirmed(): boolean {
    return this.resting && this.confirmed;
  }

  get restLon(): number {
    return this.sumLon / this.restCount;
  }

  get restLat(): number {
    return this.sumLat / this.restCount;
  }

  push(fix: Fix): void {
    const last = this.last;
    this.last = fix;
    if (!last) {
      this.tripOpen = true;
      this.tripTruncated = true;
      this.startTrip(fix.timeMs, fix.lon, fix.lat);
      if (fix.speedKmh <= this.options.stillKmh) this.startRest(fix);
      return;
    }
    const dtMs = fix.timeMs - last.timeMs;
    if (dtMs > this.options.maxGapMs) {
      this.crossGap(last, fix);
      return;
    }
    if (this.resting) this.pushAtRest(last, fix, dtMs);
    else this.pushMoving(last, fix, dtMs);
  }

  /** End of the data: closes the open stop or trip as truncated. */
  flush(): void {
    const last = this.last;
    if (!last) return;
    if (this.resting && this.confirmed) {
      this.endStop(true);
    } else {
      if (this.resting) this.abortRest();
      this.addLeavingToTrip();
      if (this.tripOpen) this.endTrip(last.timeMs, last.lon, last.lat, true);
    }
    this.last = undefined;
    this.resting = false;
  }

  private pushMoving(last: Fix, fix: Fix, dtMs: number): void {
    this.tripDistanceM += speedDistanceM(last, fix, dtMs, this.options.stillKmh);
    if (fix.speedKmh > this.tripMaxKmh) this.tripMaxKmh = fix.speedKmh;
    if (fix.speedKmh <= this.options.stillKmh) this.startRest(fix);
  }

  private pushAtRest(last: Fix, fix: Fix, dtMs: number): void {
    const { options } = this;
    const distanceM = localDistanceM(this.restLon, this.restLat, fix.lon, fix.lat);
    const isLeaving = fix.speedKmh > options.moveKmh || distanceM > options.radiusM;
    if (isLeaving && this.accepted && !isPlausibleStep(this.accepted, fix)) {
      // A multipath jump: tens of metres in a second at walking speed. Neither rest nor leaving.
      return;
    }
    this.accepted = fix;
    if (!isLeaving) {
      if (this.leaving.length === 0 && last.ignition === false) this.ignitionOffMs += dtMs;
      this.leaving.length = 0;
      this.leavingDistanceM = 0;
      this.leavingMaxKmh = 0;
      this.sumLon += fix.lon;
      this.sumLat += fix.lat;
      this.restCount++;
      this.restLastMs = fix.timeMs;
      this.listener.restFix(fix);
      if (!this.confirmed && fix.timeMs - this.restStartMs >= options.minStopMs) this.confirmStop();
      return;
    }
    this.leavingDistanceM += speedDistanceM(last, fix, dtMs, options.stillKmh);
    this.leavingMaxKmh = Math.max(this.leavingMaxKmh, fix.speedKmh);
    this.leaving.push(fix);
    if (this.leaving.length < options.leaveConfirmFixes || distanceM < options.leaveMinM) return;
    // Left for good: the rest ended at its last slow fix; the leaving fixes belong to the trip.
    if (this.confirmed) this.endStop(false);
    else this.abortRest();
    this.addLeavingToTrip();
  }

  private crossGap(last: Fix, fix: Fix): void {
    const { options } = this;
    if (this.resting) {
      const distanceM = localDistanceM(this.restLon, this.restLat, fix.lon, fix.lat);
      if (distanceM <= options.radiusM * 1.5) {
        // Parked with the tracker silent (asleep, or out of coverage): the rest goes on.
        if (this.leaving.length === 0 && last.ignition === false)
          this.ignitionOffMs += fix.timeMs - last.timeMs;
        this.leaving.length = 0;
        this.restLastMs = fix.timeMs;
        this.restCount++;
        this.sumLon += fix.lon;
        this.sumLat += fix.lat;
        this.listener.restFix(fix);
        if (!this.confirmed && fix.timeMs - this.restStartMs >= options.minStopMs) this.confirmStop();
        return;
      }
      if (this.confirmed) this.endStop(false);
      else this.abortRest();
      this.addLeavingToTrip();
    } else if (localDistanceM(last.lon, last.lat, fix.lon, fix.lat) <= options.radiusM) {
      // Silent and not displaced: at rest from the last fix until this one.
      this.startRest(last);
      this.restLastMs = fix.timeMs;
      if (fix.timeMs - last.timeMs >= options.minStopMs) this.confirmStop();
      this.pushAtRest(last, fix, fix.timeMs - last.timeMs);
      return;
    }
    this.tripDistanceM += haversineM(last.lon, last.lat, fix.lon, fix.lat);
    if (fix.speedKmh <= options.stillKmh) this.startRest(fix);
  }

  private startRest(fix: Fix): void {
    this.resting = true;
    this.confirmed = false;
    this.restStartMs = fix.timeMs;
    this.restLastMs = fix.timeMs;
    this.sumLon = fix.lon;
    this.sumLat = fix.lat;
    this.restCount = 1;
    this.accepted = fix;
    this.ignitionOffMs = 0;
    this.leaving.length = 0;
    this.leavingDistanceM = 0;
    this.leavingMaxKmh = 0;
    this.listener.restStarted(fix);
  }

  private confirmStop(): void {
    this.confirmed = true;
    if (this.tripOpen) this.endTrip(this.restStartMs, this.restLon, this.restLat, this.tripTruncated);
    this.listener.stopConfirmed(this.restStartMs, this.restLon, this.restLat);
  }

  private abortRest(): void {
    this.resting = false;
    this.listener.restAborted();
  }

  private endStop(truncated: boolean): void {
    this.resting = false;
    this.listener.stopEnded({
      startMs: this.restStartMs,
      endMs: this.restLastMs,
      lon: this.restLon,
      lat: this.restLat,
      fixCount: this.restCount,
      ignitionOffMs: this.ignitionOffMs,
      truncated,
    });
    this.tripOpen = true;
    this.tripTruncated = false;
    this.startTrip(this.restLastMs, this.restLon, this.restLat);
  }

  private addLeavingToTrip(): void {
    this.tripDistanceM += this.leavingDistanceM;
    this.tripMaxKmh = Math.max(this.tripMaxKmh, this.leavingMaxKmh);
    this.leaving.length = 0;
    this.leavingDistanceM = 0;
    this.leavingMaxKmh = 0;
  }

  private startTrip(timeMs: number, lon: number, lat: number): void {
    this.tripStartMs = timeMs;
    this.tripFromLon = lon;
    this.tripFromLat = lat;
    this.tripDistanceM = 0;
    this.tripMaxKmh = 0;
  }

  private endTrip(endMs: number, lon: number, lat: number, truncated: boolean): void {
    this.tripOpen = false;
    // A stream that starts at rest has no trip before its first stop (a speed spike on the first
    // fixes is not one either).
    if (endMs <= this.tripStartMs) return;
    if (truncated && this.tripDistanceM < this.options.leaveMinM) return;
    this.listener.tripEnded({
      startMs: this.tripStartMs,
      endMs,
      fromLon: this.tripFromLon,
      fromLat: this.tripFromLat,
      toLon: lon,
      toLat: lat,
      distanceM: this.tripDistanceM,
      maxSpeedKmh: this.tripMaxKmh,
      truncated,
    });
  }
}

// Slack for GNSS error between two fixes, metres, and for speed changing within the interval.
const STEP_SLACK_M = 10;
const STEP_SPEED_FACTOR = 1.5;

/** Whether moving from `a` to `b` fits the speeds both report (multipath jumps do not). */
function isPlausibleStep(a: Fix, b: Fix): boolean {
  const stepM = localDistanceM(a.lon, a.lat, b.lon, b.lat);
  const reachM = (Math.max(a.speedKmh, b.speedKmh) / 3.6) * ((b.timeMs - a.timeMs) / 1000);
  return stepM <= reachM * STEP_SPEED_FACTOR + STEP_SLACK_M;
}

/** Distance covered between two close fixes by their mean reported speed; rest speeds count as 0. */
function speedDistanceM(a: Fix, b: Fix, dtMs: number, stillKmh: number): number {
  const va = a.speedKmh > stillKmh ? a.speedKmh : 0;
  const vb = b.speedKmh > stillKmh ? b.speedKmh : 0;
  return ((va + vb) / 2 / 3.6) * (dtMs / 1000);
}
