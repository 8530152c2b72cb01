/**
 * One model for every benchmark family in ../shared/data/vrp (CVRP, Solomon VRPTW, Schneider E-VRPTW,
 * Erdogan & Miller-Hooks G-VRP, Kim waste collection, multi-trip MTVRPTWR), the format sniffer, and the
 * lists of instance files per benchmark set (issue #4, "Benchmark").
 *
 * Node index 0 is always the depot. Times are in each family's own unit: Solomon-based families use the
 * distance unit (travel time = distance, or distance / v), Kim uses seconds since midnight, G-VRP hours.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DistanceConvention } from './distance.js';
import { parseEvrptw } from './parse-evrptw.js';
import { parseGvrp } from './parse-gvrp.js';
import { parseKim } from './parse-kim.js';
import { parseSolomon } from './parse-solomon.js';
import { parseVrplib } from './parse-vrplib.js';
import { BenchParseError, splitLines, tokens } from './text.js';

export type NodeKind =
  'depot' | 'customer' | 'station' /* fuel/recharge */ | 'disposal'; /* landfill, transfer */

export interface BenchNode {
  /** The id as written in the file (`1`, `C17`, `S3`, `BD12`, `75632`). */
  id: string;
  kind: NodeKind;
  /** Coordinates as in the file: plane units, feet (Kim) or longitude/latitude degrees (G-VRP). */
  x: number;
  y: number;
  demand: number;
  /** Earliest start of service (waiting allowed); for the depot the earliest departure. */
  ready: number;
  /** Latest start of service; for the depot the latest return. Infinity when unconstrained. */
  due: number;
  /** Service duration (G-VRP stations: the fixed 15-min refuelling time). */
  service: number;
}

export type Family = 'cvrp' | 'vrptw' | 'evrptw' | 'gvrp' | 'wcvrptw' | 'mtvrptwr';

/** Solomon has two objective conventions; each is its own instance (distance rule and objective differ). */
export type SolomonVariant = 'trunc1' | 'hierarchical';

export type Objective =
  /** Minimise total distance; the fleet is a constraint only. */
  | 'distance'
  /** Minimise the number of vehicles first, then total distance. */
  | 'vehicles-then-distance';

/** Limited range: battery (E-VRPTW) or fuel tank (G-VRP). Refuelling is always to full at a station. */
export interface EnergySpec {
  /** Battery / tank capacity (E-VRPTW `Q`, energy units; G-VRP `Q`, gallons). Full when leaving the depot. */
  capacity: number;
  /** Consumption per distance unit (`r`: energy per unit; G-VRP gallons per mile). */
  consumptionRate: number;
  /** Time per unit recharged (E-VRPTW `g`, so a stop takes g·(Q − level)); 0 for G-VRP (fixed stop). */
  rechargeTimePerUnit: number;
}

/** Kim 2006: a lunch break of `duration` that must start within [earliestStart, latestStart]. */
export interface LunchBreakSpec {
  duration: number;
  earliestStart: number;
  latestStart: number;
}

export interface BenchInstance {
  family: Family;
  /** The `family` column of bks.csv (`cvrp/augerat-A`, `vrptw/solomon`, `evrptw/schneider2014-small` …). */
  collection: string;
  name: string;
  /** Solomon only: which objective convention this instance object carries. */
  variant: SolomonVariant | null;
  nodes: BenchNode[];
  /** Load capacity of one trip (Infinity for G-VRP, which has none). */
  capacity: number;
  /** Fleet limit (Infinity when unlimited). */
  vehicles: number;
  /** The distance rule of `distance()` and of the objective. */
  convention: DistanceConvention;
  objective: Objective;
  /** MTVRPTWR: a depot visit inside a route ends a trip and empties the vehicle (reload). */
  reloadAtDepot: boolean;
  /** MTVRPTWR: per node, the earliest departure from the depot of the trip that serves it; else null. */
  releaseTimes: number[] | null;
  /** E-VRPTW and G-VRP: limited range with stations; else null. */
  energy: EnergySpec | null;
  /** Longest allowed time from leaving the depot to returning (G-VRP 11 h); Infinity otherwise. */
  maxRouteDuration: number;
  /** Kim: total load one vehicle may collect per day over all its trips (yd³); Infinity otherwise. */
  routeCapacity: number;
  /** Kim: most customer stops one vehicle may serve per day; Infinity otherwise. */
  maxStopsPerRoute: number;
  /** Kim: the driver's lunch break; else null. */
  lunchBreak: LunchBreakSpec | null;
  /** Kim: the vehicle must unload at a disposal facility before returning (returns empty). */
  mustEndEmpty: boolean;
  /** G-VRP: customers the convention drops (unreachable with at most one station visit). */
  unservable: number[];
  /** The raw header values of the file, by the file's own key (`Q`, `TL`, `VEHICLES`, `routeCapacity` …). */
  parameters: Readonly<Record<string, number>>;
  /** Distance in the family's own convention (rounding included). */
  distance(i: number, j: number): number;
  /** Travel time in the family's time unit. */
  travelTime(i: number, j: number): number;
}

/** Everything but the metric; parsers fill this and `withMetric` adds `distance`/`travelTime`. */
export type InstanceSpec = Omit<BenchInstance, 'distance' | 'travelTime'>;

export type InstanceSet = 'cvrp' | 'vrptw' | 'wcvrptw' | 'evrptw' | 'mtvrptwr' | 'gvrp' | 'anchor' | 'all';
export const INSTANCE_SETS: readonly InstanceSet[] = [
  'cvrp',
  'vrptw',
  'wcvrptw',
  'evrptw',
  'mtvrptwr',
  'gvrp',
  'anchor',
  'all',
];

/** Issue #4: the instances VROOM was measured on (README §6). */
export const ANCHOR_INSTANCES: readonly string[] = [
  'A-n32-k5',
  'A-n45-k7',
  'A-n54-k7',
  'A-n63-k10',
  'A-n69-k9',
  'A-n80-k10',
  'X-n101-k25',
  'X-n120-k6',
  'X-n153-k22',
  'X-n200-k36',
  'C101',
  'C104',
  'C201',
  'C205',
  'R101',
  'R103',
  'R105',
  'R201',
  'R205',
  'RC101',
  'RC103',
  'RC105',
  'RC201',
  'RC205',
];

/** /work/shared/data/vrp seen from routing/src/optimizer/bench-io/ (five levels up is /work). */
export function defaultDataRoot(): string {
  return fileURLToPath(new URL('../../../../../shared/data/vrp/', import.meta.url));
}

export interface LoadOptions {
  /** Which Solomon convention to build (default `trunc1`, the distance-only headline metric). */
  solomonVariant?: SolomonVariant;
}

export type InstanceFormat = 'cvrplib' | 'solomon' | 'evrptw' | 'gvrp' | 'kim' | 'mtvrptwr';

/** Which parser a file needs, from its content (never from its path). */
export function detectFormat(text: string): InstanceFormat | null {
  const lines = splitLines(text);
  const first = lines.find((line) => line.trim() !== '') ?? '';
  const head = tokens(first);
  if (head[0] === 'StringID') return 'evrptw';
  if (head[0] === 'ID' && head.includes('Longitude')) return 'gvrp';
  if (/^\s*[-+0-9.]+\s*\/\//.test(first)) return 'kim';
  const type = /^\s*TYPE\s*:\s*(\S+)/m.exec(text)?.[1];
  if (type === 'CVRP') return 'cvrplib';
  if (type === 'MTVRPTWR') return 'mtvrptwr';
  if (lines.some((line) => line.trim() === 'VEHICLE') && lines.some((line) => line.trim() === 'CUSTOMER')) {
    return 'solomon';
  }
  return null;
}

/** Parses an instance file's text; `fileName` names files that carry no NAME (Schneider, G-VRP, Kim). */
export function parseInstance(text: string, fileName: string, options: LoadOptions = {}): BenchInstance {
  const base = path.basename(fileName).replace(/\.(txt|vrp)$/, '');
  const format = detectFormat(text);
  switch (format) {
    case 'cvrplib':
    case 'mtvrptwr':
      return parseVrplib(text, fileName);
    case 'solomon':
      return parseSolomon(text, fileName, options.solomonVariant ?? 'trunc1');
    case 'evrptw':
      return parseEvrptw(text, fileName, base);
    case 'gvrp':
      return parseGvrp(text, fileName, base);
    case 'kim':
      return parseKim(text, fileName, base);
    case null:
      throw new BenchParseError(`${fileName}: unknown benchmark format`);
  }
}

export async function loadInstance(file: string, options: LoadOptions = {}): Promise<BenchInstance> {
  return parseInstance(await readFile(file, 'latin1'), file, options);
}

const byNaturalName = (a: string, b: string): number =>
  path.basename(a).localeCompare(path.basename(b), 'en', { numeric: true });

async function filesIn(dir: string, pattern: RegExp): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((name) => pattern.test(name))
    .map((name) => path.join(dir, name))
    .sort(byNaturalName);
}

/**
 * Instance files of a benchmark set, sorted by name. `evrptw` is Schneider's large (100 customers) and
 * small (5/10/15) sets; `anchor` is ANCHOR_INSTANCES; `all` is every instance file, G-VRP included.
 */
export async function listInstances(
  set: InstanceSet,
  dataRoot: string = defaultDataRoot(),
): Promise<string[]> {
  const at = (...parts: string[]): string => path.join(dataRoot, ...parts);
  switch (set) {
    case 'cvrp':
      return [
        ...(await filesIn(at('cvrp', 'augerat-A'), /\.vrp$/)),
        ...(await filesIn(at('cvrp', 'uchoa-X'), /\.vrp$/)),
      ];
    case 'vrptw':
      return filesIn(at('vrptw', 'solomon'), /\.txt$/);
    case 'wcvrptw':
      return filesIn(at('wcvrptw', 'kim2006'), /_stop\.txt$/);
    case 'evrptw':
      return [
        ...(await filesIn(at('evrptw', 'schneider2014-large'), /\.txt$/)),
        ...(await filesIn(at('evrptw', 'schneider2014-small'), /\.txt$/)),
      ];
    case 'mtvrptwr':
      return filesIn(at('mtvrptwr'), /\.vrp$/);
    case 'gvrp':
      return filesIn(at('gvrp', 'emh2012'), /\.txt$/);
    case 'anchor': {
      const all = [...(await listInstances('cvrp', dataRoot)), ...(await listInstances('vrptw', dataRoot))];
      const byName = new Map(all.map((file) => [path.basename(file).replace(/\.(vrp|txt)$/, ''), file]));
      return ANCHOR_INSTANCES.map((name) => {
        const file = byName.get(name);
        if (file === undefined)
          throw new BenchParseError(`anchor instance ${name} not found under ${dataRoot}`);
        return file;
      });
    }
    case 'all': {
      const out: string[] = [];
      for (const family of ['cvrp', 'vrptw', 'wcvrptw', 'evrptw', 'mtvrptwr', 'gvrp'] as const) {
        out.push(...(await listInstances(family, dataRoot)));
      }
      return out;
    }
  }
}
