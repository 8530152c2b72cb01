import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { EntityRow } from '../db/entity-store.js';
import { ApiError, type ValidationIssue } from '../http/api-error.js';

export type ExchangeFormat = 'geojson' | 'csv' | 'xlsx';

export const EXCHANGE_MEDIA_TYPES: Record<ExchangeFormat, string> = {
  geojson: 'application/geo+json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * One column of the flat formats (CSV, Excel). Nested values are JSON in one cell; the Russian title
 * goes to the Excel header as "Адрес (address)" and the key in brackets is what an import reads.
 */
export interface ExchangeColumn {
  key: string;
  title: string;
  type: 'text' | 'number' | 'boolean' | 'json';
  /** Where the value sits in the create input; defaults to `[key]` (e.g. `['owner', 'inn']`). */
  path?: readonly string[];
  /** An empty cell imports as null (an optional value cleared), not as absent (the default applies). */
  emptyIsNull?: boolean;
}

/** How one registry entity travels through GeoJSON, CSV and Excel. */
export interface ExchangeSpec {
  /** English plural: file names and messages (`sites.csv`, "at most 10000 sites per import"). */
  noun: string;
  sheetName: string;
  /** Every field of the create input except the id, `lon` and `lat` included. */
  columns: readonly ExchangeColumn[];
  /** GeoJSON features are the `lon`/`lat` points; else their geometry is null (flows). */
  located: boolean;
  /** The create schema: an import row is validated exactly as a POST body. */
  schema: z.ZodType<Record<string, unknown>>;
  /**
   * A stored row as the create input that gives it back: what export writes and import reads.
   * Default: the row's fields the columns name.
   */
  inputOf?(row: EntityRow): Record<string, unknown>;
  /** Rules beyond the schema (the resource's `toColumns`); throws an ApiError validation. */
  check?(input: Record<string, unknown>): unknown;
}

/** One entity of an import: its id when the file carries one (then it is updated, else created). */
export interface ImportedEntity {
  id?: string;
  input: Record<string, unknown>;
}

export interface ParsedImport {
  entities: ImportedEntity[];
  issues: ValidationIssue[];
}

type FlatValue = string | number | boolean | null;
type FlatRecord = Record<string, FlatValue>;

const MAX_ROWS = 10_000;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pathOf = (column: ExchangeColumn): readonly string[] => column.path ?? [column.key];

function inputOf(spec: ExchangeSpec, row: EntityRow): Record<string, unknown> {
  if (spec.inputOf) return spec.inputOf(row);
  return Object.fromEntries(spec.columns.map(({ key }) => [key, row[key]]));
}

function getPath(value: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const part of path) current = (current as Record<string, unknown> | null | undefined)?.[part];
  return current;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const part of path.slice(0, -1)) {
    current[part] ??= {};
    current = current[part] as Record<string, unknown>;
  }
  current[path[path.length - 1]!] = value;
}

function flatten(spec: ExchangeSpec, row: EntityRow): FlatRecord {
  const input = inputOf(spec, row);
  const record: FlatRecord = { id: row.id };
  for (const column of spec.columns) {
    const value = getPath(input, pathOf(column));
    if (value === undefined || value === null) record[column.key] = null;
    else record[column.key] = column.type === 'json' ? JSON.stringify(value) : (value as FlatValue);
  }
  return record;
}

export async function exportEntities(
  spec: ExchangeSpec,
  rows: readonly EntityRow[],
  format: ExchangeFormat,
): Promise<Buffer | string> {
  if (format === 'geojson') {
    return JSON.stringify({
      type: 'FeatureCollection',
      features: rows.map((row) => {
        const input = inputOf(spec, row);
        if (!spec.located) return { type: 'Feature', id: row.id, geometry: null, properties: input };
        const { lon, lat, ...properties } = input;
        return {
          type: 'Feature',
          id: row.id,
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties,
        };
      }),
    });
  }
  const keys = ['id', ...spec.columns.map(({ key }) => key)];
  const records = rows.map((row) => flatten(spec, row));
  if (format === 'csv') {
    // `;` and a BOM: what Excel in a Russian locale opens correctly by double-click.
    return (
      '\uFEFF' +
      stringifyCsv(
        records.map((record) => keys.map((key) => csvCell(record[key] ?? null))),
        { delimiter: ';', header: true, columns: keys },
      )
    );
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(spec.sheetName);
  const titles = [{ key: 'id', title: 'Идентификатор' }, ...spec.columns];
  sheet.addRow(titles.map(({ key, title }) => `${title} (${key})`));
  sheet.getRow(1).font = { bold: true };
  for (const record of records) sheet.addRow(keys.map((key) => record[key] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvCell(value: FlatValue): string {
  return value === null ? '' : String(value);
}

function emptyToUndefined(value: FlatValue | undefined): FlatValue | undefined {
  return value === null || value === '' ? undefined : value;
}

class RowProblem extends Error {}

function cellValue(column: ExchangeColumn, cell: FlatValue | undefined): unknown {
  const value = emptyToUndefined(cell);
  if (value === undefined) return column.emptyIsNull ? null : undefined;
  switch (column.type) {
    case 'text':
      return String(value);
    case 'number':
      return Number(String(value).replace(',', '.'));
    case 'boolean':
      return ['true', '1', 'да', 'yes'].includes(String(value).toLowerCase());
    case 'json':
      try {
        return JSON.parse(String(value)) as unknown;
      } catch {
        throw new RowProblem(`${column.key}: not valid JSON`);
      }
  }
}

function unflatten(
  spec: ExchangeSpec,
  record: Record<string, FlatValue | undefined>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const column of spec.columns) setPath(input, pathOf(column), cellValue(column, record[column.key]));
  return input;
}

async function readRecords(data: Buffer, format: Exclude<ExchangeFormat, 'geojson'>): Promise<FlatRecord[]> {
  if (format === 'csv') {
    const text = data.toString('utf8').replace(/^\uFEFF/, '');
    const header = text.slice(0, text.indexOf('\n') >>> 0);
    const delimiter = header.split(';').length >= header.split(',').length ? ';' : ',';
    return parseCsv(text, { columns: true, delimiter, skip_empty_lines: true, relax_column_count: false });
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const keys: string[] = [];
  sheet.getRow(1).eachCell((cell, column) => {
    const title = String(cell.value ?? '');
    keys[column] = /\(([A-Za-z]+)\)\s*$/.exec(title)?.[1] ?? title.trim();
  });
  const records: FlatRecord[] = [];
  sheet.eachRow((row, index) => {
    if (index === 1) return;
    const record: FlatRecord = {};
    row.eachCell((cell, column) => {
      const key = keys[column];
      if (!key) return;
      const value = cell.value;
      record[key] =
        typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string'
          ? value
          : cell.text;
    });
    records.push(record);
  });
  return records;
}

type Candidate = { where: string; id?: unknown; value: unknown };

function fileProblem(message: string): ParsedImport {
  return { entities: [], issues: [{ in: 'file', path: '', message }] };
}

async function readCandidates(
  spec: ExchangeSpec,
  data: Buffer,
  format: ExchangeFormat,
  issues: ValidationIssue[],
): Promise<Candidate[] | ParsedImport> {
  const candidates: Candidate[] = [];
  if (format === 'geojson') {
    const document = JSON.parse(data.toString('utf8')) as { type?: unknown; features?: unknown };
    if (document.type !== 'FeatureCollection' || !Array.isArray(document.features)) {
      return fileProblem('expected a GeoJSON FeatureCollection');
    }
    document.features.forEach((feature: unknown, index: number) => {
      const f = (feature ?? {}) as {
        id?: unknown;
        geometry?: { type?: unknown; coordinates?: unknown };
        properties?: unknown;
      };
      const coordinates =
        f.geometry?.type === 'Point' && Array.isArray(f.geometry.coordinates) ? f.geometry.coordinates : [];
      const point = spec.located ? { lon: coordinates[0], lat: coordinates[1] } : {};
      candidates.push({
        where: `feature ${index}`,
        id: f.id,
        value: { ...(f.properties as object), ...point },
      });
    });
    return candidates;
  }
  (await readRecords(data, format)).forEach((record, index) => {
    const where = `row ${index + 2}`;
    try {
      candidates.push({ where, id: emptyToUndefined(record['id'] ?? null), value: unflatten(spec, record) });
    } catch (error) {
      issues.push({ in: where, path: '', message: (error as Error).message });
    }
  });
  return candidates;
}

/** The rule the resource applies on write (e.g. a geofence near its point), as issues of this row. */
function checkIssues(spec: ExchangeSpec, where: string, input: Record<string, unknown>): ValidationIssue[] {
  try {
    spec.check?.(input);
    return [];
  } catch (error) {
    if (!(error instanceof ApiError) || !Array.isArray(error.details)) throw error;
    return (error.details as ValidationIssue[]).map((issue) => ({ ...issue, in: where }));
  }
}

/**
 * Reads and validates a whole file before anything is written: one bad row refuses the import,
 * every problem is reported with its row (file line for CSV/Excel, feature index for GeoJSON).
 */
export async function parseImport(
  spec: ExchangeSpec,
  data: Buffer,
  format: ExchangeFormat,
): Promise<ParsedImport> {
  const issues: ValidationIssue[] = [];
  let candidates: Candidate[];
  try {
    const read = await readCandidates(spec, data, format, issues);
    if (!Array.isArray(read)) return read;
    candidates = read;
  } catch (error) {
    return fileProblem(`unreadable ${format}: ${(error as Error).message}`);
  }
  if (candidates.length > MAX_ROWS) return fileProblem(`at most ${MAX_ROWS} ${spec.noun} per import`);
  const entities: ImportedEntity[] = [];
  for (const candidate of candidates) {
    if (
      candidate.id !== undefined &&
      (typeof candidate.id !== 'string' || !UUID_PATTERN.test(candidate.id))
    ) {
      issues.push({ in: candidate.where, path: 'id', message: 'must be a UUID' });
      continue;
    }
    const parsed = spec.schema.safeParse(candidate.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ in: candidate.where, path: issue.path.join('.'), message: issue.message });
      }
      continue;
    }
    const problems = checkIssues(spec, candidate.where, parsed.data);
    if (problems.length > 0) issues.push(...problems);
    else entities.push({ id: candidate.id as string | undefined, input: parsed.data });
  }
  return { entities, issues };
}
