import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePolicy } from '../src/platform/http/permissions.js';
import { buildTestApp, type TestApp } from './build-app.js';
import { bearer, loginAs, makeUser, type TestUser } from './factories.js';
import { auditActions, BUILD_TIMEOUT_MS, type ManualClock, manualClock } from './identity-helpers.js';

// A known permission that no role holds: nobody can put it on an API key.
definePolicy('identity-test', {
  permissions: [{ code: 'test.unheld.permission', description: 'Permiso de prueba que ningún rol tiene' }],
  roles: {},
});

describe('identity: user administration, roles, API keys', () => {
  let t: TestApp;
  let clock: ManualClock;
  let admin: TestUser;
  let adminToken: string;

  beforeAll(async () => {
    clock = manualClock();
    t = await buildTestApp({ clock });
    admin = await makeUser(t.deps, 'administrator');
    adminToken = await loginAs(t.app, admin);
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await t.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) });
  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

  describe('users', () => {
    it('creates users with a policy-compliant initial password, a valid DUI and a forced password change', async () => {
      const base = {
        username: 'marta.rivas',
        displayName: 'Marta Rivas',
        email: 'marta.rivas@seguridad.gob.sv',
      };
      const weak = await call('POST', '/users', adminToken, { ...base, password: 'marta.rivas1' });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.code).toBe('PASSWORD_POLICY_VIOLATION');
      expect(weak.json().error.details.map((d: { code: string }) => d.code)).toContain(
        'PASSWORD_CONTAINS_USERNAME',
      );

      const badDui = await call('POST', '/users', adminToken, {
        ...base,
        password: 'Inicial#Clave2026',
        dui: '04567891-2',
      });
      expect(badDui.statusCode).toBe(400);
      expect(badDui.json().error.code).toBe('DUI_INVALID');
      const badFormat = await call('POST', '/users', adminToken, {
        ...base,
        password: 'Inicial#Clave2026',
        dui: '4567891',
      });
      expect(badFormat.statusCode).toBe(400);
      expect(badFormat.json().error.code).toBe('VALIDATION_FAILED');

      const created = await call('POST', '/users', adminToken, {
        ...base,
        password: 'Inicial#Clave2026',
        dui: '045678911',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        username: 'marta.rivas',
        dui: '04567891-1',
        active: true,
        mustChangePassword: true,
        mfaEnabled: false,
        roles: [],
      });
      const id = created.json().id as string;

      const dupName = await call('POST', '/users', adminToken, { ...base, password: 'Inicial#Clave2026' });
      expect(dupName.statusCode).toBe(409);
      expect(dupName.json().error.code).toBe('USERNAME_TAKEN');
      const dupDui = await call('POST', '/users', adminToken, {
        ...base,
        username: 'otra.marta',
        password: 'Inicial#Clave2026',
        dui: '04567891-1',
      });
      expect(dupDui.statusCode).toBe(409);
      expect(dupDui.json().error.code).toBe('DUI_TAKEN');

      // The new user must change the password before anything but the password routes.
      const first = await login('marta.rivas', 'Inicial#Clave2026');
      expect(first.json()).toMatchObject({ status: 'ok', mustChangePassword: true });
      const token = first.json().accessToken as string;
      const blocked = await call('GET', '/roles', token);
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
      expect((await call('GET', '/auth/me', token)).json().mustChangePassword).toBe(true);
      const changed = await call('POST', '/auth/password', token, {
        currentPassword: 'Inicial#Clave2026',
        newPassword: 'MiPropia#Clave2026',
      });
      expect(changed.statusCode).toBe(200);
      expect((await call('GET', '/roles', token)).statusCode).toBe(200);
      expect((await login('marta.rivas', 'MiPropia#Clave2026')).json().mustChangePassword).toBe(false);

      // Update, list, and an audited read of personal data.
      const patched = await call('PATCH', `/users/${id}`, adminToken, {
        displayName: 'Marta E. Rivas',
        dui: null,
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ displayName: 'Marta E. Rivas', dui: null });
      const emptyPatch = await call('PATCH', `/users/${id}`, adminToken, {});
      expect(emptyPatch.statusCode).toBe(400);
      const list = await call('GET', '/users?q=rivas', adminToken);
      expect(list.json()).toMatchObject({ total: 1, items: [{ id, displayName: 'Marta E. Rivas' }] });
      expect(list.json().items[0].dui).toBeUndefined();
      const detail = await call('GET', `/users/${id}`, adminToken);
      expect(detail.statusCode).toBe(200);
      expect(detail.json().email).toBe('marta.rivas@seguridad.gob.sv');
      const read = await t.deps.db
        .selectFrom('audit_log')
        .select(['changes', 'reason', 'actor_id'])
        .where('entity_id', '=', id)
        .where('action', '=', 'personal_data.read')
        .execute();
      expect(read).toEqual([
        { changes: { fields: ['email'] }, reason: 'identity.user.read', actor_id: admin.id },
      ]);
      expect(await auditActions(t.deps, id)).toEqual(
        expect.arrayContaining(['identity.user.created', 'identity.user.updated']),
      );
      // The DUI itself never enters the (immutable) audit log.
      const entries = await t.deps.db
        .selectFrom('audit_log')
        .select('changes')
        .where('entity_id', '=', id)
        .execute();
      expect(JSON.stringify(entries)).not.toContain('04567891');
      const missing = await call('GET', '/users/00000000-0000-4000-8000-000000000000', adminToken);
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('USER_NOT_FOUND');
    });

    it('is reserved to holders of the identity permissions', async () => {
      const dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
      expect((await call('GET', '/users', dispatcher)).statusCode).toBe(403);
      const create = await call('POST', '/users', dispatcher, {
        username: 'intruso',
        displayName: 'Intruso',
        password: 'Inicial#Clave2026',
      });
      expect(create.statusCode).toBe(403);
      expect(create.json().error.code).toBe('FORBIDDEN');
      const supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
      expect((await call('GET', '/users', supervisor)).statusCode).toBe(200);
      expect(
        (await call('POST', `/users/${admin.id}/deactivate`, supervisor, { reason: 'prueba' })).statusCode,
      ).toBe(403);
    });

    it('deactivation needs a reason, blocks login and ends every session; reactivation restores access', async () => {
      const user = await makeUser(t.deps, 'field_officer');
      const token = await loginAs(t.app, user);
      const noReason = await call('POST', `/users/${user.id}/deactivate`, adminToken, {});
      expect(noReason.statusCode).toBe(400);
      expect((await call('GET', '/auth/me', token)).statusCode).toBe(200);

      const self = await call('POST', `/users/${admin.id}/deactivate`, adminToken, { reason: 'prueba' });
      expect(self.statusCode).toBe(409);
      expect(self.json().error.code).toBe('CANNOT_DEACTIVATE_SELF');

      const done = await call('POST', `/users/${user.id}/deactivate`, adminToken, {
        reason: 'Baja de la institución',
      });
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ active: false });
      expect(done.json().deactivatedAt).not.toBeNull();
      expect((await call('GET', '/auth/me', token)).statusCode).toBe(401);
      const refused = await login(user.username, user.password);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('INVALID_CREDENTIALS');
      const twice = await call('POST', `/users/${user.id}/deactivate`, adminToken, { reason: 'otra vez' });
      expect(twice.json().error.code).toBe('USER_ALREADY_INACTIVE');

      const back = await call('POST', `/users/${user.id}/reactivate`, adminToken, { reason: 'Reingreso' });
      expect(back.statusCode).toBe(200);
      expect(back.json().active).toBe(true);
      expect((await login(user.username, user.password)).statusCode).toBe(200);

      const actions = await auditActions(t.deps, user.id);
      expect(actions).toEqual(
        expect.arrayContaining([
          'identity.user.deactivated',
          'identity.user.reactivated',
          'identity.login.failed',
        ]),
      );
      const revoked = await auditActions(t.deps);
      expect(revoked).toContain('identity.session.revoked');
      // Users are never deleted.
      await expect(t.deps.db.deleteFrom('users').where('id', '=', user.id).execute()).rejects.toThrow();
    });
  });

  describe('roles', () => {
    it('assigns and revokes scoped roles, which /auth/me reflects at once', async () => {
      const user = await makeUser(t.deps, 'call_taker');
      const token = await loginAs(t.app, user);

      const badScope = await call('POST', `/users/${user.id}/roles`, adminToken, {
        role: 'dispatcher',
        scope: { level: 'department', code: 'SV-XX' },
      });
      expect(badScope.statusCode).toBe(400);
      expect(badScope.json().error.code).toBe('SCOPE_DEPARTMENT_INVALID');
      const unknownRole = await call('POST', `/users/${user.id}/roles`, adminToken, {
        role: 'emperador',
        scope: { level: 'national', code: null },
      });
      expect(unknownRole.json().error.code).toBe('ROLE_UNKNOWN');

      const assigned = await call('POST', `/users/${user.id}/roles`, adminToken, {
        role: 'dispatcher',
        scope: { level: 'department', code: 'SV-SS' },
      });
      expect(assigned.statusCode).toBe(201);
      const assignmentId = assigned.json().id as string;
      const dup = await call('POST', `/users/${user.id}/roles`, adminToken, {
        role: 'dispatcher',
        scope: { level: 'department', code: 'SV-SS' },
      });
      expect(dup.statusCode).toBe(409);
      const municipal = await call('POST', `/users/${user.id}/roles`, adminToken, {
        role: 'analyst',
        scope: { level: 'municipality', code: 'SV10001' },
      });
      expect(municipal.statusCode).toBe(201);

      const me = (await call('GET', '/auth/me', token)).json();
      expect(me.roles).toEqual(
        expect.arrayContaining([
          { role: 'call_taker', scope: { level: 'national', code: null } },
          { role: 'dispatcher', scope: { level: 'department', code: 'SV-SS' } },
          { role: 'analyst', scope: { level: 'municipality', code: 'SV10001' } },
        ]),
      );

      const noReason = await call('POST', `/users/${user.id}/roles/${assignmentId}/revoke`, adminToken, {});
      expect(noReason.statusCode).toBe(400);
      const revoked = await call('POST', `/users/${user.id}/roles/${assignmentId}/revoke`, adminToken, {
        reason: 'Traslado a otra sede',
      });
      expect(revoked.statusCode).toBe(200);
      const after = (await call('GET', '/auth/me', token)).json();
      expect(after.roles.map((r: { role: string }) => r.role).sort()).toEqual(['analyst', 'call_taker']);
      const again = await call('POST', `/users/${user.id}/roles/${assignmentId}/revoke`, adminToken, {
        reason: 'otra vez',
      });
      expect(again.json().error.code).toBe('ROLE_ASSIGNMENT_ALREADY_REVOKED');
      expect(await auditActions(t.deps, user.id)).toEqual(
        expect.arrayContaining(['identity.role.assigned', 'identity.role.revoked']),
      );
    });

    it('refuses self-grants (segregation of duties)', async () => {
      const res = await call('POST', `/users/${admin.id}/roles`, adminToken, {
        role: 'auditor',
        scope: { level: 'national', code: null },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('SELF_ROLE_GRANT_FORBIDDEN');
    });

    it('gives a role that requires MFA no power in a session without MFA', async () => {
      const user = await makeUser(t.deps, 'dispatcher');
      const token = await loginAs(t.app, user);
      const granted = await call('POST', `/users/${user.id}/roles`, adminToken, {
        role: 'supervisor',
        scope: { level: 'national', code: null },
      });
      expect(granted.statusCode).toBe(201);
      expect((await call('GET', '/users', token)).statusCode).toBe(403);
      expect((await call('GET', '/auth/me', token)).json().permissions).not.toContain('identity.users.read');
      expect((await login(user.username, user.password)).json().status).toBe('mfa_enrollment_required');
    });
  });

  describe('API keys', () => {
    it('issues a key once, authenticates with it within its permissions, and revokes it', async () => {
      const created = await call('POST', '/api-keys', adminToken, {
        name: 'Sincronización RR. HH.',
        permissions: ['identity.users.read'],
        scope: { level: 'national', code: null },
      });
      expect(created.statusCode).toBe(201);
      const { key, id, prefix } = created.json();
      expect(key).toMatch(/^cnt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(key.startsWith(`cnt_${prefix}_`)).toBe(true);
      const stored = await t.deps.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(key.split('_').slice(2).join('_'));

      const listed = await call('GET', '/api-keys', adminToken);
      expect(listed.statusCode).toBe(200);
      expect(listed.body).not.toContain(key);
      expect(listed.json().items).toEqual(
        expect.arrayContaining([expect.objectContaining({ id, status: 'active' })]),
      );

      const viaHeader = await t.app.inject({ url: '/api/v1/users', headers: { 'x-api-key': key } });
      expect(viaHeader.statusCode).toBe(200);
      const viaAuthorization = await t.app.inject({
        url: '/api/v1/users',
        headers: { authorization: `ApiKey ${key}` },
      });
      expect(viaAuthorization.statusCode).toBe(200);
      const lastUsed = await t.deps.db
        .selectFrom('api_keys')
        .select('last_used_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(lastUsed.last_used_at).not.toBeNull();
      // Keys only work on routes open to API keys.
      const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { 'x-api-key': key } });
      expect(me.statusCode).toBe(403);

      const revoked = await call('DELETE', `/api-keys/${id}`, adminToken);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().status).toBe('revoked');
      const after = await t.app.inject({ url: '/api/v1/users', headers: { 'x-api-key': key } });
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('API_KEY_INVALID');
      const twice = await call('POST', `/api-keys/${id}/revoke`, adminToken, {});
      expect(twice.json().error.code).toBe('API_KEY_ALREADY_REVOKED');

      const forged = await t.app.inject({
        url: '/api/v1/users',
        headers: { 'x-api-key': `${key.slice(0, -1)}A` },
      });
      expect(forged.statusCode).toBe(401);
      const garbage = await t.app.inject({ url: '/api/v1/users', headers: { 'x-api-key': 'cnt_nada' } });
      expect(garbage.statusCode).toBe(401);
      expect(await auditActions(t.deps, id)).toEqual(['identity.apikey.created', 'identity.apikey.revoked']);
    });

    it('answers 403 when the key lacks the permission, and 401 once it expires', async () => {
      const created = await call('POST', '/api-keys', adminToken, {
        name: 'Consola de sesiones',
        permissions: ['identity.sessions.manage'],
        scope: { level: 'department', code: 'SV-SS' },
        expiresAt: new Date(clock.now().getTime() + 3600_000).toISOString(),
      });
      expect(created.statusCode).toBe(201);
      const { key } = created.json();
      const denied = await t.app.inject({ url: '/api/v1/users', headers: { 'x-api-key': key } });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('FORBIDDEN');
      clock.advance(3601);
      const expired = await t.app.inject({ url: '/api/v1/users', headers: { 'x-api-key': key } });
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.code).toBe('API_KEY_INVALID');
      // The administrator's access token expired too (15 minutes): sign in again.
      adminToken = await loginAs(t.app, admin);
      const listed = await call('GET', '/api-keys?includeInactive=true', adminToken);
      expect(listed.json().items).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: created.json().id, status: 'expired' })]),
      );
    });

    it('only puts known permissions that the creator holds on a key', async () => {
      const scope = { level: 'national', code: null };
      const unknown = await call('POST', '/api-keys', adminToken, {
        name: 'x',
        permissions: ['no.existe'],
        scope,
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.code).toBe('API_KEY_PERMISSION_UNKNOWN');
      const unheld = await call('POST', '/api-keys', adminToken, {
        name: 'x',
        permissions: ['test.unheld.permission'],
        scope,
      });
      expect(unheld.statusCode).toBe(403);
      expect(unheld.json().error.code).toBe('API_KEY_PERMISSION_NOT_HELD');
      const past = await call('POST', '/api-keys', adminToken, {
        name: 'x',
        permissions: ['identity.users.read'],
        scope,
        expiresAt: new Date(clock.now().getTime() - 1000).toISOString(),
      });
      expect(past.json().error.code).toBe('API_KEY_EXPIRY_IN_PAST');
      const dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
      expect(
        (
          await call('POST', '/api-keys', dispatcher, {
            name: 'x',
            permissions: ['identity.users.read'],
            scope,
          })
        ).statusCode,
      ).toBe(403);
    });
  });
});
