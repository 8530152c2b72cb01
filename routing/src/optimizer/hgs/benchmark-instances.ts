// Minimal readers for the benchmark files in shared/data/vrp (see its README for formats and objective
// conventions): CVRPLIB (Augerat A, Uchoa X) with TSPLIB EUC_2D nint distances, and Solomon VRPTW with the
// distance-only one-decimal truncation (DIMACS) convention. Used by the sanity tests and hgs.bench.ts.

import type { SolverProblem } from './problem.js';

export interface BenchmarkProblem {
  name: string;
  problem: SolverProblem;
  /** Divide solver costs by this to get the benchmark's unit (Solomon: 10, distances are integer tenths). */
  costScale: number;
}

/** CVRPLIB `.vrp`: d(i,j) = nint(euclid) (README §1), unlimited fleet, objective distance. */
export function parseCvrplib(text: string): BenchmarkProblem {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim());
  let name = '';
  let dimension = 0;
  let capacity = 0;
  let section = '';
  const xs: number[] = [];
  const ys: number[] = [];
  const demand: number[] = [];
  for (const line of lines) {
    if (line === '' || line === 'EOF') continue;
    const header = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (header) {
      const key = header[1]!;
      const value = header[2]!.trim();
      if (key === 'NAME') name = value;
      else if (key === 'DIMENSION') dimension = Number(value);
      else if (key === 'CAPACITY') capacity = Number(value);
      continue;
    }
    if (/^[A-Z_]+$/.test(line)) {
      section = line;
      continue;
    }
    const f = line.split(/\s+/).map(Number);
    if (section === 'NODE_COORD_SECTION') {
      xs[f[0]! - 1] = f[1]!;
      ys[f[0]! - 1] = f[2]!;
    } else if (section === 'DEMAND_SECTION') {
      demand[f[0]! - 1] = f[1]!;
    }
  }
  if (dimension <= 0 || xs.length !== dimension || demand.length !== dimension) {
    throw new Error(`CVRPLIB file ${name}: expected ${dimension} nodes with coordinates and demands`);
  }
  const N = dimension;
  const distance = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      distance[i * N + j] = Math.floor(Math.hypot(xs[i]! - xs[j]!, ys[i]! - ys[j]!) + 0.5);
    }
  }
  return {
    name,
    costScale: 1,
    problem: {
      nodeCount: N,
      distance,
      duration: distance,
      demand: Float64Array.from(demand),
      readyTime: new Float64Array(N),
      dueTime: new Float64Array(N).fill(Infinity),
      serviceTime: new Float64Array(N),
      capacity,
      maxVehicles: Infinity,
      objective: 'distance',
    },
  };
}

export type SolomonConvention = 'distance-trunc1' | 'hierarchical';

/**
 * Solomon `.txt` (README §2). 'distance-trunc1' (convention 2): d = floor(10·euclid)/10 for distance and
 * travel time, distance only, fleet ≤ 25; everything is scaled by 10 so that the arithmetic is exact in
 * integers (divide costs by `costScale`). 'hierarchical' (convention 1): double-precision euclid, vehicles
 * first, then distance.
 */
export function parseSolomon(
  text: string,
  convention: SolomonConvention = 'distance-trunc1',
): BenchmarkProblem {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim());
  const name = lines[0] ?? '';
  let vehicles = 0;
  let capacity = 0;
  const rows: number[][] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (/^NUMBER\s+CAPACITY/.test(line)) {
      const f = lines[k + 1]!.split(/\s+/).map(Number);
      vehicles = f[0]!;
      capacity = f[1]!;
    }
    const f = line.split(/\s+/);
    if (f.length === 7 && f.every((t) => /^-?\d+(\.\d+)?$/.test(t))) rows.push(f.map(Number));
  }
  const N = rows.length;
  if (N < 2 || vehicles <= 0 || capacity <= 0)
    throw new Error(`Solomon file ${name}: no vehicles, capacity or nodes`);
  const trunc = convention === 'distance-trunc1';
  const scale = trunc ? 10 : 1;
  const distance = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const a = rows[i]!;
      const b = rows[j]!;
      const e = Math.hypot(a[1]! - b[1]!, a[2]! - b[2]!);
      distance[i * N + j] = trunc ? Math.floor(10 * e + 1e-9) : e;
    }
  }
  const col = (c: number, k: number): Float64Array => Float64Array.from(rows, (r) => r[c]! * k);
  return {
    name,
    costScale: scale,
    problem: {
      nodeCount: N,
      distance,
      duration: distance,
      demand: col(3, 1),
      readyTime: col(4, scale),
      dueTime: col(5, scale),
      serviceTime: col(6, scale),
      capacity,
      maxVehicles: vehicles,
      objective: trunc ? 'distance' : 'vehicles-then-distance',
    },
  };
}

export interface BksEntry {
  family: string;
  instance: string;
  convention: string;
  value: number;
  vehicles: number;
}

/** Rows of shared/data/vrp/bks.csv (quoted fields may contain commas). */
export function parseBksCsv(text: string): BksEntry[] {
  const out: BksEntry[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const fields: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        fields.push(cur);
        cur = '';
      } else cur += ch;
    }
    fields.push(cur);
    out.push({
      family: fields[0]!,
      instance: fields[1]!,
      convention: fields[2]!,
      value: Number(fields[3]),
      vehicles: Number(fields[4]),
    });
  }
  return out;
}
