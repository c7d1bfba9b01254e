import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityDeps } from '../../src/modules/identity/identity.deps.js';
import { DEMO_PASSWORD } from '../../src/modules/identity/index.js';
import { issueSession } from '../../src/modules/identity/sessions.service.js';
import { systemContext } from '../../src/platform/context.js';
import { buildTestApp, type TestApp, testConfig } from '../build-app.js';
import { bearer } from '../factories.js';
import { nit, png } from './execution-fixtures.js';

/**
 * Issue 7, "done when": the whole lifecycle works from a fresh start with the demo data, by the demo
 * users, through the API. The NGO whose plan is under review (Asociación Jóvenes con Futuro, user
 * ong.jovenes) is taken through the three reviews, the approval, the agreement, two tranches, a
 * receipt and its duplicate, a monitoring visit, a refund, the liquidation and the closing act; the
 * demo also shows organisation red flags on the dashboard.
 */
describe('NGO funds demo: the whole lifecycle by the demo users', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();

  /** A session for a demo user (password login; MFA users get a session as after their TOTP step). */
  async function token(username: string): Promise<string> {
    const known = tokens.get(username);
    if (known) return known;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    let access = res.json().accessToken as string | undefined;
    if (!access) {
      expect(res.json().status).toBe('mfa_required');
      const deps = identityDeps(t.deps);
      const row = await deps.db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      access = (
        await issueSession(deps, systemContext(), row, {
          mfaVerified: true,
          userAgent: 'test',
          method: 'password+totp',
        })
      ).accessToken;
    }
    tokens.set(username, access);
    return access;
  }
  const api = async (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: bearer(await token(who)),
      ...(method === 'POST' ? { payload: payload ?? {} } : {}),
    });
  const ok = async (status: number, who: string, url: string, payload?: object) => {
    const res = await api(who, 'POST', url, payload);
    expect(res.statusCode, `${who} ${url}: ${res.body.slice(0, 400)}`).toBe(status);
    return res.json();
  };
  const userId = async (username: string) =>
    (
      await t.deps.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ seedDemo: true }), seedDemo: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows organisation red flags of the demo on the dashboard and on the organisation', async () => {
    const dash = await api('auditor', 'GET', '/grants/dashboard');
    expect(dash.statusCode, dash.body).toBe(200);
    const row = dash
      .json()
      .redFlags.organisations.find(
        (o: { organisationName: string }) => o.organisationName === 'Asociación Jóvenes con Futuro',
      );
    expect(row.codes).toEqual(
      expect.arrayContaining(['BOARD_MEMBER_ON_OTHER_FUNDED_NGO', 'LEGAL_REP_CREDENTIAL_EXPIRING']),
    );
    expect(dash.json().redFlags.total).toBeGreaterThanOrEqual(3); // + the duplicate receipt
    // Every demo plan reads back through the plans API (its content is a valid plan).
    const plans = (await api('auditor', 'GET', '/grants/plans')).json().items as {
      id: string;
      code: string;
    }[];
    expect(plans.filter((p) => p.code.startsWith('PLAN-DEMO-'))).toHaveLength(5);
    for (const p of plans) {
      const res = await api('auditor', 'GET', `/grants/plans/${p.id}`);
      expect(res.statusCode, `${p.code}: ${res.body.slice(0, 300)}`).toBe(200);
      expect(res.json().current.content.indicators[0].code).toBe('IND1');
    }
    const flags = await api(
      'revisor.juridico',
      'GET',
      `/grants/organisations/${row.organisationId}/red-flags`,
    );
    const shared = flags
      .json()
      .flags.find((f: { code: string }) => f.code === 'BOARD_MEMBER_ON_OTHER_FUNDED_NGO');
    expect(shared.message).toContain('Red Mujeres Seguras');
  });

  it('walks the plan under review to its closing act', async () => {
    const plan = (await api('ong.jovenes', 'GET', '/grants/plans')).json().items[0];
    expect(plan).toMatchObject({ code: 'PLAN-DEMO-2026-1', status: 'under_review' });
    const inbox = (await api('revisor.juridico', 'GET', '/workflow/inbox')).json().items;
    const caseId = inbox.find((i: { subjectId: string }) => i.subjectId === plan.id).caseId as string;
    const kase = (await api('autoridad.ong', 'GET', `/workflow/cases/${caseId}`)).json();
    const act = (step: string, extra: object = {}) => {
      const s = kase.steps.find((x: { code: string }) => x.code === step);
      return {
        step,
        outcome: 'approve',
        checklist: s.checklist.map((c: { code: string }) => ({ code: c.code, checked: true })),
        documents: s.requiredDocuments.map((d: { kind: string }) => ({
          sha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
          name: `${d.kind}.pdf`,
          kind: d.kind,
        })),
        ...extra,
      };
    };
    const actions = `/workflow/cases/${caseId}/actions`;
    expect((await api('autoridad.ong', 'POST', actions, act('authority'))).json().error.code).toBe(
      'WORKFLOW_STEP_WAITING',
    );
    await ok(200, 'revisor.juridico', actions, act('legal'));
    await ok(200, 'revisor.financiero', actions, act('financial'));
    await ok(200, 'revisor.monitoreo', actions, act('monitoring'));
    await ok(200, 'autoridad.ong', actions, act('authority', { data: { approvedCents: 900_000 } }));
    expect((await api('ong.jovenes', 'GET', `/grants/plans/${plan.id}`)).json()).toMatchObject({
      status: 'approved',
      approvedCents: 900_000,
    });

    const agreement = await ok(201, 'autoridad.ong', `/grants/plans/${plan.id}/agreement`, {
      number: 'CONV-MJSP-DEMO-1',
      amountCents: 900_000,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      signedOn: '2026-01-02',
      administratorId: await userId('monitoreo.campo'),
      tranches: [
        { amountCents: 500_000 },
        { amountCents: 400_000, minJustifiedPct: 60, requiresVisit: true },
      ],
    });
    const id = agreement.id as string;
    const pay = async (tranche: number, reference: string, paidOn: string) => {
      const d = await ok(201, 'ong.jovenes', `/grants/agreements/${id}/disbursements`, {
        trancheNumber: tranche,
      });
      await ok(409, 'tesoreria.ong', `/grants/disbursements/${d.id}/payment`, {
        paymentReference: reference,
        paidOn,
      });
      await ok(200, 'ufi.finanzas', `/grants/disbursements/${d.id}/decision`, { outcome: 'approve' });
      await ok(403, 'ufi.finanzas', `/grants/disbursements/${d.id}/payment`, {
        paymentReference: reference,
        paidOn,
      });
      await ok(200, 'tesoreria.ong', `/grants/disbursements/${d.id}/payment`, {
        paymentReference: reference,
        paidOn,
      });
    };
    await ok(409, 'ong.jovenes', `/grants/agreements/${id}/disbursements`, { trancheNumber: 2 });
    await pay(1, 'TRF-DEMO-1', '2026-01-10');

    const report = await ok(201, 'ong.jovenes', `/grants/agreements/${id}/expense-reports`, {
      description: 'Gastos de febrero',
    });
    const receipt = (over: object) => ({
      supplierNit: nit('0614010190101'),
      supplierName: 'Librería El Estudiante S.A. de C.V.',
      documentType: '01',
      documentNumber: `DTE-01-${randomUUID().slice(0, 8)}`,
      generationCode: randomUUID(),
      issuedOn: '2026-02-10',
      amountCents: 350_000,
      budgetLineCode: 'A1',
      description: 'Materiales para talleres',
      file: { data: Buffer.from(`%PDF-1.4\n% ${randomUUID()}\n%%EOF\n`).toString('base64') },
      ...over,
    });
    const code = randomUUID();
    const good = await ok(
      201,
      'ong.jovenes',
      `/grants/expense-reports/${report.id}/receipts`,
      receipt({ generationCode: code }),
    );
    expect(good.checks).toEqual([]);
    const copy = await ok(
      201,
      'ong.jovenes',
      `/grants/expense-reports/${report.id}/receipts`,
      receipt({ generationCode: code, amountCents: 1_000 }),
    );
    expect(copy.checks.map((c: { code: string }) => c.code)).toEqual(['duplicate_receipt']);
    await ok(200, 'ong.jovenes', `/grants/expense-reports/${report.id}/submit`);
    await ok(409, 'ufi.finanzas', `/grants/receipts/${copy.id}/review`, { decision: 'approve' });
    await ok(200, 'ufi.finanzas', `/grants/receipts/${copy.id}/review`, {
      decision: 'reject',
      reason: 'Comprobante ya presentado en este informe',
    });
    await ok(200, 'ufi.finanzas', `/grants/receipts/${good.id}/review`, { decision: 'approve' });
    await ok(201, 'ong.jovenes', `/grants/agreements/${id}/indicator-reports`, {
      indicatorCode: 'IND1',
      periodFrom: '2026-01-01',
      periodTo: '2026-03-31',
      value: 40,
    });
    const visit = await ok(201, 'monitoreo.campo', `/grants/agreements/${id}/visits`, {
      visitedOn: '2026-03-01',
      visitType: 'unannounced',
      team: ['Marco Monitoreo de Campo'],
      findings: ['Talleres en curso'],
      followUp: [{ action: 'Enviar listas de asistencia', dueOn: '2026-04-01' }],
    });
    await ok(201, 'monitoreo.campo', `/grants/visits/${visit.id}/photos`, {
      data: png('visita'),
      fileName: 'taller.png',
    });
    await ok(403, 'monitoreo.campo', `/grants/visits/${visit.id}/decision`, { outcome: 'approve' });
    await ok(200, 'control.interno', `/grants/visits/${visit.id}/decision`, { outcome: 'approve' });
    await pay(2, 'TRF-DEMO-2', '2026-04-01');

    const rec = (await api('ong.jovenes', 'GET', `/grants/agreements/${id}/liquidation`)).json();
    expect(rec).toMatchObject({ disbursedCents: 900_000, justifiedCents: 350_000, balanceCents: 550_000 });
    await ok(409, 'ong.jovenes', `/grants/agreements/${id}/liquidation`, {
      finalReport: 'Informe final del proyecto',
    });
    await ok(201, 'ong.jovenes', `/grants/agreements/${id}/refunds`, {
      amountCents: 550_000,
      reference: 'DEP-FG-DEMO-1',
      paidOn: '2026-05-01',
    });
    const liquidation = await ok(201, 'ong.jovenes', `/grants/agreements/${id}/liquidation`, {
      finalReport: 'Informe final: metas alcanzadas y saldo reintegrado al Fondo General.',
    });
    const lid = liquidation.liquidations[0].id;
    await ok(409, 'tesoreria.ong', `/grants/agreements/${id}/close`);
    await ok(200, 'ufi.finanzas', `/grants/liquidations/${lid}/decision`, {
      step: 'finance',
      outcome: 'approve',
      checklist: [{ code: 'reconciled', checked: true }],
    });
    await ok(200, 'monitoreo.campo', `/grants/liquidations/${lid}/decision`, {
      step: 'monitoring',
      outcome: 'approve',
      checklist: [{ code: 'final_report', checked: true }],
    });
    const closed = await ok(200, 'tesoreria.ong', `/grants/agreements/${id}/close`);
    expect(closed.planStatus).toBe('closed');
    const act2 = await api('ong.jovenes', 'GET', `/grants/agreements/${id}/closing-act.pdf`);
    expect(act2.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // Public: the agreement with its refund as a negative disbursement in the IATI export.
    const pub = (await t.app.inject({ method: 'GET', url: '/api/v1/public/grants' })).json();
    expect(pub.agreements.find((a: { number: string }) => a.number === 'CONV-MJSP-DEMO-1')).toMatchObject({
      status: 'closed',
      disbursedCents: 900_000,
      justifiedCents: 350_000,
      refundedCents: 550_000,
      liquidatedCents: 900_000,
    });
    const xml = (await t.app.inject({ method: 'GET', url: '/api/v1/public/grants/iati.xml' })).body;
    const activity = xml.slice(xml.indexOf('-CONV-MJSP-DEMO-1</iati-identifier>'));
    expect(activity.slice(0, activity.indexOf('</iati-activity>'))).toMatch(
      /<transaction-type code="3"\/>[\s\S]*?>-5500\.00<\/value>[\s\S]*?Reintegro/,
    );
  });
});
