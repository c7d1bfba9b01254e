import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** No 0/O, 1/I/L, U/V pairs that are misread or misheard when dictated. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const TRACKING_CODE_PATTERN = new RegExp(`^CEN-[${ALPHABET}]{4}-[${ALPHABET}]{4}$`);

function group(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** `CEN-7K3Q-9XPD`: short enough to dictate, about 39 bits, unique in the database. */
export function newTrackingCode(): string {
  return `CEN-${group(4)}-${group(4)}`;
}

/** `4RTW-KM8P-Z2QH`: shown once to the citizen, about 58 bits; only its SHA-256 is stored. */
export function newTrackingSecret(): string {
  return `${group(4)}-${group(4)}-${group(4)}`;
}

/** Upper case, without spaces or dashes: what the citizen types may differ in format only. */
export function normalizeTrackingSecret(secret: string): string {
  return secret.toUpperCase().replace(/[\s-]/g, '');
}

export function normalizeTrackingCode(code: string): string {
  return code.trim().toUpperCase();
}

export function hashTrackingSecret(secret: string): string {
  return createHash('sha256')
    .update(`centinela-tracking:${normalizeTrackingSecret(secret)}`)
    .digest('hex');
}

export function trackingSecretMatches(secret: string, storedHash: string | null): boolean {
  const expected = Buffer.from(storedHash ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(hashTrackingSecret(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) && storedHash !== null;
}

/** A fresh code (checked unused) and secret for a new citizen incident, and the hash to store. */
export async function issueTracking(
  db: import('kysely').Kysely<import('../../../platform/db/schema.js').Database>,
): Promise<{ code: string; secret: string; secretHash: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newTrackingCode();
    const taken = await db
      .selectFrom('incidents')
      .select('id')
      .where('tracking_code', '=', code)
      .executeTakeFirst();
    if (taken) continue;
    const secret = newTrackingSecret();
    return { code, secret, secretHash: hashTrackingSecret(secret) };
  }
  throw new Error('could not find an unused tracking code');
}
