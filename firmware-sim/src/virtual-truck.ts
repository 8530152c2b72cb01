import {
  ContainerArm,
  ContainerEventKind,
  type ContainerEvent,
  type Telemetry,
} from '../../gateway/src/proto/codec.js';
import { bearingDeg, degreesPerMetre, normalizeDeg, turnAngleDeg } from './geo.js';
import { createRandom, gaussian, uniform, uniformInt, type Random } from './prng.js';
import { cruiseSpeedKmh } from './road-class.js';
import type { RoadNetwork } from './road-network.js';

export interface TruckOptions {
  seed: number;
  /** Time of the first fix, ms since the epoch. */
  startTimeMs: number;
  /** Time between fixes, ms (1000 / rate). */
  intervalMs: number;
  tankL?: number;
  /** Fuel burnt per 100 km driven (a loaded rear loader in town burns about 40). */
  consumptionLPer100Km?: number;
  /** Fuel burnt per engine hour while standing, on top of driving. */
  idleLPerHour?: number;
  /** Mean driving time between container sites. */
  serviceEveryMs?: number;
  /** Tank level at the start; random between 20 % and 95 % of the tank when absent. */
  initialFuelL?: number;
  /** Last sequence number this tracker ever used (the protocol never reuses one); 0 for a new one. */
  lastSeq?: number;
  /** Where the truck was parked last time; it resumes from the nearest road node. */
  resumeAt?: { lat: number; lon: number };
}

export interface TruckStats {
  containerEvents: number;
  refuels: number;
  containerStops: number;
}

type Phase = 'drive' | 'traffic' | 'service' | 'refuel';

// Loaded refuse truck dynamics, m/s².
const ACCELERATION = 0.8;
const PLANNED_DECELERATION = 1.2;
const MAX_DECELERATION = 2.5;
const MIN_CRUISE_KMH = 20;
const MAX_CRUISE_KMH = 60;
// Physics runs at no coarser than this, whatever the report rate.
const MAX_STEP_MS = 1000;
// GNSS error is correlated from fix to fix (AR(1)); the clamp keeps it to "a few metres".
const NOISE_MEMORY = 0.9;
const NOISE_STEP_M = 0.8;
const MAX_NOISE_M = 12;
// The hydraulics of the lift arm run the engine harder than plain idling.
const SERVICE_EXTRA_L_PER_HOUR = 2;
const PUMP_L_PER_MIN = 50;
const REFUEL_BELOW_SHARE = 0.3;
const TRAFFIC_STOP_CHANCE = 0.12;

/**
 * One simulated refuse truck on a road network. `nextFix()` advances the truck's own clock by one
 * report interval and returns the tracker record for that instant; nothing depends on the wall
 * clock, so a seed and a start time give the same drive every time.
 */
export class VirtualTruck {
  readonly stats: TruckStats = { containerEvents: 0, refuels: 0, containerStops: 0 };
  private readonly random: Random;
  private readonly tankL: number;
  private readonly litresPerMetre: number;
  private readonly idleLPerMs: number;
  private readonly serviceEveryMs: number;
  private readonly intervalMs: number;
  private readonly driverFactor: number;
  private readonly perMetre: { lat: number; lon: number };

  private seq: number;
  private clockMs: number;
  private fixTimeMs: number;
  private phase: Phase = 'drive';
  private phaseEndsMs = 0;
  private fromNode = 0;
  private toNode = 0;
  private edge = 0;
  private nextEdge = 0;
  private offsetM = 0;
  private cruiseMs = 0;
  private speedMs = 0;
  private stopAtEnd = false;
  private stopRequested = false;
  private serviceDueMs: number;
  private liftTimes: number[] = [];
  private siteNode = 0;
  private lifts = 0;
  private pendingEvents: ContainerEvent[] = [];
  private ignition = true;
  private odometerM: number;
  private fuelL: number;
  private fuelUsedL: number;
  private engineHours: number;
  private headingDeg = 0;
  private noiseEastM = 0;
  private noiseNorthM = 0;
  private satellites: number;

  constructor(
    private readonly network: RoadNetwork,
    options: TruckOptions,
  ) {
    if (network.edgeCount === 0) throw new Error('virtual truck: the road network has no edges');
    if (!(options.intervalMs > 0)) throw new Error('virtual truck: intervalMs must be positive');
    this.random = createRandom(options.seed);
    this.tankL = options.tankL ?? 250;
    this.litresPerMetre = (options.consumptionLPer100Km ?? 40) / 100_000;
    this.idleLPerMs = (options.idleLPerHour ?? 3) / 3_600_000;
    this.serviceEveryMs = options.serviceEveryMs ?? 4 * 60_000;
    this.intervalMs = options.intervalMs;
    this.clockMs = options.startTimeMs;
    this.fixTimeMs = options.startTimeMs;
    this.driverFactor = uniform(this.random, 0.88, 1.05);
    this.perMetre = degreesPerMetre((network.bbox.minLat + network.bbox.maxLat) / 2);

    this.seq = options.lastSeq ?? 0;
    // Start mid-shift where the truck was last seen, else somewhere on the map; on an edge, moving.
    const randomNode = uniformInt(this.random, 0, network.nodeCount - 1);
    const startNode = options.resumeAt ? nearestNode(network, options.resumeAt) : randomNode;
    const first = network.firstEdge[startNode] as number;
    const degree = (network.firstEdge[startNode + 1] as number) - first;
    const edge = first + uniformInt(this.random, 0, degree - 1);
    this.enterEdge(edge, startNode, this.random() * (network.edgeLengthM[edge] as number));
    this.speedMs = this.cruiseMs * uniform(this.random, 0.5, 1);
    this.headingDeg = this.edgeBearing(this.edge, this.fromNode);
    // Sites come at random phases, so a fleet does not stop all at once.
    this.serviceDueMs = options.startTimeMs + this.random() * this.serviceEveryMs;

    const odometerKm = uniform(this.random, 30_000, 250_000);
    this.odometerM = odometerKm * 1000;
    this.engineHours = odometerKm / uniform(this.random, 18, 26);
    this.fuelUsedL = odometerKm * uniform(this.random, 0.42, 0.5);
    this.fuelL = Math.min(this.tankL, options.initialFuelL ?? this.tankL * uniform(this.random, 0.2, 0.95));
    this.satellites = uniformInt(this.random, 8, 14);
  }

  /** Time of the fix `nextFix()` will return. */
  get nextFixTimeMs(): number {
    return this.fixTimeMs;
  }

  /** Advances to the next report time and returns the record the tracker would send. */
  nextFix(): Telemetry {
    const target = this.fixTimeMs;
    while (this.clockMs < target) {
      const stepMs = Math.min(MAX_STEP_MS, target - this.clockMs);
      this.step(stepMs);
    }
    this.fixTimeMs += this.intervalMs;
    return this.record(target);
  }

  private step(dtMs: number): void {
    const endMs = this.clockMs + dtMs;
    const dtS = dtMs / 1000;
    switch (this.phase) {
      case 'drive':
        this.drive(dtS, endMs);
        break;
      case 'traffic':
        this.burnIdle(dtMs, 0);
        if (endMs >= this.phaseEndsMs) this.phase = 'drive';
        break;
      case 'service':
        this.burnIdle(dtMs, SERVICE_EXTRA_L_PER_HOUR / 3_600_000);
        while (this.liftTimes.length > 0 && (this.liftTimes[0] as number) <= endMs) {
          this.liftContainer(this.liftTimes.shift() as number);
        }
        if (endMs >= this.phaseEndsMs) this.leaveSite(endMs);
        break;
      case 'refuel':
        // Engine off at the pump: no idle burn, no engine hours.
        this.fuelL = Math.min(this.tankL * 0.95, this.fuelL + (PUMP_L_PER_MIN / 60) * dtS);
        if (endMs >= this.phaseEndsMs) {
          this.phase = 'drive';
          this.ignition = true;
        }
        break;
    }
    this.clockMs = endMs;
  }

  private drive(dtS: number, endMs: number): void {
    if (!this.stopRequested && endMs >= this.serviceDueMs) this.stopRequested = true;
    const lengthM = this.network.edgeLengthM[this.edge] as number;
    const remainingM = Math.max(0, lengthM - this.offsetM);
    let targetMs = this.stopRequested ? 0 : this.cruiseMs;
    const endSpeedMs = this.stopAtEnd ? 0 : this.cornerSpeedMs();
    targetMs = Math.min(targetMs, Math.sqrt(endSpeedMs ** 2 + 2 * PLANNED_DECELERATION * remainingM));
    const before = this.speedMs;
    this.speedMs =
      targetMs > before
        ? Math.min(targetMs, before + ACCELERATION * dtS)
        : Math.max(targetMs, before - MAX_DECELERATION * dtS);
    const distanceM = ((before + this.speedMs) / 2) * dtS;
    this.odometerM += distanceM;
    this.burn(distanceM * this.litresPerMetre + this.idleLPerMs * dtS * 1000);
    this.engineHours += dtS / 3600;
    this.advance(distanceM, endMs);
    if (this.phase === 'drive' && this.stopRequested && this.speedMs < 0.3) this.arriveAtSite(endMs);
  }

  private advance(distanceM: number, nowMs: number): void {
    this.offsetM += distanceM;
    for (;;) {
      const lengthM = this.network.edgeLengthM[this.edge] as number;
      if (this.offsetM < lengthM) return;
      if (this.stopAtEnd) {
        // Waiting at the stop line of a junction (traffic light or give-way).
        this.offsetM = lengthM;
        this.speedMs = 0;
        this.stopAtEnd = false;
        this.phase = 'traffic';
        this.phaseEndsMs = nowMs + uniform(this.random, 8_000, 45_000);
        return;
      }
      const carriedM = this.offsetM - lengthM;
      this.enterEdge(this.nextEdge, this.toNode, carriedM);
    }
  }

  private enterEdge(edge: number, fromNode: number, offsetM: number): void {
    const { network } = this;
    this.edge = edge;
    this.fromNode = fromNode;
    this.toNode = network.edgeTarget[edge] as number;
    this.offsetM = offsetM;
    this.nextEdge = this.chooseNextEdge(this.fromNode, this.toNode);
    const cruiseKmh = cruiseSpeedKmh(network.edgeRoadClass[edge] as number) * this.driverFactor;
    const variedKmh = cruiseKmh * uniform(this.random, 0.92, 1.04);
    this.cruiseMs = Math.min(MAX_CRUISE_KMH, Math.max(MIN_CRUISE_KMH, variedKmh)) / 3.6;
    const outDegree =
      (network.firstEdge[this.toNode + 1] as number) - (network.firstEdge[this.toNode] as number);
    this.stopAtEnd = outDegree >= 3 && this.random() < TRAFFIC_STOP_CHANCE;
  }

  /**
   * Random walk: any out-edge except straight back where we came from (a U-turn happens only at a
   * dead end), bigger roads and gentler turns preferred.
   */
  private chooseNextEdge(fromNode: number, atNode: number): number {
    const { network } = this;
    const first = network.firstEdge[atNode] as number;
    const end = network.firstEdge[atNode + 1] as number;
    const inBearing = bearingDeg(
      network.lat[fromNode] as number,
      network.lon[fromNode] as number,
      network.lat[atNode] as number,
      network.lon[atNode] as number,
    );
    let total = 0;
    let uTurn = -1;
    for (let e = first; e < end; e++) {
      if (network.edgeTarget[e] === fromNode) uTurn = e;
      else total += this.edgeWeight(e, atNode, inBearing);
    }
    if (total === 0) return uTurn >= 0 ? uTurn : first;
    let pick = this.random() * total;
    for (let e = first; e < end; e++) {
      if (network.edgeTarget[e] === fromNode) continue;
      pick -= this.edgeWeight(e, atNode, inBearing);
      if (pick <= 0) return e;
    }
    return end - 1 === uTurn ? first : end - 1;
  }

  private edgeWeight(edge: number, atNode: number, inBearing: number): number {
    const turn = turnAngleDeg(inBearing, this.edgeBearing(edge, atNode));
    const roadWeight = cruiseSpeedKmh(this.network.edgeRoadClass[edge] as number);
    return roadWeight * (turn > 120 ? 0.2 : turn > 60 ? 0.7 : 1);
  }

  private edgeBearing(edge: number, fromNode: number): number {
    const { network } = this;
    const to = network.edgeTarget[edge] as number;
    return bearingDeg(
      network.lat[fromNode] as number,
      network.lon[fromNode] as number,
      network.lat[to] as number,
      network.lon[to] as number,
    );
  }

  // Speed to take the corner onto the chosen next edge at.
  private cornerSpeedMs(): number {
    const turn = turnAngleDeg(
      this.edgeBearing(this.edge, this.fromNode),
      this.edgeBearing(this.nextEdge, this.toNode),
    );
    if (turn < 30) return this.cruiseMs;
    if (turn < 60) return 30 / 3.6;
    if (turn < 135) return 18 / 3.6;
    return 8 / 3.6;
  }

  private arriveAtSite(nowMs: number): void {
    this.speedMs = 0;
    this.stopRequested = false;
    this.phase = 'service';
    this.stats.containerStops++;
    const durationMs = uniform(this.random, 60_000, 180_000);
    this.phaseEndsMs = nowMs + durationMs;
    this.siteNode = this.fromNode;
    // The crew rolls the containers out, then the arm cycles them one after another.
    const count = uniformInt(this.random, 1, 4);
    const firstMs = nowMs + uniform(this.random, 10_000, 20_000);
    const gapMs = (durationMs - 25_000) / count;
    this.liftTimes = Array.from({ length: count }, (_, i) => Math.round(firstMs + i * gapMs));
  }

  private liftContainer(timeMs: number): void {
    const k = this.lifts++ % 4;
    // Sites keep their containers: the tag depends on the place, not the truck.
    const tag = ((this.siteNode * 4 + k) % 999_999) + 1;
    this.pendingEvents.push({
      kind: ContainerEventKind.LIFT_CYCLE,
      timeMs,
      arm: ContainerArm.REAR,
      rfid: `RU-CNT-${String(tag).padStart(6, '0')}`,
      weightKg: Math.round(uniform(this.random, 15, 110) * 2) / 2,
    });
  }

  private leaveSite(nowMs: number): void {
    this.liftTimes = [];
    this.serviceDueMs = nowMs + this.serviceEveryMs * uniform(this.random, 0.5, 1.5);
    if (this.fuelL < this.tankL * REFUEL_BELOW_SHARE) {
      // Modelled as a stop at a filling station right after the site.
      this.phase = 'refuel';
      this.ignition = false;
      this.stats.refuels++;
      const pumpMs = ((this.tankL * 0.95 - this.fuelL) / PUMP_L_PER_MIN) * 60_000;
      this.phaseEndsMs = nowMs + pumpMs + uniform(this.random, 30_000, 90_000);
      return;
    }
    this.phase = 'drive';
  }

  private burnIdle(dtMs: number, extraLPerMs: number): void {
    if (!this.ignition) return;
    this.burn((this.idleLPerMs + extraLPerMs) * dtMs);
    this.engineHours += dtMs / 3_600_000;
  }

  private burn(litres: number): void {
    this.fuelUsedL += litres;
    this.fuelL = Math.max(0, this.fuelL - litres);
  }

  private record(timeMs: number): Telemetry {
    const { network } = this;
    const lengthM = network.edgeLengthM[this.edge] as number;
    const t = lengthM > 0 ? Math.min(1, this.offsetM / lengthM) : 0;
    const fromLat = network.lat[this.fromNode] as number;
    const fromLon = network.lon[this.fromNode] as number;
    const lat = fromLat + ((network.lat[this.toNode] as number) - fromLat) * t;
    const lon = fromLon + ((network.lon[this.toNode] as number) - fromLon) * t;

    this.noiseEastM = clamp(
      NOISE_MEMORY * this.noiseEastM + NOISE_STEP_M * gaussian(this.random),
      MAX_NOISE_M,
    );
    this.noiseNorthM = clamp(
      NOISE_MEMORY * this.noiseNorthM + NOISE_STEP_M * gaussian(this.random),
      MAX_NOISE_M,
    );
    if (this.random() < 0.1)
      this.satellites = Math.min(16, Math.max(5, this.satellites + (this.random() < 0.5 ? -1 : 1)));
    const hdop = Math.min(5, Math.max(0.5, 0.4 + 7 / this.satellites + 0.05 * gaussian(this.random)));

    const moving = this.speedMs >= 0.5;
    if (moving) this.headingDeg = this.edgeBearing(this.edge, this.fromNode) + 1.5 * gaussian(this.random);
    const speedKmh = moving ? Math.max(0, this.speedMs * 3.6 + 0.4 * gaussian(this.random)) : 0;
    const fuelLevelL = Math.min(this.tankL, Math.max(0, this.fuelL + 0.3 * gaussian(this.random)));

    const events = this.pendingEvents;
    this.pendingEvents = [];
    this.stats.containerEvents += events.length;
    return {
      seq: ++this.seq,
      timeMs,
      latE7: Math.round((lat + this.noiseNorthM * this.perMetre.lat) * 1e7),
      lonE7: Math.round((lon + this.noiseEastM * this.perMetre.lon) * 1e7),
      speedKmh: round(speedKmh, 10),
      headingDeg: normalizeDeg(round(normalizeDeg(this.headingDeg), 10)),
      hdop: round(hdop, 10),
      satellites: this.satellites,
      ignition: this.ignition,
      odometerM: Math.floor(this.odometerM),
      fuelLevelL: round(fuelLevelL, 10),
      fuelUsedTotalL: Math.floor(this.fuelUsedL * 10) / 10,
      engineHours: Math.floor(this.engineHours * 100) / 100,
      containerEvents: events,
    };
  }
}

function clamp(value: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, value));
}

function round(value: number, per: number): number {
  return Math.round(value * per) / per;
}

/** Index of the network node closest to a point (linear scan: runs once per truck). */
export function nearestNode(network: RoadNetwork, point: { lat: number; lon: number }): number {
  const cosLat = Math.cos((point.lat * Math.PI) / 180);
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i < network.nodeCount; i++) {
    const dLat = (network.lat[i] as number) - point.lat;
    const dLon = ((network.lon[i] as number) - point.lon) * cosLat;
    const distance = dLat * dLat + dLon * dLon;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}
