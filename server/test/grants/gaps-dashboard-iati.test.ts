import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PLACEHOLDER_IATI_ORG_REF } from '../../src/config.js';
import { buildTestApp, type TestApp, testConfig } from '../build-app.js';
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
 * Gaps of the NGO funds module (issue 7): the internal dashboard counts the per-organisation red
 * flags of grants/red-flags, not only flagged receipts; the ministry's IATI reporting-org identifier
 * is a configuration value (GRANTS_IATI_ORG_REF) whose made-up default is announced in the export.
 */
describe('NGO funds dashboard red flags and IATI reporting organisation', () => {
  let t: TestApp;
  const u: Record<string, TestUser & { token: string }> = {};
  let expired: OrgFixture;
  let sharing: OrgFixture;
  let sharing2: OrgFixture;
  let clean: OrgFixture;

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
      ['monitoring', 'ngo_monitoring_reviewer'],
      ['finance1', 'ngo_finance'],
      ['finance2', 'ngo_finance'],
      ['auditor', 'auditor'],
      ['staff', 'ngo_staff'],
    ] as const) {
      u[key] = { ...(await makeUser(t.deps, role)), token: '' };
    }
    expired = await makeOrganisation(t.deps, 'Asociación Registro Vencido');
    sharing = await makeOrganisation(t.deps, 'Fundación Cuenta Compartida Uno');
    sharing2 = await makeOrganisation(t.deps, 'Fundación Cuenta Compartida Dos');
    clean = await makeOrganisation(t.deps, 'Asociación Sin Alertas');
    await t.deps.db
      .updateTable('ngo_organisations')
      .set({ registry_valid_until: '2020-01-01' })
      .where('id', '=', expired.orgId)
      .execute();
    await t.deps.db
      .updateTable('ngo_organisations')
      .set({ bank_account: '00990011223344' })
      .where('id', 'in', [sharing.orgId, sharing2.orgId])
      .execute();
    await linkStaff(t.deps, clean.orgId, u.staff!.id);
    for (const user of Object.values(u)) user.token = await loginAs(t.app, user);

    // One agreement of the clean NGO with a flagged receipt (outside the agreement's period).
    const plan = await makeApprovedPlan(t.deps, clean.orgId, await makeCall(t.deps, 'Prevención'));
    const agreement = await api('POST', `/grants/plans/${plan}/agreement`, 'authority', {
      number: 'CONV-GAPS-001',
      amountCents: 1_000_000,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      signedOn: '2026-01-01',
      administratorId: u.monitoring!.id,
      tranches: [{ amountCents: 1_000_000 }],
    });
    expect(agreement.statusCode, agreement.body).toBe(201);
    const id = agreement.json().id;
    const d = await api('POST', `/grants/agreements/${id}/disbursements`, 'staff', { trancheNumber: 1 });
    await api('POST', `/grants/disbursements/${d.json().id}/decision`, 'finance1', { outcome: 'approve' });
    await api('POST', `/grants/disbursements/${d.json().id}/payment`, 'finance2', {
      paymentReference: 'TRF-GAPS-1',
      paidOn: '2026-01-10',
    });
    const rep = await api('POST', `/grants/agreements/${id}/expense-reports`, 'staff', {
      description: 'Gastos de enero',
    });
    const receipt = await api('POST', `/grants/expense-reports/${rep.json().id}/receipts`, 'staff', {
      supplierNit: nit('0614010190101'),
      supplierName: 'Proveedor S.A.',
      documentType: '01',
      documentNumber: 'DTE-01-GAPS-1',
      generationCode: randomUUID(),
      issuedOn: '2025-12-20',
      amountCents: 10_000,
      budgetLineCode: 'A1',
      description: 'Materiales',
      file: { data: pdf('gaps') },
    });
    expect(receipt.json().checks.map((c: { code: string }) => c.code)).toEqual(['outside_period']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts the per-organisation red flags of grants/red-flags on the dashboard, with the receipts', async () => {
    const dash = await api('GET', '/grants/dashboard', 'auditor');
    expect(dash.statusCode, dash.body).toBe(200);
    const flags = dash.json().redFlags;
    expect(flags.flaggedReceipts).toBe(1);

    // The same flags as each organisation's own red-flag report.
    let expectedTotal = 0;
    for (const org of [expired, sharing, sharing2, clean]) {
      const report = await api('GET', `/grants/organisations/${org.orgId}/red-flags`, 'auditor');
      expect(report.statusCode, report.body).toBe(200);
      const codes = report.json().flags.map((f: { code: string }) => f.code);
      expectedTotal += codes.length;
      const row = flags.organisations.find((o: { organisationId: string }) => o.organisationId === org.orgId);
      if (codes.length === 0) expect(row).toBeUndefined();
      else expect(row.codes.sort()).toEqual([...new Set<string>(codes)].sort());
    }
    expect(flags.organisationFlags).toBe(expectedTotal);
    expect(flags.total).toBe(expectedTotal + 1);
    expect(flags.organisationsFlagged).toBe(3);
    const byId = (id: string) =>
      flags.organisations.find((o: { organisationId: string }) => o.organisationId === id);
    expect(byId(expired.orgId).codes).toContain('REGISTRY_EXPIRED');
    expect(byId(sharing.orgId).codes).toContain('BANK_ACCOUNT_SHARED');
    expect(byId(sharing2.orgId).codes).toContain('BANK_ACCOUNT_SHARED');
    expect(byId(clean.orgId)).toBeUndefined();
    expect(flags.organisationHighFlags).toBeGreaterThanOrEqual(3);

    // The list downloads as XLSX too.
    const x = await api('GET', '/grants/dashboard?format=xlsx&list=redFlags', 'auditor');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('a new red flag (previous funds not liquidated in time) shows on the dashboard at once', async () => {
    const before = (await api('GET', '/grants/dashboard', 'auditor')).json().redFlags;
    await t.deps.db
      .updateTable('ngo_plans')
      .set({ liquidation_due_at: new Date(Date.now() - 86_400_000) })
      .where('organisation_id', '=', clean.orgId)
      .execute();
    const after = (await api('GET', '/grants/dashboard', 'auditor')).json().redFlags;
    expect(after.organisationFlags).toBe(before.organisationFlags + 1);
    expect(after.total).toBe(before.total + 1);
    const row = after.organisations.find((o: { organisationId: string }) => o.organisationId === clean.orgId);
    expect(row.codes).toEqual(['PENDING_LIQUIDATION']);
  });

  it('IATI export: the placeholder reporting-org is the labelled default and is announced', async () => {
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: t.deps.config.dataDir }).grantsIatiOrgRef).toBe(
      PLACEHOLDER_IATI_ORG_REF,
    );
    const xml = await api('GET', '/public/grants/iati.xml');
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toContain(`<reporting-org ref="${PLACEHOLDER_IATI_ORG_REF}"`);
    expect(xml.body).toMatch(/<!-- AVISO: el identificador IATI del Ministerio .* provisional inventado/);
    expect(xml.body).toContain(`${PLACEHOLDER_IATI_ORG_REF}-CONV-GAPS-001</iati-identifier>`);
  });

  it('IATI export: GRANTS_IATI_ORG_REF sets the reporting-org and identifiers; bad values stop start-up', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: t.deps.config.dataDir,
      GRANTS_IATI_ORG_REF: 'SV-NIT-0614-999999-999-9',
    });
    expect(config.grantsIatiOrgRef).toBe('SV-NIT-0614-999999-999-9');
    expect(() =>
      loadConfig({ NODE_ENV: 'test', DATA_DIR: t.deps.config.dataDir, GRANTS_IATI_ORG_REF: 'no válido/&' }),
    ).toThrow(/GRANTS_IATI_ORG_REF/);

    const other = await buildTestApp({ config: testConfig({ grantsIatiOrgRef: config.grantsIatiOrgRef }) });
    try {
      const org = await makeOrganisation(other.deps, 'Fundación Configurada');
      const plan = await makeApprovedPlan(other.deps, org.orgId, await makeCall(other.deps));
      const authority = await loginAs(other.app, await makeUser(other.deps, 'ngo_authority'));
      const admin = await makeUser(other.deps, 'ngo_monitoring_reviewer');
      const signed = await other.app.inject({
        method: 'POST',
        url: `/api/v1/grants/plans/${plan}/agreement`,
        headers: bearer(authority),
        payload: {
          number: 'CONV-CFG-001',
          amountCents: 1_000_000,
          startsOn: '2026-01-01',
          endsOn: '2026-12-31',
          signedOn: '2026-01-01',
          administratorId: admin.id,
          tranches: [{ amountCents: 1_000_000 }],
        },
      });
      expect(signed.statusCode, signed.body).toBe(201);
      const xml = await other.app.inject({ method: 'GET', url: '/api/v1/public/grants/iati.xml' });
      expect(xml.body).toContain('<reporting-org ref="SV-NIT-0614-999999-999-9" type="10">');
      expect(xml.body).toContain('<iati-identifier>SV-NIT-0614-999999-999-9-CONV-CFG-001</iati-identifier>');
      expect(xml.body).not.toContain(PLACEHOLDER_IATI_ORG_REF);
      expect(xml.body).not.toContain('AVISO');
    } finally {
      await other.close();
    }
  });
});
