import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testConfig } from './build-app.js';
import { bearer, loginAs } from './factories.js';

describe('demo data (development only)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ seedDemo: true }), seedDemo: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates one demo user per role and prints their credentials', async () => {
    const roles = new Set(t.demoCredentials.map((c) => c.role));
    for (const role of [
      'administrator',
      'call_taker',
      'dispatcher',
      'supervisor',
      'field_officer',
      'analyst',
      'auditor',
    ]) {
      expect(roles.has(role), role).toBe(true);
    }
  });

  it('puts units in service in every department and the demo officer on a crew', async () => {
    const stations = await t.deps.db.selectFrom('stations').select('department_code').execute();
    expect(new Set(stations.map((s) => s.department_code)).size).toBe(14);
    const available = await t.deps.db
      .selectFrom('units')
      .select('id')
      .where('status', '=', 'available')
      .execute();
    expect(available.length).toBeGreaterThanOrEqual(40);
    const token = await loginAs(t.app, {
      username: 'agente',
      password: t.demoCredentials.find((c) => c.username === 'agente')!.password,
    });
    const me = await t.app.inject({ url: '/api/v1/field/me', headers: bearer(token) });
    expect(me.json().unit.callSign).toBe('PNC-SS-01');
  });

  it('is idempotent across restarts', async () => {
    const again = await buildTestApp({
      config: testConfig({ seedDemo: true }),
      seedDemo: true,
      database: t.database,
    });
    const stations = await again.deps.db.selectFrom('stations').select('id').execute();
    expect(stations).toHaveLength(14);
    await again.app.close();
  });
});
