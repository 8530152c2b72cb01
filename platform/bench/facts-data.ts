import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VisitStatus } from '../src/facts/plan-tracker.js';
import type { Track } from '../src/facts/scenario/track.js';
import type { TruckDay } from '../src/facts/scenario/truck-day.js';

// Column order on disk; the JSON beside the file holds everything else.
const COLUMNS = ['timeMs', 'lon', 'lat', 'speedKmh', 'headingDeg', 'fuelL', 'ignition'] as const;

type TruckDayMeta = Omit<TruckDay, 'track' | 'truth'> & {
  trackLength: number;
  firstSeq: number;
  truth: Omit<TruckDay['truth'], 'planStatus'> & { planStatus: [string, VisitStatus][] };
};

/** Writes one generated day as `truck-N.bin` (the track's columns) and `truck-N.json`. */
export async function saveTruckDay(dir: string, index: number, day: TruckDay): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { track, truth, ...rest } = day;
  const meta: TruckDayMeta = {
    ...rest,
    trackLength: track.length,
    firstSeq: track.firstSeq,
    truth: { ...truth, planStatus: [...truth.planStatus] },
  };
  const parts = COLUMNS.map((column) => {
    const array = track[column];
    return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  });
  await writeFile(path.join(dir, `truck-${index}.bin`), Buffer.concat(parts));
  await writeFile(path.join(dir, `truck-${index}.json`), JSON.stringify(meta));
}

export async function loadTruckDay(dir: string, index: number): Promise<TruckDay> {
  const meta = JSON.parse(await readFile(path.join(dir, `truck-${index}.json`), 'utf8')) as TruckDayMeta;
  const bytes = await readFile(path.join(dir, `truck-${index}.bin`));
  // A copy into a fresh ArrayBuffer: typed arrays need aligned offsets.
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const n = meta.trackLength;
  let offset = 0;
  const take = <T>(make: (b: ArrayBuffer, o: number, l: number) => T, bytesPer: number): T => {
    const array = make(buffer, offset, n);
    offset += n * bytesPer;
    return array;
  };
  const track: Track = {
    timeMs: take((b, o, l) => new Float64Array(b, o, l), 8),
    lon: take((b, o, l) => new Float64Array(b, o, l), 8),
    lat: take((b, o, l) => new Float64Array(b, o, l), 8),
    speedKmh: take((b, o, l) => new Float32Array(b, o, l), 4),
    headingDeg: take((b, o, l) => new Float32Array(b, o, l), 4),
    fuelL: take((b, o, l) => new Float32Array(b, o, l), 4),
    ignition: take((b, o, l) => new Uint8Array(b, o, l), 1),
    firstSeq: meta.firstSeq,
    length: n,
  };
  const { trackLength: _length, firstSeq: _first, truth, ...rest } = meta;
  return { ...rest, track, truth: { ...truth, planStatus: new Map(truth.planStatus) } };
}
