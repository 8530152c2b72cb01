import { Decimal } from 'decimal.js';

/**
 * The one decimal type of settlements: 40 significant digits (shares of a weighbridge mass are
 * never cut short) and half-up rounding, applied only where settlement-rules.ts says so.
 */
export const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Exact = InstanceType<typeof Exact>;

/** Rounds money to kopecks, half-up (DOMAIN.md: exact decimals, half-up to kopecks). */
export function toKopecks(value: Exact): Exact {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Rounds a measure (m³, t) to thousandths, half-up. */
export function toThousandths(value: Exact): Exact {
  return value.toDecimalPlaces(3, Decimal.ROUND_HALF_UP);
}

/** "12345.60": the API's decimal string with a fixed number of decimals. */
export function fixed(value: Exact, decimals: number): string {
  return value.toFixed(decimals);
}
