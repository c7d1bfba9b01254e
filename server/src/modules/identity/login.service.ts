import type { RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/http/errors.js';
import { activeAssignments } from './grants.js';
import type { IdentityDeps } from './identity.deps.js';
import type { LoginRequest, LoginResponse } from './identity.schemas.js';
import {
  accountLocked,
  recordFailure,
  type ThrottleTarget,
  unknownUsernameLockedUntil,
} from './login-throttle.js';
import { startMfaChallenge } from './mfa.service.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { roleRequiresMfa } from './roles.js';
import { issueSession } from './sessions.service.js';
import { findUserByUsername } from './users.repo.js';

/**
 * Password step of a login. Unknown usernames, wrong passwords and inactive accounts all answer
 * INVALID_CREDENTIALS after the same argon2 work; lockout counts failures per username (known or not),
 * so the answers never tell whether a username exists. Users holding a role that requires MFA, or
 * who enrolled voluntarily, get an MFA challenge instead of a session.
 */
export async function login(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: LoginRequest,
  userAgent: string | null,
): Promise<LoginResponse> {
  const usernameKey = input.username.trim().toLowerCase();
  const user = await findUserByUsername(deps.db, usernameKey);
  const target: ThrottleTarget = user ? { userId: user.id } : { usernameKey };
  const now = deps.clock.now();

  const lockedUntil = user ? user.locked_until : await unknownUsernameLockedUntil(deps.db, usernameKey);
  if (lockedUntil && lockedUntil > now) {
    await deps.tx(ctx, async (uow) => {
      uow.audit({
        action: 'identity.login.refused_locked',
        entityType: 'user',
        entityId: user?.id ?? null,
        changes: { username: input.username, lockedUntil: lockedUntil.toISOString() },
      });
    });
    throw accountLocked(lockedUntil, now);
  }

  const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
  if (!user || !passwordOk) {
    const locked = await deps.tx(ctx, (uow) =>
      recordFailure(uow, target, {
        username: input.username,
        reason: user ? 'wrong_password' : 'unknown_username',
        stage: 'password',
      }),
    );
    if (locked) throw accountLocked(locked, now);
    throw new AppError('INVALID_CREDENTIALS', 401);
  }
  if (!user.active) {
    await deps.tx(ctx, async (uow) => {
      uow.audit({
        action: 'identity.login.failed',
        entityType: 'user',
        entityId: user.id,
        changes: { username: user.username, reason: 'inactive', stage: 'password' },
      });
    });
    throw new AppError('INVALID_CREDENTIALS', 401);
  }

  const roles = (await activeAssignments(deps.db, user.id)).map((a) => a.role_code);
  if (user.mfa_enabled_at !== null || roleRequiresMfa(roles)) return startMfaChallenge(deps, ctx, user);
  return issueSession(deps, ctx, user, { mfaVerified: false, userAgent, method: 'password' });
}
