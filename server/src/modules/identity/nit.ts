/**
 * Salvadoran NIT (Número de Identificación Tributaria): fourteen digits written `0614-050707-104-8`
 * — municipality code (4), date of birth or incorporation DDMMYY (6), correlative (3), check digit.
 * Nationals' and legal persons' NIT start with 0 or 1, foreigners' with 9.
 * Check digit: for correlatives up to 100 (older NIT) Σ dᵢ·(14 − i) mod 11 mod 10; above 100
 * (current NIT) weights 2,7,6,5,4,3,2,7,6,5,4,3,2 and (−Σ mod 11) mod 10.
 */
const NIT_FORMAT = /^(\d{4})-?(\d{6})-?(\d{3})-?(\d)$/;
const NEW_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

export function nitCheckDigit(thirteenDigits: string): number {
  if (!/^\d{13}$/.test(thirteenDigits)) throw new Error('nitCheckDigit expects exactly thirteen digits');
  const digits = [...thirteenDigits].map(Number);
  if (Number(thirteenDigits.slice(10, 13)) <= 100) {
    const total = digits.reduce((sum, d, i) => sum + d * (14 - i), 0);
    return (total % 11) % 10;
  }
  const total = digits.reduce((sum, d, i) => sum + d * NEW_WEIGHTS[i]!, 0);
  return ((11 - (total % 11)) % 11) % 10;
}

/** Returns the NIT in canonical form `0000-000000-000-0`, or null when format or check digit is wrong. */
export function normalizeNit(value: string): string | null {
  const match = NIT_FORMAT.exec(value.trim().replace(/\s+/g, ''));
  if (!match) return null;
  const [, municipality, date, correlative, check] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!['0', '1', '9'].includes(municipality[0]!)) return null;
  if (nitCheckDigit(`${municipality}${date}${correlative}`) !== Number(check)) return null;
  return `${municipality}-${date}-${correlative}-${check}`;
}

export function isValidNit(value: string): boolean {
  return normalizeNit(value) !== null;
}
