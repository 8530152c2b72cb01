/**
 * Solomon (1987) VRPTW text layout: name, `VEHICLE` / `NUMBER CAPACITY` / `K Q`, `CUSTOMER`, a column
 * header, then `id x y demand ready due service` rows (row 0 = depot, its window = planning horizon).
 * Two conventions (README §2): `trunc1` = DIMACS distance-only, d = floor(10·euclid)/10 for distance and
 * time; `hierarchical` = vehicles first, then distance, Euclid in double precision.
 */
import { withMetric } from './distance.js';
import type { BenchInstance, BenchNode, SolomonVariant } from './instance.js';
import { BenchParseError, splitLines, tokens, toNumber } from './text.js';

export function parseSolomon(text: string, file: string, variant: SolomonVariant): BenchInstance {
  const lines = splitLines(text);
  const name = lines.find((line) => line.trim() !== '')?.trim() ?? '';
  const vehicleAt = lines.findIndex((line) => line.trim() === 'VEHICLE');
  const customerAt = lines.findIndex((line) => line.trim() === 'CUSTOMER');
  if (name === '' || vehicleAt < 0 || customerAt < vehicleAt) {
    throw new BenchParseError(`${file}: not a Solomon file (name, VEHICLE, CUSTOMER expected)`);
  }
  let fleet = Number.NaN;
  let capacity = Number.NaN;
  for (let i = vehicleAt + 1; i < customerAt; i++) {
    const parts = tokens(lines[i]!);
    if (parts.length === 2 && /^\d/.test(parts[0]!)) {
      fleet = toNumber(parts[0], file, i + 1, 'vehicle number');
      capacity = toNumber(parts[1], file, i + 1, 'capacity');
    }
  }
  if (!Number.isFinite(fleet))
    throw new BenchParseError(`${file}: VEHICLE block has no "number capacity" line`);
  const nodes: BenchNode[] = [];
  for (let i = customerAt + 1; i < lines.length; i++) {
    const parts = tokens(lines[i]!);
    if (parts.length === 0 || !/^\d/.test(parts[0]!)) continue; // column header, blank separator lines
    if (parts.length !== 7)
      throw new BenchParseError(`${file}:${i + 1}: expected 7 columns, got ${parts.length}`);
    const [id, x, y, demand, ready, due, service] = parts.map((token, k) =>
      toNumber(token, file, i + 1, `column ${k + 1}`),
    ) as [number, number, number, number, number, number, number];
    if (id !== nodes.length) throw new BenchParseError(`${file}:${i + 1}: id ${id} out of order`);
    nodes.push({ id: String(id), kind: id === 0 ? 'depot' : 'customer', x, y, demand, ready, due, service });
  }
  if (nodes.length < 2) throw new BenchParseError(`${file}: no customers`);
  return withMetric(
    {
      family: 'vrptw',
      collection: 'vrptw/solomon',
      name,
      variant,
      nodes,
      capacity,
      vehicles: fleet,
      convention: variant === 'trunc1' ? 'trunc1' : 'exact',
      objective: variant === 'trunc1' ? 'distance' : 'vehicles-then-distance',
      reloadAtDepot: false,
      releaseTimes: null,
      energy: null,
      maxRouteDuration: Number.POSITIVE_INFINITY,
      routeCapacity: Number.POSITIVE_INFINITY,
      maxStopsPerRoute: Number.POSITIVE_INFINITY,
      lunchBreak: null,
      mustEndEmpty: false,
      unservable: [],
      parameters: { NUMBER: fleet, CAPACITY: capacity },
    },
    1,
  );
}
