import { generateSecret, generateURI, verify } from 'otplib';

/** TOTP as authenticator apps expect it: SHA-1, 6 digits, 30-second steps (RFC 6238). */
export const TOTP_ISSUER = 'Centinela MJSP';
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Accept the previous and next step too (clock drift of phones). */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

/** A new random base32 secret (20 bytes, 160 bits). */
export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: account, secret, period: TOTP_PERIOD_SECONDS });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'reused' };

/**
 * Checks `code` at time `now`. A code whose time step is not after `lastStep` (the last accepted one)
 * is a replay: each code is accepted at most once, and never one older than a code already used.
 */
export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  lastStep: number | null,
): Promise<TotpCheck> {
  let result: Awaited<ReturnType<typeof verify>>;
  try {
    result = await verify({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      period: TOTP_PERIOD_SECONDS,
      epochTolerance: TOLERANCE_SECONDS,
    });
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'invalid' };
  if (lastStep !== null && result.timeStep <= lastStep) return { ok: false, reason: 'reused' };
  return { ok: true, step: result.timeStep };
}
