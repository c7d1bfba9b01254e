import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import {
  budgetLines,
  completeContent,
  createOrganisation,
  day,
  grantsUsers,
  ngoStaff,
  publishedCall,
  validDui,
} from './grants-helpers.js';

describe('grants calls and plans: envelope, drafts, submission, versions and diff', {
  timeout: 120_000,
}, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof grantsUsers>>;

  beforeAll(async () => {
    t = await buildTestApp();
    u = await grantsUsers(t);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  const send = (
    method: 'POST' | 'PUT' | 'PATCH',
    url: string,
    token: string,
    payload: unknown,
    headers = {},
  ) => t.app.inject({ method, url, headers: { ...bearer(token), ...headers }, payload: payload as object });
  const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

  const callBody = (overrides: Record<string, unknown> = {}) => ({
    programme: 'Prevención',
    title: 'Convocatoria de montos',
    fiscalYear: 2026,
    budgetEnvelopeCents: 1_000_000,
    eligibility: [],
    opensOn: day(-1),
    closesOn: day(20),
    ...overrides,
  });

  it.each([
    ['fractions of a cent', { budgetEnvelopeCents: 100.5 }, 'AMOUNT_FRACTIONAL_CENTS'],
    ['a negative amount', { budgetEnvelopeCents: -100 }, 'AMOUNT_NEGATIVE'],
    ['zero', { budgetEnvelopeCents: 0 }, 'AMOUNT_ZERO'],
    ['more than 2^53 − 1', { budgetEnvelopeCents: 2 ** 53 + 2 }, 'AMOUNT_TOO_LARGE'],
    ['a per-plan maximum above the envelope', { maxPerPlanCents: 2_000_000 }, 'AMOUNT_EXCEEDS_ENVELOPE'],
    ['dates out of order', { opensOn: day(5), closesOn: day(1) }, 'DATES_OUT_OF_ORDER'],
    [
      'a repeated eligibility code',
      {
        eligibility: [
          { code: 'E', text: 'uno' },
          { code: 'E', text: 'dos' },
        ],
      },
      'CALL_ELIGIBILITY_DUPLICATE',
    ],
  ])('refuses a call with %s (%s)', async (_name, override, code) => {
    const res = await send('POST', '/api/v1/grants/calls', u.financial, callBody(override));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).not.toMatch(/^errors\./);
  });

  it('creates, corrects, publishes and closes calls; NGO staff never see drafts', async () => {
    const org = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, org.id);
    const draft = await send('POST', '/api/v1/grants/calls', u.financial, callBody());
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({
      status: 'draft',
      budgetSpecific: '56303',
      remainingCents: 1_000_000,
    });
    expect(draft.json().code).toMatch(/^CONV-2026-\d{4}$/);
    const id = draft.json().id;
    expect((await get(`/api/v1/grants/calls/${id}`, staff.token)).statusCode).toBe(404);
    expect(
      (await get('/api/v1/grants/calls', staff.token)).json().items.map((c: { id: string }) => c.id),
    ).not.toContain(id);

    const fix = await send('PATCH', `/api/v1/grants/calls/${id}`, u.financial, {
      budgetEnvelopeCents: 2_000_000,
    });
    expect(fix.json()).toMatchObject({ budgetEnvelopeCents: 2_000_000, remainingCents: 2_000_000 });
    expect((await send('POST', `/api/v1/grants/calls/${id}/publish`, u.financial, {})).json().status).toBe(
      'published',
    );
    const late = await send('PATCH', `/api/v1/grants/calls/${id}`, u.financial, { title: 'Otro título' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('CALL_NOT_EDITABLE');
    expect((await get(`/api/v1/grants/calls/${id}`, staff.token)).statusCode).toBe(200);
    const again = await send('POST', `/api/v1/grants/calls/${id}/publish`, u.financial, {});
    expect(again.json().error.code).toBe('CALL_ILLEGAL_TRANSITION');
    const cancelNoReason = await send('POST', `/api/v1/grants/calls/${id}/close`, u.financial, {
      cancel: true,
    });
    expect(cancelNoReason.json().error.code).toBe('REASON_REQUIRED');
    const closed = await send('POST', `/api/v1/grants/calls/${id}/close`, u.financial, {});
    expect(closed.json()).toMatchObject({ status: 'closed' });

    const past = await send(
      'POST',
      '/api/v1/grants/calls',
      u.financial,
      callBody({ opensOn: day(-30), closesOn: day(-2) }),
    );
    const publishPast = await send('POST', `/api/v1/grants/calls/${past.json().id}/publish`, u.financial, {});
    expect(publishPast.json().error.code).toBe('CALL_CLOSES_IN_PAST');

    const xlsx = await get('/api/v1/grants/calls?format=xlsx', u.auditor);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Convocatorias')!;
    const codes = sheet.getColumn(1).values.slice(2);
    expect(codes).toContain(draft.json().code);
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === draft.json().code)!;
    expect(row.getCell(6).value).toBe(20_000); // US$ from 2,000,000 cents
  });

  it('takes an NGO plan from draft to submission, with money and completeness checks', async () => {
    const org = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, org.id);
    const call = await publishedCall(t, u.financial);

    const bad = async (lines: unknown[], code: string, status = 400) => {
      const res = await send('POST', '/api/v1/grants/plans', staff.token, {
        callId: call.id,
        title: 'Plan con montos malos',
        content: completeContent(),
        budgetLines: lines,
      });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await bad([{ lineCode: 'L1', description: 'Algo', amountCents: 10.25 }], 'AMOUNT_FRACTIONAL_CENTS');
    await bad([{ lineCode: 'L1', description: 'Algo', amountCents: -5 }], 'AMOUNT_NEGATIVE');
    await bad([{ lineCode: 'L1', description: 'Algo', amountCents: 1e300 }], 'AMOUNT_TOO_LARGE');
    await bad(
      [
        { lineCode: 'L1', description: 'Uno', amountCents: Number.MAX_SAFE_INTEGER },
        { lineCode: 'L2', description: 'Dos', amountCents: 1 },
      ],
      'AMOUNT_TOO_LARGE',
    );
    await bad(
      [
        { lineCode: 'L1', description: 'Uno', amountCents: 1 },
        { lineCode: 'L1', description: 'Dos', amountCents: 1 },
      ],
      'PLAN_BUDGET_LINE_DUPLICATE',
    );
    await bad(
      [{ lineCode: 'L1', description: 'Todo', amountCents: 5_000_001 }],
      'AMOUNT_EXCEEDS_PLAN_MAX',
      409,
    );
    const plansBefore = await t.deps.db
      .selectFrom('ngo_plans')
      .select('id')
      .where('organisation_id', '=', org.id)
      .execute();
    expect(plansBefore).toHaveLength(0);

    // An incomplete draft is accepted but cannot be submitted.
    const empty = {
      objectives: [],
      activities: [],
      beneficiaries: { description: '', direct: 0, indirect: 0 },
      territory: { municipalityPcodes: [] },
      schedule: [],
      indicators: [],
      risks: [],
    };
    const created = await send(
      'POST',
      '/api/v1/grants/plans',
      staff.token,
      { callId: call.id, title: 'Jóvenes con futuro', content: empty, budgetLines: [] },
      { 'idempotency-key': `plan-${randomUUID()}` },
    );
    expect(created.statusCode, created.body).toBe(201);
    const plan = created.json();
    expect(plan).toMatchObject({
      organisationId: org.id,
      status: 'draft',
      currentVersion: 1,
      requestedCents: 0,
      registeredByStaff: false,
    });
    expect(plan.code).toMatch(/^PLAN-\d{4}-\d{5}$/);
    const incomplete = await send('POST', `/api/v1/grants/plans/${plan.id}/submit`, staff.token, {});
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.code).toBe('PLAN_INCOMPLETE');
    expect(incomplete.json().error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['content.objectives', 'content.indicators', 'budgetLines']),
    );

    const saved = await send('PUT', `/api/v1/grants/plans/${plan.id}/draft`, staff.token, {
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ currentVersion: 1, requestedCents: 2_000_000 });
    expect(saved.json().current.totalCents).toBe(2_300_000);

    // An annex attached to the plan shows in its detail.
    const annex = await send('POST', `/api/v1/grants/organisations/${org.id}/documents`, staff.token, {
      kind: 'plan_annex',
      planId: plan.id,
      fileName: 'cronograma.pdf',
      data: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
    });
    expect(annex.statusCode, annex.body).toBe(201);

    const submitted = await send('POST', `/api/v1/grants/plans/${plan.id}/submit`, staff.token, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().documents.map((d: { id: string }) => d.id)).toEqual([annex.json().id]);
    expect(['submitted', 'under_review']).toContain(submitted.json().status);
    expect(submitted.json().current.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(submitted.json().current.submittedBy).toBe(staff.user.id);

    // Frozen: no more edits or submissions of that version.
    const edit = await send('PUT', `/api/v1/grants/plans/${plan.id}/draft`, staff.token, {
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('PLAN_NOT_EDITABLE');
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', plan.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['grants.plan.created', 'grants.plan.submitted']),
    );
  });

  it('replays a plan creation with the same Idempotency-Key', async () => {
    const org = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, org.id);
    const call = await publishedCall(t, u.financial);
    const body = {
      callId: call.id,
      title: 'Plan idempotente',
      content: completeContent(),
      budgetLines: budgetLines(),
    };
    const key = { 'idempotency-key': `plan-${randomUUID()}` };
    const a = await send('POST', '/api/v1/grants/plans', staff.token, body, key);
    const b = await send('POST', '/api/v1/grants/plans', staff.token, body, key);
    expect(a.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    const rows = await t.deps.db
      .selectFrom('ngo_plans')
      .select('id')
      .where('organisation_id', '=', org.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps every version after a return and diffs any two of them field by field and line by line', async () => {
    const org = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, org.id);
    const call = await publishedCall(t, u.financial);
    const created = await send('POST', '/api/v1/grants/plans', staff.token, {
      callId: call.id,
      title: 'Plan con correcciones',
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    const id = created.json().id;
    expect((await send('POST', `/api/v1/grants/plans/${id}/submit`, staff.token, {})).statusCode).toBe(200);

    // The legal review (grants/review on the workflow module) returns the plan with observations.
    const inbox = (await get('/api/v1/workflow/inbox', u.legal)).json();
    const item = inbox.items.find((i: { subjectId: string }) => i.subjectId === id);
    const returned = await send('POST', `/api/v1/workflow/cases/${item.caseId}/actions`, u.legal, {
      step: 'legal',
      outcome: 'return',
      reason: 'Ajuste la meta del indicador y el presupuesto de materiales',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect((await get(`/api/v1/grants/plans/${id}`, staff.token)).json().status).toBe('returned');
    const withoutChanges = await send('POST', `/api/v1/grants/plans/${id}/submit`, staff.token, {});
    expect(withoutChanges.json().error.code).toBe('PLAN_RESUBMIT_WITHOUT_CHANGES');

    const content = completeContent();
    content.indicators[0]!.target = 280;
    content.objectives.push({ code: 'O2', text: 'Fortalecer a las familias.' });
    content.risks = [];
    content.risks.push({ code: 'R2', description: 'Lluvias', likelihood: 'low', mitigation: 'Reprogramar' });
    const lines = budgetLines();
    lines[0]!.amountCents = 1_400_000; // changed
    lines.splice(1, 1); // L2 removed
    lines.push({ lineCode: 'L4', description: 'Transporte', fundingSource: 'mjsp', amountCents: 250_000 }); // added
    const v2 = await send('PUT', `/api/v1/grants/plans/${id}/draft`, staff.token, {
      content,
      budgetLines: lines,
    });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json()).toMatchObject({ currentVersion: 2, status: 'returned', requestedCents: 1_650_000 });
    // Saving again edits version 2 in place.
    const v2b = await send('PUT', `/api/v1/grants/plans/${id}/draft`, staff.token, {
      title: 'Plan corregido',
      content,
      budgetLines: lines,
    });
    expect(v2b.json()).toMatchObject({ currentVersion: 2, title: 'Plan corregido' });
    expect(v2b.json().versions).toHaveLength(2);

    const resubmitted = await send('POST', `/api/v1/grants/plans/${id}/submit`, staff.token, {});
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);

    const versions = (await get(`/api/v1/grants/plans/${id}/versions`, u.auditor)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(
      versions.every((v: { contentSha256: string | null }) => /^[0-9a-f]{64}$/.test(v.contentSha256 ?? '')),
    ).toBe(true);
    expect(versions[0].contentSha256).not.toBe(versions[1].contentSha256);
    const v1 = (await get(`/api/v1/grants/plans/${id}/versions/1`, staff.token)).json();
    expect(v1.content.indicators[0].target).toBe(250);
    expect(v1.budgetLines.map((l: { lineCode: string }) => l.lineCode)).toEqual(['L1', 'L2', 'L3']);

    const diff = await get(`/api/v1/grants/plans/${id}/diff?from=1&to=2`, staff.token);
    expect(diff.statusCode, diff.body).toBe(200);
    const d = diff.json();
    expect(d.content).toEqual(
      expect.arrayContaining([
        { path: 'indicators[I1].target', change: 'changed', before: 250, after: 280 },
        {
          path: 'objectives[O2]',
          change: 'added',
          before: null,
          after: { code: 'O2', text: 'Fortalecer a las familias.' },
        },
        expect.objectContaining({ path: 'risks[R1]', change: 'removed' }),
        expect.objectContaining({ path: 'risks[R2]', change: 'added' }),
      ]),
    );
    const byLine = Object.fromEntries(d.budgetLines.map((l: { lineCode: string }) => [l.lineCode, l]));
    expect(byLine.L1).toMatchObject({
      change: 'changed',
      fields: ['amountCents'],
      amountDeltaCents: -100_000,
    });
    expect(byLine.L2).toMatchObject({ change: 'removed', amountDeltaCents: -500_000 });
    expect(byLine.L4).toMatchObject({ change: 'added', amountDeltaCents: 250_000 });
    expect(byLine.L3).toBeUndefined();
    expect(d.totals).toMatchObject({
      requestedBeforeCents: 2_000_000,
      requestedAfterCents: 1_650_000,
      requestedDeltaCents: -350_000,
    });

    // The reverse diff mirrors it.
    const back = (await get(`/api/v1/grants/plans/${id}/diff?from=2&to=1`, u.auditor)).json();
    expect(back.budgetLines.find((l: { lineCode: string }) => l.lineCode === 'L4').change).toBe('removed');
    expect((await get(`/api/v1/grants/plans/${id}/diff?from=1&to=1`, u.auditor)).json().error.code).toBe(
      'PLAN_DIFF_SAME_VERSION',
    );
    expect((await get(`/api/v1/grants/plans/${id}/diff?from=1&to=9`, u.auditor)).json().error.code).toBe(
      'PLAN_VERSION_NOT_FOUND',
    );
  });

  it('excludes from an open review a reviewer who joins the board during the review', async () => {
    const org = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, org.id);
    const call = await publishedCall(t, u.financial);
    const created = await send('POST', '/api/v1/grants/plans', staff.token, {
      callId: call.id,
      title: 'Plan en revisión',
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    const id = created.json().id;
    const submitted = await send('POST', `/api/v1/grants/plans/${id}/submit`, staff.token, {});
    expect(submitted.json().status).toBe('under_review');
    const reviewer = await makeUser(t.deps, 'ngo_legal_reviewer');
    const reviewerToken = await loginAs(t.app, reviewer);
    const dui = validDui();
    await t.deps.db.updateTable('users').set({ dui }).where('id', '=', reviewer.id).execute();
    const item = (await get('/api/v1/workflow/inbox', reviewerToken))
      .json()
      .items.find((i: { subjectId: string }) => i.subjectId === id);
    expect(item).toBeTruthy();

    // The reviewer joins the organisation's board: the open review excludes them at once.
    const joined = await send('POST', `/api/v1/grants/organisations/${org.id}/board-members`, u.legal, {
      fullName: 'Revisora en la Junta',
      dui,
      position: 'Vocal',
      fromDate: day(-1),
    });
    expect(joined.statusCode, joined.body).toBe(201);
    const refused = await send('POST', `/api/v1/workflow/cases/${item.caseId}/actions`, reviewerToken, {
      step: 'legal',
      outcome: 'return',
      reason: 'Observaciones de prueba',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('WORKFLOW_ACTOR_EXCLUDED');
  });

  it('numbers plans created at the same time without gaps or repeats', async () => {
    const orgs = await Promise.all([1, 2, 3, 4, 5].map(() => createOrganisation(t, u.legal)));
    const call = await publishedCall(t, u.financial);
    const results = await Promise.all(
      orgs.map((org) =>
        send('POST', '/api/v1/grants/plans', u.admin, {
          callId: call.id,
          organisationId: org.id,
          title: 'Plan simultáneo',
          content: completeContent(),
          budgetLines: [{ lineCode: 'L1', description: 'Todo', amountCents: 100_000 }],
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const numbers = results.map((r) => Number(r.json().code.split('-')[2])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(5);
    expect(numbers[4]! - numbers[0]!).toBe(4);
  });

  it('lets the NGO withdraw a draft, with a reason, and nothing afterwards', async () => {
    const org = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, org.id);
    const call = await publishedCall(t, u.financial);
    const id = (
      await send('POST', '/api/v1/grants/plans', staff.token, {
        callId: call.id,
        title: 'Plan a retirar',
        content: completeContent(),
        budgetLines: budgetLines(),
      })
    ).json().id;
    const noReason = await send('POST', `/api/v1/grants/plans/${id}/withdraw`, staff.token, {});
    expect(noReason.statusCode).toBe(400);
    const withdrawn = await send('POST', `/api/v1/grants/plans/${id}/withdraw`, staff.token, {
      reason: 'La junta decidió presentar otro proyecto',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().status).toBe('withdrawn');
    const again = await send('POST', `/api/v1/grants/plans/${id}/withdraw`, staff.token, {
      reason: 'Otra vez',
    });
    expect(again.json().error.code).toBe('PLAN_NOT_WITHDRAWABLE');
    expect((await send('POST', `/api/v1/grants/plans/${id}/submit`, staff.token, {})).json().error.code).toBe(
      'PLAN_NOT_SUBMITTABLE',
    );
    const entry = await t.deps.db
      .selectFrom('audit_log')
      .select('reason')
      .where('entity_id', '=', id)
      .where('action', '=', 'grants.plan.withdrawn')
      .executeTakeFirstOrThrow();
    expect(entry.reason).toBe('La junta decidió presentar otro proyecto');
  });

  it('keeps NGO staff to their own plans; staff may register a plan for an organisation', async () => {
    const orgA = await createOrganisation(t, u.legal);
    const orgB = await createOrganisation(t, u.legal);
    const a = await ngoStaff(t, u.admin, orgA.id);
    const b = await ngoStaff(t, u.admin, orgB.id);
    const call = await publishedCall(t, u.financial);
    const body = {
      callId: call.id,
      title: 'Plan de A',
      content: completeContent(),
      budgetLines: budgetLines(),
    };
    const planA = (await send('POST', '/api/v1/grants/plans', a.token, body)).json();

    expect((await get(`/api/v1/grants/plans/${planA.id}`, b.token)).statusCode).toBe(404);
    expect((await get(`/api/v1/grants/plans/${planA.id}/versions/1`, b.token)).statusCode).toBe(404);
    expect((await get(`/api/v1/grants/plans/${planA.id}/diff?from=1&to=2`, b.token)).statusCode).toBe(404);
    const putB = await send('PUT', `/api/v1/grants/plans/${planA.id}/draft`, b.token, {
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    expect(putB.statusCode).toBe(404);
    expect((await send('POST', `/api/v1/grants/plans/${planA.id}/submit`, b.token, {})).statusCode).toBe(404);
    const listB = (await get('/api/v1/grants/plans', b.token)).json();
    expect(listB.items.map((p: { id: string }) => p.id)).not.toContain(planA.id);
    expect((await get(`/api/v1/grants/plans?organisationId=${orgA.id}`, b.token)).statusCode).toBe(404);
    // B cannot file a plan in A's name.
    const forA = await send('POST', '/api/v1/grants/plans', b.token, { ...body, organisationId: orgA.id });
    expect(forA.statusCode).toBe(404);

    // The ministry registers a paper submission for B (organisation required).
    const noOrg = await send('POST', '/api/v1/grants/plans', u.admin, body);
    expect(noOrg.json().error.code).toBe('PLAN_ORGANISATION_REQUIRED');
    const byStaff = await send('POST', '/api/v1/grants/plans', u.admin, { ...body, organisationId: orgB.id });
    expect(byStaff.statusCode, byStaff.body).toBe(201);
    expect(byStaff.json()).toMatchObject({ organisationId: orgB.id, registeredByStaff: true });
    expect((await get(`/api/v1/grants/plans/${byStaff.json().id}`, b.token)).statusCode).toBe(200);

    // Reviewers read every plan and export the list.
    const all = (await get(`/api/v1/grants/plans?callId=${call.id}`, u.legal)).json();
    expect(all.total).toBe(2);
    const xlsx = await get(`/api/v1/grants/plans?callId=${call.id}&format=xlsx`, u.legal);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Planes')!.rowCount).toBe(3);
  });

  it('refuses plans from inactive organisations, with funds pending liquidation, or outside the call dates', async () => {
    const org = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, org.id);
    const call = await publishedCall(t, u.financial);
    const body = {
      callId: call.id,
      title: 'Plan bloqueado',
      content: completeContent(),
      budgetLines: budgetLines(),
    };
    const plan = (await send('POST', '/api/v1/grants/plans', staff.token, body)).json();

    // A previous plan in execution past its liquidation deadline blocks new funds.
    const old = (
      await send('POST', '/api/v1/grants/plans', staff.token, { ...body, title: 'Plan anterior' })
    ).json();
    await t.deps.db
      .updateTable('ngo_plans')
      .set({ status: 'in_execution', liquidation_due_at: new Date(Date.now() - 86_400_000) })
      .where('id', '=', old.id)
      .execute();
    const blocked = await send('POST', `/api/v1/grants/plans/${plan.id}/submit`, staff.token, {});
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('ORGANISATION_PENDING_LIQUIDATION');
    const stillDraft = await t.deps.db
      .selectFrom('ngo_plans')
      .select('status')
      .where('id', '=', plan.id)
      .executeTakeFirstOrThrow();
    expect(stillDraft.status).toBe('draft');

    // Liquidated in time: the block lifts.
    await t.deps.db.updateTable('ngo_plans').set({ status: 'liquidated' }).where('id', '=', old.id).execute();
    const suspended = await send('POST', `/api/v1/grants/organisations/${org.id}/status`, u.authority, {
      status: 'suspended',
      reason: 'Investigación abierta',
    });
    expect(suspended.statusCode).toBe(200);
    const inactive = await send('POST', `/api/v1/grants/plans/${plan.id}/submit`, staff.token, {});
    expect(inactive.json().error.code).toBe('ORGANISATION_NOT_ACTIVE');
    const newPlan = await send('POST', '/api/v1/grants/plans', staff.token, body);
    expect(newPlan.json().error.code).toBe('ORGANISATION_NOT_ACTIVE');

    // A call that has not opened yet.
    const org2 = await createOrganisation(t, u.legal);
    const staff2 = await ngoStaff(t, u.admin, org2.id);
    const future = await publishedCall(t, u.financial, { opensOn: day(5), closesOn: day(40) });
    const early = await send('POST', '/api/v1/grants/plans', staff2.token, { ...body, callId: future.id });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('CALL_NOT_OPEN');
  });

  it('never lets the requested amount exceed what remains of the envelope', async () => {
    const org = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, org.id);
    const call = await publishedCall(t, u.financial, {
      budgetEnvelopeCents: 3_000_000,
      maxPerPlanCents: null,
    });
    // Another plan approved earlier took most of the envelope.
    await t.deps.db
      .updateTable('ngo_calls')
      .set({ committed_cents: 2_500_000 })
      .where('id', '=', call.id)
      .execute();
    const res = await send('POST', '/api/v1/grants/plans', staff.token, {
      callId: call.id,
      title: 'Plan demasiado grande',
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('AMOUNT_EXCEEDS_ENVELOPE');
    expect(res.json().error.message).toContain('500000');
    const fits = await send('POST', '/api/v1/grants/plans', staff.token, {
      callId: call.id,
      title: 'Plan a la medida',
      content: completeContent(),
      budgetLines: [{ lineCode: 'L1', description: 'Todo', amountCents: 500_000 }],
    });
    expect(fits.statusCode, fits.body).toBe(201);
  });
});
