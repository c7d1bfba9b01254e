import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoUsers } from '../src/modules/identity/identity.seed.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/modules/identity/index.js';
import { decryptSecret } from '../src/modules/identity/secret-box.js';
import { sha256Hex } from '../src/modules/identity/tokens.js';
import { buildTestApp, type TestApp } from './build-app.js';
import { bearer, loginAs, loginWithMfa, makeUser, TEST_PASSWORD, totpCode } from './factories.js';
import { auditActions, BUILD_TIMEOUT_MS, type ManualClock, manualClock } from './identity-helpers.js';

const LOGIN = '/api/v1/auth/login';

describe('identity: login, lockout, MFA, sessions, passwords', () => {
  let t: TestApp;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = manualClock();
    t = await buildTestApp({ clock });
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers });
  const login = (username: string, password: string) => post(LOGIN, { username, password });
  const me = (token: string) => t.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });

  describe('lockout with exponential back-off', () => {
    it('locks after 5 failures for 1 minute, doubles after the next failure, and resets on success', async () => {
      const user = await makeUser(t.deps, 'dispatcher');
      for (let i = 1; i <= 4; i += 1) {
        const res = await login(user.username, 'Incorrecta#2026');
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
      }
      const fifth = await login(user.username, 'Incorrecta#2026');
      expect(fifth.statusCode).toBe(423);
      expect(fifth.json().error).toMatchObject({
        code: 'ACCOUNT_LOCKED',
        details: { retryAfterSeconds: 60 },
      });
      expect(fifth.headers['retry-after']).toBe('60');
      expect(fifth.json().error.message).toMatch(/60 segundos/);

      // The right password does not help while locked.
      clock.advance(30);
      const locked = await login(user.username, user.password);
      expect(locked.statusCode).toBe(423);
      expect(locked.json().error.details.retryAfterSeconds).toBe(30);

      clock.advance(31);
      const sixth = await login(user.username, 'Incorrecta#2026');
      expect(sixth.statusCode).toBe(423);
      expect(sixth.json().error.details.retryAfterSeconds).toBe(120);

      clock.advance(121);
      const ok = await login(user.username, user.password);
      expect(ok.statusCode).toBe(200);
      expect(ok.json().status).toBe('ok');
      const row = await t.deps.db
        .selectFrom('users')
        .select(['failed_logins', 'locked_until'])
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ failed_logins: 0, locked_until: null });
      const again = await login(user.username, 'Incorrecta#2026');
      expect(again.statusCode).toBe(401);

      const actions = await auditActions(t.deps, user.id);
      expect(actions.filter((a) => a === 'identity.login.failed')).toHaveLength(7);
      expect(actions.filter((a) => a === 'identity.login.locked')).toHaveLength(2);
      expect(actions).toContain('identity.login.refused_locked');
      expect(actions).toContain('identity.login.succeeded');
    });

    it('answers unknown usernames exactly like known ones (no enumeration)', async () => {
      const user = await makeUser(t.deps, 'dispatcher');
      const known = await login(user.username, 'Incorrecta#2026');
      const unknown = await login('no.existe.nadie', 'Incorrecta#2026');
      expect(unknown.statusCode).toBe(known.statusCode);
      expect(unknown.json()).toEqual(known.json());
      for (let i = 2; i <= 4; i += 1) expect((await login('no.existe.nadie', 'x')).statusCode).toBe(401);
      const fifth = await login('NO.EXISTE.NADIE', 'x');
      expect(fifth.statusCode).toBe(423);
      expect(fifth.json().error.details.retryAfterSeconds).toBe(60);
      clock.advance(61);
    });
  });

  describe('TOTP MFA', () => {
    it('requires MFA at every login of a supervisor and refuses a replayed code', async () => {
      const supervisor = await makeUser(t.deps, 'supervisor');
      expect(supervisor.mfaSecret).toBeDefined();
      const first = await login(supervisor.username, supervisor.password);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ status: 'mfa_required', expiresIn: 300 });
      expect(first.json().accessToken).toBeUndefined();
      const mfaToken = first.json().mfaToken as string;

      // The MFA token is not a session.
      expect((await me(mfaToken)).statusCode).toBe(401);
      const right = await totpCode(supervisor.mfaSecret!, clock.now());
      const wrongCode = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
      const wrong = await post('/api/v1/auth/mfa/verify', { code: wrongCode }, bearer(mfaToken));
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('MFA_CODE_INVALID');

      const verified = await post('/api/v1/auth/mfa/verify', { code: right }, bearer(mfaToken));
      expect(verified.statusCode).toBe(200);
      const pair = verified.json();
      expect(pair).toMatchObject({ status: 'ok', mustChangePassword: false });
      const profile = await me(pair.accessToken);
      expect(profile.statusCode).toBe(200);
      expect(profile.json()).toMatchObject({ mfaEnabled: true, roles: [{ role: 'supervisor' }] });
      expect(profile.json().permissions).toContain('identity.users.read');

      // Same code again, in the same window, with a fresh login: refused.
      const second = await login(supervisor.username, supervisor.password);
      const replay = await post('/api/v1/auth/mfa/verify', { code: right }, bearer(second.json().mfaToken));
      expect(replay.statusCode).toBe(401);
      expect(replay.json().error.code).toBe('MFA_CODE_REUSED');

      // The next step's code works.
      clock.advance(30);
      const next = await loginWithMfa(t.app, supervisor, clock.now());
      expect((await me(next.accessToken)).statusCode).toBe(200);

      const actions = await auditActions(t.deps, supervisor.id);
      expect(actions).toEqual(
        expect.arrayContaining([
          'identity.login.mfa_challenged',
          'identity.mfa.verified',
          'identity.login.succeeded',
        ]),
      );
    });

    it('enrols a privileged user at first login, storing the secret encrypted', async () => {
      const admin = await makeUser(t.deps, 'administrator', { mfa: false });
      const first = await login(admin.username, admin.password);
      expect(first.json().status).toBe('mfa_enrollment_required');
      const mfaToken = first.json().mfaToken as string;

      // Verify before enrolling: nothing to verify against.
      const early = await post('/api/v1/auth/mfa/verify', { code: '123456' }, bearer(mfaToken));
      expect(early.statusCode).toBe(409);
      expect(early.json().error.code).toBe('MFA_ENROLLMENT_NOT_STARTED');

      const enrol = await post('/api/v1/auth/mfa/enroll', {}, bearer(mfaToken));
      expect(enrol.statusCode).toBe(200);
      const { otpauthUri, secret } = enrol.json();
      expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Centinela%20MJSP:/);
      expect(otpauthUri).toContain(`secret=${secret}`);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);

      const pending = await t.deps.db
        .selectFrom('users')
        .select(['mfa_secret_enc', 'mfa_pending_secret_enc', 'mfa_enabled_at'])
        .where('id', '=', admin.id)
        .executeTakeFirstOrThrow();
      expect(pending.mfa_enabled_at).toBeNull();
      expect(pending.mfa_secret_enc).toBeNull();
      expect(pending.mfa_pending_secret_enc).not.toContain(secret);
      expect(
        decryptSecret(
          t.deps.config.dataEncryptionKey,
          pending.mfa_pending_secret_enc!,
          `identity.mfa.totp:${admin.id}`,
        ),
      ).toBe(secret);

      const verified = await post(
        '/api/v1/auth/mfa/verify',
        { code: await totpCode(secret, clock.now()) },
        bearer(mfaToken),
      );
      expect(verified.statusCode).toBe(200);
      expect((await me(verified.json().accessToken)).json()).toMatchObject({ mfaEnabled: true });

      const enrolled = await t.deps.db
        .selectFrom('users')
        .select(['mfa_secret_enc', 'mfa_pending_secret_enc', 'mfa_enabled_at'])
        .where('id', '=', admin.id)
        .executeTakeFirstOrThrow();
      expect(enrolled.mfa_pending_secret_enc).toBeNull();
      expect(enrolled.mfa_enabled_at).not.toBeNull();
      expect(
        decryptSecret(
          t.deps.config.dataEncryptionKey,
          enrolled.mfa_secret_enc!,
          `identity.mfa.totp:${admin.id}`,
        ),
      ).toBe(secret);

      // Now enrolled: the next login asks for a code, and the password alone cannot re-enrol.
      const second = await login(admin.username, admin.password);
      expect(second.json().status).toBe('mfa_required');
      const reenrol = await post('/api/v1/auth/mfa/enroll', {}, bearer(second.json().mfaToken));
      expect(reenrol.statusCode).toBe(409);
      expect(reenrol.json().error.code).toBe('MFA_ALREADY_ENROLLED');

      expect(await auditActions(t.deps, admin.id)).toEqual(
        expect.arrayContaining(['identity.mfa.enrollment_started', 'identity.mfa.enrolled']),
      );
    });

    it('lets a user without mandatory MFA enrol voluntarily; later logins then require it', async () => {
      const user = await makeUser(t.deps, 'dispatcher');
      const token = await loginAs(t.app, user);
      const enrol = await post('/api/v1/auth/mfa/enroll', {}, bearer(token));
      expect(enrol.statusCode).toBe(200);
      const verified = await post(
        '/api/v1/auth/mfa/verify',
        { code: await totpCode(enrol.json().secret, clock.now()) },
        bearer(token),
      );
      expect(verified.statusCode).toBe(200);
      // The session that enrolled is replaced by the new, MFA-verified one.
      expect((await me(token)).statusCode).toBe(401);
      expect((await me(verified.json().accessToken)).json().mfaEnabled).toBe(true);
      expect((await login(user.username, user.password)).json().status).toBe('mfa_required');
    });

    it('counts wrong codes as failed logins', async () => {
      const supervisor = await makeUser(t.deps, 'supervisor');
      const mfaToken = (await login(supervisor.username, supervisor.password)).json().mfaToken as string;
      const right = await totpCode(supervisor.mfaSecret!, clock.now());
      const wrongCode = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
      const codes = [];
      for (let i = 0; i < 5; i += 1) {
        codes.push((await post('/api/v1/auth/mfa/verify', { code: wrongCode }, bearer(mfaToken))).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 401, 423]);
      const locked = await post('/api/v1/auth/mfa/verify', { code: right }, bearer(mfaToken));
      expect(locked.statusCode).toBe(423);
      expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
      clock.advance(61);
    });
  });

  describe('demo seed', () => {
    it('pre-enrols the privileged demo users with the printed TOTP secret', async () => {
      const credentials = await seedDemoUsers(t.deps);
      const privileged = credentials.filter((c) => c.note);
      expect(privileged.map((c) => c.username).sort()).toEqual(['admin', 'asuntos.internos', 'supervisor']);
      for (const c of privileged) expect(c.note).toBe(`MFA TOTP secreto: ${DEMO_TOTP_SECRET}`);
      // Idempotent: a second run changes nothing and prints the same notes.
      expect(await seedDemoUsers(t.deps)).toEqual(credentials);

      const supervisor = { username: 'supervisor', password: DEMO_PASSWORD, mfaSecret: DEMO_TOTP_SECRET };
      const pair = await loginWithMfa(t.app, supervisor, clock.now());
      expect((await me(pair.accessToken)).json()).toMatchObject({ username: 'supervisor', mfaEnabled: true });
      expect((await login('operador', DEMO_PASSWORD)).json().status).toBe('ok');
      clock.advance(30);
    });
  });

  describe('refresh tokens, logout and sessions', () => {
    it('rotates refresh tokens and revokes the whole session when a used one comes back', async () => {
      const user = await makeUser(t.deps, 'call_taker');
      const first = (await login(user.username, user.password)).json();
      const second = await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
      expect(second.statusCode).toBe(200);
      const pair = second.json();
      expect(pair.refreshToken).not.toBe(first.refreshToken);
      expect((await me(pair.accessToken)).statusCode).toBe(200);
      const used = await t.deps.db
        .selectFrom('refresh_tokens')
        .select(['used_at', 'replaced_by'])
        .where('token_hash', '=', sha256Hex(first.refreshToken))
        .executeTakeFirstOrThrow();
      expect(used.used_at).not.toBeNull();
      expect(used.replaced_by).not.toBeNull();

      const reuse = await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
      expect(reuse.statusCode).toBe(401);
      expect(reuse.json().error.code).toBe('REFRESH_TOKEN_REUSED');
      // The whole session is gone: its access tokens and its newest refresh token.
      expect((await me(first.accessToken)).statusCode).toBe(401);
      expect((await me(pair.accessToken)).statusCode).toBe(401);
      const after = await post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken });
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('REFRESH_TOKEN_INVALID');
      const actions = await auditActions(t.deps);
      expect(actions).toContain('identity.session.refresh_reused');
    });

    it('refuses unknown and expired refresh tokens', async () => {
      const bogus = await post('/api/v1/auth/refresh', { refreshToken: 'x'.repeat(43) });
      expect(bogus.statusCode).toBe(401);
      expect(bogus.json().error.code).toBe('REFRESH_TOKEN_INVALID');
      const user = await makeUser(t.deps, 'call_taker');
      const pair = (await login(user.username, user.password)).json();
      clock.advance(t.deps.config.refreshTokenTtlSeconds + 1);
      const expired = await post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken });
      expect(expired.json().error.code).toBe('REFRESH_TOKEN_INVALID');
      expect((await me(pair.accessToken)).statusCode).toBe(401);
    });

    it('logs out: the access token and the refresh token stop working at once', async () => {
      const user = await makeUser(t.deps, 'dispatcher');
      const pair = (await login(user.username, user.password)).json();
      const out = await post('/api/v1/auth/logout', {}, bearer(pair.accessToken));
      expect(out.statusCode).toBe(200);
      expect((await me(pair.accessToken)).statusCode).toBe(401);
      expect((await post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken })).statusCode).toBe(401);
    });

    it('lists own sessions and revokes them; others need identity.sessions.manage', async () => {
      const user = await makeUser(t.deps, 'dispatcher');
      const a = await loginAs(t.app, user);
      const b = await loginAs(t.app, user);
      const list = await t.app.inject({ url: '/api/v1/auth/sessions', headers: bearer(a) });
      expect(list.statusCode).toBe(200);
      const items = list.json().items as { id: string; current: boolean }[];
      expect(items).toHaveLength(2);
      expect(items.filter((s) => s.current)).toHaveLength(1);
      const other = items.find((s) => !s.current)!;

      // Another user without the permission cannot revoke it.
      const stranger = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
      const refused = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/auth/sessions/${other.id}`,
        headers: bearer(stranger),
      });
      expect(refused.statusCode).toBe(403);
      expect((await me(b)).statusCode).toBe(200);

      // The user revokes their own other session.
      const own = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/auth/sessions/${other.id}`,
        headers: bearer(a),
      });
      expect(own.statusCode).toBe(200);
      expect((await me(b)).statusCode).toBe(401);
      expect((await me(a)).statusCode).toBe(200);

      // Internal affairs (identity.sessions.manage) sees and revokes anyone's session.
      const investigator = await loginAs(t.app, await makeUser(t.deps, 'internal_affairs'));
      const theirs = await t.app.inject({
        url: `/api/v1/users/${user.id}/sessions`,
        headers: bearer(investigator),
      });
      expect(theirs.statusCode).toBe(200);
      const [remaining] = theirs.json().items as { id: string }[];
      const revoked = await post(
        `/api/v1/auth/sessions/${remaining!.id}/revoke`,
        { reason: 'investigación 2026-114' },
        bearer(investigator),
      );
      expect(revoked.statusCode).toBe(200);
      expect((await me(a)).statusCode).toBe(401);
      const row = await t.deps.db
        .selectFrom('sessions')
        .select('revoke_reason')
        .where('id', '=', remaining!.id)
        .executeTakeFirstOrThrow();
      expect(row.revoke_reason).toBe('investigación 2026-114');
      const missing = await post(
        '/api/v1/auth/sessions/00000000-0000-4000-8000-000000000000/revoke',
        {},
        bearer(investigator),
      );
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('SESSION_NOT_FOUND');
    });
  });

  describe('password change', () => {
    it('verifies the current password, applies the policy and closes the other sessions', async () => {
      const user = await makeUser(t.deps, 'analyst');
      const current = await loginAs(t.app, user);
      const other = await loginAs(t.app, user);

      const wrong = await post(
        '/api/v1/auth/password',
        { currentPassword: 'NoEsLaMia#2026', newPassword: 'OtraClave#Segura99' },
        bearer(current),
      );
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.code).toBe('CURRENT_PASSWORD_INVALID');

      const weak = await post(
        '/api/v1/auth/password',
        { currentPassword: TEST_PASSWORD, newPassword: 'corta' },
        bearer(current),
      );
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.code).toBe('PASSWORD_POLICY_VIOLATION');
      expect(weak.json().error.details.map((d: { code: string }) => d.code)).toEqual([
        'PASSWORD_TOO_SHORT',
        'PASSWORD_TOO_SIMPLE',
      ]);
      expect(weak.json().error.details[0].message).toMatch(/12 caracteres/);

      const same = await post(
        '/api/v1/auth/password',
        { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
        bearer(current),
      );
      expect(same.json().error.details.map((d: { code: string }) => d.code)).toEqual([
        'PASSWORD_SAME_AS_CURRENT',
      ]);

      const changed = await post(
        '/api/v1/auth/password',
        { currentPassword: TEST_PASSWORD, newPassword: 'OtraClave#Segura99' },
        bearer(current),
      );
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toEqual({ status: 'ok', revokedSessions: 1 });
      expect((await me(current)).statusCode).toBe(200);
      expect((await me(other)).statusCode).toBe(401);
      expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(401);
      expect((await login(user.username, 'OtraClave#Segura99')).statusCode).toBe(200);
      expect(await auditActions(t.deps, user.id)).toContain('identity.password.changed');
    });
  });
});
