/**
 * Salvadoran DUI (Documento Único de Identidad): eight digits, a hyphen and a check digit,
 * e.g. `04567891-1`. Check digit = (10 − Σ dᵢ·(9 − i) for i = 0..7 mod 10) mod 10.
 */
const DUI_FORMAT = /^(\d{8})-?(\d)$/;

export function duiCheckDigit(eightDigits: string): number {
  if (!/^\d{8}$/.test(eightDigits)) throw new Error('duiCheckDigit expects exactly eight digits');
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number(eightDigits[i]) * (9 - i);
  return (10 - (sum % 10)) % 10;
}

/** Returns the DUI in canonical form `00000000-0`, or null when the format or check digit is wrong. */
export function normalizeDui(value: string): string | null {
  const match = DUI_FORMAT.exec(value.trim());
  if (!match) return null;
  const [, body, check] = match as unknown as [string, string, string];
  return duiCheckDigit(body) === Number(check) ? `${body}-${check}` : null;
}

export function isValidDui(value: string): boolean {
  return normalizeDui(value) !== null;
}
