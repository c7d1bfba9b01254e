/**
 * Salvadoran phone numbers: country code +503 and 8 digits, the first 2 (fixed lines) or 6/7
 * (mobiles). Accepts the usual ways of writing them (`7777-1234`, `+503 7777 1234`, `(503) 77771234`,
 * `0050377771234`) and returns the E.164 form `+50377771234`, or null when it is not one.
 */
export function normalizeSvPhone(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[+0-9 ().-]{8,24}$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, '');
  if (digits.startsWith('00503')) digits = digits.slice(5);
  else if (digits.length === 11 && digits.startsWith('503')) digits = digits.slice(3);
  else if (trimmed.startsWith('+')) return null; // another country code
  if (!/^[267]\d{7}$/.test(digits)) return null;
  return `+503${digits}`;
}
