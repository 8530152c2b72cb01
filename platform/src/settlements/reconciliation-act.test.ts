import { describe, expect, it } from 'vitest';
import { buildReconciliationAct, closingStatement } from './reconciliation-act.js';
import { formatRub } from './russian-format.js';

const party = (name: string) => ({ name, inn: null, address: null });

describe('reconciliation act', () => {
  it('prints roubles the Russian way', () => {
    expect(['0', '5', '1000', '1234567.8', '-7772.58'].map(formatRub)).toEqual([
      '0,00',
      '5,00',
      '1 000,00',
      '1 234 567,80',
      '-7 772,58',
    ]);
  });

  it('closes with the carrier owing when payments exceed accruals', () => {
    const act = buildReconciliationAct({
      operator: party('РО'),
      carrier: party('Перевозчик'),
      contracts: [],
      from: '2025-03-01',
      to: '2025-03-31',
      openingBalanceRub: '100.10',
      settlements: [],
      payments: [
        {
          id: 'p',
          carrierId: 'c',
          carrierName: 'Перевозчик',
          carrierInn: '7700000001',
          contractNumber: null,
          paidOn: '2025-03-05',
          amountRub: '1100.20',
          documentNumber: '7',
          purpose: null,
        },
      ],
      disputes: [],
    });
    expect([act.debitTurnoverRub, act.creditTurnoverRub, act.closingBalanceRub]).toEqual([
      '1100.20',
      '0.00',
      '-1000.10',
    ]);
    expect(closingStatement(act)).toBe(
      'На 31.03.2025 задолженность Перевозчик перед РО составляет 1 000,10 руб.',
    );
  });
});
