import ExcelJS from 'exceljs';
import { closingStatement, type ReconciliationAct } from './reconciliation-act.js';
import { formatDate, formatMonth } from './russian-format.js';

const MONEY_FORMAT = '#,##0.00';
const STATUS = { open: 'на рассмотрении', accepted: 'принято', rejected: 'отклонено' } as const;

// Money cells are numbers (Excel sums them); every amount has at most two decimals, which a double
// shows exactly at that precision, and the exact figures stay in the database and the API.
const amount = (value: string | null): number | null => (value === null ? null : Number(value));

/**
 * The act as an Excel workbook, one sheet "Акт сверки": header, the ledger (Дата, Документ, Дебет,
 * Кредит) with opening and closing balances, accruals by lot, disputes, the closing statement, signatures.
 */
export async function renderReconciliationXlsx(act: ReconciliationAct): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Акт сверки');
  sheet.columns = [{ width: 12 }, { width: 70 }, { width: 16 }, { width: 16 }, { width: 16 }, { width: 16 }];
  const bold = (row: ExcelJS.Row): void => {
    row.font = { bold: true };
  };
  const moneyCells = (row: ExcelJS.Row, ...columns: number[]): void => {
    for (const column of columns) row.getCell(column).numFmt = MONEY_FORMAT;
  };

  bold(sheet.addRow(['Акт сверки взаимных расчётов']));
  sheet.addRow([`за период с ${formatDate(act.from)} по ${formatDate(act.to)}`]);
  sheet.addRow([
    'Региональный оператор',
    act.operator.name,
    act.operator.inn ? `ИНН ${act.operator.inn}` : '',
  ]);
  sheet.addRow(['Перевозчик', act.carrier.name, act.carrier.inn ? `ИНН ${act.carrier.inn}` : '']);
  sheet.addRow([
    'Договоры',
    act.contracts
      .map((c) => `№ ${c.number} (${c.lotName}, с ${formatDate(c.validFrom)} по ${formatDate(c.validTo)})`)
      .join('; '),
  ]);
  sheet.addRow([]);

  bold(sheet.addRow(['Дата', 'Документ', 'Дебет, руб.', 'Кредит, руб.']));
  const balanceRow = (label: string, balance: string): void => {
    const negative = balance.startsWith('-');
    const row = sheet.addRow([
      '',
      label,
      negative ? amount(balance.slice(1)) : null,
      negative ? null : amount(balance),
    ]);
    bold(row);
    moneyCells(row, 3, 4);
  };
  balanceRow('Сальдо начальное', act.openingBalanceRub);
  for (const line of act.lines) {
    const row = sheet.addRow([
      formatDate(line.date),
      line.document,
      amount(line.debitRub),
      amount(line.creditRub),
    ]);
    moneyCells(row, 3, 4);
  }
  const turnover = sheet.addRow([
    '',
    'Обороты за период',
    amount(act.debitTurnoverRub),
    amount(act.creditTurnoverRub),
  ]);
  bold(turnover);
  moneyCells(turnover, 3, 4);
  balanceRow('Сальдо конечное', act.closingBalanceRub);
  sheet.addRow([]);

  bold(sheet.addRow(['Начисления по лотам']));
  bold(sheet.addRow(['Договор', 'Лот', 'Период', 'Начислено, руб.', 'Удержано, руб.', 'К оплате, руб.']));
  for (const lot of act.lots) {
    const row = sheet.addRow([
      lot.contractNumber,
      lot.lotName,
      formatMonth(lot.period),
      amount(lot.accrualRub),
      amount(lot.deductionRub),
      amount(lot.totalRub),
    ]);
    moneyCells(row, 4, 5, 6);
  }
  sheet.addRow([]);

  bold(sheet.addRow(['Спорные факты и их разрешение']));
  bold(sheet.addRow(['Дата', 'Предмет и доводы перевозчика', 'Решение', 'Комментарий диспетчера']));
  for (const d of act.disputes) {
    sheet.addRow([
      formatDate(d.subjectDate),
      `${d.subject}: ${d.comment}`,
      STATUS[d.status],
      d.resolutionComment ?? '',
    ]);
  }
  if (act.disputes.length === 0) sheet.addRow(['', 'Спорных фактов нет']);
  sheet.addRow([]);

  bold(sheet.addRow([closingStatement(act)]));
  sheet.addRow([]);
  sheet.addRow(['От регионального оператора', act.operator.name, 'От перевозчика', act.carrier.name]);
  sheet.addRow(['', '_______________ / _______________ /', '', '_______________ / _______________ /']);
  sheet.addRow(['', 'М.П.', '', 'М.П.']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
