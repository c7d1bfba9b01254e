/**
 * A fresh Idempotency-Key (128 random bits, hex). Uses getRandomValues, which unlike randomUUID also
 * works on plain-HTTP intranet deployments.
 */
export function newIdempotencyKey(prefix = 'web'): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
