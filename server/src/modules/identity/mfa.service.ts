import type { RequestContext } from '../../platform/context.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import type { IdentityDeps } from './identity.deps.js';
import type { MfaChallenge, MfaEnrollment, TokenPair } from './identity.schemas.js';
import { accountLocked, assertNotLocked, recordFailure } from './login-throttle.js';
import { decryptSecret, encryptSecret } from './secret-box.js';
import { issueSession, revokeSessions } from './sessions.service.js';
import { checkTotp, newTotpSecret, TOTP_DIGITS, TOTP_ISSUER, TOTP_PERIOD_SECONDS, totpUri } from './totp.js';
import { findUserById, type UserRow } from './users.repo.js';

/** Validity of the token that carries a login from the password step to the MFA step. */
export const MFA_TOKEN_TTL_SECONDS = 300;

/** Who asks: a login waiting for MFA (sessionId null) or a signed-in user enrolling voluntarily. */
export interface MfaCaller {
  userId: string;
  sessionId: string | null;
}

const secretContext = (userId: string) => `identity.mfa.totp:${userId}`;

export function sealTotpSecret(deps: AppDeps, userId: string, secret: string): string {
  return encryptSecret(deps.config.dataEncryptionKey, secret, secretContext(userId));
}

function openTotpSecret(deps: IdentityDeps, userId: string, sealed: string): string {
  return decryptSecret(deps.config.dataEncryptionKey, sealed, secretContext(userId));
}

const userActor = (user: UserRow) => ({ type: 'user' as const, id: user.id, name: user.display_name });

/** The password was right but the login needs a TOTP code (or an enrolment) before a session. */
export async function startMfaChallenge(
  deps: IdentityDeps,
  ctx: RequestContext,
  user: UserRow,
): Promise<MfaChallenge> {
  const enrolled = user.mfa_enabled_at !== null && user.mfa_secret_enc !== null;
  const now = deps.clock.now();
  const mfaToken = await deps.tokens.sign({ sub: user.id, typ: 'mfa' }, MFA_TOKEN_TTL_SECONDS, now);
  await deps.tx(ctx, async (uow) => {
    uow.audit({
      action: 'identity.login.mfa_challenged',
      entityType: 'user',
      entityId: user.id,
      actor: userActor(user),
      changes: { username: user.username, enrolled },
    });
  });
  return {
    status: enrolled ? 'mfa_required' : 'mfa_enrollment_required',
    mfaToken,
    expiresIn: MFA_TOKEN_TTL_SECONDS,
  };
}

async function activeUser(deps: IdentityDeps, userId: string): Promise<UserRow> {
  const user = await findUserById(deps.db, userId);
  if (!user?.active) throw new AppError('TOKEN_INVALID', 401);
  return user;
}

/** Starts (or restarts) TOTP enrolment: a new secret is kept, encrypted, until a code confirms it. */
export async function enrollMfa(
  deps: IdentityDeps,
  ctx: RequestContext,
  caller: MfaCaller,
): Promise<MfaEnrollment> {
  const user = await activeUser(deps, caller.userId);
  if (user.mfa_enabled_at !== null) throw new AppError('MFA_ALREADY_ENROLLED', 409);
  const secret = newTotpSecret();
  await deps.tx(ctx, async (uow) => {
    await uow.db
      .updateTable('users')
      .set({ mfa_pending_secret_enc: sealTotpSecret(deps, user.id, secret), updated_at: uow.now })
      .where('id', '=', user.id)
      .execute();
    uow.audit({
      action: 'identity.mfa.enrollment_started',
      entityType: 'user',
      entityId: user.id,
      actor: userActor(user),
      changes: { via: caller.sessionId ? 'session' : 'login' },
    });
  });
  return {
    otpauthUri: totpUri(secret, user.username),
    secret,
    issuer: TOTP_ISSUER,
    account: user.username,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  };
}

/**
 * Checks a TOTP code. It confirms a pending enrolment and/or completes a login waiting for MFA, and
 * returns a token pair for a new MFA-verified session (a voluntary enrolment from a signed-in session
 * replaces that session). Wrong codes count as failed logins (lockout); a code is accepted only once.
 */
export async function verifyMfa(
  deps: IdentityDeps,
  ctx: RequestContext,
  caller: MfaCaller,
  code: string,
  userAgent: string | null,
): Promise<TokenPair> {
  const user = await activeUser(deps, caller.userId);
  const now = deps.clock.now();
  assertNotLocked(user.locked_until, now);
  const enrolling = user.mfa_enabled_at === null;
  if (!enrolling && caller.sessionId) throw new AppError('MFA_ALREADY_ENROLLED', 409);
  const sealed = enrolling ? user.mfa_pending_secret_enc : user.mfa_secret_enc;
  if (!sealed) throw new AppError('MFA_ENROLLMENT_NOT_STARTED', 409);
  const check = await checkTotp(openTotpSecret(deps, user.id, sealed), code, now, user.mfa_last_step);

  if (!check.ok) {
    const lockedUntil = await deps.tx(ctx, (uow) =>
      recordFailure(
        uow,
        { userId: user.id },
        {
          username: user.username,
          reason: check.reason === 'reused' ? 'mfa_code_reused' : 'mfa_code_invalid',
          stage: 'mfa',
        },
      ),
    );
    if (lockedUntil) throw accountLocked(lockedUntil, now);
    throw new AppError(check.reason === 'reused' ? 'MFA_CODE_REUSED' : 'MFA_CODE_INVALID', 401);
  }

  await deps.tx(ctx, async (uow) => {
    const update = enrolling
      ? {
          mfa_last_step: check.step,
          mfa_secret_enc: sealed,
          mfa_pending_secret_enc: null,
          mfa_enabled_at: uow.now,
        }
      : { mfa_last_step: check.step };
    // Conditional on the step and the secret: a concurrent use of the same code (or a concurrent
    // re-enrolment) makes this update match no row.
    const claimed = await uow.db
      .updateTable('users')
      .set({ ...update, updated_at: uow.now })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', check.step)]))
      .where(enrolling ? 'mfa_pending_secret_enc' : 'mfa_secret_enc', '=', sealed)
      .returning('id')
      .executeTakeFirst();
    if (!claimed) throw new AppError('MFA_CODE_REUSED', 401);
    uow.audit({
      action: enrolling ? 'identity.mfa.enrolled' : 'identity.mfa.verified',
      entityType: 'user',
      entityId: user.id,
      actor: userActor(user),
      changes: { username: user.username, via: caller.sessionId ? 'session' : 'login' },
    });
    if (caller.sessionId)
      await revokeSessions(uow, { sessionId: caller.sessionId }, 'replaced_after_mfa_enrolment');
  });
  return issueSession(deps, ctx, user, {
    mfaVerified: true,
    userAgent,
    method: enrolling ? 'totp_enrolment' : 'password+totp',
  });
}

/** An administrator clears a user's TOTP (lost phone): the user enrols again at the next login. */
export async function resetMfa(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  userId: string,
  reason: string,
): Promise<void> {
  if (principal.id === userId) throw new AppError('SELF_MFA_RESET_FORBIDDEN', 403);
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND', 404);
  if (user.mfa_enabled_at === null && user.mfa_pending_secret_enc === null) {
    throw new AppError('MFA_NOT_ENROLLED', 409);
  }
  await deps.tx(ctx, async (uow) => {
    await uow.db
      .updateTable('users')
      .set({
        mfa_secret_enc: null,
        mfa_pending_secret_enc: null,
        mfa_enabled_at: null,
        mfa_last_step: null,
        updated_at: uow.now,
      })
      .where('id', '=', userId)
      .execute();
    uow.audit({
      action: 'identity.mfa.reset',
      entityType: 'user',
      entityId: userId,
      reason,
      changes: { username: user.username },
    });
    await revokeSessions(uow, { userId }, 'mfa_reset');
  });
}

/** Provisions a known TOTP secret as already enrolled (demo seed; test factories). */
export async function provisionMfaSecret(
  deps: AppDeps,
  ctx: RequestContext,
  userId: string,
  secret: string,
): Promise<void> {
  await deps.tx(ctx, async (uow) => {
    await uow.db
      .updateTable('users')
      .set({
        mfa_secret_enc: sealTotpSecret(deps, userId, secret),
        mfa_pending_secret_enc: null,
        mfa_enabled_at: uow.now,
        mfa_last_step: null,
        updated_at: uow.now,
      })
      .where('id', '=', userId)
      .execute();
    uow.audit({
      action: 'identity.mfa.enrolled',
      entityType: 'user',
      entityId: userId,
      changes: { via: 'provisioned' },
    });
  });
}
