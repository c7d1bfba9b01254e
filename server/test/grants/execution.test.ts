import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLiquidationDeadlines } from '../../src/modules/grants/agreements/index.js';
import { planReviewDefinition, startPlanReview } from '../../src/modules/grants/review/index.js';
import { systemContext } from '../../src/platform/context.js';
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
  png,
  sha256,
} from './execution-fixtures.js';

/**
 * The execution lifecycle of an NGO agreement through the API: agreement with conditional tranches,
 * disbursement requested / authorised / paid by three people, receipts with automatic checks and a
 * duplicate rejected, a monitoring visit approved by someone else, the second tranche, refunds,
 * liquidation approved by finance and monitoring, closing act; bad input refused with nothing written;
 * the overdue-liquidation timer blocks new funds and plan approvals.
 */
/** An approval of a plan-review step with every checklist item met and every required document. */
function approval(step: string) {
  const def = planReviewDefinition.steps.find((s) => s.code === step)!;
  return {
    step,
    outcome: 'approve',
    checklist: def.checklist.map((i) => ({ code: i.code, checked: true })),
    documents: def.requiredDocuments.map((d) => ({
      sha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      name: `${d.kind}.pdf`,
      kind: d.kind,
    })),
  };
}

describe('NGO agreement execution', () => {
  let t: TestApp;
  const u: Record<string, TestUser & { token: string }> = {};
  let org: OrgFixture;
  let other: OrgFixture;
  let planId: string;
  let agreementId: string;
  let reportId: string;
  let otherAgreementId: string;
  const supplier = nit('0614010190101');

  const api = (method: 'GET' | 'POST', url: string, who?: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? bearer(u[who]!.token) : {},
      ...(payload ? { payload } : {}),
    });
  const planStatus = async (id: string) =>
    (await t.deps.db.selectFrom('ngo_plans').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;

  const agreementBody = (over: Record<string, unknown> = {}) => ({
    number: `CONV-MJSP-${randomUUID().slice(0, 6)}`,
    amountCents: 1_000_000,
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    signedOn: '2026-01-01',
    liquidationDays: 30,
    administratorId: u.admin!.id,
    splitThresholdCents: 100_000,
    splitWindowDays: 15,
    tranches: [{ amountCents: 600_000 }, { amountCents: 400_000, minJustifiedPct: 50, requiresVisit: true }],
    ...over,
  });

  const receipt = (over: Record<string, unknown> = {}) => ({
    supplierNit: supplier,
    supplierName: 'Librería El Estudiante S.A. de C.V.',
    documentType: '01',
    documentNumber: `DTE-01-${randomUUID().slice(0, 8)}`,
    generationCode: randomUUID(),
    issuedOn: '2026-02-10',
    amountCents: 150_000,
    budgetLineCode: 'A1',
    description: 'Materiales para talleres',
    file: { data: pdf('r'), fileName: 'factura.pdf', mime: 'application/pdf' },
    ...over,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    for (const [key, role] of [
      ['authority', 'ngo_authority'],
      ['admin', 'ngo_monitoring_reviewer'],
      ['finance1', 'ngo_finance'],
      ['finance2', 'ngo_finance'],
      ['monitoring1', 'ngo_monitoring_reviewer'],
      ['monitoring2', 'ngo_monitoring_reviewer'],
      ['staff', 'ngo_staff'],
      ['otherStaff', 'ngo_staff'],
      ['legal', 'ngo_legal_reviewer'],
      ['financial', 'ngo_financial_reviewer'],
    ] as const) {
      u[key] = { ...(await makeUser(t.deps, role)), token: '' };
    }
    org = await makeOrganisation(t.deps, 'Asociación Jóvenes con Futuro');
    other = await makeOrganisation(t.deps, 'Fundación Barrios Unidos');
    await linkStaff(t.deps, org.orgId, u.staff!.id);
    await linkStaff(t.deps, other.orgId, u.otherStaff!.id);
    for (const user of Object.values(u)) user.token = await loginAs(t.app, user);
    const call = await makeCall(t.deps);
    planId = await makeApprovedPlan(t.deps, org.orgId, call);
    const otherPlan = await makeApprovedPlan(t.deps, other.orgId, call);
    const res = await api('POST', `/grants/plans/${otherPlan}/agreement`, 'authority', agreementBody());
    expect(res.statusCode, res.body).toBe(201);
    otherAgreementId = res.json().id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses bad agreements with a clear 4xx and writes nothing', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ amountCents: 1_000_000.5 }, 400, 'AMOUNT_FRACTIONAL_CENTS'],
      [{ amountCents: -5 }, 400, 'AMOUNT_NEGATIVE'],
      [{ amountCents: 1e300 }, 400, 'AMOUNT_TOO_LARGE'],
      [{ startsOn: '2026-12-31', endsOn: '2026-01-01' }, 400, 'DATES_OUT_OF_ORDER'],
      [{ startsOn: '2026-02-30' }, 400, 'DATE_INVALID'],
      [
        { amountCents: 2_000_000, tranches: [{ amountCents: 2_000_000 }] },
        400,
        'GRANT_AGREEMENT_ABOVE_APPROVED',
      ],
      [{ tranches: [{ amountCents: 500_000 }] }, 400, 'GRANT_AGREEMENT_TRANCHES_MISMATCH'],
      [
        { tranches: [{ amountCents: 1_000_000, requiresVisit: true }] },
        400,
        'GRANT_AGREEMENT_FIRST_TRANCHE_CONDITION',
      ],
      [{ administratorId: u.staff!.id }, 409, 'GRANT_AGREEMENT_ADMINISTRATOR_LINKED'],
    ];
    for (const [over, status, code] of cases) {
      const res = await api('POST', `/grants/plans/${planId}/agreement`, 'authority', agreementBody(over));
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toMatch(/[a-záéíóú]/);
    }
    const forbidden = await api('POST', `/grants/plans/${planId}/agreement`, 'finance1', agreementBody());
    expect(forbidden.statusCode).toBe(403);
    const count = await t.deps.db
      .selectFrom('ngo_agreements')
      .select(t.deps.db.fn.countAll().as('n'))
      .where('plan_id', '=', planId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    expect(await planStatus(planId)).toBe('approved');
  });

  it('signs the agreement: tranches, PDF summary with SHA-256, plan agreement_signed with its liquidation deadline', async () => {
    const res = await api(
      'POST',
      `/grants/plans/${planId}/agreement`,
      'authority',
      agreementBody({ number: 'CONV-MJSP-2026-001' }),
    );
    expect(res.statusCode, res.body).toBe(201);
    agreementId = res.json().id;
    expect(res.json().planStatus).toBe('agreement_signed');
    expect(res.json().liquidationDueAt).toBe('2027-01-31T05:59:59.000Z');
    const again = await api('POST', `/grants/plans/${planId}/agreement`, 'authority', agreementBody());
    expect(again.json().error.code).toBe('GRANT_AGREEMENT_PLAN_NOT_APPROVED');
    const file = await api('GET', `/grants/agreements/${agreementId}/summary.pdf`, 'staff');
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(res.json().summarySha256);
    // NGO staff of another organisation do not see it.
    expect((await api('GET', `/grants/agreements/${agreementId}`, 'otherStaff')).statusCode).toBe(404);
  });

  it('disbursement: conditions checked, requester ≠ authoriser ≠ payer, never above the agreement', async () => {
    const early = await api('POST', `/grants/agreements/${agreementId}/disbursements`, 'staff', {
      trancheNumber: 2,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('GRANT_DISBURSEMENT_CONDITIONS_UNMET');
    const codes = early.json().error.details.conditions.map((c: { code: string }) => c.code);
    expect(codes).toEqual(
      expect.arrayContaining(['previous_tranches_paid', 'justified_pct', 'visit_approved']),
    );

    const req = await api('POST', `/grants/agreements/${agreementId}/disbursements`, 'staff', {
      trancheNumber: 1,
    });
    expect(req.statusCode, req.body).toBe(201);
    const d = req.json();
    expect(d.status).toBe('requested');
    const twice = await api('POST', `/grants/agreements/${agreementId}/disbursements`, 'staff', {
      trancheNumber: 1,
    });
    expect(twice.json().error.code).toBe('GRANT_DISBURSEMENT_ALREADY_REQUESTED');

    const payEarly = await api('POST', `/grants/disbursements/${d.id}/payment`, 'finance2', {
      paymentReference: 'TRF-0001',
      paidOn: '2026-01-05',
    });
    expect(payEarly.json().error.code).toBe('GRANT_DISBURSEMENT_WRONG_STATUS');
    expect(
      (await api('POST', `/grants/disbursements/${d.id}/decision`, 'staff', { outcome: 'approve' }))
        .statusCode,
    ).toBe(403);

    const ok = await api('POST', `/grants/disbursements/${d.id}/decision`, 'finance1', {
      outcome: 'approve',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('authorised');
    const self = await api('POST', `/grants/disbursements/${d.id}/payment`, 'finance1', {
      paymentReference: 'TRF-0001',
      paidOn: '2026-01-05',
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('GRANT_DISBURSEMENT_SEGREGATION');
    const paid = await api('POST', `/grants/disbursements/${d.id}/payment`, 'finance2', {
      paymentReference: 'TRF-0001',
      paidOn: '2026-01-05',
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', paymentReference: 'TRF-0001' });
    expect(await planStatus(planId)).toBe('in_execution');

    // A finance requester cannot authorise their own request (workflow segregation of duties).
    const req2 = await api('POST', `/grants/agreements/${otherAgreementId}/disbursements`, 'finance1', {
      trancheNumber: 1,
    });
    expect(req2.statusCode, req2.body).toBe(201);
    const own = await api('POST', `/grants/disbursements/${req2.json().id}/decision`, 'finance1', {
      outcome: 'approve',
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('WORKFLOW_SEGREGATION_OF_DUTIES');
    const rej = await api('POST', `/grants/disbursements/${req2.json().id}/decision`, 'finance2', {
      outcome: 'reject',
      reason: 'Falta la certificación bancaria',
    });
    expect(rej.json().status).toBe('rejected');
  });

  it('receipts: bad input refused, automatic checks explained, duplicates caught across NGOs', async () => {
    const rep = await api('POST', `/grants/agreements/${agreementId}/expense-reports`, 'staff', {
      description: 'Informe de gastos de febrero',
    });
    expect(rep.statusCode, rep.body).toBe(201);
    reportId = rep.json().id;
    const url = `/grants/expense-reports/${reportId}/receipts`;
    const bad: [Record<string, unknown>, number, string][] = [
      [{ amountCents: 100.25 }, 400, 'AMOUNT_FRACTIONAL_CENTS'],
      [{ amountCents: -100 }, 400, 'AMOUNT_NEGATIVE'],
      [{ amountCents: 2 ** 60 }, 400, 'AMOUNT_TOO_LARGE'],
      [{ supplierNit: '0614-010190-101-9' }, 400, 'GRANT_RECEIPT_NIT_INVALID'],
      [{ generationCode: 'no-es-uuid' }, 400, 'GRANT_RECEIPT_GENERATION_CODE_INVALID'],
      [{ issuedOn: '2026-13-01' }, 400, 'DATE_INVALID'],
      [{ budgetLineCode: 'ZZ9' }, 400, 'GRANT_RECEIPT_BUDGET_LINE_UNKNOWN'],
      [
        { file: { data: Buffer.from('hola, no soy un PDF').toString('base64') } },
        415,
        'DOCUMENT_TYPE_UNSUPPORTED',
      ],
      [{ file: { data: pdf(), mime: 'image/png' } }, 400, 'DOCUMENT_TYPE_MISMATCH'],
    ];
    for (const [over, status, code] of bad) {
      const res = await api('POST', url, 'staff', receipt(over));
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect((await api('POST', url, 'otherStaff', receipt())).statusCode).toBe(404);
    const none = await t.deps.db
      .selectFrom('ngo_receipts')
      .select(t.deps.db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(none.n)).toBe(0);

    const first = await api('POST', url, 'staff', receipt({ amountCents: 200_000 }));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().checks).toEqual([]);
    const original = first.json();

    // The same DTE presented again by ANOTHER organisation.
    const otherRep = await api(
      'POST',
      `/grants/agreements/${otherAgreementId}/expense-reports`,
      'otherStaff',
      { description: 'Informe de gastos' },
    );
    const dupElsewhere = await api(
      'POST',
      `/grants/expense-reports/${otherRep.json().id}/receipts`,
      'otherStaff',
      receipt({ generationCode: original.generationCode }),
    );
    expect(dupElsewhere.statusCode, dupElsewhere.body).toBe(201);
    const dupCheck = dupElsewhere.json().checks.find((c: { code: string }) => c.code === 'duplicate_receipt');
    expect(dupCheck.message).toContain('otra organización');
    expect(dupCheck.details.matchedBy).toBe('generation_code');

    // Same supplier NIT + number; same file; outside the period; supplier is the NGO; supplier is a board member.
    const sameNumber = await api(
      'POST',
      url,
      'staff',
      receipt({ documentNumber: original.documentNumber, amountCents: 1_000 }),
    );
    expect(sameNumber.json().checks.map((c: { code: string }) => c.code)).toContain('duplicate_receipt');
    const sameFileData = pdf('same');
    const withFile = await api(
      'POST',
      url,
      'staff',
      receipt({ amountCents: 1_000, file: { data: sameFileData } }),
    );
    expect(withFile.json().checks).toEqual([]);
    const sameFile = await api(
      'POST',
      url,
      'staff',
      receipt({ amountCents: 1_000, file: { data: sameFileData } }),
    );
    expect(sameFile.json().checks[0].details.matchedBy).toBe('file');
    expect(sameFile.json().sha256).toBe(sha256(sameFileData));
    const late = await api('POST', url, 'staff', receipt({ issuedOn: '2025-12-15', amountCents: 1_000 }));
    expect(late.json().checks.map((c: { code: string }) => c.code)).toEqual(['outside_period']);
    expect(late.json().checks[0].message).toContain('fuera de la vigencia');
    const self = await api('POST', url, 'staff', receipt({ supplierNit: org.nit, amountCents: 1_000 }));
    expect(self.json().checks.map((c: { code: string }) => c.code)).toEqual(['supplier_is_organisation']);
    const board = await api(
      'POST',
      url,
      'staff',
      receipt({ documentType: '14', supplierDui: org.boardDui, amountCents: 1_000 }),
    );
    expect(board.json().checks.map((c: { code: string }) => c.code)).toEqual(['supplier_related_to_board']);
    expect(board.json().checks[0].message).toContain('tesorero');
    // Split purchase: two receipts of one supplier, days apart, each just under US$ 1,000.
    const splitNit = nit('0614020290102');
    await api(
      'POST',
      url,
      'staff',
      receipt({ supplierNit: splitNit, amountCents: 95_000, issuedOn: '2026-03-01', budgetLineCode: 'B1' }),
    );
    const split = await api(
      'POST',
      url,
      'staff',
      receipt({ supplierNit: splitNit, amountCents: 99_000, issuedOn: '2026-03-04', budgetLineCode: 'B1' }),
    );
    const splitCheck = split.json().checks.find((c: { code: string }) => c.code === 'split_purchase');
    expect(splitCheck.message).toContain('fraccionamiento');
    // Budget line exceeded: B1 has US$ 4,000.
    const over = await api('POST', url, 'staff', receipt({ amountCents: 300_000, budgetLineCode: 'B1' }));
    expect(over.json().checks.map((c: { code: string }) => c.code)).toContain('budget_line_exceeded');
    // Paper receipt: no generation code.
    const paper = await api(
      'POST',
      url,
      'staff',
      receipt({ documentType: 'paper', generationCode: undefined, amountCents: 1_000 }),
    );
    expect(paper.statusCode, paper.body).toBe(201);
    const listed = await api('GET', `/grants/receipts?agreementId=${agreementId}&flagged=true`, 'finance1');
    expect(listed.json().items.length).toBeGreaterThanOrEqual(6);
    const xlsx = await api('GET', `/grants/receipts?agreementId=${agreementId}&format=xlsx`, 'finance1');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('finance reviews receipts: approve, reject the duplicate with a reason, never approve a duplicate', async () => {
    const notYet = await api('GET', `/grants/receipts?agreementId=${agreementId}`, 'finance1');
    const items = notYet.json().items as {
      id: string;
      checks: { code: string }[];
      amountCents: number;
      budgetLineCode: string;
      supplierNit: string;
    }[];
    const early = await api('POST', `/grants/receipts/${items[0]!.id}/review`, 'finance1', {
      decision: 'approve',
    });
    expect(early.json().error.code).toBe('GRANT_EXPENSE_REPORT_NOT_SUBMITTED');
    const submit = await api('POST', `/grants/expense-reports/${reportId}/submit`, 'staff');
    expect(submit.statusCode, submit.body).toBe(200);
    const closed = await api('POST', `/grants/expense-reports/${reportId}/receipts`, 'staff', receipt());
    expect(closed.json().error.code).toBe('GRANT_EXPENSE_REPORT_NOT_OPEN');

    const dup = items.find((i) => i.checks.some((c) => c.code === 'duplicate_receipt'))!;
    expect(
      (await api('POST', `/grants/receipts/${dup.id}/review`, 'finance1', { decision: 'approve' })).json()
        .error.code,
    ).toBe('GRANT_RECEIPT_DUPLICATE_NOT_APPROVABLE');
    expect(
      (await api('POST', `/grants/receipts/${dup.id}/review`, 'finance1', { decision: 'reject' })).json()
        .error.code,
    ).toBe('GRANT_REASON_REQUIRED');
    const rejected = await api('POST', `/grants/receipts/${dup.id}/review`, 'finance1', {
      decision: 'reject',
      reason: 'Comprobante duplicado: ya presentado',
    });
    expect(rejected.json().status).toBe('rejected');
    expect(
      (await api('POST', `/grants/receipts/${dup.id}/review`, 'staff', { decision: 'approve' })).statusCode,
    ).toBe(403);

    for (const item of items) {
      if (item.id === dup.id) continue;
      const flagged = item.checks.length > 0;
      const res = await api(
        'POST',
        `/grants/receipts/${item.id}/review`,
        'finance1',
        flagged
          ? { decision: 'reject', reason: `No elegible: ${item.checks.map((c) => c.code).join(', ')}` }
          : { decision: 'approve' },
      );
      expect(res.statusCode, res.body).toBe(200);
    }
    const detail = await api('GET', `/grants/agreements/${agreementId}`, 'staff');
    // Approved: 200,000 + 1,000 (file) + 1,000 (paper) + 95,000 (the first of the split pair, unflagged alone).
    expect(detail.json().reconciliation.justifiedCents).toBe(297_000);
  });

  it('monitoring: indicator progress, a visit with photos approved by someone else unlocks tranche 2', async () => {
    const ind = await api('POST', `/grants/agreements/${agreementId}/indicator-reports`, 'staff', {
      indicatorCode: 'IND1',
      periodFrom: '2026-01-01',
      periodTo: '2026-03-31',
      value: 80,
    });
    expect(ind.statusCode, ind.body).toBe(201);
    expect(
      (
        await api('POST', `/grants/agreements/${agreementId}/indicator-reports`, 'staff', {
          indicatorCode: 'NOPE',
          periodFrom: '2026-01-01',
          periodTo: '2026-03-31',
          value: 1,
        })
      ).json().error.code,
    ).toBe('GRANT_INDICATOR_UNKNOWN');
    expect(
      (
        await api('POST', `/grants/agreements/${agreementId}/indicator-reports`, 'staff', {
          indicatorCode: 'IND1',
          periodFrom: '2026-03-31',
          periodTo: '2026-01-01',
          value: 1,
        })
      ).json().error.code,
    ).toBe('DATES_OUT_OF_ORDER');

    // Tranche 2 still blocked: 297,000 justified < 50 % of 600,000, no visit.
    const blocked = await api('POST', `/grants/agreements/${agreementId}/disbursements`, 'staff', {
      trancheNumber: 2,
    });
    const unmet = blocked.json().error.details.conditions.map((c: { code: string }) => c.code);
    expect(unmet).toEqual(['justified_pct', 'visit_approved']);

    const visit = await api('POST', `/grants/agreements/${agreementId}/visits`, 'monitoring1', {
      visitedOn: '2026-03-15',
      visitType: 'unannounced',
      team: ['Equipo de monitoreo 1'],
      findings: ['Talleres en curso con 80 jóvenes'],
      followUp: [{ action: 'Enviar listas de asistencia', dueOn: '2026-04-15' }],
    });
    expect(visit.statusCode, visit.body).toBe(201);
    const vid = visit.json().id;
    const photoData = png('visit');
    const photo = await api('POST', `/grants/visits/${vid}/photos`, 'monitoring1', {
      data: photoData,
      fileName: 'taller.png',
      caption: 'Taller',
    });
    expect(photo.statusCode, photo.body).toBe(201);
    expect(photo.json().photos[0].sha256).toBe(sha256(photoData));
    expect(
      (await api('POST', `/grants/visits/${vid}/photos`, 'monitoring1', { data: pdf() })).json().error.code,
    ).toBe('GRANT_VISIT_PHOTO_NOT_IMAGE');
    expect(
      (await api('POST', `/grants/visits/${vid}/decision`, 'monitoring1', { outcome: 'approve' })).json()
        .error.code,
    ).toBe('GRANT_VISIT_SELF_APPROVAL');
    expect(
      (await api('POST', `/grants/visits/${vid}/decision`, 'monitoring2', { outcome: 'approve' })).json()
        .status,
    ).toBe('approved');

    // Justify more: a second report with US$ 1,500 on A1.
    const rep2 = await api('POST', `/grants/agreements/${agreementId}/expense-reports`, 'staff', {
      description: 'Informe de marzo',
    });
    const r = await api(
      'POST',
      `/grants/expense-reports/${rep2.json().id}/receipts`,
      'staff',
      receipt({ amountCents: 150_000 }),
    );
    expect(r.json().checks).toEqual([]);
    await api('POST', `/grants/expense-reports/${rep2.json().id}/submit`, 'staff');
    await api('POST', `/grants/receipts/${r.json().id}/review`, 'finance2', { decision: 'approve' });

    const req = await api('POST', `/grants/agreements/${agreementId}/disbursements`, 'staff', {
      trancheNumber: 2,
    });
    expect(req.statusCode, req.body).toBe(201);
    await api('POST', `/grants/disbursements/${req.json().id}/decision`, 'finance2', { outcome: 'approve' });
    const paid = await api('POST', `/grants/disbursements/${req.json().id}/payment`, 'finance1', {
      paymentReference: 'TRF-0002',
      paidOn: '2026-04-01',
    });
    expect(paid.json().status).toBe('paid');
    const list = await api('GET', `/grants/disbursements?agreementId=${agreementId}`, 'staff');
    expect(list.json().items.filter((x: { status: string }) => x.status === 'paid')).toHaveLength(2);
  });

  it('liquidation: must balance, refund recorded, finance AND monitoring approve (distinct), closing act', async () => {
    const unbalanced = await api('POST', `/grants/agreements/${agreementId}/liquidation`, 'staff', {
      finalReport: 'Informe final del proyecto',
    });
    expect(unbalanced.statusCode).toBe(409);
    expect(unbalanced.json().error.code).toBe('GRANT_LIQUIDATION_UNBALANCED');
    const rec = (await api('GET', `/grants/agreements/${agreementId}/liquidation`, 'staff')).json();
    expect(rec.disbursedCents).toBe(1_000_000);
    expect(rec.justifiedCents).toBe(447_000);
    const tooMuch = await api('POST', `/grants/agreements/${agreementId}/refunds`, 'staff', {
      amountCents: rec.balanceCents + 1,
      reference: 'DEP-1',
      paidOn: '2026-06-10',
    });
    expect(tooMuch.json().error.code).toBe('GRANT_REFUND_ABOVE_BALANCE');
    const refund = await api('POST', `/grants/agreements/${agreementId}/refunds`, 'staff', {
      amountCents: rec.balanceCents,
      reference: 'DEP-FG-2027-0001',
      paidOn: '2026-06-10',
      budgetLineCode: 'B1',
      file: { data: pdf('deposito') },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json().balanceCents).toBe(0);

    const sub = await api('POST', `/grants/agreements/${agreementId}/liquidation`, 'staff', {
      finalReport: 'Informe final: 200 jóvenes formados en 10 escuelas.',
    });
    expect(sub.statusCode, sub.body).toBe(201);
    expect(await planStatus(planId)).toBe('liquidation_submitted');
    const lid = sub.json().liquidations[0].id;

    const wrongStep = await api('POST', `/grants/liquidations/${lid}/decision`, 'finance1', {
      step: 'monitoring',
      outcome: 'approve',
      checklist: [{ code: 'final_report', checked: true }],
    });
    expect(wrongStep.statusCode).toBe(403);
    const fin = await api('POST', `/grants/liquidations/${lid}/decision`, 'finance1', {
      step: 'finance',
      outcome: 'approve',
      checklist: [{ code: 'reconciled', checked: true }],
    });
    expect(fin.statusCode, fin.body).toBe(200);
    expect(await planStatus(planId)).toBe('liquidation_submitted');
    const mon = await api('POST', `/grants/liquidations/${lid}/decision`, 'monitoring1', {
      step: 'monitoring',
      outcome: 'approve',
      checklist: [{ code: 'final_report', checked: true }],
    });
    expect(mon.statusCode, mon.body).toBe(200);
    expect(await planStatus(planId)).toBe('liquidated');

    expect(
      (await api('GET', `/grants/agreements/${agreementId}/closing-act.pdf`, 'finance2')).statusCode,
    ).toBe(404);
    const close = await api('POST', `/grants/agreements/${agreementId}/close`, 'finance2');
    expect(close.statusCode, close.body).toBe(200);
    expect(close.json().planStatus).toBe('closed');
    const act = await api('GET', `/grants/agreements/${agreementId}/closing-act.pdf`, 'staff');
    expect(act.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(act.rawPayload).digest('hex')).toBe(close.json().closingActSha256);
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'grant.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'grant.agreement_signed',
        'grant.disbursement_paid',
        'grant.receipt_rejected',
        'grant.liquidation_approved',
        'grant.agreement_closed',
      ]),
    );
  });

  it('overdue liquidation: the timer marks it, alerts, and the NGO gets no new disbursement nor plan approval', async () => {
    // The other NGO's agreement: period ended, deadline passed (moved back in time).
    await t.deps.db
      .updateTable('ngo_plans')
      .set({ liquidation_due_at: new Date(Date.now() - 86_400_000) })
      .where(
        'id',
        '=',
        (
          await t.deps.db
            .selectFrom('ngo_agreements')
            .select('plan_id')
            .where('id', '=', otherAgreementId)
            .executeTakeFirstOrThrow()
        ).plan_id,
      )
      .execute();
    // Even before the timer runs, new funds are refused.
    const before = await api('POST', `/grants/agreements/${otherAgreementId}/disbursements`, 'otherStaff', {
      trancheNumber: 1,
    });
    expect(before.json().error.code).toBe('GRANT_DISBURSEMENT_CONDITIONS_UNMET');
    expect(before.json().error.details.conditions.map((c: { code: string }) => c.code)).toContain(
      'no_overdue_liquidation',
    );

    await t.deps.db
      .updateTable('users')
      .set({ email: 'ufi.finanzas@seguridad.gob.sv' })
      .where('id', '=', u.finance1!.id)
      .execute();
    expect(await runLiquidationDeadlines(t.deps)).toEqual({ marked: 1 });
    expect(await runLiquidationDeadlines(t.deps)).toEqual({ marked: 0 });
    const events = await t.deps.db
      .selectFrom('outbox')
      .select(['type'])
      .where('type', '=', 'grant.liquidation_overdue')
      .execute();
    expect(events).toHaveLength(1);
    const alert = await t.deps.db.selectFrom('ngo_liquidation_alerts').selectAll().executeTakeFirstOrThrow();
    const notes = await t.deps.db
      .selectFrom('notifications')
      .select(['template'])
      .where('template', '=', 'grant_liquidation_overdue')
      .execute();
    expect(alert.recipients).toBeGreaterThanOrEqual(1);
    expect(notes).toHaveLength(alert.recipients);
    expect(await planStatus(alert.plan_id)).toBe('liquidation_overdue');

    // A new plan of that NGO cannot get an agreement (new funds)...
    const call = await makeCall(t.deps);
    const newPlan = await makeApprovedPlan(t.deps, other.orgId, call);
    const agr = await api('POST', `/grants/plans/${newPlan}/agreement`, 'authority', agreementBody());
    expect(agr.statusCode).toBe(409);
    expect(agr.json().error.code).toBe('GRANT_LIQUIDATION_OVERDUE_BLOCKS_FUNDS');
    // ...and a plan of that NGO under review cannot be approved by the authority.
    const reviewed = await makeApprovedPlan(t.deps, other.orgId, call, 'submitted');
    const { caseId } = await t.deps.tx(systemContext(), (uow) =>
      startPlanReview(uow, t.deps, { planId: reviewed, submittedBy: { id: u.otherStaff!.id, name: 'ONG' } }),
    );
    for (const [step, who] of [
      ['legal', 'legal'],
      ['financial', 'financial'],
      ['monitoring', 'monitoring2'],
    ] as const) {
      const res = await api('POST', `/workflow/cases/${caseId}/actions`, who, approval(step));
      expect(res.statusCode, `${step}: ${res.body}`).toBe(200);
    }
    const approve = await api(
      'POST',
      `/workflow/cases/${caseId}/actions`,
      'authority',
      approval('authority'),
    );
    expect(approve.statusCode).toBe(409);
    expect(approve.json().error.code).toBe('GRANT_LIQUIDATION_OVERDUE_BLOCKS_FUNDS');
    expect(await planStatus(reviewed)).toBe('under_review');

    const dash = await api('GET', '/grants/dashboard', 'authority');
    expect(dash.statusCode, dash.body).toBe(200);
    expect(
      dash.json().overdueLiquidations.map((p: { organisationName: string }) => p.organisationName),
    ).toContain('Fundación Barrios Unidos');
    expect((await api('GET', '/grants/dashboard', 'staff')).statusCode).toBe(403);
  });
});
