import { degreesPerMetre, haversineM } from '../../../../firmware-sim/src/geo.js';
import {
  createRandom,
  deriveSeed,
  uniform,
  uniformInt,
  type Random,
} from '../../../../firmware-sim/src/prng.js';
import type { PlannedVisit, VisitStatus, WorkOrder } from '../plan-tracker.js';
import type { ContainerEvent, DriverReport, FuelNorm, WeighbridgeTicket } from '../types.js';
import { rfidTag, type NodePlace, type ScenarioWorld } from './scenario-world.js';
import { ScriptedTruck, type TruckSpec } from './scripted-truck.js';
import type { Track } from './track.js';

export interface TruckDayOptions {
  vehicleId: string;
  seed: number;
  /** Time of the first fix. */
  startMs: number;
  /** Parked at the depot, engine off, before the shift, seconds. */
  depotBeforeS: number;
  /** Parked at the depot after the shift, seconds; or until this time when given. */
  depotAfterS: number;
  depotUntilMs?: number;
  /** The work order's sites in driving order. */
  siteIds: readonly string[];
  /** Planned sites the truck does not serve. */
  skip: ReadonlySet<string>;
  /** Sites served though not planned, each after the planned site of that index. */
  unplanned: readonly { afterIndex: number; siteId: string }[];
  /** Refuel at a fuel station after the planned site of this index. */
  refuel?: { afterIndex: number; litres: number };
  /** A break at a break spot (engine off) after the planned site of this index; fuel drained when litres > 0. */
  parkedBreak?: { afterIndex: number; seconds: number; drainL: number };
  /** Unload at a facility after the planned sites of these indices (and always at the end). */
  unloadAfter: readonly number[];
  /** Share of served visits with a driver report. */
  driverReportShare: number;
  /** Share of served planned visits whose window has closed before the truck arrives. */
  lateShare: number;
  spec?: Partial<TruckSpec>;
}

export interface TruthVisit {
  siteId: string;
  arrivalMs: number;
  departureMs: number;
  lifts: number;
  planned: boolean;
}

export interface TruthFuelEvent {
  kind: 'refuel' | 'drain';
  startMs: number;
  endMs: number;
  litres: number;
  lon: number;
  lat: number;
}

export interface TruthUnloading {
  facilityId: string;
  arrivalMs: number;
  departureMs: number;
  netKg: number;
}

export interface TruckDayTruth {
  visits: TruthVisit[];
  skipped: string[];
  fuelEvents: TruthFuelEvent[];
  unloadings: TruthUnloading[];
  /** Expected plan status of each planned site. */
  planStatus: Map<string, VisitStatus>;
}

export interface TruckDay {
  vehicleId: string;
  track: Track;
  containerEvents: ContainerEvent[];
  driverReports: DriverReport[];
  tickets: WeighbridgeTicket[];
  workOrder: WorkOrder;
  norm: FuelNorm;
  truth: TruckDayTruth;
}

const PUMP_L_PER_MIN = 50;
const DRAIN_L_PER_MIN = 8;

/**
 * One truck's day on real roads: depot → sites (1–3 min each with 1–4 lift cycles, skipping
 * some) → a facility now and then → a refuel → a break where fuel may be drained → depot. Returns
 * what the tracker, the lift arm, the driver app and the weighbridge would report, the work
 * order, and the ground truth.
 */
export function generateTruckDay(world: ScenarioWorld, options: TruckDayOptions): TruckDay {
  const random = createRandom(options.seed);
  const spec: TruckSpec = {
    tankL: 250,
    initialFuelL: uniform(random, 90, 160),
    emptyLPer100Km: 38,
    loadedLPer100Km: 46,
    idleLPerHour: 3,
    driverFactor: uniform(random, 0.9, 1.05),
    ...options.spec,
  };
  const depot = pick(random, world.depots);
  const truck = new ScriptedTruck(world.network, random, spec, depot.node, options.startMs);
  const siteById = new Map(world.sites.map((site, index) => [site.id, { site, index }]));
  const truth: TruckDayTruth = {
    visits: [],
    skipped: [],
    fuelEvents: [],
    unloadings: [],
    planStatus: new Map(),
  };
  const containerEvents: ContainerEvent[] = [];
  const driverReports: DriverReport[] = [];
  const tickets: WeighbridgeTicket[] = [];
  const plannedAt = new Map<string, number>();
  const perMetre = degreesPerMetre(world.network.bbox.minLat);

  truck.stay(options.depotBeforeS, { ignition: false });

  const serve = (siteId: string, planned: boolean): void => {
    const entry = siteById.get(siteId);
    if (!entry) throw new Error(`truck day: unknown site ${siteId}`);
    const arrivalMs = truck.driveTo(entry.site.node);
    const seconds = uniformInt(random, 60, 180);
    const lifts = uniformInt(random, 1, 4);
    const firstS = uniformInt(random, 10, 20);
    const gapS = (seconds - 25) / lifts;
    for (let k = 0; k < lifts; k++) {
      containerEvents.push({
        timeMs: arrivalMs + Math.round((firstS + k * gapS) * 1000),
        kind: 'lift',
        rfid: rfidTag(entry.index, (k % 4) + 1),
        weightKg: Math.round(uniform(random, 15, 110) * 2) / 2,
      });
    }
    truck.stay(seconds, { ignition: true });
    truck.loaded = true;
    truth.visits.push({ siteId, arrivalMs, departureMs: truck.timeMs, lifts, planned });
    if (random() < options.driverReportShare) {
      driverReports.push({
        id: `${options.vehicleId}-report-${driverReports.length + 1}`,
        vehicleId: options.vehicleId,
        siteId: random() < 0.8 ? siteId : undefined,
        timeMs: arrivalMs + uniformInt(random, 30, 120) * 1000,
        lon: entry.site.lon + uniform(random, -10, 10) * perMetre.lon,
        lat: entry.site.lat + uniform(random, -10, 10) * perMetre.lat,
        containerCount: lifts,
        photoId: `photo-${options.vehicleId}-${driverReports.length + 1}`,
      });
    }
  };

  const unload = (): void => {
    const facility = nearest(world.facilities, truck);
    const arrivalMs = truck.driveTo(facility.node);
    truck.stay(uniformInt(random, 10 * 60, 18 * 60), { ignition: true });
    truck.loaded = false;
    const netKg = Math.round(uniform(random, 3_000, 9_000));
    truth.unloadings.push({ facilityId: facility.id, arrivalMs, departureMs: truck.timeMs, netKg });
    tickets.push({
      id: `${options.vehicleId}-ticket-${tickets.length + 1}`,
      facilityId: facility.id,
      vehicleId: options.vehicleId,
      timeMs: truck.timeMs - 60_000,
      netKg,
    });
  };

  const refuel = (litres: number): void => {
    const station = nearest(world.fuelStations, truck);
    truck.driveTo(station.node);
    const beforeS = uniformInt(random, 30, 60);
    const pumpS = Math.round((litres / PUMP_L_PER_MIN) * 60);
    const afterS = uniformInt(random, 40, 90);
    const levelBefore = truck.fuelL;
    const startMs = truck.timeMs + beforeS * 1000;
    truck.stay(beforeS + pumpS + afterS, {
      ignition: false,
      flows: [{ fromS: beforeS, toS: beforeS + pumpS, lPerMin: PUMP_L_PER_MIN }],
    });
    truth.fuelEvents.push({
      kind: 'refuel',
      startMs,
      endMs: startMs + pumpS * 1000,
      litres: truck.fuelL - levelBefore,
      lon: station.lon,
      lat: station.lat,
    });
  };

  const parkedBreak = (seconds: number, drainL: number): void => {
    const spot = nearest(world.breakSpots, truck);
    truck.driveTo(spot.node);
    const drainS = Math.round((drainL / DRAIN_L_PER_MIN) * 60);
    const fromS = Math.min(uniformInt(random, 5 * 60, 12 * 60), Math.max(0, seconds - drainS - 120));
    const levelBefore = truck.fuelL;
    const startMs = truck.timeMs + fromS * 1000;
    truck.stay(seconds, {
      ignition: false,
      flows: drainL > 0 ? [{ fromS, toS: fromS + drainS, lPerMin: -DRAIN_L_PER_MIN }] : [],
    });
    if (drainL > 0) {
      truth.fuelEvents.push({
        kind: 'drain',
        startMs,
        endMs: startMs + drainS * 1000,
        litres: levelBefore - truck.fuelL,
        lon: spot.lon,
        lat: spot.lat,
      });
    }
  };

  options.siteIds.forEach((siteId, index) => {
    plannedAt.set(siteId, truck.timeMs);
    if (options.skip.has(siteId)) truth.skipped.push(siteId);
    else serve(siteId, true);
    for (const extra of options.unplanned) if (extra.afterIndex === index) serve(extra.siteId, false);
    if (options.refuel?.afterIndex === index) refuel(options.refuel.litres);
    if (options.parkedBreak?.afterIndex === index) {
      parkedBreak(options.parkedBreak.seconds, options.parkedBreak.drainL);
    }
    if (options.unloadAfter.includes(index)) unload();
  });
  if (truck.loaded) unload();
  truck.driveTo(depot.node);
  const afterS =
    options.depotUntilMs !== undefined
      ? Math.max(0, Math.floor((options.depotUntilMs - truck.timeMs) / 1000))
      : options.depotAfterS;
  truck.stay(afterS, { ignition: false });

  const visits: PlannedVisit[] = [];
  for (const siteId of options.siteIds) {
    const served = truth.visits.find((visit) => visit.siteId === siteId && visit.planned);
    const nominalMs = served?.arrivalMs ?? (plannedAt.get(siteId) as number);
    let status: VisitStatus;
    let windowStartMs: number;
    let windowEndMs: number;
    if (!served) {
      status = 'missed';
      windowStartMs = nominalMs - 60 * 60_000;
      windowEndMs = nominalMs + 30 * 60_000;
    } else if (random() < options.lateShare) {
      status = 'late';
      windowEndMs = nominalMs - uniformInt(random, 10, 40) * 60_000;
      windowStartMs = windowEndMs - 2 * 60 * 60_000;
    } else {
      status = 'served';
      windowStartMs = nominalMs - uniformInt(random, 15, 90) * 60_000;
      windowEndMs = nominalMs + uniformInt(random, 15, 90) * 60_000;
    }
    truth.planStatus.set(siteId, status);
    visits.push({ siteId, windowStartMs, windowEndMs });
  }
  containerEvents.sort((a, b) => a.timeMs - b.timeMs);
  return {
    vehicleId: options.vehicleId,
    track: truck.build(),
    containerEvents,
    driverReports,
    tickets,
    workOrder: { id: `wo-${options.vehicleId}`, vehicleId: options.vehicleId, visits },
    norm: {
      emptyLPer100Km: spec.emptyLPer100Km,
      loadedLPer100Km: spec.loadedLPer100Km,
      idleLPerHour: spec.idleLPerHour,
    },
    truth,
  };
}

export interface FleetDayOptions {
  seed: number;
  /** 00:00 UTC of the day. */
  dayStartMs: number;
  sitesPerTruck: [number, number];
  skipShare: number;
  drainShare: number;
  driverReportShare: number;
  lateShare: number;
}

export const DEFAULT_FLEET_DAY: FleetDayOptions = {
  seed: 1,
  dayStartMs: Date.UTC(2025, 8, 1),
  sitesPerTruck: [40, 60],
  skipShare: 0.05,
  drainShare: 0.3,
  driverReportShare: 0.7,
  lateShare: 0.05,
};

/**
 * The options of truck `index` of a fleet for a whole day (24 h at 1 Hz): a shift from about
 * 06:00 Moscow time (03:00 UTC) through the sites nearest-first, a refuel, a break, unloading at
 * midday and at the end, and the rest of the day parked at the depot.
 */
export function fleetTruckOptions(
  world: ScenarioWorld,
  index: number,
  fleet: Partial<FleetDayOptions> = {},
): TruckDayOptions {
  const o = { ...DEFAULT_FLEET_DAY, ...fleet };
  const seed = deriveSeed(o.seed, index);
  const random = createRandom(seed ^ 0x51735);
  const count = uniformInt(random, o.sitesPerTruck[0], Math.min(o.sitesPerTruck[1], world.sites.length - 3));
  const pool = [...world.sites];
  const chosen = [];
  for (let i = 0; i < count + 2; i++) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  const extras = chosen.splice(count, 2);
  // Nearest-first from a random start: a plausible route, not an optimal one.
  const ordered = [chosen.shift()!];
  while (chosen.length > 0) {
    const from = ordered[ordered.length - 1]!;
    let best = 0;
    for (let i = 1; i < chosen.length; i++) {
      if (
        haversineM(from.lat, from.lon, chosen[i]!.lat, chosen[i]!.lon) <
        haversineM(from.lat, from.lon, chosen[best]!.lat, chosen[best]!.lon)
      )
        best = i;
    }
    ordered.push(chosen.splice(best, 1)[0]!);
  }
  const siteIds = ordered.map((site) => site.id);
  const skip = new Set(siteIds.filter(() => random() < o.skipShare));
  const third = Math.floor(count / 3);
  return {
    vehicleId: `truck-${String(index + 1).padStart(3, '0')}`,
    seed,
    startMs: o.dayStartMs,
    depotBeforeS: 3 * 3600 + uniformInt(random, -1800, 1800),
    depotAfterS: 0,
    siteIds,
    skip,
    unplanned: extras.map((site, i) => ({
      afterIndex: uniformInt(random, 1 + i * third, (i + 1) * third),
      siteId: site.id,
    })),
    refuel: {
      afterIndex: uniformInt(random, third, 2 * third),
      litres: Math.round(uniform(random, 60, 140)),
    },
    parkedBreak: {
      afterIndex: uniformInt(random, third, 2 * third),
      seconds: uniformInt(random, 30 * 60, 45 * 60),
      drainL: random() < o.drainShare ? Math.round(uniform(random, 20, 60)) : 0,
    },
    unloadAfter: [Math.floor(count / 2)],
    driverReportShare: o.driverReportShare,
    lateShare: o.lateShare,
  };
}

/** Generates truck `index`'s day, parked at the depot until 24 h after the day's start. */
export function generateFleetTruckDay(
  world: ScenarioWorld,
  index: number,
  fleet: Partial<FleetDayOptions> = {},
): TruckDay {
  const options = fleetTruckOptions(world, index, fleet);
  return generateTruckDay(world, { ...options, depotUntilMs: options.startMs + 24 * 3600_000 - 1000 });
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function nearest<T extends NodePlace>(places: readonly T[], truck: ScriptedTruck): T {
  let best = places[0] as T;
  for (const place of places) {
    if (
      haversineM(truck.lat, truck.lon, place.lat, place.lon) <
      haversineM(truck.lat, truck.lon, best.lat, best.lon)
    )
      best = place;
  }
  return best;
}
