import type { DetectionOptions } from './detection-options.js';
import { localDistanceM } from './geo.js';
import type { GeofenceIndex } from './geofence-index.js';
import { ReorderBuffer } from './reorder-buffer.js';
import { RestFuelAnalyzer, type RestFuelChange } from './rest-fuel-analyzer.js';
import { StopDetector, type MotionListener, type StopSegment, type TripSegment } from './stop-detector.js';
import type {
  Anomaly,
  ContainerEvent,
  Facility,
  Fix,
  FuelEvent,
  FuelNorm,
  Site,
  Stop,
  Trip,
} from './types.js';

/** A site visit seen by telematics, before driver reports are merged in (see FactBook). */
export interface SiteVisit {
  vehicleId: string;
  site: Site;
  arrivalMs: number;
  departureMs: number;
  lon: number;
  lat: number;
  /** From the visit position to the site's point, metres. */
  distanceM: number;
  /** False for lift events in the geofence without a GNSS stop (a gap, a short stop). */
  hasStop: boolean;
  containerEvents: ContainerEvent[];
}

/** A long stop at a facility, before the weighbridge ticket is merged in (see FactEngine). */
export interface FacilityStop {
  vehicleId: string;
  facility: Facility;
  arrivalMs: number;
  departureMs: number;
  lon: number;
  lat: number;
}

export interface VehicleOutput {
  stop(stop: Stop): void;
  trip(trip: Trip): void;
  fuel(event: FuelEvent): void;
  anomaly(anomaly: Anomaly): void;
  visit(visit: SiteVisit): void;
  facilityStop(stop: FacilityStop): void;
}

export interface Places {
  sites: GeofenceIndex<Site>;
  facilities: GeofenceIndex<Facility>;
}

type Item = Fix | ContainerEvent;

interface PlacedEvent {
  event: ContainerEvent;
  lon: number;
  lat: number;
}

interface ClosingStop {
  stop: StopSegment;
  events: ContainerEvent[];
}

/**
 * Everything one vehicle's stream goes through: reorder → stops and trips → fuel at rest → site
 * visits and facility stops. Streaming: memory is bounded by the reorder window and the open rest.
 */
export class VehicleTracker implements MotionListener {
  private readonly buffer: ReorderBuffer<Item>;
  private readonly motion: StopDetector;
  private readonly fuel: RestFuelAnalyzer;
  private lastFix: Fix | undefined;
  private restEvents: ContainerEvent[] = [];
  private restFuelChanges: RestFuelChange[] = [];
  private restHasFuel = false;
  private closing: ClosingStop[] = [];
  private orphans: PlacedEvent[] = [];
  private pendingTrip: TripSegment | undefined;
  private pendingTripLoaded = false;
  private loadedSinceUnload = false;
  private previousStopEndFuelL = NaN;
  private silentSincePreviousStop = false;
  private flushed = false;

  constructor(
    readonly vehicleId: string,
    private readonly places: Places,
    private readonly options: DetectionOptions,
    private readonly norm: FuelNorm,
    private readonly output: VehicleOutput,
    /** The body already carries waste when the data starts (a run resumed mid-day). */
    loaded = false,
  ) {
    this.loadedSinceUnload = loaded;
    this.buffer = new ReorderBuffer<Item>(options.reorderWindowMs, compareSameTime, (item) =>
      this.process(item),
    );
    this.motion = new StopDetector(this, options.stop);
    this.fuel = new RestFuelAnalyzer((change) => this.onFuelChange(change), norm.idleLPerHour, options.fuel);
  }

  get lateCount(): number {
    return this.buffer.lateCount;
  }

  get duplicateCount(): number {
    return this.buffer.duplicateCount;
  }

  /** Event time up to which this vehicle's records have been processed. */
  get watermarkMs(): number {
    return this.buffer.watermarkMs;
  }

  pushFix(fix: Fix): void {
    this.buffer.push(fix);
  }

  pushContainerEvent(event: ContainerEvent): void {
    this.buffer.push(event);
  }

  /** End of the data for now: releases, closes and reports everything still open. */
  flush(): void {
    if (this.flushed) return;
    this.flushed = true;
    this.buffer.flush();
    this.motion.flush();
    this.finishClosing(Infinity);
    this.finishOrphans(Infinity);
    if (this.pendingTrip) this.emitTrip(this.pendingTrip, this.pendingTripLoaded, undefined);
    this.pendingTrip = undefined;
    const late = this.buffer.lateCount;
    if (late > 0) this.output.anomaly({ kind: 'late-records', vehicleId: this.vehicleId, count: late });
  }

  private process(item: Item): void {
    const timeMs = item.timeMs;
    if ('seq' in item) {
      const last = this.lastFix;
      // Motion first: a rest that began before a tracker gap claims the lift events of the gap.
      this.lastFix = item;
      this.motion.push(item);
      // A refuel between two stops is only possible if the truck moved while the tracker was silent.
      if (
        last &&
        timeMs - last.timeMs > this.options.stop.maxGapMs &&
        localDistanceM(last.lon, last.lat, item.lon, item.lat) > this.options.stop.radiusM
      ) {
        this.silentSincePreviousStop = true;
      }
    }
    if (this.closing.length > 0) this.finishClosing(timeMs);
    if (this.orphans.length > 0) this.finishOrphans(timeMs);
    if (!('seq' in item)) this.placeEvent(item);
  }

  private placeEvent(event: ContainerEvent): void {
    if (event.kind === 'lift') this.loadedSinceUnload = true;
    if (this.motion.isResting) {
      this.restEvents.push(event);
      return;
    }
    const last = this.closing[this.closing.length - 1];
    if (last && event.timeMs <= last.stop.endMs + this.options.liftSlackMs) {
      last.events.push(event);
      return;
    }
    const fix = this.lastFix;
    if (fix) this.orphans.push({ event, lon: fix.lon, lat: fix.lat });
  }

  // --- MotionListener ---

  restStarted(fix: Fix): void {
    this.restEvents = [];
    // Lift events just before the truck came to rest (clock skew between arm sensor and GNSS).
    while (this.orphans.length > 0) {
      const last = this.orphans[this.orphans.length - 1] as PlacedEvent;
      if (last.event.timeMs < fix.timeMs - this.options.liftSlackMs) break;
      this.restEvents.unshift(last.event);
      this.orphans.pop();
    }
    this.restFuelChanges = [];
    this.restHasFuel = false;
    this.fuel.reset(fix.timeMs);
    this.restFix(fix);
  }

  restFix(fix: Fix): void {
    if (fix.fuelL === undefined) return;
    this.restHasFuel = true;
    this.fuel.push(fix.timeMs, fix.fuelL, fix.ignition !== false);
  }

  restAborted(): void {
    const fix = this.lastFix;
    for (const event of this.restEvents) {
      this.orphans.push({ event, lon: fix?.lon ?? NaN, lat: fix?.lat ?? NaN });
    }
    this.restEvents = [];
    this.restFuelChanges = [];
  }

  stopConfirmed(): void {
    for (const change of this.restFuelChanges) this.emitFuel(change, 'stop');
    this.restFuelChanges = [];
  }

  stopEnded(segment: StopSegment): void {
    let fuelStartL: number | undefined;
    let fuelEndL: number | undefined;
    if (this.restHasFuel) {
      this.fuel.finish();
      if (!Number.isNaN(this.fuel.startLevelL)) fuelStartL = this.fuel.startLevelL;
      if (!Number.isNaN(this.fuel.endLevelL)) fuelEndL = this.fuel.endLevelL;
    }
    this.output.stop({ vehicleId: this.vehicleId, ...segment, fuelStartL, fuelEndL });

    // The trip that led here can now be measured: rest level where it began and where it ended.
    let gapRefuel = false;
    if (
      fuelStartL !== undefined &&
      !Number.isNaN(this.previousStopEndFuelL) &&
      this.silentSincePreviousStop
    ) {
      const rise = fuelStartL - this.previousStopEndFuelL;
      if (rise >= this.options.fuel.refuelMinL) {
        gapRefuel = true;
        this.output.fuel({
          id: `${this.vehicleId}:refuel:${this.pendingTrip?.startMs ?? segment.startMs}`,
          vehicleId: this.vehicleId,
          kind: 'refuel',
          startMs: this.pendingTrip?.startMs ?? segment.startMs,
          endMs: segment.startMs,
          litres: rise,
          levelBeforeL: this.previousStopEndFuelL,
          levelAfterL: fuelStartL,
          lon: segment.lon,
          lat: segment.lat,
          seen: 'gap',
          ignitionOff: false,
        });
      }
    }
    if (this.pendingTrip) {
      const usedL =
        fuelStartL !== undefined && !gapRefuel && !Number.isNaN(this.previousStopEndFuelL)
          ? this.previousStopEndFuelL - fuelStartL
          : undefined;
      this.emitTrip(this.pendingTrip, this.pendingTripLoaded, usedL);
      this.pendingTrip = undefined;
    }
    this.previousStopEndFuelL = fuelEndL ?? NaN;
    this.silentSincePreviousStop = false;

    // Unloading empties the body now, so the next trip is measured against the "empty" norm.
    const durationMs = segment.endMs - segment.startMs;
    if (durationMs >= this.options.unloadMinMs && this.places.facilities.locate(segment.lon, segment.lat)) {
      this.loadedSinceUnload = false;
    }
    this.pendingTripLoaded = this.loadedSinceUnload;
    this.closing.push({ stop: segment, events: this.restEvents });
    this.restEvents = [];
  }

  tripEnded(trip: TripSegment): void {
    if (this.pendingTrip) this.emitTrip(this.pendingTrip, this.pendingTripLoaded, undefined);
    this.pendingTrip = trip;
    if (trip.truncated && this.flushed) {
      this.emitTrip(trip, this.pendingTripLoaded, undefined);
      this.pendingTrip = undefined;
    }
  }

  // --- visits ---

  private finishClosing(nowMs: number): void {
    while (this.closing.length > 0) {
      const first = this.closing[0] as ClosingStop;
      if (first.stop.endMs + this.options.liftSlackMs >= nowMs) return;
      this.closing.shift();
      this.classifyStop(first);
    }
  }

  private classifyStop({ stop, events }: ClosingStop): void {
    const durationMs = stop.endMs - stop.startMs;
    const site = this.places.sites.locate(stop.lon, stop.lat);
    const lifts = events.filter((event) => event.kind === 'lift').length;
    if (site) {
      if (lifts > 0 || durationMs >= this.options.siteDwellMs) {
        this.output.visit({
          vehicleId: this.vehicleId,
          site: site.place,
          arrivalMs: stop.startMs,
          departureMs: stop.endMs,
          lon: stop.lon,
          lat: stop.lat,
          distanceM: site.distanceM,
          hasStop: true,
          containerEvents: events,
        });
      }
      return;
    }
    const facility = this.places.facilities.locate(stop.lon, stop.lat);
    if (facility && durationMs >= this.options.unloadMinMs) {
      this.output.facilityStop({
        vehicleId: this.vehicleId,
        facility: facility.place,
        arrivalMs: stop.startMs,
        departureMs: stop.endMs,
        lon: stop.lon,
        lat: stop.lat,
      });
      return;
    }
    if (lifts > 0) {
      this.output.anomaly({
        kind: 'lifts-outside-sites',
        vehicleId: this.vehicleId,
        timeMs: stop.startMs,
        lon: stop.lon,
        lat: stop.lat,
        lifts,
      });
    }
  }

  /** Lift events with no stop around them, grouped by time, placed where the truck was. */
  private finishOrphans(nowMs: number): void {
    const { orphanLiftGapMs } = this.options;
    const last = this.orphans[this.orphans.length - 1];
    if (!last || last.event.timeMs + orphanLiftGapMs >= nowMs) {
      // Still collecting; but a group that ended before a newer one began can go.
      return this.finishOrphanGroupsBefore(nowMs);
    }
    const groups = this.orphans;
    this.orphans = [];
    this.visitOrphanGroups(groups);
  }

  private finishOrphanGroupsBefore(nowMs: number): void {
    let split = 0;
    for (let i = 1; i < this.orphans.length; i++) {
      const previous = this.orphans[i - 1] as PlacedEvent;
      const current = this.orphans[i] as PlacedEvent;
      if (current.event.timeMs - previous.event.timeMs > this.options.orphanLiftGapMs) split = i;
    }
    if (
      split === 0 ||
      (this.orphans[split - 1] as PlacedEvent).event.timeMs + this.options.orphanLiftGapMs >= nowMs
    )
      return;
    const done = this.orphans.slice(0, split);
    this.orphans = this.orphans.slice(split);
    this.visitOrphanGroups(done);
  }

  private visitOrphanGroups(placed: PlacedEvent[]): void {
    let start = 0;
    for (let i = 1; i <= placed.length; i++) {
      const previous = placed[i - 1] as PlacedEvent;
      const current = placed[i];
      if (current && current.event.timeMs - previous.event.timeMs <= this.options.orphanLiftGapMs) continue;
      this.visitOrphanGroup(placed.slice(start, i));
      start = i;
    }
  }

  private visitOrphanGroup(group: PlacedEvent[]): void {
    const located = group.filter((item) => !Number.isNaN(item.lon));
    const lifts = group.filter((item) => item.event.kind === 'lift').length;
    if (located.length === 0 || lifts === 0) return;
    const lon = located.reduce((sum, item) => sum + item.lon, 0) / located.length;
    const lat = located.reduce((sum, item) => sum + item.lat, 0) / located.length;
    const first = group[0] as PlacedEvent;
    const last = group[group.length - 1] as PlacedEvent;
    const site = this.places.sites.locate(lon, lat);
    if (!site) {
      this.output.anomaly({
        kind: 'lifts-outside-sites',
        vehicleId: this.vehicleId,
        timeMs: first.event.timeMs,
        lon,
        lat,
        lifts,
      });
      return;
    }
    this.output.visit({
      vehicleId: this.vehicleId,
      site: site.place,
      arrivalMs: first.event.timeMs,
      departureMs: last.event.timeMs,
      lon,
      lat,
      distanceM: site.distanceM,
      hasStop: false,
      containerEvents: group.map((item) => item.event),
    });
  }

  // --- fuel ---

  private onFuelChange(change: RestFuelChange): void {
    if (this.motion.isStopConfirmed) this.emitFuel(change, 'stop');
    else if (this.motion.isResting) this.restFuelChanges.push(change);
    else this.emitFuel(change, 'stop'); // finishing a stop that has just ended
  }

  private emitFuel(change: RestFuelChange, seen: 'stop' | 'gap'): void {
    this.output.fuel({
      id: `${this.vehicleId}:${change.kind}:${change.startMs}`,
      vehicleId: this.vehicleId,
      kind: change.kind,
      startMs: change.startMs,
      endMs: change.endMs,
      litres: round1(change.litres),
      levelBeforeL: round1(change.levelBeforeL),
      levelAfterL: round1(change.levelAfterL),
      lon: this.motion.restLon,
      lat: this.motion.restLat,
      seen,
      ignitionOff: change.ignitionOff,
    });
  }

  private emitTrip(segment: TripSegment, loaded: boolean, usedL: number | undefined): void {
    const trip: Trip = { vehicleId: this.vehicleId, ...segment, loaded };
    if (usedL !== undefined && segment.distanceM > 0) {
      const normLPer100Km = loaded ? this.norm.loadedLPer100Km : this.norm.emptyLPer100Km;
      const expectedL = (segment.distanceM / 100_000) * normLPer100Km;
      trip.fuel = {
        usedL: round1(usedL),
        expectedL: round1(expectedL),
        normLPer100Km,
        per100Km: round1((usedL / segment.distanceM) * 100_000),
        excessL: round1(usedL - expectedL),
      };
    }
    this.output.trip(trip);
  }
}

// Fixes before events at the same instant; a resent record compares equal to itself.
function compareSameTime(a: Item, b: Item): number {
  const aIsFix = 'seq' in a;
  const bIsFix = 'seq' in b;
  if (aIsFix && bIsFix) return a.seq - b.seq;
  if (aIsFix) return -1;
  if (bIsFix) return 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  const ar = a.rfid ?? '';
  const br = b.rfid ?? '';
  return ar < br ? -1 : ar > br ? 1 : 0;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
