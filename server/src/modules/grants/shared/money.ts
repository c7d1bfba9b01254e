import { AppError } from '../../../platform/http/errors.js';

/** Largest amount in cents the module accepts: 2^53 − 1 (exact in JSON numbers and JS). */
export const MAX_CENTS = Number.MAX_SAFE_INTEGER;

/**
 * Checks an amount in integer cents from a request. Each problem has its own stable code:
 * AMOUNT_NOT_A_NUMBER, AMOUNT_FRACTIONAL_CENTS (e.g. 10.5 cents), AMOUNT_NEGATIVE, AMOUNT_ZERO
 * (when zero is not allowed), AMOUNT_TOO_LARGE (above 2^53 − 1, where JSON numbers stop being exact).
 */
export function assertCents(value: unknown, field: string, options: { allowZero?: boolean } = {}): number {
  const fail = (code: string) => new AppError(code, 400, { field }, [{ field, code }]);
  if (typeof value !== 'number' || Number.isNaN(value)) throw fail('AMOUNT_NOT_A_NUMBER');
  if (value < 0) throw fail('AMOUNT_NEGATIVE');
  if (!Number.isFinite(value) || value > MAX_CENTS) throw fail('AMOUNT_TOO_LARGE');
  if (!Number.isInteger(value)) throw fail('AMOUNT_FRACTIONAL_CENTS');
  if (value === 0 && !options.allowZero) throw fail('AMOUNT_ZERO');
  return value;
}

/** Sum of cents that refuses to leave the exact range. */
export function sumCents(values: readonly number[], field: string): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (total > MAX_CENTS)
      throw new AppError('AMOUNT_TOO_LARGE', 400, { field }, [{ field, code: 'AMOUNT_TOO_LARGE' }]);
  }
  return total;
}

/** US$ with two decimals for messages and exports (cents stay integers everywhere else). */
export function formatUsd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}US$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}
