import type { LedgerPayment, LedgerSettlement } from '../db/carrier-ledger.js';
import { Exact, fixed } from './exact-decimal.js';
import { formatMonth } from './russian-format.js';

/**
 * Accounting entries (проводки) of carrier settlements, per the Russian chart of accounts
 * (Приказ Минфина № 94н), as the operator books them:
 *  - services accrued:       Дт 20.01 (основное производство)  Кт 60.01 (расчёты с поставщиками);
 *  - deduction (штраф):      Дт 76.02 (расчёты по претензиям)  Кт 91.01 (прочие доходы),
 *    and offset against the debt to the carrier: Дт 60.01  Кт 76.02;
 *  - payment:                Дт 60.01  Кт 51 (расчётные счета).
 * VAT is not split out: amounts are as the contracts state them (carriers' VAT is a later issue).
 */
export const CHART = {
  production: { code: '20.01', name: 'Основное производство' },
  suppliers: { code: '60.01', name: 'Расчёты с поставщиками и подрядчиками' },
  claims: { code: '76.02', name: 'Расчёты по претензиям' },
  otherIncome: { code: '91.01', name: 'Прочие доходы' },
  bank: { code: '51', name: 'Расчётные счета' },
} as const;

export interface AccountingEntry {
  date: string;
  debit: string;
  credit: string;
  amountRub: string;
  description: string;
  document: string;
  counterparty: string;
  counterpartyInn: string;
  contract: string | null;
  source: 'settlement' | 'payment';
  sourceId: string;
}

/** Entries of approved settlements (dated by the period's last day) and of payments, in date order. */
export function buildAccountingEntries(
  settlements: readonly LedgerSettlement[],
  payments: readonly LedgerPayment[],
): AccountingEntry[] {
  const entries: AccountingEntry[] = [];
  for (const s of settlements) {
    const base = {
      date: s.periodTo,
      document: `Расчёт с перевозчиком за ${formatMonth(s.period)}, версия ${s.version}`,
      counterparty: s.carrierName,
      counterpartyInn: s.carrierInn,
      contract: s.contractNumber,
      source: 'settlement' as const,
      sourceId: s.id,
    };
    entries.push({
      ...base,
      debit: CHART.production.code,
      credit: CHART.suppliers.code,
      amountRub: s.accrualRub,
      description: `Услуги по транспортированию ТКО, ${s.lotName}`,
    });
    if (!new Exact(s.deductionRub).isZero()) {
      entries.push(
        {
          ...base,
          debit: CHART.claims.code,
          credit: CHART.otherIncome.code,
          amountRub: s.deductionRub,
          description: `Штраф за пропуски (${s.visitsMissed}) и опоздания (${s.visitsLate}), ${s.lotName}`,
        },
        {
          ...base,
          debit: CHART.suppliers.code,
          credit: CHART.claims.code,
          amountRub: s.deductionRub,
          description: `Зачёт штрафа в счёт оплаты услуг, ${s.lotName}`,
        },
      );
    }
  }
  for (const p of payments) {
    entries.push({
      date: p.paidOn,
      debit: CHART.suppliers.code,
      credit: CHART.bank.code,
      amountRub: p.amountRub,
      description: p.purpose ?? 'Оплата услуг по транспортированию ТКО',
      document: `Платёжное поручение № ${p.documentNumber}`,
      counterparty: p.carrierName,
      counterpartyInn: p.carrierInn,
      contract: p.contractNumber,
      source: 'payment',
      sourceId: p.id,
    });
  }
  // Stable: within a date, settlements keep their order before payments.
  return entries.sort((a, b) => a.date.localeCompare(b.date));
}

/** Debit and credit turnover per account, and the grand totals (equal by construction of double entry). */
export function turnovers(entries: readonly AccountingEntry[]): {
  debitRub: string;
  creditRub: string;
  accounts: Record<string, { debitRub: string; creditRub: string }>;
} {
  const accounts = new Map<string, { debit: Exact; credit: Exact }>();
  const account = (code: string) => {
    let found = accounts.get(code);
    if (!found) accounts.set(code, (found = { debit: new Exact(0), credit: new Exact(0) }));
    return found;
  };
  let debit = new Exact(0);
  let credit = new Exact(0);
  for (const entry of entries) {
    account(entry.debit).debit = account(entry.debit).debit.plus(entry.amountRub);
    account(entry.credit).credit = account(entry.credit).credit.plus(entry.amountRub);
    debit = debit.plus(entry.amountRub);
    credit = credit.plus(entry.amountRub);
  }
  return {
    debitRub: fixed(debit, 2),
    creditRub: fixed(credit, 2),
    accounts: Object.fromEntries(
      [...accounts].map(([code, t]) => [
        code,
        { debitRub: fixed(t.debit, 2), creditRub: fixed(t.credit, 2) },
      ]),
    ),
  };
}
