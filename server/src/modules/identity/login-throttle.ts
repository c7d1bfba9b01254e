import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { UnitOfWork } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import { lockoutSeconds, secondsUntil } from './lockout.js';

/**
 * Whose failures are counted: a known user (users.failed_logins/locked_until) or a username that
 * does not exist (login_throttle), so both answer identically and usernames cannot be enumerated.
 */
export type ThrottleTarget = { userId: string } | { usernameKey: string };

/** Throttle rows of unknown usernames older than this are forgotten. */
const UNKNOWN_RETENTION_MS = 24 * 3600 * 1000;

/** Lock end of a username that does not exist (known users carry theirs in users.locked_until). */
export async function unknownUsernameLockedUntil(db: Db, usernameKey: string): Promise<Date | null> {
  const row = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('username_key', '=', usernameKey)
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

/** Throws ACCOUNT_LOCKED while `lockedUntil` is in the future. */
export function assertNotLocked(lockedUntil: Date | null, now: Date): void {
  if (lockedUntil && lockedUntil > now) throw accountLocked(lockedUntil, now);
}

export function accountLocked(lockedUntil: Date, now: Date): AppError {
  const retryAfter = secondsUntil(lockedUntil, now);
  return new AppError(
    'ACCOUNT_LOCKED',
    423,
    { retryAfter },
    { retryAfterSeconds: retryAfter, lockedUntil: lockedUntil.toISOString() },
  );
}

/**
 * Counts one failure inside the caller's transaction and locks the account when the back-off
 * schedule says so. Audits the failure (and the lockout). Returns the lock end, if any.
 */
export async function recordFailure(
  uow: UnitOfWork,
  target: ThrottleTarget,
  audit: { username: string; reason: string; stage: 'password' | 'mfa' | 'password_change' },
): Promise<Date | null> {
  const { now } = uow;
  let failures: number;
  if ('userId' in target) {
    const row = await uow.db
      .updateTable('users')
      .set({ failed_logins: sql`failed_logins + 1` })
      .where('id', '=', target.userId)
      .returning('failed_logins')
      .executeTakeFirstOrThrow();
    failures = row.failed_logins;
  } else {
    await uow.db
      .deleteFrom('login_throttle')
      .where('last_failure_at', '<', new Date(now.getTime() - UNKNOWN_RETENTION_MS))
      .execute();
    const row = await uow.db
      .insertInto('login_throttle')
      .values({ username_key: target.usernameKey, failures: 1, locked_until: null, last_failure_at: now })
      .onConflict((oc) =>
        oc
          .column('username_key')
          .doUpdateSet({ failures: sql`login_throttle.failures + 1`, last_failure_at: now }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    failures = row.failures;
  }
  const entityId = 'userId' in target ? target.userId : null;
  uow.audit({
    action: 'identity.login.failed',
    entityType: 'user',
    entityId,
    changes: { username: audit.username, reason: audit.reason, stage: audit.stage, failures },
  });
  const seconds = lockoutSeconds(failures);
  if (seconds === 0) return null;
  const lockedUntil = new Date(now.getTime() + seconds * 1000);
  if ('userId' in target) {
    await uow.db
      .updateTable('users')
      .set({ locked_until: lockedUntil })
      .where('id', '=', target.userId)
      .execute();
  } else {
    await uow.db
      .updateTable('login_throttle')
      .set({ locked_until: lockedUntil })
      .where('username_key', '=', target.usernameKey)
      .execute();
  }
  uow.audit({
    action: 'identity.login.locked',
    entityType: 'user',
    entityId,
    changes: {
      username: audit.username,
      failures,
      lockedSeconds: seconds,
      lockedUntil: lockedUntil.toISOString(),
    },
  });
  return lockedUntil;
}

/** Clears the failure counter after a successful login. */
export async function clearFailures(uow: UnitOfWork, userId: string): Promise<void> {
  await uow.db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('failed_logins', '>', 0), eb('locked_until', 'is not', null)]))
    .execute();
}
