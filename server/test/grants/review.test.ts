import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getPlanReview,
  PLAN_REVIEW,
  planReviewDefinition,
  recomputePlanReviewExclusions,
  startPlanReview,
} from '../../src/modules/grants/review/index.js';
import { systemContext } from '../../src/platform/context.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import {
  budgetLines,
  completeContent,
  createOrganisation,
  grantsUsers,
  ngoStaff,
  publishedCall,
} from './grants-helpers.js';

/**
 * NGO plan review on the shared workflow: three parallel reviews by three different people, then the
 * authority; people linked to the NGO excluded; a return sends the plan back and the resubmission
 * opens a new review; the approved amount never exceeds the call's remaining envelope, also with
 * ten approvals at once (on PostgreSQL they really run in parallel).
 */

const BOARD_DUI = '04567891-1';
const REP_DUI = '01234567-8';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** An approval of `step` with every checklist item met and every required document attached. */
function approval(step: string, data?: Record<string, unknown>) {
  const def = planReviewDefinition.steps.find((s) => s.code === step);
  if (!def) throw new Error(`no step ${step}`);
  return {
    step,
    outcome: 'approve',
    checklist: def.checklist.map((i) => ({ code: i.code, checked: true })),
    documents: def.requiredDocuments.map((d) => ({
      sha256: sha(`${step}-${d.kind}-${randomUUID()}`),
      name: `${d.kind}.pdf`,
      kind: d.kind,
    })),
    ...(data ? { data } : {}),
  };
}

describe('NGO plan review', () => {
  let t: TestApp;
  const users: Record<string, TestUser & { token: string }> = {};
  let orgId: string;
  let callId: string;
  let seq = 0;

  const post = (caseId: string, body: object, who: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/workflow/cases/${caseId}/actions`,
      headers: bearer(users[who]!.token),
      payload: body,
    });

  async function makeCall(envelopeCents: number, maxPerPlan: number | null = null): Promise<string> {
    const id = randomUUID();
    seq += 1;
    await t.deps.db
      .insertInto('ngo_calls')
      .values({
        id,
        code: `CONV-2026-${String(seq).padStart(3, '0')}`,
        programme: 'Prevención de la violencia',
        title: 'Convocatoria de prueba',
        description: '',
        fiscal_year: 2026,
        budget_specific: '56303',
        budget_envelope_cents: envelopeCents,
        committed_cents: 0,
        max_per_plan_cents: maxPerPlan,
        eligibility: JSON.stringify([]),
        opens_on: '2026-01-01',
        closes_on: '2026-12-31',
        status: 'published',
        created_by: null,
        created_at: new Date(),
        updated_at: new Date(),
        published_at: new Date(),
        published_by: null,
        closed_at: null,
        closed_by: null,
        status_reason: null,
      })
      .execute();
    return id;
  }

  async function makePlan(call: string, requestedCents: number): Promise<string> {
    const id = randomUUID();
    seq += 1;
    await t.deps.db
      .insertInto('ngo_plans')
      .values({
        id,
        code: `PLAN-2026-${String(seq).padStart(4, '0')}`,
        organisation_id: orgId,
        call_id: call,
        title: 'Escuelas seguras en San Salvador',
        status: 'submitted',
        current_version: 1,
        requested_cents: requestedCents,
        approved_cents: null,
        liquidation_due_at: null,
        registered_by_staff: false,
        created_by: users.staff!.id,
        created_at: new Date(),
        updated_at: new Date(),
        submitted_at: new Date(),
        decided_at: null,
      })
      .execute();
    return id;
  }

  const submit = (planId: string) =>
    t.deps.tx(systemContext(), (uow) =>
      startPlanReview(uow, t.deps, {
        planId,
        submittedBy: { id: users.staff!.id, name: users.staff!.username },
      }),
    );

  const plan = (id: string) =>
    t.deps.db.selectFrom('ngo_plans').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const call = (id: string) =>
    t.deps.db.selectFrom('ngo_calls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function reviewAll(caseId: string) {
    for (const [step, who] of [
      ['legal', 'legal'],
      ['financial', 'financial'],
      ['monitoring', 'monitoring'],
    ] as const) {
      const res = await post(caseId, approval(step), who);
      expect(res.statusCode, `${step}: ${res.body}`).toBe(200);
    }
  }

  beforeAll(async () => {
    t = await buildTestApp();
    const specs: [string, string][] = [
      ['legal', 'ngo_legal_reviewer'],
      ['legal2', 'ngo_legal_reviewer'],
      ['financial', 'ngo_financial_reviewer'],
      ['monitoring', 'ngo_monitoring_reviewer'],
      ['authority', 'ngo_authority'],
      ['staff', 'ngo_staff'],
      ['boardUser', 'ngo_financial_reviewer'],
      ['repUser', 'ngo_monitoring_reviewer'],
      ['dual', 'ngo_legal_reviewer'],
      ['auditor', 'auditor'],
    ];
    for (const [key, role] of specs) {
      const user = await makeUser(t.deps, role);
      users[key] = { ...user, token: '' };
    }
    // A reviewer who also holds the financial role; NGO staff who also hold a legal reviewer role.
    const grant = (userId: string, role: string) =>
      t.deps.db
        .insertInto('role_assignments')
        .values({
          id: randomUUID(),
          user_id: userId,
          role_code: role,
          scope_level: 'national',
          scope_code: null,
          granted_by: null,
          granted_at: new Date(),
          revoked_at: null,
          revoked_by: null,
        })
        .execute();
    await grant(users.dual!.id, 'ngo_financial_reviewer');
    await grant(users.staff!.id, 'ngo_legal_reviewer');
    await t.deps.db
      .updateTable('users')
      .set({ dui: BOARD_DUI })
      .where('id', '=', users.boardUser!.id)
      .execute();
    await t.deps.db.updateTable('users').set({ dui: REP_DUI }).where('id', '=', users.repUser!.id).execute();
    for (const user of Object.values(users)) user.token = await loginAs(t.app, user);

    orgId = randomUUID();
    await t.deps.db
      .insertInto('ngo_organisations')
      .values({
        id: orgId,
        name: 'Fundación Juventud Segura',
        acronym: 'FJS',
        org_type: 'foundation',
        registry_number: 'RAF-2019-118',
        registry_date: '2019-03-14',
        registry_valid_until: '2027-03-14',
        nit: '0614-140319-101-3',
        address: 'Colonia Escalón, San Salvador',
        municipality_pcode: 'SV06014',
        email: null,
        phone: null,
        legal_rep_name: 'Ana María Rivas',
        legal_rep_dui: REP_DUI,
        legal_rep_credential_valid_until: '2027-01-01',
        board_valid_until: '2027-01-01',
        bank_name: 'Banco Agrícola',
        bank_account: '0012345678',
        raex_status: 'not_applicable',
        raex_resolution: null,
        status: 'active',
        status_reason: null,
        status_changed_at: null,
        status_changed_by: null,
        created_by: null,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
    await t.deps.db
      .insertInto('ngo_board_members')
      .values([
        {
          id: randomUUID(),
          organisation_id: orgId,
          full_name: 'Carlos Mejía',
          dui: BOARD_DUI,
          position: 'Tesorero',
          from_date: '2024-01-01',
          to_date: null,
          created_by: null,
          created_at: new Date(),
          updated_at: new Date(),
        },
      ])
      .execute();
    await t.deps.db
      .insertInto('ngo_users')
      .values({
        id: randomUUID(),
        organisation_id: orgId,
        user_id: users.staff!.id,
        position: 'Coordinadora',
        linked_by: null,
        linked_at: new Date(),
        unlinked_by: null,
        unlinked_at: null,
      })
      .execute();
    callId = await makeCall(1_000_000_00, null);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('seeds the review definition: three parallel reviews, then the authority, four different people', async () => {
    const row = await t.deps.db
      .selectFrom('workflow_definitions')
      .select(['code', 'version'])
      .where('code', '=', PLAN_REVIEW)
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(1);
    expect(planReviewDefinition.stages).toEqual([['legal', 'financial', 'monitoring'], ['authority']]);
    const authority = (await t.deps.db
      .selectFrom('roles')
      .selectAll()
      .where('code', '=', 'ngo_authority')
      .executeTakeFirstOrThrow()) as { mfa_required: boolean; name_es: string };
    expect(authority).toMatchObject({ mfa_required: true, name_es: 'Titular / autoridad que aprueba' });
  });

  it('walks a plan through the three reviews and the approval, committing the amount on the call', async () => {
    const planId = await makePlan(callId, 250_000_00);
    const { caseId } = await submit(planId);
    expect((await plan(planId)).status).toBe('under_review');

    // The reviewers see it in their inbox; the authority only once the three reviews are done.
    const inbox = async (who: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/workflow/inbox',
          headers: bearer(users[who]!.token),
        })
      ).json().items as { caseId: string; step: { code: string } }[];
    expect((await inbox('legal')).some((i) => i.caseId === caseId && i.step.code === 'legal')).toBe(true);
    expect((await inbox('authority')).some((i) => i.caseId === caseId)).toBe(false);

    const early = await post(caseId, approval('authority'), 'authority');
    expect(early.json().error.code).toBe('WORKFLOW_STEP_WAITING');
    await reviewAll(caseId);
    expect((await inbox('authority')).some((i) => i.caseId === caseId && i.step.code === 'authority')).toBe(
      true,
    );

    const res = await post(caseId, approval('authority', { approvedCents: 240_000_00 }), 'authority');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('approved');
    const approved = await plan(planId);
    expect(approved).toMatchObject({ status: 'approved', approved_cents: 240_000_00 });
    expect(approved.decided_at).not.toBeNull();
    expect(Number((await call(callId)).committed_cents)).toBe(240_000_00);
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', planId)
      .orderBy('leaf_index')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['grant.plan_review_started', 'grant.plan_approved']);
    expect(audit[1]!.actor_id).toBe(users.authority!.id);

    // The plan's review history: the back office sees who decided, the NGO sees outcomes only.
    const national = [{ level: 'national' as const, code: null }];
    const principal = (who: string, grants: string[]) => ({
      kind: 'user' as const,
      id: users[who]!.id,
      name: users[who]!.username,
      sessionId: null,
      roles: [],
      grants: new Map(grants.map((g) => [g, national])),
    });
    const backOffice = await getPlanReview(
      t.deps,
      principal('auditor', ['grant.read', 'grant.read.all']),
      planId,
    );
    expect(backOffice.cases[0]!.actions.map((a) => a.step)).toEqual([
      'legal',
      'financial',
      'monitoring',
      'authority',
    ]);
    expect(backOffice.cases[0]!.actions[3]!.actor).toBe('Prueba ngo_authority');
    const ngo = await getPlanReview(t.deps, principal('staff', ['grant.read']), planId);
    expect(ngo.approvedCents).toBe(240_000_00);
    expect(ngo.cases[0]!.actions.every((a) => a.actor === null)).toBe(true);
    await expect(getPlanReview(t.deps, principal('legal2', ['grant.read']), planId)).rejects.toMatchObject({
      code: 'GRANT_REVIEW_PLAN_NOT_FOUND',
    });
  });

  it('keeps the four sign-offs with four different people and out of the NGO', async () => {
    const planId = await makePlan(callId, 10_000_00);
    const { caseId } = await submit(planId);
    // The NGO user who submitted (and also holds a reviewer role) cannot act, nor a board member
    // or the legal representative matched by DUI.
    const staff = await post(caseId, approval('legal'), 'staff');
    expect(staff.statusCode).toBe(403);
    expect(staff.json().error.code).toBe('WORKFLOW_ACTOR_EXCLUDED');
    // One reviewer holding two review roles can do only one of them.
    expect((await post(caseId, approval('legal'), 'dual')).statusCode).toBe(200);
    const second = await post(caseId, approval('financial'), 'dual');
    expect(second.statusCode).toBe(403);
    expect(second.json().error.code).toBe('WORKFLOW_SEGREGATION_OF_DUTIES');
    const board = await post(caseId, approval('financial'), 'boardUser');
    expect(board.json().error.code).toBe('WORKFLOW_ACTOR_EXCLUDED');
    const rep = await post(caseId, approval('monitoring'), 'repUser');
    expect(rep.json().error.code).toBe('WORKFLOW_ACTOR_EXCLUDED');
    expect((await post(caseId, approval('financial'), 'financial')).statusCode).toBe(200);
    expect((await post(caseId, approval('monitoring'), 'monitoring')).statusCode).toBe(200);
    expect((await plan(planId)).status).toBe('under_review');
  });

  it('recomputes the excluded people when the board changes during the review', async () => {
    const planId = await makePlan(callId, 10_000_00);
    const { caseId } = await submit(planId);
    await t.deps.db
      .insertInto('ngo_board_members')
      .values({
        id: randomUUID(),
        organisation_id: orgId,
        full_name: 'Nuevo Directivo',
        dui: '00000001-8',
        position: 'Vocal',
        from_date: '2025-01-01',
        to_date: null,
        created_by: null,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
    await t.deps.db
      .updateTable('users')
      .set({ dui: '00000001-8' })
      .where('id', '=', users.legal2!.id)
      .execute();
    await t.deps.tx(systemContext(), (uow) => recomputePlanReviewExclusions(uow, t.deps, planId));
    expect((await post(caseId, approval('legal'), 'legal2')).json().error.code).toBe(
      'WORKFLOW_ACTOR_EXCLUDED',
    );
    await t.deps.db.updateTable('users').set({ dui: null }).where('id', '=', users.legal2!.id).execute();
    const c = await t.deps.db
      .selectFrom('workflow_cases')
      .select(['excluded_duis', 'excluded_user_ids'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(c.excluded_duis as unknown as string[]).toEqual(
      expect.arrayContaining([BOARD_DUI, REP_DUI, '00000001-8']),
    );
    expect(c.excluded_user_ids as unknown as string[]).toEqual([users.staff!.id]);
  });

  it('a return sends the plan back to the NGO; the resubmission opens a new review from the start', async () => {
    const planId = await makePlan(callId, 20_000_00);
    const first = await submit(planId);
    expect((await post(first.caseId, approval('legal'), 'legal')).statusCode).toBe(200);
    const noReason = await post(first.caseId, { step: 'financial', outcome: 'return' }, 'financial');
    expect(noReason.json().error.code).toBe('WORKFLOW_REASON_REQUIRED');
    const ret = await post(
      first.caseId,
      {
        step: 'financial',
        outcome: 'return',
        reason: 'Las líneas de presupuesto no separan la contrapartida',
      },
      'financial',
    );
    expect(ret.statusCode).toBe(200);
    expect((await plan(planId)).status).toBe('returned');
    const retAudit = await t.deps.db
      .selectFrom('audit_log')
      .select('reason')
      .where('entity_id', '=', planId)
      .where('action', '=', 'grant.plan_returned')
      .executeTakeFirstOrThrow();
    expect(retAudit.reason).toBe('Las líneas de presupuesto no separan la contrapartida');
    // Acting on the returned case is refused.
    expect((await post(first.caseId, approval('monitoring'), 'monitoring')).json().error.code).toBe(
      'WORKFLOW_CASE_CLOSED',
    );

    // The NGO corrects it in version 2 and submits again (H2's submission bumps the version).
    await t.deps.db
      .updateTable('ngo_plans')
      .set({ current_version: 2, status: 'submitted' })
      .where('id', '=', planId)
      .execute();
    const second = await submit(planId);
    expect(second.caseId).not.toBe(first.caseId);
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/v1/workflow/cases/${second.caseId}`,
      headers: bearer(users.legal!.token),
    });
    expect(detail.json().title).toMatch(/versión 2/);
    expect(detail.json().steps.filter((s: { status: string }) => s.status === 'open')).toHaveLength(3);
    // The legal review approved in version 1 must be done again.
    await reviewAll(second.caseId);
    const rejected = await post(
      second.caseId,
      { step: 'authority', outcome: 'reject', reason: 'La organización no demuestra capacidad de ejecución' },
      'authority',
    );
    expect(rejected.statusCode).toBe(200);
    expect((await plan(planId)).status).toBe('rejected');
    // A rejected plan cannot be reviewed again.
    await expect(submit(planId)).rejects.toMatchObject({ code: 'GRANT_REVIEW_PLAN_NOT_SUBMITTABLE' });
  });

  it('refuses approved amounts that are not whole cents, above the request or above the envelope', async () => {
    const smallCall = await makeCall(50_000_00, 30_000_00);
    const planId = await makePlan(smallCall, 40_000_00);
    const { caseId } = await submit(planId);
    await reviewAll(caseId);
    const cases: [unknown, number, string][] = [
      [1_000.5, 400, 'GRANT_REVIEW_AMOUNT_INVALID'],
      [-5, 400, 'GRANT_REVIEW_AMOUNT_INVALID'],
      ['100', 400, 'GRANT_REVIEW_AMOUNT_INVALID'],
      [45_000_00, 400, 'GRANT_REVIEW_AMOUNT_ABOVE_REQUEST'],
      [35_000_00, 400, 'GRANT_REVIEW_AMOUNT_ABOVE_PLAN_MAX'],
    ];
    for (const [amount, status, code] of cases) {
      const res = await post(caseId, approval('authority', { approvedCents: amount }), 'authority');
      expect(res.statusCode, String(amount)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    // Another plan takes most of the envelope; what is left is too little for this one.
    await t.deps.db
      .updateTable('ngo_calls')
      .set({ committed_cents: 25_000_00 })
      .where('id', '=', smallCall)
      .execute();
    const over = await post(caseId, approval('authority', { approvedCents: 30_000_00 }), 'authority');
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('GRANT_REVIEW_ENVELOPE_EXCEEDED');
    expect(over.json().error.message).toContain('US$25,000.00');
    expect(over.json().error.details).toEqual({ remainingCents: 25_000_00 });
    // Nothing was written: the case still waits for the authority, the plan is under review.
    expect((await plan(planId)).status).toBe('under_review');
    const actions = await t.deps.db
      .selectFrom('workflow_actions')
      .select('step_code')
      .where('case_id', '=', caseId)
      .execute();
    expect(actions.map((a) => a.step_code).sort()).toEqual(['financial', 'legal', 'monitoring']);
    const ok = await post(caseId, approval('authority', { approvedCents: 25_000_00 }), 'authority');
    expect(ok.statusCode).toBe(200);
    expect(Number((await call(smallCall)).committed_cents)).toBe(50_000_00);
  });

  it('never exceeds the envelope with ten approvals at once', async () => {
    const envelope = 1_000_000_00;
    const tightCall = await makeCall(envelope);
    const plans: { planId: string; caseId: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const planId = await makePlan(tightCall, 250_000_00 + i * 1_000_00);
      const { caseId } = await submit(planId);
      await reviewAll(caseId);
      plans.push({ planId, caseId });
    }
    const results = await Promise.all(plans.map((p) => post(p.caseId, approval('authority'), 'authority')));
    const ok = results.filter((r) => r.statusCode === 200);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(ok.length + refused.length, results.map((r) => r.body.slice(0, 200)).join('\n')).toBe(10);
    expect(refused.every((r) => r.json().error.code === 'GRANT_REVIEW_ENVELOPE_EXCEEDED')).toBe(true);
    const rows = await t.deps.db
      .selectFrom('ngo_plans')
      .select(['status', 'approved_cents'])
      .where('call_id', '=', tightCall)
      .execute();
    const approvedSum = rows.reduce((sum, r) => sum + Number(r.approved_cents ?? 0), 0);
    const committed = Number((await call(tightCall)).committed_cents);
    expect(committed).toBe(approvedSum);
    expect(committed).toBeLessThanOrEqual(envelope);
    // 250k … 259k each: at most three fit in one million, and at least three do.
    expect(ok).toHaveLength(3);
    expect(rows.filter((r) => r.status === 'approved')).toHaveLength(3);
    expect(rows.filter((r) => r.status === 'under_review')).toHaveLength(7);
  });
});

describe('NGO plan review through the grants API', () => {
  let t: TestApp;
  let tokens: Awaited<ReturnType<typeof grantsUsers>>;
  const reviewers: Record<string, string> = {};

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await buildTestApp();
    tokens = await grantsUsers(t);
    reviewers.legal = tokens.legal;
    reviewers.financial = tokens.financial;
    reviewers.monitoring = await loginAs(t.app, await makeUser(t.deps, 'ngo_monitoring_reviewer'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('submission opens the review; return, corrected version, new review, approval', async () => {
    const org = await createOrganisation(t, tokens.admin);
    const staff = await ngoStaff(t, tokens.admin, org.id);
    const convocatoria = await publishedCall(t, tokens.authority);
    const created = await api('POST', '/grants/plans', staff.token, {
      callId: convocatoria.id,
      title: 'Escuelas seguras',
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const planId = created.json().id as string;
    const submitted = await api('POST', `/grants/plans/${planId}/submit`, staff.token, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('under_review');

    const inbox = await api('GET', '/workflow/inbox', reviewers.legal!);
    const item = inbox.json().items.find((i: { subjectId: string }) => i.subjectId === planId);
    expect(item).toMatchObject({ step: { code: 'legal' }, definition: { code: PLAN_REVIEW } });
    // The NGO's own user never has it in an inbox, and is refused if it tries.
    expect((await api('GET', '/workflow/inbox', staff.token)).json().items).toEqual([]);
    const first = item.caseId as string;

    const returned = await api('POST', `/workflow/cases/${first}/actions`, reviewers.legal!, {
      step: 'legal',
      outcome: 'return',
      reason: 'Adjunte la credencial vigente del representante legal',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect((await api('GET', `/grants/plans/${planId}`, staff.token)).json().status).toBe('returned');

    // The NGO corrects (version 2) and submits again: a new review from the start.
    const corrected = await api('PUT', `/grants/plans/${planId}/draft`, staff.token, {
      content: { ...completeContent(), summary: 'Talleres con credencial vigente adjunta.' },
      budgetLines: budgetLines(),
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const resubmitted = await api('POST', `/grants/plans/${planId}/submit`, staff.token, {});
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    expect(resubmitted.json()).toMatchObject({ status: 'under_review', currentVersion: 2 });
    const second = (await api('GET', '/workflow/inbox', reviewers.legal!))
      .json()
      .items.find((i: { subjectId: string }) => i.subjectId === planId).caseId as string;
    expect(second).not.toBe(first);

    for (const step of ['legal', 'financial', 'monitoring'] as const) {
      const res = await api('POST', `/workflow/cases/${second}/actions`, reviewers[step]!, approval(step));
      expect(res.statusCode, res.body).toBe(200);
    }
    const requested = resubmitted.json().requestedCents as number;
    const approved = await api(
      'POST',
      `/workflow/cases/${second}/actions`,
      tokens.authority,
      approval('authority'),
    );
    expect(approved.statusCode, approved.body).toBe(200);
    const plan = (await api('GET', `/grants/plans/${planId}`, staff.token)).json();
    expect(plan).toMatchObject({ status: 'approved', approvedCents: requested });

    const history = await api('GET', `/grants/plans/${planId}/review`, tokens.auditor);
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().cases.map((c: { status: string }) => c.status)).toEqual(['approved', 'returned']);
    expect(history.json().cases[1].actions[0]).toMatchObject({
      step: 'legal',
      outcome: 'return',
      reason: 'Adjunte la credencial vigente del representante legal',
    });
    expect(history.json().cases[1].actions[0].actor).not.toBeNull();
    const ngoView = await api('GET', `/grants/plans/${planId}/review`, staff.token);
    expect(ngoView.statusCode).toBe(200);
    expect(ngoView.json().cases[1].actions[0].actor).toBeNull();
    const asRequester = await api('GET', `/workflow/cases/${second}`, staff.token);
    expect(asRequester.json().actions.every((a: { actor: unknown }) => a.actor === null)).toBe(true);
    const stranger = await ngoStaff(t, tokens.admin, (await createOrganisation(t, tokens.admin)).id);
    expect((await api('GET', `/grants/plans/${planId}/review`, stranger.token)).statusCode).toBe(404);
  }, 90_000);
});
