import { readFile } from 'node:fs/promises';
import { SLOTS_PER_WEEK } from './week-slot.js';

/** One observed speed of an OSM segment (between two consecutive OSM nodes of a way). */
export interface SegmentSpeed {
  fromOsmNode: number;
  toOsmNode: number;
  speedKmh: number;
  /** Week slots it applies to; undefined = every slot. */
  slots?: number[];
}

export class SpeedFileError extends Error {
  readonly code = 'INVALID_SPEED_FILE';
}

/**
 * Parses an OSRM segment speed file (`from_osm_id,to_osm_id,speed_kmh[,rate]`, one segment per
 * line, as `osrm-customize --segment-speed-file` reads it) with our optional time columns:
 * `from,to,speed,weekday,hour` (weekday 1 = Monday … 7 = Sunday or `*`, hour 0–23 or `*`), or
 * `from,to,speed,slot=N` for one 15-minute slot of the week. Lines starting with `#` are comments.
 */
export function parseSpeedFile(text: string, name = 'speed file'): SegmentSpeed[] {
  const speeds: SegmentSpeed[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    const fail = (why: string): never => {
      throw new SpeedFileError(`${name}, line ${i + 1}: ${why}: "${line}"`);
    };
    if (fields.length < 3) fail('expected from_osm_id,to_osm_id,speed');
    const [from, to, speed] = fields.map(Number) as [number, number, number];
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from <= 0 || to <= 0)
      fail('node ids must be positive integers');
    if (!(speed >= 0 && speed <= 200)) fail('speed must be 0..200 km/h');
    const entry: SegmentSpeed = { fromOsmNode: from, toOsmNode: to, speedKmh: speed };
    const rest = fields.slice(3);
    if (rest.length === 1 && rest[0]!.startsWith('slot=')) {
      const slot = Number(rest[0]!.slice(5));
      if (!Number.isInteger(slot) || slot < 0 || slot >= SLOTS_PER_WEEK)
        fail(`slot must be 0..${SLOTS_PER_WEEK - 1}`);
      entry.slots = [slot];
    } else if (rest.length === 2) {
      entry.slots = slotsOf(rest[0]!, rest[1]!) ?? fail('weekday must be 1..7 or *, hour 0..23 or *');
    } else if (rest.length > 1 || (rest.length === 1 && Number.isNaN(Number(rest[0])))) {
      // A single numeric 4th column is OSRM's `rate`, which we ignore (our weight is the duration).
      fail('unexpected columns');
    }
    speeds.push(entry);
  }
  return speeds;
}

function slotsOf(weekday: string, hour: string): number[] | undefined {
  const days = weekday === '*' ? [1, 2, 3, 4, 5, 6, 7] : [Number(weekday)];
  const hours = hour === '*' ? Array.from({ length: 24 }, (_, h) => h) : [Number(hour)];
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return undefined;
  if (hours.some((h) => !Number.isInteger(h) || h < 0 || h > 23)) return undefined;
  const slots: number[] = [];
  for (const d of days)
    for (const h of hours) for (let q = 0; q < 4; q++) slots.push((d - 1) * 96 + h * 4 + q);
  return slots;
}

export async function readSpeedFile(path: string): Promise<SegmentSpeed[]> {
  return parseSpeedFile(await readFile(path, 'utf8'), path);
}

/** Writes speeds in the same format (learned profiles are exported this way). */
export function formatSpeedFile(speeds: readonly SegmentSpeed[]): string {
  const lines = ['# from_osm_node,to_osm_node,speed_kmh[,slot=N]'];
  for (const s of speeds) {
    const base = `${s.fromOsmNode},${s.toOsmNode},${Math.round(s.speedKmh * 10) / 10}`;
    if (!s.slots) lines.push(base);
    else for (const slot of s.slots) lines.push(`${base},slot=${slot}`);
  }
  return `${lines.join('\n')}\n`;
}
