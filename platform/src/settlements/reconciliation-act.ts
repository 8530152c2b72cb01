import {
  approvedSettlements,
  balanceBefore,
  contractsInForce,
  disputesBetween,
  loadCarrierParty,
  loadOperatorProfile,
  paymentsBetween,
  type LedgerContract,
  type LedgerDispute,
  type LedgerPayment,
  type LedgerSettlement,
  type Party,
} from '../db/carrier-ledger.js';
import type { Queryable } from '../db/pool.js';
import { Exact, fixed } from './exact-decimal.js';
import { formatDate, formatMonth, formatRub } from './russian-format.js';

/**
 * Акт сверки взаиморасчётов: the operator's ledger with one carrier (account 60 from the operator's
 * side). Credit: services accrued (the operator owes more); debit: deductions and payments.
 * A positive balance is a credit balance: the operator owes the carrier.
 */
export interface ActLine {
  date: string;
  document: string;
  debitRub: string | null;
  creditRub: string | null;
}

export interface LotAccrual {
  contractNumber: string;
  lotName: string;
  period: string;
  accrualRub: string;
  deductionRub: string;
  totalRub: string;
}

export interface ReconciliationAct {
  operator: Party;
  carrier: Party;
  contracts: LedgerContract[];
  from: string;
  to: string;
  openingBalanceRub: string;
  lines: ActLine[];
  debitTurnoverRub: string;
  creditTurnoverRub: string;
  closingBalanceRub: string;
  lots: LotAccrual[];
  disputes: LedgerDispute[];
}

/** Builds the act from ledger rows (pure; the loader below reads them). */
export function buildReconciliationAct(input: {
  operator: Party;
  carrier: Party;
  contracts: LedgerContract[];
  from: string;
  to: string;
  openingBalanceRub: string;
  settlements: LedgerSettlement[];
  payments: LedgerPayment[];
  disputes: LedgerDispute[];
}): ReconciliationAct {
  const lines: (ActLine & { order: number })[] = [];
  for (const s of input.settlements) {
    const month = formatMonth(s.period);
    lines.push({
      order: 0,
      date: s.periodTo,
      document: `Акт оказанных услуг за ${month}, договор № ${s.contractNumber}, ${s.lotName}`,
      debitRub: null,
      creditRub: s.accrualRub,
    });
    if (!new Exact(s.deductionRub).isZero()) {
      lines.push({
        order: 1,
        date: s.periodTo,
        document: `Удержание за ${month} по договору № ${s.contractNumber}: пропуски ${s.visitsMissed}, опоздания ${s.visitsLate}`,
        debitRub: s.deductionRub,
        creditRub: null,
      });
    }
  }
  for (const p of input.payments) {
    lines.push({
      order: 2,
      date: p.paidOn,
      document: `Оплата, платёжное поручение № ${p.documentNumber}`,
      debitRub: p.amountRub,
      creditRub: null,
    });
  }
  lines.sort((a, b) => a.date.localeCompare(b.date) || a.order - b.order);
  const sum = (values: (string | null)[]): Exact =>
    values.reduce((total: Exact, v) => (v === null ? total : total.plus(v)), new Exact(0));
  const debit = sum(lines.map((l) => l.debitRub));
  const credit = sum(lines.map((l) => l.creditRub));
  const closing = new Exact(input.openingBalanceRub).plus(credit).minus(debit);
  return {
    operator: input.operator,
    carrier: input.carrier,
    contracts: input.contracts,
    from: input.from,
    to: input.to,
    openingBalanceRub: fixed(new Exact(input.openingBalanceRub), 2),
    lines: lines.map(({ order: _order, ...line }) => line),
    debitTurnoverRub: fixed(debit, 2),
    creditTurnoverRub: fixed(credit, 2),
    closingBalanceRub: fixed(closing, 2),
    lots: input.settlements.map((s) => ({
      contractNumber: s.contractNumber,
      lotName: s.lotName,
      period: s.period,
      accrualRub: s.accrualRub,
      deductionRub: s.deductionRub,
      totalRub: s.totalRub,
    })),
    disputes: input.disputes,
  };
}

/** Reads the act of one carrier for [from, to]; undefined when there is no such carrier. */
export async function loadReconciliationAct(
  db: Queryable,
  carrierId: string,
  from: string,
  to: string,
): Promise<ReconciliationAct | undefined> {
  const carrier = await loadCarrierParty(db, carrierId);
  if (!carrier) return undefined;
  return buildReconciliationAct({
    operator: await loadOperatorProfile(db),
    carrier,
    contracts: await contractsInForce(db, carrierId, from, to),
    from,
    to,
    openingBalanceRub: await balanceBefore(db, carrierId, from),
    settlements: await approvedSettlements(db, from, to, carrierId),
    payments: await paymentsBetween(db, from, to, carrierId),
    disputes: await disputesBetween(db, carrierId, from, to),
  });
}

/** The act's closing sentence (Russian): who owes whom at the end of the period. */
export function closingStatement(act: ReconciliationAct): string {
  const balance = new Exact(act.closingBalanceRub);
  const date = formatDate(act.to);
  if (balance.isZero()) return `На ${date} взаимная задолженность отсутствует.`;
  const amount = `${formatRub(fixed(balance.abs(), 2))} руб.`;
  return balance.isPositive()
    ? `На ${date} задолженность ${act.operator.name} перед ${act.carrier.name} составляет ${amount}`
    : `На ${date} задолженность ${act.carrier.name} перед ${act.operator.name} составляет ${amount}`;
}
