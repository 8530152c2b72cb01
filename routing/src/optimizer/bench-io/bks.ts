/**
 * Best-known solution values from ../shared/data/vrp/bks.csv
 * (`family,instance,objective_convention,bks_value,vehicles,source`, RFC 4180 quoting).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultDataRoot, type BenchInstance } from './instance.js';
import { BenchParseError, splitLines } from './text.js';

/** `hierarchical` rows minimise vehicles first; every other row is a distance-only value. */
export type BksConvention = 'distance' | 'hierarchical';

export interface BksEntry {
  /** bks.csv `family`, e.g. `cvrp/augerat-A`, `vrptw/solomon` (= BenchInstance.collection). */
  collection: string;
  instance: string;
  /** The `objective_convention` text as written. */
  objectiveConvention: string;
  convention: BksConvention;
  /** `bks_value` as written (MTVRPTWR: tenths); null when the table has none (C204 distance-only). */
  rawValue: number | null;
  /** The value in the instance's distance unit (MTVRPTWR tenths ÷ 10); null when unknown. */
  value: number | null;
  /** Vehicles of the best-known solution; null when unknown (rc108C5). */
  vehicles: number | null;
  source: string;
}

/** RFC 4180 fields of one line: commas split, double quotes group, `""` escapes a quote. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

const optionalNumber = (text: string, file: string, lineNo: number, column: string): number | null => {
  if (text.trim() === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value))
    throw new BenchParseError(`${file}:${lineNo}: ${column} ${JSON.stringify(text)}`);
  return value;
};

export function parseBks(text: string, file = 'bks.csv'): BksEntry[] {
  const lines = splitLines(text);
  const header = splitCsvLine(lines[0] ?? '').join(',');
  if (header !== 'family,instance,objective_convention,bks_value,vehicles,source') {
    throw new BenchParseError(`${file}:1: unexpected header ${header}`);
  }
  const out: BksEntry[] = [];
  lines.slice(1).forEach((line, index) => {
    const lineNo = index + 2;
    if (line.trim() === '') return;
    const fields = splitCsvLine(line);
    if (fields.length !== 6)
      throw new BenchParseError(`${file}:${lineNo}: ${fields.length} fields, expected 6`);
    const [collection, instance, objectiveConvention, value, vehicles, source] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const rawValue = optionalNumber(value, file, lineNo, 'bks_value');
    // MTVRPTWR values are "sum of floor(10*euclid) (units of 0.1)".
    const tenths = /units of 0\.1/.test(objectiveConvention);
    out.push({
      collection,
      instance,
      objectiveConvention,
      convention: objectiveConvention.startsWith('hierarchical') ? 'hierarchical' : 'distance',
      rawValue,
      value: rawValue === null ? null : tenths ? rawValue / 10 : rawValue,
      vehicles: optionalNumber(vehicles, file, lineNo, 'vehicles'),
      source,
    });
  });
  return out;
}

export async function loadBks(dataRoot: string = defaultDataRoot()): Promise<BksEntry[]> {
  const file = path.join(dataRoot, 'bks.csv');
  return parseBks(await readFile(file, 'utf8'), file);
}

/** The convention the instance object is solved under (Solomon: its variant; E-VRPTW: hierarchical). */
export function bksConventionOf(instance: BenchInstance): BksConvention {
  return instance.objective === 'vehicles-then-distance' ? 'hierarchical' : 'distance';
}

/** The BKS row for an instance under its own convention (or an explicit one), if the table has it. */
export function findBks(
  table: readonly BksEntry[],
  instance: Pick<BenchInstance, 'collection' | 'name' | 'objective'>,
  convention: BksConvention = instance.objective === 'vehicles-then-distance' ? 'hierarchical' : 'distance',
): BksEntry | undefined {
  return table.find(
    (entry) =>
      entry.collection === instance.collection &&
      entry.instance === instance.name &&
      entry.convention === convention,
  );
}
