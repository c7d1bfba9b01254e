import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/context.js';
import type { UnitOfWork } from '../../platform/db/transaction.js';
import { AppError, forbidden } from '../../platform/http/errors.js';
import { hasPermission, type Principal } from '../../platform/http/principal.js';
import type { IdentityDeps } from './identity.deps.js';
import { IDENTITY_PERMISSIONS } from './identity.policy.js';
import type { Session, TokenPair } from './identity.schemas.js';
import { clearFailures } from './login-throttle.js';
import { randomSecret, sha256Hex } from './tokens.js';

export type LoginMethod = 'password' | 'password+totp' | 'totp_enrolment';

/**
 * Starts a session after a complete login and returns its first access + refresh token pair.
 * Clears the failure counter and audits the successful login.
 */
export async function issueSession(
  deps: IdentityDeps,
  ctx: RequestContext,
  user: { id: string; username: string; display_name: string; must_change_password: boolean },
  options: { mfaVerified: boolean; userAgent: string | null; method: LoginMethod },
): Promise<TokenPair> {
  const sessionId = randomUUID();
  const refreshToken = randomSecret();
  const now = await deps.tx(ctx, async (uow) => {
    const expiresAt = new Date(uow.now.getTime() + deps.config.refreshTokenTtlSeconds * 1000);
    await uow.db
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: user.id,
        created_at: uow.now,
        expires_at: expiresAt,
        last_used_at: uow.now,
        mfa_verified: options.mfaVerified,
        revoked_at: null,
        revoke_reason: null,
        ip: ctx.ip,
        user_agent: options.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await uow.db
      .insertInto('refresh_tokens')
      .values({
        id: randomUUID(),
        session_id: sessionId,
        token_hash: sha256Hex(refreshToken),
        created_at: uow.now,
        expires_at: expiresAt,
        used_at: null,
        replaced_by: null,
      })
      .execute();
    await clearFailures(uow, user.id);
    uow.audit({
      action: 'identity.login.succeeded',
      entityType: 'user',
      entityId: user.id,
      actor: { type: 'user', id: user.id, name: user.display_name },
      changes: {
        username: user.username,
        sessionId,
        method: options.method,
        mfaVerified: options.mfaVerified,
      },
    });
    return uow.now;
  });
  return signPair(deps, user.id, sessionId, refreshToken, user.must_change_password, now);
}

async function signPair(
  deps: IdentityDeps,
  userId: string,
  sessionId: string,
  refreshToken: string,
  mustChangePassword: boolean,
  now: Date,
): Promise<TokenPair> {
  const accessToken = await deps.tokens.sign(
    { sub: userId, sid: sessionId, typ: 'access' },
    deps.config.accessTokenTtlSeconds,
    now,
  );
  return {
    status: 'ok',
    accessToken,
    refreshToken,
    expiresIn: deps.config.accessTokenTtlSeconds,
    mustChangePassword,
  };
}

/**
 * Revokes sessions inside the caller's transaction: one session, or all of a user's sessions
 * (optionally but one). Each revoked session is audited; returns the revoked ids.
 */
export async function revokeSessions(
  uow: UnitOfWork,
  filter: { sessionId: string } | { userId: string; exceptSessionId?: string | null },
  reason: string,
): Promise<string[]> {
  let query = uow.db
    .updateTable('sessions')
    .set({ revoked_at: uow.now, revoke_reason: reason })
    .where('revoked_at', 'is', null);
  if ('sessionId' in filter) query = query.where('id', '=', filter.sessionId);
  else {
    query = query.where('user_id', '=', filter.userId).where('expires_at', '>', uow.now);
    if (filter.exceptSessionId) query = query.where('id', '!=', filter.exceptSessionId);
  }
  const rows = await query.returning(['id', 'user_id']).execute();
  for (const row of rows) {
    uow.audit({
      action: 'identity.session.revoked',
      entityType: 'session',
      entityId: row.id,
      changes: { userId: row.user_id, reason },
    });
  }
  const userId = rows[0]?.user_id;
  if (userId) {
    uow.emit({
      type: 'identity.session.revoked',
      entityType: 'user',
      entityId: userId,
      payload: { userId, sessionIds: rows.map((r) => r.id), reason },
      permission: IDENTITY_PERMISSIONS.sessionsManage,
    });
  }
  return rows.map((r) => r.id);
}

type RefreshOutcome =
  | { kind: 'rotated'; token: string; userId: string; sessionId: string; mustChangePassword: boolean }
  | { kind: 'reused' }
  | { kind: 'invalid' };

/**
 * Rotates a refresh token: the presented token is marked used and a new pair is returned. A token
 * that was already used is a sign of theft: the whole session is revoked (its access tokens stop
 * working at once) and the caller gets REFRESH_TOKEN_REUSED.
 */
export async function refreshSession(
  deps: IdentityDeps,
  ctx: RequestContext,
  presented: string,
): Promise<TokenPair> {
  const tokenHash = sha256Hex(presented);
  const outcome = await deps.tx<RefreshOutcome>(ctx, async (uow) => {
    const row = await uow.db
      .selectFrom('refresh_tokens')
      .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'refresh_tokens.id',
        'refresh_tokens.expires_at',
        'refresh_tokens.used_at',
        'sessions.id as session_id',
        'sessions.revoked_at',
        'sessions.expires_at as session_expires_at',
        'users.id as user_id',
        'users.display_name',
        'users.active',
        'users.must_change_password',
      ])
      .where('refresh_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return { kind: 'invalid' };
    const actor = { type: 'user' as const, id: row.user_id, name: row.display_name };
    const sessionValid =
      !row.revoked_at && row.session_expires_at > uow.now && row.expires_at > uow.now && row.active;
    if (row.used_at === null && !sessionValid) return { kind: 'invalid' };
    // Claiming the token atomically also catches two concurrent uses of the same token.
    const claimed =
      row.used_at === null
        ? await uow.db
            .updateTable('refresh_tokens')
            .set({ used_at: uow.now })
            .where('id', '=', row.id)
            .where('used_at', 'is', null)
            .returning('id')
            .executeTakeFirst()
        : undefined;
    if (!claimed) {
      uow.audit({
        action: 'identity.session.refresh_reused',
        entityType: 'session',
        entityId: row.session_id,
        actor,
        changes: {
          userId: row.user_id,
          refreshTokenId: row.id,
          firstUsedAt: row.used_at?.toISOString() ?? null,
        },
      });
      await revokeSessions(uow, { sessionId: row.session_id }, 'refresh_token_reused');
      return { kind: 'reused' };
    }
    const token = randomSecret();
    const newId = randomUUID();
    await uow.db
      .insertInto('refresh_tokens')
      .values({
        id: newId,
        session_id: row.session_id,
        token_hash: sha256Hex(token),
        created_at: uow.now,
        expires_at: row.session_expires_at,
        used_at: null,
        replaced_by: null,
      })
      .execute();
    await uow.db.updateTable('refresh_tokens').set({ replaced_by: newId }).where('id', '=', row.id).execute();
    await uow.db
      .updateTable('sessions')
      .set({ last_used_at: uow.now })
      .where('id', '=', row.session_id)
      .execute();
    return {
      kind: 'rotated',
      token,
      userId: row.user_id,
      sessionId: row.session_id,
      mustChangePassword: row.must_change_password,
    };
  });
  if (outcome.kind === 'reused') throw new AppError('REFRESH_TOKEN_REUSED', 401);
  if (outcome.kind === 'invalid') throw new AppError('REFRESH_TOKEN_INVALID', 401);
  return signPair(
    deps,
    outcome.userId,
    outcome.sessionId,
    outcome.token,
    outcome.mustChangePassword,
    deps.clock.now(),
  );
}

export async function logout(deps: IdentityDeps, ctx: RequestContext, principal: Principal): Promise<void> {
  const sessionId = principal.sessionId;
  if (!sessionId) return;
  await deps.tx(ctx, (uow) => revokeSessions(uow, { sessionId }, 'logout'));
}

export async function listSessions(
  deps: IdentityDeps,
  userId: string,
  currentSessionId: string | null,
): Promise<Session[]> {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((s) => ({
    id: s.id,
    userId: s.user_id,
    createdAt: s.created_at.toISOString(),
    lastUsedAt: s.last_used_at.toISOString(),
    expiresAt: s.expires_at.toISOString(),
    mfaVerified: s.mfa_verified,
    ip: s.ip,
    userAgent: s.user_agent,
    current: s.id === currentSessionId,
  }));
}

/** Revokes a session of the caller, or of anyone when the caller holds identity.sessions.manage. */
export async function revokeSession(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  sessionId: string,
  reason: string | undefined,
): Promise<void> {
  const session = await deps.db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'revoked_at'])
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (!session) throw new AppError('SESSION_NOT_FOUND', 404);
  const own = session.user_id === principal.id;
  if (!own && !hasPermission(principal, IDENTITY_PERMISSIONS.sessionsManage)) {
    throw forbidden(IDENTITY_PERMISSIONS.sessionsManage);
  }
  if (session.revoked_at) return;
  await deps.tx(ctx, (uow) =>
    revokeSessions(uow, { sessionId }, reason ?? (own ? 'revoked_by_user' : 'revoked_by_manager')),
  );
}
