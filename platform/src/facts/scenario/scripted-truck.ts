import { bearingDeg, degreesPerMetre, normalizeDeg, turnAngleDeg } from '../../../../firmware-sim/src/geo.js';
import { gaussian, uniform, type Random } from '../../../../firmware-sim/src/prng.js';
import { cruiseSpeedKmh } from '../../../../firmware-sim/src/road-class.js';
import { findEdge, type RoadNetwork } from '../../../../firmware-sim/src/road-network.js';
import { shortestPath } from './shortest-path.js';
import { TrackBuilder, type Track } from './track.js';

export interface TruckSpec {
  tankL: number;
  initialFuelL: number;
  emptyLPer100Km: number;
  loadedLPer100Km: number;
  idleLPerHour: number;
  /** Multiplies cruise speeds (a cautious or a brisk driver). */
  driverFactor: number;
}

export interface StayOptions {
  ignition: boolean;
  /** Extra fuel flow into (+) or out of (−) the tank, L/min, during [fromS, toS) of the stay. */
  flows?: readonly { fromS: number; toS: number; lPerMin: number }[];
}

// Loaded refuse truck dynamics, m/s² (as firmware-sim's virtual truck).
const ACCELERATION = 0.8;
const PLANNED_DECELERATION = 1.2;
const MAX_DECELERATION = 2.5;
const TRAFFIC_STOP_CHANCE = 0.12;
// Sensor models, harsher than firmware-sim's: detection must survive them.
const GNSS_MEMORY = 0.95;
const GNSS_STEP_M = 0.6;
const GNSS_MAX_M = 15;
const GNSS_OUTLIER_CHANCE = 0.001;
const FUEL_NOISE_L = 0.5;
const FUEL_SPIKE_CHANCE = 0.0005;
const SLOSH_MEMORY_MOVING = 0.9;
const SLOSH_MEMORY_AT_REST = 0.7;

/**
 * A refuse truck following a script on the simulator's real road network at 1 Hz: drive to a node
 * by the fastest path (acceleration, braking for corners, random waits at junctions), or stay put
 * (engine on or off, with fuel flowing in or out). Every second it records what a tracker would
 * report: position with correlated GNSS error and rare multipath jumps, speed with jitter at rest,
 * ignition, and a fuel level sensor reading with noise, slosh and spikes. `fuelL` is the true level.
 */
export class ScriptedTruck {
  fuelL: number;
  loaded = false;
  node: number;
  timeMs: number;
  private readonly builder: TrackBuilder;
  private readonly perMetre: { lat: number; lon: number };
  private headingDeg = 0;
  private noiseEast = 0;
  private noiseNorth = 0;
  private outlierLeft = 0;
  private outlierEast = 0;
  private outlierNorth = 0;
  private slosh = 0;

  constructor(
    private readonly network: RoadNetwork,
    private readonly random: Random,
    private readonly spec: TruckSpec,
    startNode: number,
    startMs: number,
    firstSeq = 1,
  ) {
    this.node = startNode;
    this.timeMs = startMs;
    this.fuelL = spec.initialFuelL;
    this.builder = new TrackBuilder(firstSeq);
    this.perMetre = degreesPerMetre((network.bbox.minLat + network.bbox.maxLat) / 2);
  }

  get lon(): number {
    return this.network.lon[this.node] as number;
  }

  get lat(): number {
    return this.network.lat[this.node] as number;
  }

  build(): Track {
    return this.builder.build();
  }

  /** Drives to `target`, stopping there; returns the time the truck came to rest. */
  driveTo(target: number): number {
    const { network } = this;
    const path = shortestPath(network, this.node, target);
    if (path.length < 2) return this.timeMs;
    // Distance along the path of each node and the speed allowed through it.
    const at = new Float64Array(path.length);
    const nodeSpeed = new Float64Array(path.length);
    const edgeCruise = new Float64Array(path.length);
    for (let i = 1; i < path.length; i++) {
      const edge = findEdge(network, path[i - 1] as number, path[i] as number);
      at[i] = (at[i - 1] as number) + (network.edgeLengthM[edge] as number);
      const kmh = cruiseSpeedKmh(network.edgeRoadClass[edge] as number) * this.spec.driverFactor;
      edgeCruise[i] = Math.min(60, Math.max(20, kmh * uniform(this.random, 0.92, 1.04))) / 3.6;
    }
    for (let i = 1; i < path.length - 1; i++) {
      const turn = turnAngleDeg(this.bearing(path[i - 1]!, path[i]!), this.bearing(path[i]!, path[i + 1]!));
      const corner = turn < 30 ? 60 : turn < 60 ? 30 : turn < 135 ? 18 : 8;
      const degree = (network.firstEdge[path[i]! + 1] as number) - (network.firstEdge[path[i]!] as number);
      nodeSpeed[i] = degree >= 3 && this.random() < TRAFFIC_STOP_CHANCE ? 0 : corner / 3.6;
    }
    nodeSpeed[path.length - 1] = 0;
    nodeSpeed[0] = Infinity;

    const total = at[path.length - 1] as number;
    let s = 0;
    let v = 0;
    let segment = 1;
    for (let guard = 0; guard < 4 * 3600; guard++) {
      while (segment < path.length - 1 && s >= (at[segment] as number) - 0.01 && nodeSpeed[segment]! > 0)
        segment++;
      // Fastest speed from which every constraint ahead can still be met.
      let target = edgeCruise[segment] as number;
      for (let j = segment; j < path.length; j++) {
        const ahead = (at[j] as number) - s;
        if (ahead > 250) break;
        target = Math.min(
          target,
          Math.sqrt((nodeSpeed[j] as number) ** 2 + 2 * PLANNED_DECELERATION * Math.max(0, ahead)),
        );
      }
      const before = v;
      v = target > v ? Math.min(target, v + ACCELERATION) : Math.max(target, v - MAX_DECELERATION);
      s += (before + v) / 2;
      const stopAt = at[segment] as number;
      if (nodeSpeed[segment] === 0 && s >= stopAt - 0.5) {
        s = Math.min(s, stopAt);
        if (v < 1.5) v = 0;
      }
      this.burn(((before + v) / 2) * this.litresPerMetre() + this.spec.idleLPerHour / 3600);
      const p = this.positionAt(path, at, s);
      if (v > 0.5) this.headingDeg = this.bearing(path[segment - 1]!, path[segment]!);
      this.advanceClock();
      this.record(p.lon, p.lat, v, true, v - before);
      if (v === 0 && nodeSpeed[segment] === 0) {
        if (segment === path.length - 1 || s >= total - 0.5) break;
        // A red light or a give-way: wait, then the junction is passable.
        const waitS = Math.round(uniform(this.random, 8, 45));
        this.stay(waitS, { ignition: true });
        nodeSpeed[segment] = 30 / 3.6;
      }
    }
    this.node = target;
    return this.timeMs;
  }

  /** Stays at the current node for `seconds`, recording a fix every second. */
  stay(seconds: number, options: StayOptions): void {
    for (let second = 0; second < seconds; second++) {
      if (options.ignition) this.burn(this.spec.idleLPerHour / 3600);
      for (const flow of options.flows ?? []) {
        if (second >= flow.fromS && second < flow.toS) {
          this.fuelL = Math.min(this.spec.tankL, Math.max(0, this.fuelL + flow.lPerMin / 60));
        }
      }
      this.advanceClock();
      this.record(this.lon, this.lat, 0, options.ignition, 0);
    }
  }

  private advanceClock(): void {
    this.timeMs += 1000;
  }

  private litresPerMetre(): number {
    return (this.loaded ? this.spec.loadedLPer100Km : this.spec.emptyLPer100Km) / 100_000;
  }

  private burn(litres: number): void {
    this.fuelL = Math.max(0, this.fuelL - litres);
  }

  private bearing(a: number, b: number): number {
    const { network } = this;
    return bearingDeg(
      network.lat[a] as number,
      network.lon[a] as number,
      network.lat[b] as number,
      network.lon[b] as number,
    );
  }

  private positionAt(path: number[], at: Float64Array, s: number): { lon: number; lat: number } {
    const { network } = this;
    let i = 1;
    while (i < path.length - 1 && (at[i] as number) < s) i++;
    const a = path[i - 1] as number;
    const b = path[i] as number;
    const length = (at[i] as number) - (at[i - 1] as number);
    const t = length > 0 ? Math.min(1, Math.max(0, (s - (at[i - 1] as number)) / length)) : 1;
    return {
      lon: (network.lon[a] as number) + ((network.lon[b] as number) - (network.lon[a] as number)) * t,
      lat: (network.lat[a] as number) + ((network.lat[b] as number) - (network.lat[a] as number)) * t,
    };
  }

  private record(lon: number, lat: number, speedMs: number, ignition: boolean, accelMs2: number): void {
    const { random } = this;
    this.noiseEast = clamp(GNSS_MEMORY * this.noiseEast + GNSS_STEP_M * gaussian(random), GNSS_MAX_M);
    this.noiseNorth = clamp(GNSS_MEMORY * this.noiseNorth + GNSS_STEP_M * gaussian(random), GNSS_MAX_M);
    let east = this.noiseEast;
    let north = this.noiseNorth;
    let speedKmh: number;
    if (this.outlierLeft === 0 && random() < GNSS_OUTLIER_CHANCE) {
      // Multipath between blocks of flats: the fix jumps tens of metres for a second or two.
      const distance = uniform(random, 40, 120);
      const angle = random() * 2 * Math.PI;
      this.outlierEast = distance * Math.cos(angle);
      this.outlierNorth = distance * Math.sin(angle);
      this.outlierLeft = random() < 0.5 ? 1 : 2;
    }
    if (this.outlierLeft > 0) {
      this.outlierLeft--;
      east += this.outlierEast;
      north += this.outlierNorth;
      speedKmh = speedMs * 3.6 + uniform(random, 5, 15);
    } else if (speedMs > 0.3) {
      speedKmh = Math.max(0, speedMs * 3.6 + 0.4 * gaussian(random));
    } else {
      // A receiver at rest still reports a km/h or two.
      speedKmh = Math.abs(0.7 * gaussian(random));
    }
    // Slosh follows acceleration and decays at rest; the sensor adds noise and the odd spike.
    const moving = speedMs > 0.3;
    this.slosh =
      (moving ? SLOSH_MEMORY_MOVING : SLOSH_MEMORY_AT_REST) * this.slosh +
      (moving ? 0.6 * gaussian(random) : 0) +
      0.4 * accelMs2;
    let reading = this.fuelL + this.slosh + FUEL_NOISE_L * gaussian(random);
    if (random() < FUEL_SPIKE_CHANCE) reading += (random() < 0.5 ? -1 : 1) * uniform(random, 15, 30);
    reading = Math.round(Math.min(this.spec.tankL, Math.max(0, reading)) * 10) / 10;

    this.builder.push(
      this.timeMs,
      lon + east * this.perMetre.lon,
      lat + north * this.perMetre.lat,
      Math.round(speedKmh * 10) / 10,
      normalizeDeg(Math.round((this.headingDeg + (speedMs > 0.3 ? 1.5 * gaussian(random) : 0)) * 10) / 10),
      reading,
      ignition,
    );
  }
}

function clamp(value: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, value));
}
