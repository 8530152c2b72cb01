/**
 * Benchmark solutions: one route per vehicle, a sequence of node indices with the depot implied at both
 * ends. Inside a route a station (E-VRPTW, G-VRP), a disposal facility (Kim) or — for families that
 * reload at the depot (MTVRPTWR) — the depot 0 itself may appear; a depot inside a route ends a trip.
 *
 * Shipped `.sol` files (CVRPLIB `Route #r: …` / `Cost v`, the derived Solomon folders, PyVRP's MTVRPTWR
 * with `Cost: v`) are read by one parser and mapped to node indices per family.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchInstance, SolomonVariant } from './instance.js';
import { BenchParseError, splitLines, tokens, toNumber } from './text.js';

export interface Solution {
  routes: number[][];
}

export interface SolutionFile {
  /** Route entries as written in the file (ids, not yet node indices). */
  routes: number[][];
  /** The `Cost` line as written, in the file's unit (MTVRPTWR: tenths), or null when absent. */
  cost: number | null;
}

export function parseSolutionFile(text: string, file = 'solution'): SolutionFile {
  const routes: number[][] = [];
  let cost: number | null = null;
  splitLines(text).forEach((line, index) => {
    const lineNo = index + 1;
    const route = /^\s*Route\s*#\s*\d+\s*:(.*)$/i.exec(line);
    if (route) {
      routes.push(tokens(route[1]!).map((token) => toNumber(token, file, lineNo, 'route entry')));
      return;
    }
    const costLine = /^\s*Cost\s*:?\s*(\S+)\s*$/i.exec(line);
    if (costLine) cost = toNumber(costLine[1], file, lineNo, 'cost');
  });
  if (routes.length === 0) throw new BenchParseError(`${file}: no "Route #" lines`);
  return { routes, cost };
}

/**
 * File entries → node indices. CVRPLIB and MTVRPTWR number nodes 0-based with the depot 0 (= `.vrp` id − 1
 * = our index); the Solomon folders use Solomon customer numbers, which are our node ids.
 */
export function toSolution(instance: BenchInstance, file: SolutionFile): Solution {
  const byId = new Map(instance.nodes.map((node, index) => [node.id, index]));
  const toIndex = (entry: number): number => {
    if (instance.family === 'vrptw') {
      const index = byId.get(String(entry));
      if (index === undefined)
        throw new BenchParseError(`${instance.name}: solution names unknown customer ${entry}`);
      return index;
    }
    if (!Number.isInteger(entry) || entry < 0 || entry >= instance.nodes.length) {
      throw new BenchParseError(`${instance.name}: solution entry ${entry} is not a node index`);
    }
    return entry;
  };
  return { routes: file.routes.map((route) => route.map(toIndex)) };
}

export interface ShippedSolution {
  file: string;
  /** For Solomon: which objective convention the tour was optimised for. */
  variant: SolomonVariant | null;
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * The `.sol` files the data set ships for an instance file: beside it (CVRP, MTVRPTWR) or in
 * `vrptw/solomon-solutions/{hierarchical,dimacs-trunc1}/` (Solomon, except C204).
 */
export async function findShippedSolutions(instanceFile: string): Promise<ShippedSolution[]> {
  const dir = path.dirname(instanceFile);
  const base = path.basename(instanceFile).replace(/\.(vrp|txt)$/, '');
  const candidates: ShippedSolution[] =
    path.basename(dir) === 'solomon'
      ? [
          {
            file: path.join(dir, '..', 'solomon-solutions', 'dimacs-trunc1', `${base}.sol`),
            variant: 'trunc1',
          },
          {
            file: path.join(dir, '..', 'solomon-solutions', 'hierarchical', `${base}.sol`),
            variant: 'hierarchical',
          },
        ]
      : [{ file: path.join(dir, `${base}.sol`), variant: null }];
  const out: ShippedSolution[] = [];
  for (const candidate of candidates) if (await exists(candidate.file)) out.push(candidate);
  return out;
}

export async function loadSolutionFile(file: string): Promise<SolutionFile> {
  return parseSolutionFile(await readFile(file, 'latin1'), file);
}
