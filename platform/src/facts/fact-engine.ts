import {
  resolveDetectionOptions,
  type DetectionOptions,
  type DetectionOptionsInput,
} from './detection-options.js';
import { FactBook } from './fact-book.js';
import { GeofenceIndex } from './geofence-index.js';
import type {
  CollectionFact,
  ContainerEvent,
  DriverReport,
  Facility,
  FactListener,
  Fix,
  FuelNorm,
  Site,
  Unloading,
  WeighbridgeTicket,
} from './types.js';
import { VehicleTracker, type FacilityStop, type VehicleOutput } from './vehicle-tracker.js';

export interface FactRegistry {
  sites: readonly Site[];
  facilities?: readonly Facility[];
  /** Fuel norms per vehicle; the default norm for the others. */
  norms?: ReadonlyMap<string, FuelNorm>;
  /** Vehicles whose body is loaded when their data starts (lifts before it, no unloading since). */
  loaded?: ReadonlySet<string>;
}

export interface FactEngineStats {
  vehicles: number;
  fixes: number;
  containerEvents: number;
  late: number;
  duplicates: number;
}

/**
 * Collection facts, unloadings, trips, stops and fuel events for a fleet, fed record by record in
 * any order within the reorder window. Results go to the listener as soon as they are certain;
 * `flush()` at the end of the data (or of the day) closes what is still open.
 */
export class FactEngine {
  readonly options: DetectionOptions;
  private readonly sites: GeofenceIndex<Site>;
  private readonly facilities: GeofenceIndex<Facility>;
  private readonly vehicles = new Map<string, VehicleTracker>();
  private readonly book: FactBook;
  private readonly unloadings = new Map<string, Unloading[]>();
  private readonly tickets = new Map<string, WeighbridgeTicket[]>();
  private readonly output: VehicleOutput;
  private fixes = 0;
  private containerEvents = 0;

  constructor(
    private readonly registry: FactRegistry,
    private readonly listener: FactListener,
    options: DetectionOptionsInput = {},
  ) {
    this.options = resolveDetectionOptions(options);
    this.sites = new GeofenceIndex(registry.sites, this.options.geofenceToleranceM);
    this.facilities = new GeofenceIndex(registry.facilities ?? [], this.options.geofenceToleranceM);
    this.book = new FactBook(this.sites, this.options.driverMatchMs, (fact, change) =>
      listener.fact?.(copyFact(fact), change),
    );
    this.output = {
      stop: (stop) => listener.stop?.(stop),
      trip: (trip) => listener.trip?.(trip),
      fuel: (event) => listener.fuel?.(event),
      anomaly: (anomaly) => listener.anomaly?.(anomaly),
      visit: (visit) => {
        this.book.addVisit(visit);
        this.book.expireReports(visit.vehicleId, visit.departureMs);
      },
      facilityStop: (stop) => this.addFacilityStop(stop),
    };
  }

  pushFix(vehicleId: string, fix: Fix): void {
    this.fixes++;
    this.vehicle(vehicleId).pushFix(fix);
  }

  pushContainerEvent(vehicleId: string, event: ContainerEvent): void {
    this.containerEvents++;
    this.vehicle(vehicleId).pushContainerEvent(event);
  }

  pushDriverReport(report: DriverReport): void {
    this.book.addDriverReport(report);
  }

  pushWeighbridgeTicket(ticket: WeighbridgeTicket): void {
    const unloading = this.unloadings
      .get(ticket.vehicleId)
      ?.find((candidate) => candidate.ticketId === undefined && this.ticketMatches(candidate, ticket));
    if (unloading) {
      unloading.netKg = ticket.netKg;
      unloading.ticketId = ticket.id;
      this.listener.unloading?.({ ...unloading }, 'updated');
      return;
    }
    let waiting = this.tickets.get(ticket.vehicleId);
    if (!waiting) this.tickets.set(ticket.vehicleId, (waiting = []));
    waiting.push(ticket);
  }

  /** Ends one vehicle's data: its open stop, trip and pending records are closed and reported. */
  flushVehicle(vehicleId: string): void {
    this.vehicles.get(vehicleId)?.flush();
    this.book.expireReports(vehicleId, Infinity);
  }

  flush(): void {
    for (const vehicle of this.vehicles.values()) vehicle.flush();
    this.book.flush();
  }

  /** Reports driver-only facts for reports the vehicle's data has passed (for a running day). */
  expireDriverReports(): void {
    for (const [vehicleId, vehicle] of this.vehicles) this.book.expireReports(vehicleId, vehicle.watermarkMs);
  }

  stats(): FactEngineStats {
    let late = 0;
    let duplicates = 0;
    for (const vehicle of this.vehicles.values()) {
      late += vehicle.lateCount;
      duplicates += vehicle.duplicateCount;
    }
    return {
      vehicles: this.vehicles.size,
      fixes: this.fixes,
      containerEvents: this.containerEvents,
      late,
      duplicates,
    };
  }

  private vehicle(vehicleId: string): VehicleTracker {
    let vehicle = this.vehicles.get(vehicleId);
    if (!vehicle) {
      const norm = this.registry.norms?.get(vehicleId) ?? this.options.defaultNorm;
      vehicle = new VehicleTracker(
        vehicleId,
        { sites: this.sites, facilities: this.facilities },
        this.options,
        norm,
        this.output,
        this.registry.loaded?.has(vehicleId) ?? false,
      );
      this.vehicles.set(vehicleId, vehicle);
    }
    return vehicle;
  }

  private addFacilityStop(stop: FacilityStop): void {
    const unloading: Unloading = {
      id: `${stop.vehicleId}:${stop.facility.id}:${stop.arrivalMs}`,
      vehicleId: stop.vehicleId,
      facilityId: stop.facility.id,
      arrivalMs: stop.arrivalMs,
      departureMs: stop.departureMs,
      lon: stop.lon,
      lat: stop.lat,
    };
    const waiting = this.tickets.get(stop.vehicleId) ?? [];
    const index = waiting.findIndex((ticket) => this.ticketMatches(unloading, ticket));
    if (index >= 0) {
      const ticket = waiting.splice(index, 1)[0] as WeighbridgeTicket;
      unloading.netKg = ticket.netKg;
      unloading.ticketId = ticket.id;
    }
    let list = this.unloadings.get(stop.vehicleId);
    if (!list) this.unloadings.set(stop.vehicleId, (list = []));
    list.push(unloading);
    this.listener.unloading?.({ ...unloading }, 'created');
  }

  private ticketMatches(unloading: Unloading, ticket: WeighbridgeTicket): boolean {
    return (
      ticket.facilityId === unloading.facilityId &&
      ticket.timeMs >= unloading.arrivalMs - this.options.ticketMatchMs &&
      ticket.timeMs <= unloading.departureMs + this.options.ticketMatchMs
    );
  }
}

function copyFact(fact: CollectionFact): CollectionFact {
  return { ...fact, rfidTags: [...fact.rfidTags], evidence: [...fact.evidence] };
}
