/**
 * Erdogan & Miller-Hooks (2012) G-VRP: `ID Type Longitude Latitude` rows of type `d` (depot), `f`
 * (alternative fuel station) and `c` (customer), then `Q` tank (gal), `r` consumption (gal/mile), `TL`
 * tour length (h), `v` speed (mph), `m` vehicles, each as `/value/`.
 * Conventions (EMH 2012 §5, README §3b): haversine miles with R = 4182.44949, service 30 min at a
 * customer and 15 min at a station (refuel to full), no load capacity, unlimited fleet (the BKS use more
 * than `m`), tour duration limit 11 h — the paper's value, not the `TL` field (14/15) of these copies.
 * Customers that no route with at most one station visit can serve are dropped (`unservable`).
 */
import { withMetric } from './distance.js';
import type { BenchInstance, BenchNode } from './instance.js';
import { BenchParseError, slashParameter, splitLines, tokens, toNumber } from './text.js';

/** EMH 2012 §5: hours. */
export const GVRP_CUSTOMER_SERVICE_H = 0.5;
export const GVRP_STATION_SERVICE_H = 0.25;
export const GVRP_MAX_ROUTE_DURATION_H = 11;

const KINDS = { d: 'depot', f: 'station', c: 'customer' } as const;

export function parseGvrp(text: string, file: string, name: string): BenchInstance {
  const depot: BenchNode[] = [];
  const others: BenchNode[] = [];
  const parameters: Record<string, number> = {};
  splitLines(text).forEach((line, index) => {
    const lineNo = index + 1;
    const parts = tokens(line);
    if (parts.length === 0 || parts[0] === 'ID') return;
    const parameter = slashParameter(line);
    if (parameter) {
      parameters[parameter[0]] = parameter[1];
      return;
    }
    const kind = KINDS[parts[1] as keyof typeof KINDS];
    if (parts.length !== 4 || kind === undefined) {
      throw new BenchParseError(`${file}:${lineNo}: expected "id d|f|c longitude latitude"`);
    }
    const x = toNumber(parts[2], file, lineNo, 'longitude');
    const y = toNumber(parts[3], file, lineNo, 'latitude');
    const service =
      kind === 'customer' ? GVRP_CUSTOMER_SERVICE_H : kind === 'station' ? GVRP_STATION_SERVICE_H : 0;
    (kind === 'depot' ? depot : others).push({
      id: parts[0]!,
      kind,
      x,
      y,
      demand: 0,
      ready: 0,
      due: Number.POSITIVE_INFINITY,
      service,
    });
  });
  if (depot.length !== 1)
    throw new BenchParseError(`${file}: expected exactly one depot row, got ${depot.length}`);
  for (const key of ['Q', 'r', 'v']) {
    if (parameters[key] === undefined) throw new BenchParseError(`${file}: parameter ${key} missing`);
  }
  const instance = withMetric(
    {
      family: 'gvrp',
      collection: 'gvrp/emh2012',
      name,
      variant: null,
      nodes: [...depot, ...others],
      capacity: Number.POSITIVE_INFINITY,
      vehicles: Number.POSITIVE_INFINITY,
      convention: 'haversine-miles',
      objective: 'distance',
      reloadAtDepot: false,
      releaseTimes: null,
      energy: { capacity: parameters.Q!, consumptionRate: parameters.r!, rechargeTimePerUnit: 0 },
      maxRouteDuration: GVRP_MAX_ROUTE_DURATION_H,
      routeCapacity: Number.POSITIVE_INFINITY,
      maxStopsPerRoute: Number.POSITIVE_INFINITY,
      lunchBreak: null,
      mustEndEmpty: false,
      unservable: [],
      parameters,
    },
    1 / parameters.v!,
  );
  instance.unservable = findUnservable(instance);
  return instance;
}

/**
 * EMH 2012 pre-processing: customer i stays if one of depot→i→depot, depot→f→i→depot, depot→i→f→depot
 * respects the range (consumption between refuels ≤ tank) and the duration limit.
 */
export function findUnservable(instance: BenchInstance): number[] {
  const energy = instance.energy;
  if (energy === null) return [];
  const range = energy.capacity / energy.consumptionRate;
  const eps = 1e-9;
  const fits = (legs: number[][], path: number[]): boolean => {
    let duration = 0;
    for (let k = 1; k < path.length; k++) {
      duration += instance.travelTime(path[k - 1]!, path[k]!) + instance.nodes[path[k]!]!.service;
    }
    if (duration > instance.maxRouteDuration + eps) return false;
    return legs.every((leg) => {
      let distance = 0;
      for (let k = 1; k < leg.length; k++) distance += instance.distance(leg[k - 1]!, leg[k]!);
      return distance <= range + eps;
    });
  };
  const stations: number[] = [];
  const out: number[] = [];
  instance.nodes.forEach((node, index) => {
    if (node.kind === 'station') stations.push(index);
  });
  instance.nodes.forEach((node, i) => {
    if (node.kind !== 'customer') return;
    if (fits([[0, i, 0]], [0, i, 0])) return;
    for (const f of stations) {
      if (
        fits(
          [
            [0, f],
            [f, i, 0],
          ],
          [0, f, i, 0],
        ) ||
        fits(
          [
            [0, i, f],
            [f, 0],
          ],
          [0, i, f, 0],
        )
      )
        return;
    }
    out.push(i);
  });
  return out;
}
