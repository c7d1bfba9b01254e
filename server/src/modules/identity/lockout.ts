/**
 * Login lockout with exponential back-off: after LOCKOUT_THRESHOLD consecutive failures the account
 * is locked for 1 minute, and every further failure after a lock doubles it, up to 1 hour.
 * Failures are counted per username and reset by a successful login.
 */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_BASE_SECONDS = 60;
export const LOCKOUT_MAX_SECONDS = 3600;

/** Seconds to lock the account after its `failures`-th consecutive failure (0: no lock). */
export function lockoutSeconds(failures: number): number {
  if (failures < LOCKOUT_THRESHOLD) return 0;
  const exponent = Math.min(failures - LOCKOUT_THRESHOLD, 16);
  return Math.min(LOCKOUT_BASE_SECONDS * 2 ** exponent, LOCKOUT_MAX_SECONDS);
}

/** Whole seconds until `lockedUntil`, at least 1 while locked; 0 when not locked. */
export function secondsUntil(lockedUntil: Date | null, now: Date): number {
  if (!lockedUntil || lockedUntil <= now) return 0;
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}
