import { factConfidence, needsReview } from './confidence.js';
import type { GeofenceIndex } from './geofence-index.js';
import { localDistanceM } from './geo.js';
import type { CollectionFact, DriverReport, Evidence, Site } from './types.js';
import type { SiteVisit } from './vehicle-tracker.js';

/**
 * Merges the evidence of one site visit into one collection fact: the telematics visit (GNSS stop,
 * lift cycles, RFID) and the driver's report, which may come hours later (the driver app works
 * offline) or before the telematics visit has been closed. A report matches a fact of the same
 * vehicle and site within `matchMs`; one that matches nothing becomes a driver-only fact (needs
 * review) once the vehicle's data has moved `matchMs` past it, or at flush.
 */
export class FactBook {
  private readonly factsByVehicle = new Map<string, CollectionFact[]>();
  private readonly waitingReports = new Map<string, DriverReport[]>();

  constructor(
    private readonly sites: GeofenceIndex<Site>,
    private readonly matchMs: number,
    private readonly emit: (fact: CollectionFact, change: 'created' | 'updated') => void,
  ) {}

  addVisit(visit: SiteVisit): void {
    const evidence: Evidence[] = [];
    if (visit.hasStop) {
      evidence.push({
        kind: 'gnss-stop',
        startMs: visit.arrivalMs,
        endMs: visit.departureMs,
        lon: visit.lon,
        lat: visit.lat,
        distanceM: Math.round(visit.distanceM),
      });
    }
    const tags = new Set(visit.site.rfidTags ?? []);
    const rfidTags: string[] = [];
    let liftCount = 0;
    let liftWeightKg = 0;
    for (const event of visit.containerEvents) {
      if (event.kind === 'lift') {
        liftCount++;
        liftWeightKg += event.weightKg ?? 0;
        evidence.push({ kind: 'lift', timeMs: event.timeMs, rfid: event.rfid, weightKg: event.weightKg });
      }
      if (event.rfid) {
        rfidTags.push(event.rfid);
        if (tags.has(event.rfid)) evidence.push({ kind: 'rfid', timeMs: event.timeMs, rfid: event.rfid });
      }
    }
    const fact: CollectionFact = {
      id: `${visit.vehicleId}:${visit.site.id}:${visit.arrivalMs}`,
      vehicleId: visit.vehicleId,
      siteId: visit.site.id,
      arrivalMs: visit.arrivalMs,
      departureMs: visit.departureMs,
      lon: visit.lon,
      lat: visit.lat,
      liftCount,
      rfidTags,
      liftWeightKg: Math.round(liftWeightKg * 10) / 10,
      containerCount: liftCount,
      evidence,
      confidence: 0,
      needsReview: true,
    };
    const waiting = this.waitingReports.get(visit.vehicleId) ?? [];
    for (let i = 0; i < waiting.length; i++) {
      const report = waiting[i] as DriverReport;
      if (this.matches(fact, report)) {
        this.attachReport(fact, report);
        waiting.splice(i--, 1);
      }
    }
    score(fact);
    let list = this.factsByVehicle.get(visit.vehicleId);
    if (!list) this.factsByVehicle.set(visit.vehicleId, (list = []));
    list.push(fact);
    this.emit(fact, 'created');
  }

  addDriverReport(report: DriverReport): void {
    const list = this.factsByVehicle.get(report.vehicleId) ?? [];
    let best: CollectionFact | undefined;
    for (const fact of list) {
      if (!this.matches(fact, report)) continue;
      if (!best || timeApartMs(fact, report.timeMs) < timeApartMs(best, report.timeMs)) best = fact;
    }
    if (best) {
      this.attachReport(best, report);
      score(best);
      this.emit(best, 'updated');
      return;
    }
    let waiting = this.waitingReports.get(report.vehicleId);
    if (!waiting) this.waitingReports.set(report.vehicleId, (waiting = []));
    waiting.push(report);
  }

  /** Reports of this vehicle older than `nowMs − matchMs` that matched nothing become facts. */
  expireReports(vehicleId: string, nowMs: number): void {
    const waiting = this.waitingReports.get(vehicleId);
    if (!waiting || waiting.length === 0) return;
    const keep: DriverReport[] = [];
    for (const report of waiting) {
      if (report.timeMs + this.matchMs < nowMs) this.addDriverOnlyFact(report);
      else keep.push(report);
    }
    this.waitingReports.set(vehicleId, keep);
  }

  flush(): void {
    for (const vehicleId of this.waitingReports.keys()) this.expireReports(vehicleId, Infinity);
  }

  private addDriverOnlyFact(report: DriverReport): void {
    const site = this.siteOf(report);
    if (!site) return;
    const fact: CollectionFact = {
      id: `driver:${report.id}`,
      vehicleId: report.vehicleId,
      siteId: site.id,
      arrivalMs: report.timeMs,
      departureMs: report.timeMs,
      lon: report.lon,
      lat: report.lat,
      liftCount: 0,
      rfidTags: [],
      liftWeightKg: 0,
      containerCount: report.containerCount,
      evidence: [],
      confidence: 0,
      needsReview: true,
    };
    this.attachReport(fact, report);
    score(fact);
    let list = this.factsByVehicle.get(report.vehicleId);
    if (!list) this.factsByVehicle.set(report.vehicleId, (list = []));
    list.push(fact);
    this.emit(fact, 'created');
  }

  private matches(fact: CollectionFact, report: DriverReport): boolean {
    if (fact.vehicleId !== report.vehicleId) return false;
    if (fact.evidence.some((item) => item.kind === 'driver')) return false;
    const siteId = report.siteId ?? this.siteOf(report)?.id;
    return siteId === fact.siteId && timeApartMs(fact, report.timeMs) <= this.matchMs;
  }

  private attachReport(fact: CollectionFact, report: DriverReport): void {
    const site = this.sites.get(fact.siteId);
    const distanceM = site ? localDistanceM(site.lon, site.lat, report.lon, report.lat) : 0;
    fact.evidence.push({
      kind: 'driver',
      reportId: report.id,
      timeMs: report.timeMs,
      lon: report.lon,
      lat: report.lat,
      distanceM: Math.round(distanceM),
      containerCount: report.containerCount,
      photoId: report.photoId,
    });
    fact.containerCount = report.containerCount;
  }

  /** The site the driver picked, else the one whose geofence holds the report's coordinates. */
  private siteOf(report: DriverReport): Site | undefined {
    if (report.siteId !== undefined) return this.sites.get(report.siteId);
    return this.sites.locate(report.lon, report.lat)?.place;
  }
}

function score(fact: CollectionFact): void {
  fact.confidence = factConfidence(fact.evidence);
  fact.needsReview = needsReview(fact.evidence, fact.confidence);
}

function timeApartMs(fact: CollectionFact, timeMs: number): number {
  if (timeMs < fact.arrivalMs) return fact.arrivalMs - timeMs;
  if (timeMs > fact.departureMs) return timeMs - fact.departureMs;
  return 0;
}
