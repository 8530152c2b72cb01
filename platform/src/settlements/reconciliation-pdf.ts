import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { closingStatement, type ReconciliationAct } from './reconciliation-act.js';
import { formatDate, formatMonth, formatRub } from './russian-format.js';

// PDF's standard fonts have no Cyrillic: DejaVu (npm `dejavu-fonts-ttf`, TrueType, embedded as a subset).
const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 40;
const PAGE_WIDTH = 595.28; // A4, points
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const PAGE_BOTTOM = 841.89 - MARGIN;

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

/** Draws a bordered table row by row, starting a new page when a row would not fit. */
function drawTable(
  doc: PDFKit.PDFDocument,
  columns: Column[],
  rows: string[][],
  boldRows = new Set<number>(),
): void {
  const padding = 3;
  const drawRow = (cells: string[], bold: boolean): void => {
    doc.font(bold ? 'bold' : 'regular').fontSize(8);
    const height =
      Math.max(
        ...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i]!.width - 2 * padding })),
      ) +
      2 * padding;
    if (doc.y + height > PAGE_BOTTOM) doc.addPage();
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const column = columns[i]!;
      doc.rect(x, top, column.width, height).stroke();
      doc.text(cell, x + padding, top + padding, { width: column.width - 2 * padding, align: column.align });
      x += column.width;
    });
    doc.x = MARGIN;
    doc.y = top + height;
  };
  drawRow(
    columns.map((c) => c.title),
    true,
  );
  rows.forEach((row, i) => drawRow(row, boldRows.has(i)));
  doc.moveDown(0.8);
}

const money = (value: string | null): string => (value === null ? '' : formatRub(value));

/** The act as an A4 PDF (Russian). */
export async function renderReconciliationPdf(act: ReconciliationAct): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: 'Акт сверки взаиморасчётов' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);

  const party = (p: ReconciliationAct['operator']): string =>
    [p.name, p.inn ? `ИНН ${p.inn}` : null, p.kpp ? `КПП ${p.kpp}` : null, p.address]
      .filter(Boolean)
      .join(', ');

  doc.font('bold').fontSize(13).text('АКТ СВЕРКИ ВЗАИМНЫХ РАСЧЁТОВ', { align: 'center' });
  doc
    .font('regular')
    .fontSize(10)
    .text(`за период с ${formatDate(act.from)} по ${formatDate(act.to)}`, { align: 'center' })
    .moveDown();
  doc.text(`Региональный оператор: ${party(act.operator)}`);
  doc.text(`Перевозчик: ${party(act.carrier)}`);
  const contracts = act.contracts
    .map((c) => `№ ${c.number} (${c.lotName}, с ${formatDate(c.validFrom)} по ${formatDate(c.validTo)})`)
    .join('; ');
  doc.text(`Договоры: ${contracts || '—'}`).moveDown(0.5);
  doc.text(
    'Мы, нижеподписавшиеся, составили настоящий акт о том, что состояние взаимных расчётов ' +
      'по данным учёта регионального оператора следующее (руб.):',
  );
  doc.moveDown(0.5);

  const opening = act.openingBalanceRub;
  const closing = act.closingBalanceRub;
  const debitSide = (balance: string): string | null => (balance.startsWith('-') ? balance.slice(1) : null);
  const creditSide = (balance: string): string | null => (balance.startsWith('-') ? null : balance);
  const ledgerRows = [
    ['', 'Сальдо начальное', money(debitSide(opening)), money(creditSide(opening))],
    ...act.lines.map((l) => [formatDate(l.date), l.document, money(l.debitRub), money(l.creditRub)]),
    ['', 'Обороты за период', money(act.debitTurnoverRub), money(act.creditTurnoverRub)],
    ['', 'Сальдо конечное', money(debitSide(closing)), money(creditSide(closing))],
  ];
  drawTable(
    doc,
    [
      { title: 'Дата', width: 65, align: 'left' },
      { title: 'Документ', width: CONTENT_WIDTH - 65 - 2 * 90, align: 'left' },
      { title: 'Дебет', width: 90, align: 'right' },
      { title: 'Кредит', width: 90, align: 'right' },
    ],
    ledgerRows,
    new Set([0, ledgerRows.length - 2, ledgerRows.length - 1]),
  );

  doc.font('bold').fontSize(10).text('Начисления по лотам');
  doc.moveDown(0.3);
  drawTable(
    doc,
    [
      { title: 'Лот', width: CONTENT_WIDTH - 70 - 80 - 3 * 85, align: 'left' },
      { title: 'Договор', width: 70, align: 'left' },
      { title: 'Период', width: 80, align: 'left' },
      { title: 'Начислено', width: 85, align: 'right' },
      { title: 'Удержано', width: 85, align: 'right' },
      { title: 'К оплате', width: 85, align: 'right' },
    ],
    act.lots.map((l) => [
      l.lotName,
      l.contractNumber,
      formatMonth(l.period),
      formatRub(l.accrualRub),
      formatRub(l.deductionRub),
      formatRub(l.totalRub),
    ]),
  );

  doc.font('bold').fontSize(10).text('Спорные факты и их разрешение');
  doc.moveDown(0.3);
  const STATUS = { open: 'на рассмотрении', accepted: 'принято', rejected: 'отклонено' } as const;
  if (act.disputes.length === 0) {
    doc.font('regular').fontSize(9).text('Спорных фактов нет.').moveDown(0.8);
  } else {
    drawTable(
      doc,
      [
        { title: 'Дата', width: 65, align: 'left' },
        { title: 'Предмет и доводы перевозчика', width: CONTENT_WIDTH - 65 - 80 - 150, align: 'left' },
        { title: 'Решение', width: 80, align: 'left' },
        { title: 'Комментарий диспетчера', width: 150, align: 'left' },
      ],
      act.disputes.map((d) => [
        formatDate(d.subjectDate),
        `${d.subject}: ${d.comment}`,
        STATUS[d.status],
        d.resolutionComment ?? '',
      ]),
    );
  }

  doc.font('bold').fontSize(10).text(closingStatement(act)).moveDown(2);
  if (doc.y + 90 > PAGE_BOTTOM) doc.addPage();
  const top = doc.y;
  const half = CONTENT_WIDTH / 2;
  const signature = (x: number, title: string, name: string): void => {
    doc.font('regular').fontSize(9);
    doc.text(title, x, top, { width: half - 20 });
    doc.text(name, x, doc.y, { width: half - 20 });
    doc.text('_______________ / _______________ /', x, doc.y + 25, { width: half - 20 });
    doc.text('М.П.', x, doc.y + 5, { width: half - 20 });
  };
  signature(MARGIN, 'От регионального оператора', act.operator.name);
  signature(MARGIN + half, 'От перевозчика', act.carrier.name);
  doc.end();
  return finished;
}
