import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './build-app.js';
import { bearer, loginAs, makeUser, type TestUser } from './factories.js';
import { auditActions, BUILD_TIMEOUT_MS } from './identity-helpers.js';

/**
 * Keys belong to devices and integrations: they survive their issuer's departure unless the
 * deactivation asks to revoke them (the person may have kept copies of the secrets).
 */
describe('identity: deactivating a user and the API keys they issued', () => {
  let t: TestApp;
  let leaving: TestUser;
  let leavingToken: string;
  let stayingToken: string;

  beforeAll(async () => {
    t = await buildTestApp();
    leaving = await makeUser(t.deps, 'administrator');
    leavingToken = await loginAs(t.app, leaving);
    stayingToken = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await t.close();
  });

  const issue = async (token: string, name: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(token),
      payload: { name, permissions: ['identity.users.read'], scope: { level: 'national', code: null } },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; key: string };
  };
  const useKey = (key: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/users?limit=1', headers: { 'x-api-key': key } });

  it('revokes every active key of the deactivated user when asked, audited, and leaves other keys working', async () => {
    const first = await issue(leavingToken, 'integración 1');
    const second = await issue(leavingToken, 'integración 2');
    const alreadyRevoked = await issue(leavingToken, 'integración vieja');
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/v1/api-keys/${alreadyRevoked.id}/revoke`,
      headers: bearer(leavingToken),
      payload: { reason: 'ya no se usa' },
    });
    expect(revoke.statusCode).toBe(200);
    const others = await issue(stayingToken, 'integración de otra persona');
    expect((await useKey(first.key)).statusCode).toBe(200);

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${leaving.id}/deactivate`,
      headers: bearer(stayingToken),
      payload: { reason: 'dejó la institución', revokeApiKeys: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);

    for (const key of [first, second]) {
      const refused = await useKey(key.key);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('API_KEY_INVALID');
      expect(await auditActions(t.deps, key.id)).toEqual([
        'identity.apikey.created',
        'identity.apikey.revoked',
      ]);
      const entry = await t.deps.db
        .selectFrom('audit_log')
        .select(['reason'])
        .where('entity_id', '=', key.id)
        .where('action', '=', 'identity.apikey.revoked')
        .executeTakeFirstOrThrow();
      expect(entry.reason).toBe('dejó la institución');
    }
    // The key revoked earlier keeps its first revocation (no second audit entry).
    expect(await auditActions(t.deps, alreadyRevoked.id)).toEqual([
      'identity.apikey.created',
      'identity.apikey.revoked',
    ]);
    expect((await useKey(others.key)).statusCode).toBe(200);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/api-keys?includeInactive=true',
      headers: bearer(stayingToken),
    });
    const status = new Map(
      (list.json().items as { id: string; status: string }[]).map((k) => [k.id, k.status]),
    );
    expect(status.get(first.id)).toBe('revoked');
    expect(status.get(second.id)).toBe('revoked');
    expect(status.get(others.id)).toBe('active');
  });

  it('keeps the keys a deactivated user issued working unless asked to revoke them', async () => {
    const issuer = await makeUser(t.deps, 'administrator');
    const device = await issue(await loginAs(t.app, issuer), 'botón de pánico 14');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${issuer.id}/deactivate`,
      headers: bearer(stayingToken),
      payload: { reason: 'traslado a otra institución' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await useKey(device.key)).statusCode).toBe(200);
    expect(await auditActions(t.deps, device.id)).toEqual(['identity.apikey.created']);
  });

  it('revokes nothing when the deactivation is refused', async () => {
    const own = await issue(stayingToken, 'clave propia');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(stayingToken) });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${me.json().id}/deactivate`,
      headers: bearer(stayingToken),
      payload: { reason: 'prueba' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CANNOT_DEACTIVATE_SELF');
    expect((await useKey(own.key)).statusCode).toBe(200);
  });
});
