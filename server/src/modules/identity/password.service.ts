import type { Locale, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import { t } from '../../platform/i18n/catalog.js';
import type { IdentityDeps } from './identity.deps.js';
import type { PasswordChangeRequest } from './identity.schemas.js';
import { accountLocked, assertNotLocked, recordFailure } from './login-throttle.js';
import { hashPassword, passwordPolicyViolations, verifyPassword } from './passwords.js';
import { revokeSessions } from './sessions.service.js';
import { findUserById } from './users.repo.js';

/** 400 PASSWORD_POLICY_VIOLATION listing every rule the password breaks, in the caller's language. */
export function passwordPolicyError(violations: string[], field: string, locale: Locale): AppError {
  return new AppError(
    'PASSWORD_POLICY_VIOLATION',
    400,
    {},
    violations.map((code) => ({ field, code, message: t(locale, `password.${code}`) })),
  );
}

/**
 * Changes the caller's own password: the current one must be right (a wrong one counts as a failed
 * login), the new one must satisfy the policy and differ from the current one. Every other session
 * of the user is revoked; the must-change-password flag is cleared.
 */
export async function changePassword(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  input: PasswordChangeRequest,
): Promise<{ revokedSessions: number }> {
  const user = await findUserById(deps.db, principal.id);
  if (!user?.active) throw new AppError('TOKEN_INVALID', 401);
  const now = deps.clock.now();
  assertNotLocked(user.locked_until, now);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    const locked = await deps.tx(ctx, (uow) =>
      recordFailure(
        uow,
        { userId: user.id },
        { username: user.username, reason: 'wrong_current_password', stage: 'password_change' },
      ),
    );
    if (locked) throw accountLocked(locked, now);
    throw new AppError('CURRENT_PASSWORD_INVALID', 400);
  }
  const violations = passwordPolicyViolations(input.newPassword, user.username);
  if (input.newPassword === input.currentPassword) violations.push('PASSWORD_SAME_AS_CURRENT');
  if (violations.length > 0) throw passwordPolicyError(violations, 'newPassword', ctx.locale);

  const passwordHash = await hashPassword(input.newPassword);
  const revoked = await deps.tx(ctx, async (uow) => {
    await uow.db
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        password_changed_at: uow.now,
        must_change_password: false,
        failed_logins: 0,
        locked_until: null,
        updated_at: uow.now,
      })
      .where('id', '=', user.id)
      .execute();
    uow.audit({
      action: 'identity.password.changed',
      entityType: 'user',
      entityId: user.id,
      changes: { username: user.username, wasRequired: user.must_change_password },
    });
    return revokeSessions(uow, { userId: user.id, exceptSessionId: principal.sessionId }, 'password_changed');
  });
  return { revokedSessions: revoked.length };
}
