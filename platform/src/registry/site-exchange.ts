import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { EntityRow } from '../db/entity-store.js';
import type { ValidationIssue } from '../http/api-error.js';
import { siteCreate, type SiteCreate } from './registry-schemas.js';

export type ExchangeFormat = 'geojson' | 'csv' | 'xlsx';

export const EXCHANGE_MEDIA_TYPES: Record<ExchangeFormat, string> = {
  geojson: 'application/geo+json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** One site of an import: its id when the file carries one (then it is updated, else created). */
export interface ImportedSite {
  id?: string;
  input: SiteCreate;
}

type FlatValue = string | number | boolean | null;
type FlatRecord = Record<string, FlatValue>;

// Columns of the flat formats (CSV, Excel); nested values are JSON in one cell. Russian titles go to
// the Excel header as "Адрес (address)"; the key in brackets is what an import reads.
const COLUMNS: readonly { key: string; title: string }[] = [
  { key: 'id', title: 'Идентификатор' },
  { key: 'registryNumber', title: 'Номер в реестре' },
  { key: 'address', title: 'Адрес' },
  { key: 'lon', title: 'Долгота' },
  { key: 'lat', title: 'Широта' },
  { key: 'surface', title: 'Покрытие' },
  { key: 'fenced', title: 'Ограждение' },
  { key: 'status', title: 'Статус' },
  { key: 'municipalityId', title: 'Муниципальное образование' },
  { key: 'ownerKind', title: 'Собственник: вид' },
  { key: 'ownerName', title: 'Собственник' },
  { key: 'ownerInn', title: 'ИНН собственника' },
  { key: 'ownerOgrn', title: 'ОГРН собственника' },
  { key: 'containers', title: 'Контейнеры (JSON)' },
  { key: 'wasteSources', title: 'Источники образования (JSON)' },
  { key: 'schedule', title: 'График вывоза (JSON)' },
  { key: 'collectionWindow', title: 'Время вывоза (JSON)' },
  { key: 'geofence', title: 'Геозона (JSON)' },
];
const JSON_COLUMNS = new Set(['containers', 'wasteSources', 'schedule', 'collectionWindow', 'geofence']);
const MAX_ROWS = 10_000;

/** The geofence as it is entered: a circle by its radius (the polygon is regenerated on import). */
function geofenceInputOf(row: EntityRow): unknown {
  const fence = row['geofence'] as { kind: string; radiusM?: number; polygon?: unknown };
  return fence.kind === 'circle'
    ? { kind: 'circle', radiusM: fence.radiusM }
    : { kind: 'polygon', polygon: fence.polygon };
}

function siteProperties(row: EntityRow): Record<string, unknown> {
  return {
    registryNumber: row['registryNumber'],
    address: row['address'],
    surface: row['surface'],
    fenced: row['fenced'],
    status: row['status'],
    municipalityId: row['municipalityId'],
    owner: row['owner'],
    containers: row['containers'],
    wasteSources: row['wasteSources'],
    schedule: row['schedule'],
    collectionWindow: row['collectionWindow'],
    geofence: geofenceInputOf(row),
  };
}

function flatten(row: EntityRow): FlatRecord {
  const owner = row['owner'] as { kind: string; name: string; inn?: string | null; ogrn?: string | null };
  const properties = siteProperties(row);
  return {
    id: row.id,
    registryNumber: (row['registryNumber'] as string | null) ?? null,
    address: row['address'] as string,
    lon: row['lon'] as number,
    lat: row['lat'] as number,
    surface: row['surface'] as string,
    fenced: row['fenced'] as boolean,
    status: row['status'] as string,
    municipalityId: (row['municipalityId'] as string | null) ?? null,
    ownerKind: owner.kind,
    ownerName: owner.name,
    ownerInn: owner.inn ?? null,
    ownerOgrn: owner.ogrn ?? null,
    ...Object.fromEntries([...JSON_COLUMNS].map((key) => [key, JSON.stringify(properties[key])])),
  };
}

export async function exportSites(
  rows: readonly EntityRow[],
  format: ExchangeFormat,
): Promise<Buffer | string> {
  if (format === 'geojson') {
    return JSON.stringify({
      type: 'FeatureCollection',
      features: rows.map((row) => ({
        type: 'Feature',
        id: row.id,
        geometry: { type: 'Point', coordinates: [row['lon'], row['lat']] },
        properties: siteProperties(row),
      })),
    });
  }
  const records = rows.map(flatten);
  if (format === 'csv') {
    // `;` and a BOM: what Excel in a Russian locale opens correctly by double-click.
    return (
      '\uFEFF' +
      stringifyCsv(
        records.map((record) => COLUMNS.map(({ key }) => csvCell(record[key] ?? null))),
        { delimiter: ';', header: true, columns: COLUMNS.map(({ key }) => key) },
      )
    );
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Места накопления');
  sheet.addRow(COLUMNS.map(({ key, title }) => `${title} (${key})`));
  sheet.getRow(1).font = { bold: true };
  for (const record of records) sheet.addRow(COLUMNS.map(({ key }) => record[key] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvCell(value: FlatValue): string {
  return value === null ? '' : String(value);
}

function emptyToUndefined(value: FlatValue | undefined): FlatValue | undefined {
  return value === null || value === '' ? undefined : value;
}

class RowProblem extends Error {}

function unflatten(record: Record<string, FlatValue | undefined>): Record<string, unknown> {
  const get = (key: string): FlatValue | undefined => emptyToUndefined(record[key]);
  const json = (key: string): unknown => {
    const value = get(key);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(String(value)) as unknown;
    } catch {
      throw new RowProblem(`${key}: not valid JSON`);
    }
  };
  const number = (key: string): number | undefined => {
    const value = get(key);
    return value === undefined ? undefined : Number(String(value).replace(',', '.'));
  };
  const fenced = get('fenced');
  return {
    registryNumber: get('registryNumber') === undefined ? null : String(get('registryNumber')),
    address: get('address'),
    lon: number('lon'),
    lat: number('lat'),
    surface: get('surface'),
    fenced:
      fenced === undefined ? undefined : ['true', '1', 'да', 'yes'].includes(String(fenced).toLowerCase()),
    status: get('status'),
    municipalityId: get('municipalityId') ?? null,
    owner: {
      kind: get('ownerKind'),
      name: get('ownerName') === undefined ? undefined : String(get('ownerName')),
      inn: get('ownerInn') === undefined ? null : String(get('ownerInn')),
      ogrn: get('ownerOgrn') === undefined ? null : String(get('ownerOgrn')),
    },
    containers: json('containers'),
    wasteSources: json('wasteSources'),
    schedule: json('schedule'),
    collectionWindow: json('collectionWindow') ?? null,
    geofence: json('geofence'),
  };
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

export interface ParsedImport {
  sites: ImportedSite[];
  issues: ValidationIssue[];
}

/**
 * Reads and validates a whole file before anything is written: one bad row refuses the import,
 * every problem is reported with its row (file line for CSV/Excel, feature index for GeoJSON).
 */
export async function parseSiteImport(data: Buffer, format: ExchangeFormat): Promise<ParsedImport> {
  const candidates: { where: string; id?: unknown; value: unknown }[] = [];
  const issues: ValidationIssue[] = [];
  try {
    if (format === 'geojson') {
      const document = JSON.parse(data.toString('utf8')) as { type?: unknown; features?: unknown };
      if (document.type !== 'FeatureCollection' || !Array.isArray(document.features)) {
        return {
          sites: [],
          issues: [{ in: 'file', path: '', message: 'expected a GeoJSON FeatureCollection' }],
        };
      }
      document.features.forEach((feature: unknown, index: number) => {
        const f = (feature ?? {}) as {
          id?: unknown;
          geometry?: { type?: unknown; coordinates?: unknown };
          properties?: unknown;
        };
        const coordinates =
          f.geometry?.type === 'Point' && Array.isArray(f.geometry.coordinates) ? f.geometry.coordinates : [];
        candidates.push({
          where: `feature ${index}`,
          id: f.id,
          value: { ...(f.properties as object), lon: coordinates[0], lat: coordinates[1] },
        });
      });
    } else {
      (await readRecords(data, format)).forEach((record, index) => {
        const where = `row ${index + 2}`;
        try {
          candidates.push({ where, id: emptyToUndefined(record['id'] ?? null), value: unflatten(record) });
        } catch (error) {
          issues.push({ in: where, path: '', message: (error as Error).message });
        }
      });
    }
  } catch (error) {
    return {
      sites: [],
      issues: [{ in: 'file', path: '', message: `unreadable ${format}: ${(error as Error).message}` }],
    };
  }
  if (candidates.length > MAX_ROWS) {
    return { sites: [], issues: [{ in: 'file', path: '', message: `at most ${MAX_ROWS} sites per import` }] };
  }
  const sites: ImportedSite[] = [];
  const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const candidate of candidates) {
    if (candidate.id !== undefined && (typeof candidate.id !== 'string' || !uuidPattern.test(candidate.id))) {
      issues.push({ in: candidate.where, path: 'id', message: 'must be a UUID' });
      continue;
    }
    const parsed = siteCreate.safeParse(candidate.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ in: candidate.where, path: issue.path.join('.'), message: issue.message });
      }
      continue;
    }
    sites.push({ id: candidate.id as string | undefined, input: parsed.data });
  }
  return { sites, issues };
}
