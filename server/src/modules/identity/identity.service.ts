import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/context.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import { activeAssignments, grantsFromAssignments } from './grants.js';
import type { LoginRequest, Me, TokenPair } from './identity.schemas.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { randomSecret, sha256Hex, type TokenSigner } from './tokens.js';

export interface IdentityDeps extends AppDeps {
  tokens: TokenSigner;
}

/** Starts a session and returns its first access + refresh token pair. */
export async function issueSession(
  deps: IdentityDeps,
  ctx: RequestContext,
  user: { id: string; must_change_password: boolean },
  mfaVerified: boolean,
  userAgent: string | null,
): Promise<TokenPair> {
  const now = deps.clock.now();
  const sessionId = randomUUID();
  const refreshToken = randomSecret();
  await deps.tx(ctx, async (uow) => {
    await uow.db
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: user.id,
        created_at: now,
        expires_at: new Date(now.getTime() + deps.config.refreshTokenTtlSeconds * 1000),
        last_used_at: now,
        mfa_verified: mfaVerified,
        ip: ctx.ip,
        user_agent: userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await uow.db
      .insertInto('refresh_tokens')
      .values({
        id: randomUUID(),
        session_id: sessionId,
        token_hash: sha256Hex(refreshToken),
        created_at: now,
        expires_at: new Date(now.getTime() + deps.config.refreshTokenTtlSeconds * 1000),
      })
      .execute();
    uow.audit({
      action: 'identity.session.started',
      entityType: 'session',
      entityId: sessionId,
      actor: { type: 'user', id: user.id, name: null },
      after: { userId: user.id, mfaVerified },
    });
  });
  const accessToken = await deps.tokens.sign(
    { sub: user.id, sid: sessionId, typ: 'access' },
    deps.config.accessTokenTtlSeconds,
    now,
  );
  return {
    status: 'ok',
    accessToken,
    refreshToken,
    expiresIn: deps.config.accessTokenTtlSeconds,
    mustChangePassword: user.must_change_password,
  };
}

export async function login(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: LoginRequest,
  userAgent: string | null,
): Promise<TokenPair> {
  const user = await deps.db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase()))
    .executeTakeFirst();
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw new AppError('INVALID_CREDENTIALS', 401);
  }
  const ok = await verifyPassword(user.password_hash, input.password);
  if (!ok || !user.active) throw new AppError('INVALID_CREDENTIALS', 401);
  return issueSession(deps, ctx, user, false, userAgent);
}

export async function describeMe(deps: AppDeps, userId: string): Promise<Me> {
  const user = await deps.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const assignments = await activeAssignments(deps.db, userId);
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: assignments.map((a) => ({
      role: a.role_code,
      scope: { level: a.scope_level, code: a.scope_code },
    })),
    permissions: [...grantsFromAssignments(assignments).keys()].sort(),
    mfaEnabled: user.mfa_enabled_at !== null,
  };
}
