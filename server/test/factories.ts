import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { generate, generateSecret } from 'otplib';
import { identityDeps } from '../src/modules/identity/identity.deps.js';
import { createUserWithRole } from '../src/modules/identity/index.js';
import { provisionMfaSecret } from '../src/modules/identity/mfa.service.js';
import { roleRequiresMfa } from '../src/modules/identity/roles.js';
import { issueSession } from '../src/modules/identity/sessions.service.js';
import { findUserById } from '../src/modules/identity/users.repo.js';
import { systemContext } from '../src/platform/context.js';
import type { AppDeps } from '../src/platform/deps.js';

export const TEST_PASSWORD = 'Prueba#Segura2026';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: string;
  /** Base32 TOTP secret, set for roles that require MFA (pre-enrolled). */
  mfaSecret?: string;
}

/** Users made by makeUser, so loginAs can finish the MFA step of privileged users. */
const madeUsers = new Map<string, { deps: AppDeps; id: string }>();

/**
 * Creates a user holding `role` (national scope unless given). Users of roles that require MFA
 * (administrator, supervisor, internal_affairs) come pre-enrolled with a random TOTP secret.
 */
export async function makeUser(
  deps: AppDeps,
  role: string,
  overrides: Partial<{
    username: string;
    password: string;
    scope: { level: 'national' | 'department' | 'municipality' | 'unit'; code: string | null };
    /** Pre-enrol MFA (default: only for roles that require it). */
    mfa: boolean;
  }> = {},
): Promise<TestUser> {
  const username = overrides.username ?? `${role}.${randomUUID().slice(0, 8)}`;
  const password = overrides.password ?? TEST_PASSWORD;
  const id = await createUserWithRole(deps, {
    username,
    displayName: `Prueba ${role}`,
    password,
    role,
    ...(overrides.scope ? { scope: overrides.scope } : {}),
  });
  madeUsers.set(username.toLowerCase(), { deps, id });
  const user: TestUser = { id, username, password, role };
  if (overrides.mfa ?? roleRequiresMfa([role])) {
    user.mfaSecret = generateSecret();
    await provisionMfaSecret(deps, systemContext(), id, user.mfaSecret);
  }
  return user;
}

/** The TOTP code of `secret` at `at` (default: now). */
export function totpCode(secret: string, at: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

async function postJson(app: FastifyInstance, url: string, payload: unknown, token?: string) {
  return app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    ...(token ? { headers: bearer(token) } : {}),
  });
}

/**
 * Logs in through the API and returns the access token. The password step always goes through
 * POST /auth/login. When it asks for MFA: a user made by makeUser gets an MFA-verified session
 * directly (TOTP codes are single-use, so repeated logins within 30 s could not all use the API);
 * a user not yet enrolled is enrolled through the API. Use loginWithMfa to test the MFA API itself.
 */
export async function loginAs(
  app: FastifyInstance,
  user: { username: string; password: string; mfaSecret?: string },
): Promise<string> {
  const res = await postJson(app, '/api/v1/auth/login', { username: user.username, password: user.password });
  if (res.statusCode !== 200) throw new Error(`login ${user.username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { status: string; accessToken?: string; mfaToken?: string };
  if (body.accessToken) return body.accessToken;
  const made = madeUsers.get(user.username.toLowerCase());
  if (body.status === 'mfa_required' && made) {
    const deps = identityDeps(made.deps);
    const row = await findUserById(deps.db, made.id);
    if (!row) throw new Error(`login ${user.username}: user row missing`);
    const pair = await issueSession(deps, systemContext(), row, {
      mfaVerified: true,
      userAgent: 'test-factory',
      method: 'password+totp',
    });
    return pair.accessToken;
  }
  if (body.status === 'mfa_enrollment_required' && body.mfaToken) {
    const enrol = await postJson(app, '/api/v1/auth/mfa/enroll', {}, body.mfaToken);
    if (enrol.statusCode !== 200) throw new Error(`MFA enrolment of ${user.username} failed: ${enrol.body}`);
    const secret = (enrol.json() as { secret: string }).secret;
    const verify = await postJson(
      app,
      '/api/v1/auth/mfa/verify',
      { code: await totpCode(secret) },
      body.mfaToken,
    );
    if (verify.statusCode !== 200)
      throw new Error(`MFA verification of ${user.username} failed: ${verify.body}`);
    return (verify.json() as { accessToken: string }).accessToken;
  }
  if (body.status === 'mfa_required' && user.mfaSecret && body.mfaToken) {
    const verify = await postJson(
      app,
      '/api/v1/auth/mfa/verify',
      { code: await totpCode(user.mfaSecret) },
      body.mfaToken,
    );
    if (verify.statusCode !== 200)
      throw new Error(`MFA verification of ${user.username} failed: ${verify.body}`);
    return (verify.json() as { accessToken: string }).accessToken;
  }
  throw new Error(`login ${user.username} needs more steps: ${res.body}`);
}

export interface TokenPairBody {
  status: 'ok';
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  mustChangePassword: boolean;
}

/**
 * The full MFA login through the API: password, then a TOTP code computed at `at` (pass the app's
 * clock time when the test controls it). Returns the token pair.
 */
export async function loginWithMfa(
  app: FastifyInstance,
  user: { username: string; password: string; mfaSecret?: string },
  at: Date = new Date(),
): Promise<TokenPairBody> {
  if (!user.mfaSecret) throw new Error(`loginWithMfa: ${user.username} has no MFA secret`);
  const res = await postJson(app, '/api/v1/auth/login', { username: user.username, password: user.password });
  const body = res.json() as { status: string; mfaToken?: string };
  if (res.statusCode !== 200 || body.status !== 'mfa_required' || !body.mfaToken) {
    throw new Error(`login ${user.username} did not ask for MFA: ${res.statusCode} ${res.body}`);
  }
  const verify = await postJson(
    app,
    '/api/v1/auth/mfa/verify',
    { code: await totpCode(user.mfaSecret, at) },
    body.mfaToken,
  );
  if (verify.statusCode !== 200)
    throw new Error(`MFA verification of ${user.username} failed: ${verify.body}`);
  return verify.json() as TokenPairBody;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
