/**
 * Inputs and outputs of collection-fact and fuel-event detection. Times are milliseconds since the
 * Unix epoch, UTC; coordinates are WGS84 degrees, always in (lon, lat) order.
 */

/** One GNSS fix of a vehicle as the tracker reported it (see gateway/proto/telemetry.proto). */
export interface Fix {
  timeMs: number;
  lon: number;
  lat: number;
  speedKmh: number;
  headingDeg: number;
  /** Per-device sequence number; (timeMs, seq) identifies a record, a resend repeats both. */
  seq: number;
  /** Tank level from the fuel level sensor (ДУТ) or CAN, litres; absent without a sensor. */
  fuelL?: number;
  /** Absent when the tracker does not report it; treated as on. */
  ignition?: boolean;
}

/** A lift-arm cycle (container emptied into the body) or a bare RFID read of a container tag. */
export interface ContainerEvent {
  timeMs: number;
  kind: 'lift' | 'rfid';
  /** Container tag, when the container carries one. */
  rfid?: string;
  /** On-board weighing of the lifted container, kg. */
  weightKg?: number;
}

/** A collection fact registered by the driver in the driver app (photo, time, coordinates, count). */
export interface DriverReport {
  id: string;
  vehicleId: string;
  /** The site the driver picked in the app; absent when only coordinates were sent. */
  siteId?: string;
  timeMs: number;
  lon: number;
  lat: number;
  containerCount: number;
  photoId?: string;
}

/** A weighbridge ticket entered at a facility (net mass of the unloaded waste). */
export interface WeighbridgeTicket {
  id: string;
  facilityId: string;
  vehicleId: string;
  timeMs: number;
  netKg: number;
}

/** A place with a geofence: the polygon when given (outer ring, lon/lat pairs), else a circle. */
export interface Geofenced {
  id: string;
  lon: number;
  lat: number;
  radiusM: number;
  polygon?: readonly (readonly [number, number])[];
}

/** Container site (место накопления ТКО). */
export interface Site extends Geofenced {
  /** RFID tags of the site's containers, when the registry knows them. */
  rfidTags?: readonly string[];
}

/** Facility (полигон, перегрузочная станция, сортировка) where trucks unload. */
export type Facility = Geofenced;

/** Fuel norms of one vehicle (нормы расхода), litres per 100 km, and idling, litres per hour. */
export interface FuelNorm {
  emptyLPer100Km: number;
  loadedLPer100Km: number;
  idleLPerHour: number;
}

/** A period at rest: speed and displacement stayed below the thresholds for at least the minimum time. */
export interface Stop {
  vehicleId: string;
  startMs: number;
  endMs: number;
  /** Mean of the fixes at rest (outliers left out). */
  lon: number;
  lat: number;
  fixCount: number;
  ignitionOffMs: number;
  /** The data ended while the vehicle was still at rest: endMs is the last fix, not a departure. */
  truncated: boolean;
  /** Rest level at arrival and at departure (median of sensor readings), litres. */
  fuelStartL?: number;
  fuelEndL?: number;
}

/** Fuel used over a trip, measured between rest levels, against the vehicle's norm. */
export interface TripFuel {
  usedL: number;
  expectedL: number;
  normLPer100Km: number;
  per100Km: number;
  /** usedL − expectedL: positive means more than the norm. */
  excessL: number;
}

/** Movement between two stops. */
export interface Trip {
  vehicleId: string;
  startMs: number;
  endMs: number;
  fromLon: number;
  fromLat: number;
  toLon: number;
  toLat: number;
  distanceM: number;
  maxSpeedKmh: number;
  /** Lift events since the last unloading: the body carries waste. */
  loaded: boolean;
  fuel?: TripFuel;
  truncated: boolean;
}

export type Evidence =
  | { kind: 'gnss-stop'; startMs: number; endMs: number; lon: number; lat: number; distanceM: number }
  | { kind: 'lift'; timeMs: number; rfid?: string; weightKg?: number }
  | { kind: 'rfid'; timeMs: number; rfid: string }
  | {
      kind: 'driver';
      reportId: string;
      timeMs: number;
      lon: number;
      lat: number;
      distanceM: number;
      containerCount: number;
      photoId?: string;
    };

/** Факт вывоза: one site served by one vehicle at one time, with everything that shows it. */
export interface CollectionFact {
  /** vehicleId:siteId:arrivalMs (driver-only facts: the report id). */
  id: string;
  vehicleId: string;
  siteId: string;
  arrivalMs: number;
  departureMs: number;
  lon: number;
  lat: number;
  liftCount: number;
  rfidTags: string[];
  liftWeightKg: number;
  /** The driver's count when reported, else the number of lift cycles. */
  containerCount: number;
  evidence: Evidence[];
  /** Noisy-OR of the evidence weights (see confidence.ts). */
  confidence: number;
  /** No telematics evidence (driver report alone) or confidence below the acceptance level. */
  needsReview: boolean;
}

/** A long stop inside a facility's geofence (выгрузка), with the weighbridge mass when entered. */
export interface Unloading {
  id: string;
  vehicleId: string;
  facilityId: string;
  arrivalMs: number;
  departureMs: number;
  lon: number;
  lat: number;
  netKg?: number;
  ticketId?: string;
}

/** A refuel (заправка) or a drain (слив, suspected theft). */
export interface FuelEvent {
  id: string;
  vehicleId: string;
  kind: 'refuel' | 'drain';
  startMs: number;
  endMs: number;
  litres: number;
  levelBeforeL: number;
  levelAfterL: number;
  lon: number;
  lat: number;
  /** 'stop': seen while parked; 'gap': between two stops (tracker offline, no readings in between). */
  seen: 'stop' | 'gap';
  ignitionOff: boolean;
}

export type Anomaly =
  | {
      kind: 'lifts-outside-sites';
      vehicleId: string;
      timeMs: number;
      lon: number;
      lat: number;
      lifts: number;
    }
  | { kind: 'late-records'; vehicleId: string; count: number };

/** Where the detector sends what it finds. Every method is optional. */
export interface FactListener {
  stop?(stop: Stop): void;
  trip?(trip: Trip): void;
  /** A new fact, or an existing one with more evidence (same id). */
  fact?(fact: CollectionFact, change: 'created' | 'updated'): void;
  unloading?(unloading: Unloading, change: 'created' | 'updated'): void;
  fuel?(event: FuelEvent): void;
  anomaly?(anomaly: Anomaly): void;
}
