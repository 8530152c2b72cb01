/**
 * Schneider, Stenger & Goeke (2014) E-VRPTW: a `StringID Type x y demand ReadyTime DueDate ServiceTime`
 * header, rows of type `d` (depot), `f` (recharging station; S0 sits on the depot) and `c` (customer),
 * then `Q` battery capacity, `C` load capacity, `r` consumption per distance, `g` time per energy unit
 * recharged, `v` velocity, each as `/value/`. Paper §3: Euclid in double precision, recharge to full,
 * battery full at the depot, Solomon time windows, unlimited fleet, vehicles first then distance.
 */
import { withMetric } from './distance.js';
import type { BenchInstance, BenchNode } from './instance.js';
import { BenchParseError, slashParameter, splitLines, tokens, toNumber } from './text.js';

const KINDS = { d: 'depot', f: 'station', c: 'customer' } as const;

export function parseEvrptw(text: string, file: string, name: string): BenchInstance {
  const depot: BenchNode[] = [];
  const others: BenchNode[] = [];
  const parameters: Record<string, number> = {};
  splitLines(text).forEach((line, index) => {
    const lineNo = index + 1;
    const parts = tokens(line);
    if (parts.length === 0 || parts[0] === 'StringID') return;
    const parameter = slashParameter(line);
    if (parameter) {
      parameters[parameter[0]] = parameter[1];
      return;
    }
    const kind = KINDS[parts[1] as keyof typeof KINDS];
    if (parts.length !== 8 || kind === undefined) {
      throw new BenchParseError(`${file}:${lineNo}: expected "id d|f|c x y demand ready due service"`);
    }
    const [x, y, demand, ready, due, service] = parts
      .slice(2)
      .map((token, k) => toNumber(token, file, lineNo, `column ${k + 3}`)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    (kind === 'depot' ? depot : others).push({ id: parts[0]!, kind, x, y, demand, ready, due, service });
  });
  if (depot.length !== 1)
    throw new BenchParseError(`${file}: expected exactly one depot row, got ${depot.length}`);
  for (const key of ['Q', 'C', 'r', 'g', 'v']) {
    if (parameters[key] === undefined) throw new BenchParseError(`${file}: parameter ${key} missing`);
  }
  const velocity = parameters.v!;
  return withMetric(
    {
      family: 'evrptw',
      collection: /_21$/.test(name) ? 'evrptw/schneider2014-large' : 'evrptw/schneider2014-small',
      name,
      variant: null,
      nodes: [...depot, ...others],
      capacity: parameters.C!,
      vehicles: Number.POSITIVE_INFINITY,
      convention: 'exact',
      objective: 'vehicles-then-distance',
      reloadAtDepot: false,
      releaseTimes: null,
      energy: { capacity: parameters.Q!, consumptionRate: parameters.r!, rechargeTimePerUnit: parameters.g! },
      maxRouteDuration: Number.POSITIVE_INFINITY,
      routeCapacity: Number.POSITIVE_INFINITY,
      maxStopsPerRoute: Number.POSITIVE_INFINITY,
      lunchBreak: null,
      mustEndEmpty: false,
      unservable: [],
      parameters,
    },
    1 / velocity,
  );
}
