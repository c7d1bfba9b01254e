import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testConfig } from '../build-app.js';

/** The grants demo data: one NGO at each stage, a duplicate receipt rejected, demo users printed. */
describe('grants execution demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ seedDemo: true }), seedDemo: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has one NGO at each stage and prints its demo users', async () => {
    const plans = await t.deps.db
      .selectFrom('ngo_plans')
      .select(['code', 'status'])
      .where('code', 'like', 'PLAN-DEMO-%')
      .orderBy('code')
      .execute();
    expect(plans.map((p) => p.status)).toEqual([
      'under_review',
      'approved',
      'in_execution',
      'liquidation_submitted',
      'closed',
    ]);
    const rejected = await t.deps.db
      .selectFrom('ngo_receipts')
      .select(['checks', 'status'])
      .where('status', '=', 'rejected')
      .execute();
    expect(rejected).toHaveLength(1);
    expect(JSON.stringify(rejected[0]!.checks)).toContain('duplicate_receipt');
    const closed = await t.deps.db
      .selectFrom('ngo_agreements')
      .select('closing_act_sha256')
      .where('closing_act_sha256', 'is not', null)
      .execute();
    expect(closed).toHaveLength(1);
    const roles = new Set(t.demoCredentials.map((c) => c.role));
    for (const role of ['ngo_authority', 'ngo_finance', 'ngo_monitoring_reviewer', 'ngo_staff'])
      expect(roles.has(role), role).toBe(true);
    expect(t.demoCredentials.find((c) => c.username === 'autoridad.ong')?.note).toContain('MFA');
  });
});
