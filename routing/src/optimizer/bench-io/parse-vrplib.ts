/**
 * CVRPLIB / TSPLIB `.vrp` files: Augerat A and Uchoa X (TYPE CVRP), and PyVRP's extended VRPLIB for the
 * multi-trip MTVRPTWR instances (TIME_WINDOW, RELEASE_TIME, VEHICLES_RELOAD_DEPOT sections).
 * Node index = file id − 1, so index 0 is the depot (DEPOT_SECTION must say `1`).
 */
import { withMetric } from './distance.js';
import type { BenchInstance, BenchNode } from './instance.js';
import { BenchParseError, splitLines, tokens, toNumber } from './text.js';

interface Vrplib {
  header: Map<string, string>;
  sections: Map<string, { lineNo: number; values: number[] }[]>;
}

function readVrplib(text: string, file: string): Vrplib {
  const header = new Map<string, string>();
  const sections = new Map<string, { lineNo: number; values: number[] }[]>();
  let current: { lineNo: number; values: number[] }[] | null = null;
  splitLines(text).forEach((line, index) => {
    const lineNo = index + 1;
    const parts = tokens(line);
    const first = parts[0];
    if (first === undefined) return;
    if (first === 'EOF') {
      current = null;
      return;
    }
    if (/^[A-Z_]+_SECTION$/.test(first)) {
      current = [];
      sections.set(first, current);
      return;
    }
    const colon = /^\s*([A-Z_]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (colon && current === null) {
      header.set(colon[1]!, colon[2]!.replace(/^"|"$/g, ''));
      return;
    }
    if (current === null) throw new BenchParseError(`${file}:${lineNo}: unexpected line outside a section`);
    current.push({
      lineNo,
      values: parts.map((token, k) => toNumber(token, file, lineNo, `column ${k + 1}`)),
    });
  });
  return { header, sections };
}

function headerNumber(data: Vrplib, key: string, file: string): number {
  const raw = data.header.get(key);
  const value = raw === undefined ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw new BenchParseError(`${file}: header ${key} missing or not a number`);
  return value;
}

/** Rows of a per-node section as a map id → remaining values, checked against the dimension. */
function nodeSection(data: Vrplib, name: string, width: number, dimension: number, file: string): number[][] {
  const rows = data.sections.get(name);
  if (rows === undefined) throw new BenchParseError(`${file}: ${name} missing`);
  const out: number[][] = new Array<number[]>(dimension);
  for (const { lineNo, values } of rows) {
    const id = values[0]!;
    if (values.length !== width + 1 || !Number.isInteger(id) || id < 1 || id > dimension) {
      throw new BenchParseError(
        `${file}:${lineNo}: ${name} row must be an id in 1..${dimension} and ${width} values`,
      );
    }
    if (out[id - 1] !== undefined) throw new BenchParseError(`${file}:${lineNo}: ${name} repeats id ${id}`);
    out[id - 1] = values.slice(1);
  }
  for (let i = 0; i < dimension; i++) {
    if (out[i] === undefined) throw new BenchParseError(`${file}: ${name} has no row for id ${i + 1}`);
  }
  return out;
}

export function parseVrplib(text: string, file: string): BenchInstance {
  const data = readVrplib(text, file);
  const type = data.header.get('TYPE');
  if (type !== 'CVRP' && type !== 'MTVRPTWR')
    throw new BenchParseError(`${file}: TYPE ${type} is not supported`);
  if (data.header.get('EDGE_WEIGHT_TYPE') !== 'EUC_2D') {
    throw new BenchParseError(`${file}: only EDGE_WEIGHT_TYPE EUC_2D is supported`);
  }
  const name = data.header.get('NAME') ?? file;
  const dimension = headerNumber(data, 'DIMENSION', file);
  const capacity = headerNumber(data, 'CAPACITY', file);
  const depots = (data.sections.get('DEPOT_SECTION') ?? [])
    .map((row) => row.values[0])
    .filter((id) => id !== -1);
  if (depots.length !== 1 || depots[0] !== 1) {
    throw new BenchParseError(
      `${file}: DEPOT_SECTION must list exactly depot 1 (found ${depots.join(', ')})`,
    );
  }
  const coords = nodeSection(data, 'NODE_COORD_SECTION', 2, dimension, file);
  const demands = nodeSection(data, 'DEMAND_SECTION', 1, dimension, file);
  const multiTrip = type === 'MTVRPTWR';
  const windows = multiTrip ? nodeSection(data, 'TIME_WINDOW_SECTION', 2, dimension, file) : null;
  const release = multiTrip ? nodeSection(data, 'RELEASE_TIME_SECTION', 1, dimension, file) : null;
  // PyVRP: SERVICE_TIME is the service duration of every client; depots have none.
  const service = multiTrip ? headerNumber(data, 'SERVICE_TIME', file) : 0;
  const nodes: BenchNode[] = coords.map(([x, y], i) => ({
    id: String(i + 1),
    kind: i === 0 ? 'depot' : 'customer',
    x: x!,
    y: y!,
    demand: demands[i]![0]!,
    ready: windows ? windows[i]![0]! : 0,
    due: windows ? windows[i]![1]! : Number.POSITIVE_INFINITY,
    service: i === 0 ? 0 : service,
  }));
  const parameters: Record<string, number> = { DIMENSION: dimension, CAPACITY: capacity };
  if (multiTrip) {
    parameters.VEHICLES = headerNumber(data, 'VEHICLES', file);
    parameters.SERVICE_TIME = service;
    if (!data.sections.has('VEHICLES_RELOAD_DEPOT_SECTION')) {
      throw new BenchParseError(`${file}: MTVRPTWR without VEHICLES_RELOAD_DEPOT_SECTION`);
    }
  } else {
    // `k` in the name is the minimum fleet (A: the optimum uses exactly k; X: BKS may use more).
    const k = /-k(\d+)$/.exec(name)?.[1];
    if (k !== undefined) parameters.k = Number(k);
  }
  const collection = multiTrip
    ? 'mtvrptwr'
    : name.startsWith('A-')
      ? 'cvrp/augerat-A'
      : name.startsWith('X-')
        ? 'cvrp/uchoa-X'
        : 'cvrp';
  return withMetric(
    {
      family: multiTrip ? 'mtvrptwr' : 'cvrp',
      collection,
      name,
      variant: null,
      nodes,
      capacity,
      vehicles: multiTrip ? parameters.VEHICLES! : Number.POSITIVE_INFINITY,
      convention: multiTrip ? 'trunc1' : 'nint',
      objective: 'distance',
      reloadAtDepot: multiTrip,
      releaseTimes: release ? release.map((row) => row[0]!) : null,
      energy: null,
      maxRouteDuration: Number.POSITIVE_INFINITY,
      routeCapacity: Number.POSITIVE_INFINITY,
      maxStopsPerRoute: Number.POSITIVE_INFINITY,
      lunchBreak: null,
      mustEndEmpty: false,
      unservable: [],
      parameters,
    },
    1,
  );
}
