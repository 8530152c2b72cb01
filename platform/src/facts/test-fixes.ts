import { createRandom, gaussian } from '../../../firmware-sim/src/prng.js';
import { LAT_DEGREES_PER_METRE, lonDegreesPerMetre } from './geo.js';
import type { Fix } from './types.js';

/** Synthetic fixes for unit tests: a truck on a straight east-bound street near Ostankino. */
export const ORIGIN = { lon: 37.6, lat: 55.82 };
const dLon = lonDegreesPerMetre(ORIGIN.lat);

export class FixWriter {
  readonly fixes: Fix[] = [];
  timeMs: number;
  xM = 0;
  private seq = 0;

  constructor(startMs = Date.UTC(2025, 8, 1, 6)) {
    this.timeMs = startMs;
  }

  /** Drives east at `kmh` for `seconds` (1 Hz). */
  drive(seconds: number, kmh: number, fuelL = 100): this {
    for (let i = 0; i < seconds; i++) {
      this.xM += kmh / 3.6;
      this.push(this.xM, 0, kmh, fuelL, true);
    }
    return this;
  }

  /** Stands still for `seconds` with perfect fixes (level from `fuel(second)`). */
  park(seconds: number, fuel: (second: number) => number = () => 100, ignition = true): this {
    for (let i = 0; i < seconds; i++) this.push(this.xM, 0, 0, fuel(i), ignition);
    return this;
  }

  /** Skips time without fixes (tracker silent), optionally moving meanwhile. */
  silence(seconds: number, movedM = 0): this {
    this.timeMs += seconds * 1000;
    this.xM += movedM;
    return this;
  }

  push(xM: number, yM: number, speedKmh: number, fuelL: number, ignition: boolean): void {
    this.timeMs += 1000;
    this.fixes.push({
      timeMs: this.timeMs,
      lon: ORIGIN.lon + xM * dLon,
      lat: ORIGIN.lat + yM * LAT_DEGREES_PER_METRE,
      speedKmh,
      headingDeg: 90,
      seq: ++this.seq,
      fuelL,
      ignition,
    });
  }
}

export interface ParkedNoise {
  seed: number;
  seconds: number;
  /** Stationary GNSS error, metres (AR(1)). */
  sigmaM: number;
  /** Chance per fix of a multipath jump of 40–150 m lasting one or two fixes. */
  jumpChance: number;
  /** Chance per fix of a speed spike up to 12 km/h. */
  spikeChance: number;
}

/** A parked truck as a real receiver reports it: wandering position, jumps, speed jitter. */
export function parkedWithJitter(noise: ParkedNoise): Fix[] {
  const random = createRandom(noise.seed);
  const writer = new FixWriter();
  let east = 0;
  let north = 0;
  let jumpLeft = 0;
  let jumpEast = 0;
  let jumpNorth = 0;
  const step = noise.sigmaM * Math.sqrt(1 - 0.95 ** 2);
  for (let i = 0; i < noise.seconds; i++) {
    east = 0.95 * east + step * gaussian(random);
    north = 0.95 * north + step * gaussian(random);
    if (jumpLeft === 0 && random() < noise.jumpChance) {
      const d = 40 + random() * 110;
      const a = random() * 2 * Math.PI;
      jumpEast = d * Math.cos(a);
      jumpNorth = d * Math.sin(a);
      jumpLeft = random() < 0.5 ? 1 : 2;
    }
    let x = east;
    let y = north;
    let speed = Math.abs(0.8 * gaussian(random));
    if (jumpLeft > 0) {
      jumpLeft--;
      x += jumpEast;
      y += jumpNorth;
      speed = 5 + random() * 10;
    } else if (random() < noise.spikeChance) {
      speed = random() * 12;
    }
    writer.push(x, y, Math.round(speed * 10) / 10, 100, false);
  }
  return writer.fixes;
}
