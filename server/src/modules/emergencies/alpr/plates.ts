/**
 * Licence plates are compared in one normal form: uppercase, without spaces, dashes, dots or
 * underscores. Salvadoran plates are written with a class prefix and a dash, e.g. `P123-456`,
 * `P 123 456` or `p123456`, and all of them normalise to `P123456`; foreign and Frigate-read plates
 * (`ABC12345`) go through the same rule.
 */
export function normalizePlate(raw: string): string | null {
  const plate = raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-._·]/g, '');
  return /^[A-Z0-9]{2,10}$/.test(plate) ? plate : null;
}
