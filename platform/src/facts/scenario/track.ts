import type { Fix } from '../types.js';

/** One vehicle's fixes in columns (a day at 1 Hz is 86 400 rows: objects would cost ten times more). */
export interface Track {
  timeMs: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  speedKmh: Float32Array;
  headingDeg: Float32Array;
  fuelL: Float32Array;
  ignition: Uint8Array;
  /** seq of row i is firstSeq + i. */
  firstSeq: number;
  length: number;
}

export function fixAt(track: Track, i: number): Fix {
  return {
    timeMs: track.timeMs[i] as number,
    lon: track.lon[i] as number,
    lat: track.lat[i] as number,
    speedKmh: track.speedKmh[i] as number,
    headingDeg: track.headingDeg[i] as number,
    seq: track.firstSeq + i,
    fuelL: track.fuelL[i] as number,
    ignition: track.ignition[i] === 1,
  };
}

export function fixesOf(track: Track): Fix[] {
  return Array.from({ length: track.length }, (_, i) => fixAt(track, i));
}

/** Appends rows, growing by doubling; `build()` trims to the rows written. */
export class TrackBuilder {
  private capacity = 4096;
  private track: Track;

  constructor(firstSeq = 1) {
    this.track = allocate(this.capacity, firstSeq);
  }

  get length(): number {
    return this.track.length;
  }

  push(
    timeMs: number,
    lon: number,
    lat: number,
    speedKmh: number,
    headingDeg: number,
    fuelL: number,
    ignition: boolean,
  ): void {
    if (this.track.length === this.capacity) this.grow();
    const t = this.track;
    const i = t.length++;
    t.timeMs[i] = timeMs;
    t.lon[i] = lon;
    t.lat[i] = lat;
    t.speedKmh[i] = speedKmh;
    t.headingDeg[i] = headingDeg;
    t.fuelL[i] = fuelL;
    t.ignition[i] = ignition ? 1 : 0;
  }

  build(): Track {
    const t = this.track;
    const n = t.length;
    return {
      timeMs: t.timeMs.slice(0, n),
      lon: t.lon.slice(0, n),
      lat: t.lat.slice(0, n),
      speedKmh: t.speedKmh.slice(0, n),
      headingDeg: t.headingDeg.slice(0, n),
      fuelL: t.fuelL.slice(0, n),
      ignition: t.ignition.slice(0, n),
      firstSeq: t.firstSeq,
      length: n,
    };
  }

  private grow(): void {
    const old = this.track;
    this.capacity *= 2;
    const next = allocate(this.capacity, old.firstSeq);
    next.timeMs.set(old.timeMs);
    next.lon.set(old.lon);
    next.lat.set(old.lat);
    next.speedKmh.set(old.speedKmh);
    next.headingDeg.set(old.headingDeg);
    next.fuelL.set(old.fuelL);
    next.ignition.set(old.ignition);
    next.length = old.length;
    this.track = next;
  }
}

function allocate(capacity: number, firstSeq: number): Track {
  return {
    timeMs: new Float64Array(capacity),
    lon: new Float64Array(capacity),
    lat: new Float64Array(capacity),
    speedKmh: new Float32Array(capacity),
    headingDeg: new Float32Array(capacity),
    fuelL: new Float32Array(capacity),
    ignition: new Uint8Array(capacity),
    firstSeq,
    length: 0,
  };
}
