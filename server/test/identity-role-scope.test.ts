import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './build-app.js';
import { bearer, loginAs, makeUser, type TestUser } from './factories.js';
import { BUILD_TIMEOUT_MS } from './identity-helpers.js';

describe('identity: role assignments change with a reason', () => {
  let t: TestApp;
  let admin: TestUser;
  let adminToken: string;
  let departmentAdminToken: string;
  let person: TestUser;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await makeUser(t.deps, 'administrator');
    adminToken = await loginAs(t.app, admin);
    departmentAdminToken = await loginAs(
      t.app,
      await makeUser(t.deps, 'administrator', { scope: { level: 'department', code: 'SV-SS' } }),
    );
    person = await makeUser(t.deps, 'call_taker');
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await t.close();
  });

  const call = (url: string, token: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: bearer(token), payload });
  const activeRoles = () =>
    t.deps.db
      .selectFrom('role_assignments')
      .select(['id', 'role_code', 'scope_level', 'scope_code'])
      .where('user_id', '=', person.id)
      .where('revoked_at', 'is', null)
      .where('role_code', '=', 'dispatcher')
      .execute();
  const auditOf = (action: string) =>
    t.deps.db
      .selectFrom('audit_log')
      .select(['reason', 'changes'])
      .where('entity_id', '=', person.id)
      .where('action', '=', action)
      .orderBy('leaf_index')
      .execute();

  it('records the reason given when a role is assigned', async () => {
    const res = await call(`/users/${person.id}/roles`, adminToken, {
      role: 'dispatcher',
      scope: { level: 'department', code: 'SV-SS' },
      reason: 'turno nocturno de San Salvador',
    });
    expect(res.statusCode).toBe(201);
    const [entry] = await auditOf('identity.role.assigned');
    expect(entry!.reason).toBe('turno nocturno de San Salvador');
    const blank = await call(`/users/${person.id}/roles`, adminToken, {
      role: 'analyst',
      scope: { level: 'national', code: null },
      reason: '   ',
    });
    expect(blank.statusCode).toBe(400);
  });

  it('moves an assignment to another scope in one step, audited with the reason', async () => {
    const [current] = await activeRoles();
    const url = `/users/${person.id}/roles/${current!.id}/scope`;
    const noReason = await call(url, adminToken, { scope: { level: 'department', code: 'SV-LI' } });
    expect(noReason.statusCode).toBe(400);
    const same = await call(url, adminToken, {
      scope: { level: 'department', code: 'SV-SS' },
      reason: 'prueba',
    });
    expect(same.statusCode).toBe(409);
    expect(same.json().error).toMatchObject({
      code: 'ROLE_SCOPE_UNCHANGED',
      message: 'La asignación ya tiene ese ámbito; elija otro.',
    });
    // A granter limited to San Salvador cannot move it to La Libertad (nothing changes).
    const outside = await call(url, departmentAdminToken, {
      scope: { level: 'department', code: 'SV-LI' },
      reason: 'traslado',
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    expect(await activeRoles()).toEqual([current]);

    const res = await call(url, adminToken, {
      scope: { level: 'department', code: 'SV-LI' },
      reason: 'traslado a La Libertad',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'dispatcher', scope: { level: 'department', code: 'SV-LI' } });
    const after = await activeRoles();
    expect(after).toEqual([
      { id: res.json().id, role_code: 'dispatcher', scope_level: 'department', scope_code: 'SV-LI' },
    ]);
    const [entry] = await auditOf('identity.role.scope_changed');
    expect(entry!.reason).toBe('traslado a La Libertad');
    expect(entry!.changes).toMatchObject({
      role: 'dispatcher',
      scope: {
        before: { level: 'department', code: 'SV-SS' },
        after: { level: 'department', code: 'SV-LI' },
      },
    });

    const again = await call(url, adminToken, {
      scope: { level: 'national', code: null },
      reason: 'otra vez',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ROLE_ASSIGNMENT_ALREADY_REVOKED');
  });

  it('refuses changing one’s own assignments', async () => {
    const mine = await t.deps.db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', admin.id)
      .executeTakeFirstOrThrow();
    const res = await call(`/users/${admin.id}/roles/${mine.id}/scope`, adminToken, {
      scope: { level: 'department', code: 'SV-SS' },
      reason: 'autoasignación',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('SELF_ROLE_GRANT_FORBIDDEN');
  });
});
