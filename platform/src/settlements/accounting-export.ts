import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { CHART, turnovers, type AccountingEntry } from './accounting-entries.js';

export type AccountingFormat = 'csv' | 'xml' | 'json';

export const ACCOUNTING_MEDIA_TYPES: Record<AccountingFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const CSV_HEADER = [
  'Дата (date)',
  'Счёт Дт (debit)',
  'Счёт Кт (credit)',
  'Сумма (amount)',
  'Содержание (description)',
  'Документ (document)',
  'Контрагент (counterparty)',
  'ИНН (inn)',
  'Договор (contract)',
];

/** CSV as the registry exports it: `;`, UTF-8 with BOM (Excel), decimal point, one entry a row. */
export function entriesToCsv(entries: readonly AccountingEntry[]): string {
  const rows = entries.map((e) => [
    e.date,
    e.debit,
    e.credit,
    e.amountRub,
    e.description,
    e.document,
    e.counterparty,
    e.counterpartyInn,
    e.contract ?? '',
  ]);
  return '\uFEFF' + stringifyCsv([CSV_HEADER, ...rows], { delimiter: ';', record_delimiter: '\r\n' });
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A flat XML for 1C (loaded by a "Загрузка проводок" data processor or the universal XML exchange):
 * `<Проводки Формат="msw-entries/1" Начало="…" Конец="…">` holding `<Проводка Дата СчетДт СчетКт Сумма>`
 * with `Содержание`, `Документ`, `Контрагент ИНН=…`, `Договор`, then `<Обороты>` per account.
 * Not EnterpriseData: that needs the operator's 1C catalogue references, which only their 1C knows.
 */
export function entriesToXml(entries: readonly AccountingEntry[], from: string, to: string): string {
  const totals = turnovers(entries);
  const names: Record<string, string> = Object.fromEntries(Object.values(CHART).map((a) => [a.code, a.name]));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Проводки Формат="msw-entries/1" Начало="${from}" Конец="${to}" ИтогДт="${totals.debitRub}" ИтогКт="${totals.creditRub}">`,
  ];
  for (const e of entries) {
    lines.push(
      `  <Проводка Дата="${e.date}" СчетДт="${e.debit}" СчетКт="${e.credit}" Сумма="${e.amountRub}">`,
      `    <Содержание>${escapeXml(e.description)}</Содержание>`,
      `    <Документ>${escapeXml(e.document)}</Документ>`,
      `    <Контрагент ИНН="${escapeXml(e.counterpartyInn)}">${escapeXml(e.counterparty)}</Контрагент>`,
      ...(e.contract ? [`    <Договор>${escapeXml(e.contract)}</Договор>`] : []),
      '  </Проводка>',
    );
  }
  lines.push('  <Обороты>');
  for (const [code, t] of Object.entries(totals.accounts)) {
    lines.push(
      `    <Счет Код="${code}" Наименование="${escapeXml(names[code] ?? '')}" Дт="${t.debitRub}" Кт="${t.creditRub}"/>`,
    );
  }
  lines.push('  </Обороты>', '</Проводки>', '');
  return lines.join('\n');
}

/** The same entries as JSON, with the turnovers. */
export function entriesToJson(entries: readonly AccountingEntry[], from: string, to: string): string {
  return JSON.stringify({ format: 'msw-entries/1', from, to, entries, totals: turnovers(entries) }, null, 2);
}
