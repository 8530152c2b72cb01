/**
 * Kim, Kim & Sahoo (2006) waste-collection VRPTW (`<n>_stop.txt`): five `value // comment` lines —
 * vehicle capacity (yd³), route capacity (yd³ per vehicle per day), max regular stops per vehicle per
 * day, lunch duration (s), speed (mph) — a column header, then `id x(ft) y(ft) early(HHMM) late(HHMM)
 * service(s) load(yd³) type` rows, type 0 = depot, 1 = stop, 2 = landfill / transfer station.
 * Conventions (benchmark.html): Manhattan feet → miles, travel time = miles / speed; times are seconds
 * since midnight; a vehicle unloads at any landfill (several trips a day) and returns empty; lunch of
 * the given duration starts between 11:00 and 12:00 (file comment; the page says one hour within 11–13).
 */
import { withMetric } from './distance.js';
import type { BenchInstance, BenchNode } from './instance.js';
import { BenchParseError, splitLines, tokens, toNumber } from './text.js';

export const KIM_LUNCH_EARLIEST_S = 11 * 3600;
export const KIM_LUNCH_LATEST_S = 12 * 3600;

/**
 * HHMM → seconds since midnight, minutes carried as written: two files hold values such as `1675` and
 * `0775` (not clock times; probably decimal hours) and they read as 16 h + 75 min = 17:15.
 */
export function hhmmToSeconds(value: number): number {
  return Math.floor(value / 100) * 3600 + (value % 100) * 60;
}

const KINDS: Record<number, BenchNode['kind']> = { 0: 'depot', 1: 'customer', 2: 'disposal' };
const HEADER_KEYS = ['vehicleCapacity', 'routeCapacity', 'maxStops', 'lunchDuration', 'speedMph'] as const;

export function parseKim(text: string, file: string, name: string): BenchInstance {
  const lines = splitLines(text);
  const parameters: Record<string, number> = {};
  let at = 0;
  for (const key of HEADER_KEYS) {
    while (at < lines.length && lines[at]!.trim() === '') at++;
    const value = lines[at]?.split('//')[0];
    parameters[key] = toNumber(tokens(value ?? '')[0], file, at + 1, key);
    at++;
  }
  const depot: BenchNode[] = [];
  const others: BenchNode[] = [];
  for (; at < lines.length; at++) {
    const parts = tokens(lines[at]!);
    if (parts.length === 0 || parts[0] === 'Stop_ID') continue;
    if (parts.length !== 8)
      throw new BenchParseError(`${file}:${at + 1}: expected 8 columns, got ${parts.length}`);
    const values = parts.map((token, k) => toNumber(token, file, at + 1, `column ${k + 1}`));
    const [, x, y, early, late, service, load, type] = values as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const kind = KINDS[type];
    if (kind === undefined)
      throw new BenchParseError(`${file}:${at + 1}: stop type ${type} is not 0, 1 or 2`);
    // Depot and landfill rows carry 9999 as load: a placeholder, not a demand.
    const node: BenchNode = {
      id: parts[0]!,
      kind,
      x,
      y,
      demand: kind === 'customer' ? load : 0,
      ready: hhmmToSeconds(early),
      due: hhmmToSeconds(late),
      service,
    };
    (kind === 'depot' ? depot : others).push(node);
  }
  if (depot.length !== 1)
    throw new BenchParseError(`${file}: expected exactly one depot row, got ${depot.length}`);
  return withMetric(
    {
      family: 'wcvrptw',
      collection: 'wcvrptw/kim2006',
      name,
      variant: null,
      nodes: [...depot, ...others],
      capacity: parameters.vehicleCapacity!,
      vehicles: Number.POSITIVE_INFINITY,
      convention: 'manhattan-miles',
      objective: 'distance',
      reloadAtDepot: false,
      releaseTimes: null,
      energy: null,
      maxRouteDuration: Number.POSITIVE_INFINITY,
      routeCapacity: parameters.routeCapacity!,
      maxStopsPerRoute: parameters.maxStops!,
      lunchBreak: {
        duration: parameters.lunchDuration!,
        earliestStart: KIM_LUNCH_EARLIEST_S,
        latestStart: KIM_LUNCH_LATEST_S,
      },
      mustEndEmpty: true,
      unservable: [],
      parameters,
    },
    3600 / parameters.speedMph!,
  );
}
