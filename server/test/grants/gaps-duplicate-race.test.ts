import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import {
  linkStaff,
  makeApprovedPlan,
  makeCall,
  makeOrganisation,
  nit,
  type OrgFixture,
  pdf,
} from './execution-fixtures.js';

/**
 * The same receipt uploaded at the same time (on PostgreSQL the requests truly run in parallel on
 * separate connections): exactly one is accepted clean, every other one is flagged as already used —
 * whether the copies come from one NGO or from two NGOs — and a flagged copy can never be approved.
 */
describe('NGO receipts: simultaneous uploads of the same receipt', () => {
  let t: TestApp;
  const u: Record<string, TestUser & { token: string }> = {};
  let orgA: OrgFixture;
  let orgB: OrgFixture;
  const reports: Record<'a1' | 'a2' | 'b', string> = { a1: '', a2: '', b: '' };
  const supplier = nit('0614010190101');

  const api = (method: 'GET' | 'POST', url: string, who?: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? bearer(u[who]!.token) : {},
      ...(payload ? { payload } : {}),
    });

  const receipt = (over: Record<string, unknown> = {}) => ({
    supplierNit: supplier,
    supplierName: 'Librería El Estudiante S.A. de C.V.',
    documentType: '01',
    documentNumber: `DTE-01-${randomUUID().slice(0, 8)}`,
    generationCode: randomUUID(),
    issuedOn: '2026-02-10',
    amountCents: 10_000,
    budgetLineCode: 'A1',
    description: 'Materiales para talleres',
    file: { data: pdf('r'), fileName: 'factura.pdf', mime: 'application/pdf' },
    ...over,
  });

  async function agreementFor(org: OrgFixture, staff: string, number: string) {
    const plan = await makeApprovedPlan(t.deps, org.orgId, await makeCall(t.deps));
    const res = await api('POST', `/grants/plans/${plan}/agreement`, 'authority', {
      number,
      amountCents: 1_000_000,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      signedOn: '2026-01-01',
      administratorId: u.monitoring!.id,
      tranches: [{ amountCents: 1_000_000 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const d = await api('POST', `/grants/agreements/${id}/disbursements`, staff, { trancheNumber: 1 });
    expect(d.statusCode, d.body).toBe(201);
    await api('POST', `/grants/disbursements/${d.json().id}/decision`, 'finance1', { outcome: 'approve' });
    const paid = await api('POST', `/grants/disbursements/${d.json().id}/payment`, 'finance2', {
      paymentReference: `TRF-${number}`,
      paidOn: '2026-01-10',
    });
    expect(paid.json().status).toBe('paid');
    return id;
  }

  async function openReport(agreementId: string, staff: string) {
    const rep = await api('POST', `/grants/agreements/${agreementId}/expense-reports`, staff, {
      description: 'Informe de gastos',
    });
    expect(rep.statusCode, rep.body).toBe(201);
    return rep.json().id as string;
  }

  const receiptsWith = async (generationCode: string) =>
    t.deps.db
      .selectFrom('ngo_receipts')
      .select(['id', 'checks', 'report_id'])
      .where('generation_code', '=', generationCode)
      .execute();

  const isDuplicate = (checks: unknown) =>
    (typeof checks === 'string' ? JSON.parse(checks) : (checks as { code: string }[])).some(
      (c: { code: string }) => c.code === 'duplicate_receipt',
    );

  beforeAll(async () => {
    t = await buildTestApp();
    for (const [key, role] of [
      ['authority', 'ngo_authority'],
      ['monitoring', 'ngo_monitoring_reviewer'],
      ['finance1', 'ngo_finance'],
      ['finance2', 'ngo_finance'],
      ['staffA', 'ngo_staff'],
      ['staffB', 'ngo_staff'],
    ] as const) {
      u[key] = { ...(await makeUser(t.deps, role)), token: '' };
    }
    orgA = await makeOrganisation(t.deps, 'Asociación Uno');
    orgB = await makeOrganisation(t.deps, 'Fundación Dos');
    await linkStaff(t.deps, orgA.orgId, u.staffA!.id);
    await linkStaff(t.deps, orgB.orgId, u.staffB!.id);
    for (const user of Object.values(u)) user.token = await loginAs(t.app, user);
    const a = await agreementFor(orgA, 'staffA', 'CONV-RACE-A');
    const b = await agreementFor(orgB, 'staffB', 'CONV-RACE-B');
    reports.a1 = await openReport(a, 'staffA');
    reports.a2 = await openReport(a, 'staffA');
    reports.b = await openReport(b, 'staffB');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('two NGOs upload the same DTE at the same instant: one accepted, the other flagged as already used', async () => {
    for (let round = 0; round < 3; round++) {
      const code = randomUUID();
      const [x, y] = await Promise.all([
        api(
          'POST',
          `/grants/expense-reports/${reports.a1}/receipts`,
          'staffA',
          receipt({ generationCode: code }),
        ),
        api(
          'POST',
          `/grants/expense-reports/${reports.b}/receipts`,
          'staffB',
          receipt({ generationCode: code }),
        ),
      ]);
      expect(x.statusCode, x.body).toBe(201);
      expect(y.statusCode, y.body).toBe(201);
      const flagged = [x.json(), y.json()].filter((r) =>
        r.checks.some((c: { code: string }) => c.code === 'duplicate_receipt'),
      );
      expect(flagged, `round ${round}`).toHaveLength(1);
      const check = flagged[0].checks.find((c: { code: string }) => c.code === 'duplicate_receipt');
      expect(check.message).toContain('otra organización');
      expect(check.details.matchedBy).toBe('generation_code');
      // The stored rows agree with the responses: one clean, one flagged.
      const rows = await receiptsWith(code);
      expect(rows).toHaveLength(2);
      expect(rows.filter((r) => isDuplicate(r.checks))).toHaveLength(1);
    }
  });

  it('one NGO sends the same file five times at once (two reports): exactly one is clean', async () => {
    const code = randomUUID();
    const same = receipt({ generationCode: code, documentNumber: 'DTE-01-M001P001-000000000777' });
    const results = await Promise.all(
      [reports.a1, reports.a2, reports.a1, reports.a2, reports.a1].map((r) =>
        api('POST', `/grants/expense-reports/${r}/receipts`, 'staffA', same),
      ),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    const clean = results.filter(
      (r) => !r.json().checks.some((c: { code: string }) => c.code === 'duplicate_receipt'),
    );
    expect(clean).toHaveLength(1);
    const rows = await receiptsWith(code);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => !isDuplicate(r.checks))).toHaveLength(1);
    for (const r of results) {
      if (r === clean[0]) continue;
      expect(r.json().checks.find((c: { code: string }) => c.code === 'duplicate_receipt').message).toContain(
        'esta misma organización',
      );
    }
  });

  it('finance can approve the clean copy but never a flagged one', async () => {
    for (const id of [reports.a1, reports.a2, reports.b]) {
      const staff = id === reports.b ? 'staffB' : 'staffA';
      const sub = await api('POST', `/grants/expense-reports/${id}/submit`, staff);
      expect(sub.statusCode, sub.body).toBe(200);
    }
    const all = await t.deps.db.selectFrom('ngo_receipts').select(['id', 'checks']).execute();
    const flagged = all.filter((r) => isDuplicate(r.checks));
    const clean = all.filter((r) => !isDuplicate(r.checks));
    expect(flagged).toHaveLength(3 + 4);
    for (const r of flagged) {
      const res = await api('POST', `/grants/receipts/${r.id}/review`, 'finance1', { decision: 'approve' });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('GRANT_RECEIPT_DUPLICATE_NOT_APPROVABLE');
      expect(res.json().error.message).toMatch(/[áéíóúñ]|comprobante/i);
    }
    for (const r of clean) {
      const res = await api('POST', `/grants/receipts/${r.id}/review`, 'finance1', { decision: 'approve' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const approved = await t.deps.db
      .selectFrom('ngo_receipts')
      .select('id')
      .where('status', '=', 'approved')
      .execute();
    expect(approved).toHaveLength(clean.length);
  });
});
