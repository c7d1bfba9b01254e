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
 * Public transparency data of NGO funds: no personal data (DUI, board or representative names, bank
 * account), amounts approved / disbursed / justified / refunded, indicator results; CSV; IATI-style
 * XML with commitment, disbursement (refund as a negative disbursement) and expenditure transactions.
 */
describe('NGO funds transparency', () => {
  let t: TestApp;
  const u: Record<string, TestUser & { token: string }> = {};
  let org: OrgFixture;
  let agreementId: string;

  const api = (method: 'GET' | 'POST', url: string, who?: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? bearer(u[who]!.token) : {},
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    t = await buildTestApp();
    for (const [key, role] of [
      ['authority', 'ngo_authority'],
      ['admin', 'ngo_monitoring_reviewer'],
      ['finance1', 'ngo_finance'],
      ['finance2', 'ngo_finance'],
      ['staff', 'ngo_staff'],
    ] as const) {
      u[key] = { ...(await makeUser(t.deps, role)), token: '' };
    }
    org = await makeOrganisation(t.deps, 'Asociación <Paz> & "Futuro"');
    await linkStaff(t.deps, org.orgId, u.staff!.id);
    for (const user of Object.values(u)) user.token = await loginAs(t.app, user);
    const plan = await makeApprovedPlan(t.deps, org.orgId, await makeCall(t.deps, 'Prevención'));
    const res = await api('POST', `/grants/plans/${plan}/agreement`, 'authority', {
      number: 'CONV-T-001',
      amountCents: 1_000_000,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      signedOn: '2026-01-01',
      administratorId: u.admin!.id,
      tranches: [{ amountCents: 1_000_000 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    agreementId = res.json().id;
    const d = await api('POST', `/grants/agreements/${agreementId}/disbursements`, 'staff', {
      trancheNumber: 1,
    });
    await api('POST', `/grants/disbursements/${d.json().id}/decision`, 'finance1', { outcome: 'approve' });
    const paid = await api('POST', `/grants/disbursements/${d.json().id}/payment`, 'finance2', {
      paymentReference: 'TRF-T-1',
      paidOn: '2026-01-10',
    });
    expect(paid.json().status).toBe('paid');
    const rep = await api('POST', `/grants/agreements/${agreementId}/expense-reports`, 'staff', {
      description: 'Gastos',
    });
    const r = await api('POST', `/grants/expense-reports/${rep.json().id}/receipts`, 'staff', {
      supplierNit: nit('0614010190101'),
      supplierName: 'Proveedor S.A.',
      documentType: '03',
      documentNumber: 'DTE-03-0001',
      generationCode: randomUUID(),
      issuedOn: '2026-02-10',
      amountCents: 250_000,
      budgetLineCode: 'A1',
      description: 'Materiales',
      file: { data: pdf() },
    });
    await api('POST', `/grants/expense-reports/${rep.json().id}/submit`, 'staff');
    await api('POST', `/grants/receipts/${r.json().id}/review`, 'finance1', { decision: 'approve' });
    await api('POST', `/grants/agreements/${agreementId}/refunds`, 'staff', {
      amountCents: 50_000,
      reference: 'DEP-T-1',
      paidOn: '2026-03-01',
    });
    await api('POST', `/grants/agreements/${agreementId}/indicator-reports`, 'staff', {
      indicatorCode: 'IND1',
      periodFrom: '2026-01-01',
      periodTo: '2026-03-31',
      value: 42,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('publishes amounts and indicator results without personal data, to anyone', async () => {
    const res = await api('GET', '/public/grants');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const a = body.agreements.find((x: { id: string }) => x.id === agreementId);
    expect(a).toMatchObject({
      number: 'CONV-T-001',
      approvedCents: 1_000_000,
      agreementCents: 1_000_000,
      disbursedCents: 1_000_000,
      justifiedCents: 250_000,
      refundedCents: 50_000,
      liquidatedCents: 0,
    });
    expect(a.indicators.find((i: { code: string }) => i.code === 'IND1').actual).toBe(42);
    const text = res.body;
    const orgRow = await t.deps.db
      .selectFrom('ngo_organisations')
      .selectAll()
      .where('id', '=', org.orgId)
      .executeTakeFirstOrThrow();
    for (const secret of [
      org.boardDui,
      org.repDui,
      orgRow.bank_account,
      orgRow.legal_rep_name,
      'Tesorero Privado',
      u.finance1!.username,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('exports CSV and an IATI-style XML (refund as a negative disbursement)', async () => {
    const csv = await api('GET', '/public/grants.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('CONV-T-001');
    expect(csv.body).toContain('10000.00');
    expect(csv.body).not.toContain(org.boardDui);

    const xml = await api('GET', '/public/grants/iati.xml');
    expect(xml.statusCode).toBe(200);
    const x = xml.body;
    expect(x).toContain('<iati-activities version="2.03"');
    expect(x).toContain('-CONV-T-001</iati-identifier>');
    expect(x).toContain('<participating-org role="4" type="22">');
    expect(x).toContain('Asociación &lt;Paz&gt; &amp; &quot;Futuro&quot;');
    expect(x).toContain('<activity-status code="2"/>');
    expect(x).toMatch(/<transaction-type code="2"\/>[\s\S]*?>10000\.00</);
    expect(x).toMatch(/<transaction-type code="3"\/>[\s\S]*?>10000\.00</);
    expect(x).toMatch(/<transaction-type code="3"\/>[\s\S]*?>-500\.00<\/value>[\s\S]*?Reintegro/);
    expect(x).toMatch(/<transaction-type code="4"\/>[\s\S]*?>2500\.00</);
    expect(x).toContain('<actual value="42"/>');
    expect(x).not.toContain(org.repDui);
  });

  it('internal dashboard with XLSX for each list, back office only', async () => {
    const dash = await api('GET', '/grants/dashboard', 'finance1');
    expect(dash.statusCode, dash.body).toBe(200);
    expect(
      dash.json().byProgramme.find((p: { programme: string }) => p.programme === 'Prevención'),
    ).toMatchObject({ plans: 1, amountCents: 1_000_000, disbursedCents: 1_000_000 });
    expect(dash.json().byStatus.find((s: { status: string }) => s.status === 'in_execution').plans).toBe(1);
    for (const list of ['byStatus', 'byProgramme', 'overdueReviews', 'overdueLiquidations']) {
      const x = await api('GET', `/grants/dashboard?format=xlsx&list=${list}`, 'finance1');
      expect(x.statusCode).toBe(200);
      expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
    for (const url of ['/grants/agreements?format=xlsx', '/grants/disbursements?format=xlsx']) {
      const x = await api('GET', url, 'finance1');
      expect(x.headers['content-type']).toContain('spreadsheetml');
    }
    expect((await api('GET', '/grants/dashboard', 'staff')).statusCode).toBe(403);
    expect((await api('GET', '/grants/dashboard')).statusCode).toBe(401);
  });
});
