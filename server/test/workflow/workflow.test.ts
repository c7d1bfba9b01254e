import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defineWorkflow,
  type ExcludedActors,
  OPENER,
  openCase,
  registerWorkflowHandler,
  runWorkflowDeadlines,
  seedWorkflowDefinitions,
  type WorkflowActionEvent,
  type WorkflowDefinitionSpec,
} from '../../src/modules/workflow/index.js';
import { systemContext } from '../../src/platform/context.js';
import { AppError } from '../../src/platform/http/errors.js';
import { definePolicy } from '../../src/platform/http/permissions.js';
import type { ScopeTarget } from '../../src/platform/http/principal.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';

/**
 * The shared approval workflow over a test definition shaped like the NGO plan review: three
 * parallel reviews (legal, financial, monitoring), then an authority; every step by a different
 * person, never the requester. Analysts hold all four test permissions, so segregation of duties is
 * what keeps one of them from acting twice.
 */

const PERM = {
  legal: 'wftest.legal',
  financial: 'wftest.financial',
  monitoring: 'wftest.monitoring',
  approve: 'wftest.approve',
} as const;

definePolicy('workflow-test', {
  permissions: Object.values(PERM).map((code) => ({ code, description: `prueba ${code}` })),
  roles: { analyst: Object.values(PERM) },
});

const DEFINITION: WorkflowDefinitionSpec = {
  code: 'wf_test',
  version: 1,
  nameEs: 'Revisión de prueba',
  nameEn: 'Test review',
  steps: [
    {
      code: 'legal',
      nameEs: 'Revisión jurídica',
      nameEn: 'Legal review',
      permission: PERM.legal,
      checklist: [
        { code: 'capacidad', labelEs: 'Capacidad legal vigente', labelEn: 'Legal capacity in force' },
        { code: 'estatutos', labelEs: 'Fines estatutarios compatibles', labelEn: 'Statutory purpose fits' },
        { code: 'comentario', labelEs: 'Comentario adicional', labelEn: 'Extra comment', required: false },
      ],
      requiredDocuments: [
        { kind: 'dictamen_juridico', labelEs: 'Dictamen jurídico', labelEn: 'Legal opinion' },
      ],
      outcomes: ['approve', 'return', 'reject'],
      deadlineHours: 48,
      reminderHoursBefore: 24,
      escalationRole: 'supervisor',
    },
    {
      code: 'financial',
      nameEs: 'Revisión financiera',
      nameEn: 'Financial review',
      permission: PERM.financial,
      checklist: [
        { code: 'disponibilidad', labelEs: 'Disponibilidad presupuestaria', labelEn: 'Funds available' },
      ],
      requiredDocuments: [],
      outcomes: ['approve', 'return', 'reject'],
      deadlineHours: 48,
      reminderHoursBefore: 24,
      escalationRole: 'supervisor',
    },
    {
      code: 'monitoring',
      nameEs: 'Revisión de monitoreo',
      nameEn: 'Monitoring review',
      permission: PERM.monitoring,
      checklist: [],
      requiredDocuments: [],
      outcomes: ['approve', 'return'],
      deadlineHours: 72,
      reminderHoursBefore: 24,
      escalationRole: 'supervisor',
    },
    {
      code: 'authority',
      nameEs: 'Aprobación de la autoridad',
      nameEn: 'Authority approval',
      permission: PERM.approve,
      checklist: [],
      requiredDocuments: [],
      outcomes: ['approve', 'reject'],
      deadlineHours: 24,
      reminderHoursBefore: 4,
      escalationRole: 'administrator',
    },
  ],
  stages: [['legal', 'financial', 'monitoring'], ['authority']],
  distinct: [[OPENER, 'legal', 'financial', 'monitoring', 'authority']],
};
defineWorkflow(DEFINITION);

const handled: WorkflowActionEvent[] = [];
registerWorkflowHandler('wf_test', async (event) => {
  if (event.data.refuse === true)
    throw new AppError('WORKFLOW_CASE_CLOSED', 409, { status: 'refused by owner' });
  handled.push({ ...event, uow: undefined as never });
});

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const LEGAL_OK = {
  step: 'legal',
  outcome: 'approve',
  checklist: [
    { code: 'capacidad', checked: true },
    { code: 'estatutos', checked: true, note: 'Estatutos art. 3' },
  ],
  documents: [{ sha256: sha('dictamen'), name: 'dictamen.pdf', kind: 'dictamen_juridico' }],
};
const FIN_OK = {
  step: 'financial',
  outcome: 'approve',
  checklist: [{ code: 'disponibilidad', checked: true }],
};
const MON_OK = { step: 'monitoring', outcome: 'approve' };

const clock = { at: Date.now(), now: () => new Date(clock.at) };
const HOUR = 3_600_000;

describe('workflow module', () => {
  let t: TestApp;
  const users: Record<string, TestUser & { token: string }> = {};

  const post = (caseId: string, body: object, who: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/workflow/cases/${caseId}/actions`,
      headers: { ...bearer(users[who]!.token), ...headers },
      payload: body,
    });
  const get = (url: string, who?: string) =>
    t.app.inject({ method: 'GET', url, headers: who ? bearer(users[who]!.token) : {} });
  const inbox = async (who: string) => {
    const res = await get('/api/v1/workflow/inbox', who);
    expect(res.statusCode).toBe(200);
    return res.json().items as { caseId: string; step: { code: string }; overdue: boolean; dueAt: string }[];
  };
  const open = async (
    options: { excludedActors?: ExcludedActors; openedBy?: string; scope?: ScopeTarget; at?: Date } = {},
  ) => {
    const saved = clock.at;
    if (options.at) clock.at = options.at.getTime();
    try {
      const subjectId = randomUUID();
      const opener = options.openedBy ? users[options.openedBy]! : null;
      const { id } = await t.deps.tx(systemContext(), (uow) =>
        openCase(uow, {
          definition: 'wf_test',
          subjectType: 'test_plan',
          subjectId,
          openedBy: opener ? { id: opener.id, name: opener.username } : null,
          title: `Plan ${subjectId.slice(0, 6)}`,
          ...(options.excludedActors ? { excludedActors: options.excludedActors } : {}),
          ...(options.scope ? { scope: options.scope } : {}),
        }),
      );
      return { id, subjectId };
    } finally {
      clock.at = saved;
    }
  };
  const actions = async (caseId: string) =>
    t.deps.db.selectFrom('workflow_actions').selectAll().where('case_id', '=', caseId).execute();

  beforeAll(async () => {
    t = await buildTestApp({ clock });
    const specs: [string, string, Record<string, unknown>?][] = [
      ['a1', 'analyst'],
      ['a2', 'analyst'],
      ['a3', 'analyst'],
      ['a4', 'analyst'],
      ['a5', 'analyst'],
      ['li', 'analyst', { scope: { level: 'department', code: 'SV-LI' } }],
      ['linked', 'analyst'],
      ['board', 'analyst'],
      ['auditor', 'auditor'],
      ['caller', 'call_taker'],
      ['supervisor', 'supervisor'],
    ];
    for (const [key, role, overrides] of specs) {
      const user = await makeUser(t.deps, role, overrides ?? {});
      users[key] = { ...user, token: await loginAs(t.app, user) };
      await t.deps.db
        .updateTable('users')
        .set({ email: `${key}@seguridad.gob.sv` })
        .where('id', '=', user.id)
        .execute();
    }
    await t.deps.db
      .updateTable('users')
      .set({ dui: '04567891-1' })
      .where('id', '=', users.board!.id)
      .execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores the definition and lists it', async () => {
    const res = await get('/api/v1/workflow/definitions', 'caller');
    expect(res.statusCode).toBe(200);
    const def = res.json().items.find((d: { code: string }) => d.code === 'wf_test');
    expect(def.stages).toEqual([['legal', 'financial', 'monitoring'], ['authority']]);
    expect(def.distinct[0]).toContain(OPENER);
  });

  it('refuses definitions that are malformed, or changed under the same version', async () => {
    expect(() =>
      defineWorkflow({ ...DEFINITION, code: 'wf_bad', stages: [['legal'], ['authority']] }),
    ).toThrow(/exactly one stage/);
    expect(() => defineWorkflow({ ...DEFINITION, code: 'wf_bad2', distinct: [['legal', 'nadie']] })).toThrow(
      /unknown step/,
    );
    expect(() => defineWorkflow({ ...DEFINITION, nameEs: 'Otro nombre' })).toThrow(/different content/);
    // A stored version whose content differs stops start-up.
    await t.deps.db
      .insertInto('workflow_definitions')
      .values({
        code: 'wf_drift',
        version: 1,
        name_es: 'x',
        name_en: 'x',
        spec: JSON.stringify({}),
        checksum: 'otro',
        created_at: new Date(),
      })
      .execute();
    defineWorkflow({ ...DEFINITION, code: 'wf_drift' });
    await expect(seedWorkflowDefinitions(t.deps)).rejects.toThrow(/new version/);
  });

  it('opens a case inside a transaction with the first stage open, audited with an event', async () => {
    const { id, subjectId } = await open({ openedBy: 'a5' });
    const res = await get(`/api/v1/workflow/cases/${id}`, 'a1');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('open');
    expect(body.subjectId).toBe(subjectId);
    expect(
      Object.fromEntries(body.steps.map((s: { code: string; status: string }) => [s.code, s.status])),
    ).toEqual({
      legal: 'open',
      financial: 'open',
      monitoring: 'open',
      authority: 'waiting',
    });
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['workflow.case_opened']);
    const events = await t.deps.db.selectFrom('outbox').select('type').where('entity_id', '=', id).execute();
    expect(events.map((e) => e.type).sort()).toEqual([
      'workflow.case_opened',
      'workflow.step_opened',
      'workflow.step_opened',
      'workflow.step_opened',
    ]);
    // Each opened step reaches the holders of its permission (live inboxes).
    const opened = await t.deps.db
      .selectFrom('outbox')
      .select(['permission'])
      .where('entity_id', '=', id)
      .where('type', '=', 'workflow.step_opened')
      .execute();
    expect(opened.map((e) => e.permission).sort()).toEqual([PERM.financial, PERM.legal, PERM.monitoring]);
    // A second open case for the same subject is refused; the whole transaction rolls back.
    await expect(
      t.deps.tx(systemContext(), (uow) =>
        openCase(uow, {
          definition: 'wf_test',
          subjectType: 'test_plan',
          subjectId,
          openedBy: null,
          title: 'x',
        }),
      ),
    ).rejects.toMatchObject({ code: 'WORKFLOW_CASE_ALREADY_OPEN', status: 409 });
    await expect(
      t.deps.tx(systemContext(), (uow) =>
        openCase(uow, { definition: 'nada', subjectType: 'x', subjectId: 'y', openedBy: null, title: 'x' }),
      ),
    ).rejects.toMatchObject({ code: 'WORKFLOW_DEFINITION_NOT_FOUND' });
  });

  it('keeps the order: the authority cannot act before the three reviews', async () => {
    const { id } = await open();
    const res = await post(id, { step: 'authority', outcome: 'approve' }, 'a1');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('WORKFLOW_STEP_WAITING');
    expect(res.json().error.message).toMatch(/todavía no corresponde/);
    const unknown = await post(id, { step: 'tesoreria', outcome: 'approve' }, 'a1');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('WORKFLOW_STEP_UNKNOWN');
    expect(await actions(id)).toHaveLength(0);
  });

  it('requires a reason to return or reject, and only allowed outcomes', async () => {
    const { id } = await open();
    for (const body of [
      { step: 'legal', outcome: 'return' },
      { step: 'legal', outcome: 'reject', reason: '   ' },
      { step: 'legal', outcome: 'return', reason: 'corto' },
    ]) {
      const res = await post(id, body, 'a1');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('WORKFLOW_REASON_REQUIRED');
    }
    const notAllowed = await post(
      id,
      { step: 'monitoring', outcome: 'reject', reason: 'No cumple los indicadores' },
      'a1',
    );
    expect(notAllowed.statusCode).toBe(400);
    expect(notAllowed.json().error.code).toBe('WORKFLOW_OUTCOME_NOT_ALLOWED');
    const badOutcome = await post(id, { step: 'legal', outcome: 'maybe' }, 'a1');
    expect(badOutcome.statusCode).toBe(400);
    expect(await actions(id)).toHaveLength(0);
  });

  it('requires the checklist and the documents to approve, and writes nothing otherwise', async () => {
    const { id } = await open();
    const incomplete = await post(
      id,
      { ...LEGAL_OK, checklist: [{ code: 'capacidad', checked: true }] },
      'a1',
    );
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.code).toBe('WORKFLOW_CHECKLIST_INCOMPLETE');
    expect(incomplete.json().error.details).toEqual({ missing: ['estatutos'] });
    const unchecked = await post(
      id,
      {
        ...LEGAL_OK,
        checklist: [
          { code: 'capacidad', checked: true },
          { code: 'estatutos', checked: false },
        ],
      },
      'a1',
    );
    expect(unchecked.json().error.code).toBe('WORKFLOW_CHECKLIST_INCOMPLETE');
    const unknown = await post(
      id,
      { ...LEGAL_OK, checklist: [...LEGAL_OK.checklist, { code: 'inventado', checked: true }] },
      'a1',
    );
    expect(unknown.json().error.code).toBe('WORKFLOW_CHECKLIST_UNKNOWN_ITEM');
    const duplicated = await post(
      id,
      { ...LEGAL_OK, checklist: [...LEGAL_OK.checklist, { code: 'capacidad', checked: false }] },
      'a1',
    );
    expect(duplicated.statusCode).toBe(400);
    expect(duplicated.json().error.code).toBe('WORKFLOW_CHECKLIST_DUPLICATE_ITEM');
    const noDoc = await post(id, { ...LEGAL_OK, documents: [] }, 'a1');
    expect(noDoc.statusCode).toBe(400);
    expect(noDoc.json().error.code).toBe('WORKFLOW_DOCUMENT_MISSING');
    expect(noDoc.json().error.message).toMatch(/Dictamen jurídico/);
    const badHash = await post(
      id,
      { ...LEGAL_OK, documents: [{ sha256: 'abc', name: 'x.pdf', kind: 'dictamen_juridico' }] },
      'a1',
    );
    expect(badHash.statusCode).toBe(400);
    const twice = await post(
      id,
      { ...LEGAL_OK, documents: [LEGAL_OK.documents[0], LEGAL_OK.documents[0]] },
      'a1',
    );
    expect(twice.json().error.code).toBe('WORKFLOW_DOCUMENT_DUPLICATE');
    expect(await actions(id)).toHaveLength(0);
    // A return needs neither the checklist complete nor the documents.
    const returned = await post(
      id,
      { step: 'legal', outcome: 'return', reason: 'Falta la credencial del representante' },
      'a1',
    );
    expect(returned.statusCode).toBe(200);
    expect(returned.json().status).toBe('returned');
  });

  it('walks the whole case: audit with checklist and hashes, segregation of duties, handler on every outcome', async () => {
    handled.length = 0;
    const { id, subjectId } = await open({ openedBy: 'a5' });
    const legal = await post(id, LEGAL_OK, 'a1');
    expect(legal.statusCode).toBe(200);
    const legalAction = legal.json().actions[0];
    expect(legalAction).toMatchObject({ step: 'legal', outcome: 'approve', actor: { id: users.a1!.id } });
    expect(legalAction.documents[0].sha256).toBe(sha('dictamen'));
    expect(legalAction.checklist[1]).toEqual({ code: 'estatutos', checked: true, note: 'Estatutos art. 3' });

    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'changes'])
      .where('entity_id', '=', id)
      .where('action', '=', 'workflow.step_approved')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(users.a1!.id);
    expect(JSON.stringify(audit.changes)).toContain(sha('dictamen'));
    expect(JSON.stringify(audit.changes)).toContain('estatutos');

    // The same person cannot take a second review of the case…
    const twice = await post(id, FIN_OK, 'a1');
    expect(twice.statusCode).toBe(403);
    expect(twice.json().error.code).toBe('WORKFLOW_SEGREGATION_OF_DUTIES');
    expect(twice.json().error.message).toMatch(/Revisión jurídica/);
    // …and no longer sees the case's other steps in the inbox.
    expect((await inbox('a1')).filter((i) => i.caseId === id)).toEqual([]);
    expect(
      (await inbox('a2'))
        .filter((i) => i.caseId === id)
        .map((i) => i.step.code)
        .sort(),
    ).toEqual(['financial', 'monitoring']);
    // The requester cannot review their own request.
    const opener = await post(id, FIN_OK, 'a5');
    expect(opener.statusCode).toBe(403);
    expect(opener.json().error.details).toEqual({ conflictsWith: OPENER });
    expect((await inbox('a5')).filter((i) => i.caseId === id)).toEqual([]);

    expect((await post(id, FIN_OK, 'a2')).statusCode).toBe(200);
    const again = await post(id, LEGAL_OK, 'a3');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('WORKFLOW_STEP_DONE');
    const mon = await post(id, MON_OK, 'a3');
    expect(mon.statusCode).toBe(200);
    expect(mon.json().steps.find((s: { code: string }) => s.code === 'authority').status).toBe('open');
    for (const who of ['a1', 'a2', 'a3', 'a5']) {
      const res = await post(id, { step: 'authority', outcome: 'approve' }, who);
      expect(res.json().error.code, who).toBe('WORKFLOW_SEGREGATION_OF_DUTIES');
    }
    const refused = await post(id, { step: 'authority', outcome: 'approve', data: { refuse: true } }, 'a4');
    expect(refused.statusCode).toBe(409);
    expect((await actions(id)).map((a) => a.step_code).sort()).toEqual(['financial', 'legal', 'monitoring']);
    const done = await post(
      id,
      { step: 'authority', outcome: 'approve', data: { amountCents: 125_000 } },
      'a4',
    );
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('approved');
    expect(done.json().closedAt).not.toBeNull();
    expect(handled.map((h) => [h.step, h.outcome, h.caseStatus])).toEqual([
      ['legal', 'approve', 'open'],
      ['financial', 'approve', 'open'],
      ['monitoring', 'approve', 'open'],
      ['authority', 'approve', 'approved'],
    ]);
    expect(handled[3]).toMatchObject({
      subjectId,
      data: { amountCents: 125_000 },
      actor: { id: users.a4!.id },
    });
    // The requester follows the case without learning who decided each step.
    const asRequester = await get(`/api/v1/workflow/cases/${id}`, 'a5');
    expect(asRequester.statusCode).toBe(200);
    expect(asRequester.json().actions.map((a: { actor: unknown }) => a.actor)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect((await get(`/api/v1/workflow/cases/${id}`, 'a2')).json().actions[0].actor.id).toBe(users.a1!.id);
    const closed = await post(id, { step: 'authority', outcome: 'approve' }, 'a4');
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('WORKFLOW_CASE_CLOSED');
    const events = await t.deps.db.selectFrom('outbox').select('type').where('entity_id', '=', id).execute();
    expect(events.filter((e) => e.type === 'workflow.step_acted')).toHaveLength(4);
    expect(events.filter((e) => e.type === 'workflow.case_closed')).toHaveLength(1);
  });

  it('a return closes the case with the other steps cancelled; a new case may then be opened', async () => {
    handled.length = 0;
    const { id, subjectId } = await open();
    expect((await post(id, LEGAL_OK, 'a1')).statusCode).toBe(200);
    const ret = await post(
      id,
      { step: 'financial', outcome: 'return', reason: 'El presupuesto no cuadra con las actividades' },
      'a2',
    );
    expect(ret.statusCode).toBe(200);
    const body = ret.json();
    expect(body.status).toBe('returned');
    expect(body.actions[1].reason).toBe('El presupuesto no cuadra con las actividades');
    expect(
      Object.fromEntries(body.steps.map((s: { code: string; status: string }) => [s.code, s.status])),
    ).toEqual({
      legal: 'approved',
      financial: 'returned',
      monitoring: 'cancelled',
      authority: 'cancelled',
    });
    expect(handled.at(-1)).toMatchObject({ step: 'financial', outcome: 'return', caseStatus: 'returned' });
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['reason'])
      .where('entity_id', '=', id)
      .where('action', '=', 'workflow.step_returned')
      .executeTakeFirstOrThrow();
    expect(audit.reason).toBe('El presupuesto no cuadra con las actividades');
    const reopened = await t.deps.tx(systemContext(), (uow) =>
      openCase(uow, {
        definition: 'wf_test',
        subjectType: 'test_plan',
        subjectId,
        openedBy: null,
        title: 'v2',
      }),
    );
    expect(reopened.id).not.toBe(id);
    const rejected = await post(
      reopened.id,
      { step: 'legal', outcome: 'reject', reason: 'La asociación no tiene personalidad jurídica' },
      'a1',
    );
    expect(rejected.json().status).toBe('rejected');
  });

  it('excluded actors (by user id and by DUI) can neither act nor see the case in their inbox', async () => {
    const { id } = await open({ excludedActors: { userIds: [users.linked!.id], duis: ['045678911'] } });
    for (const who of ['linked', 'board']) {
      const res = await post(id, LEGAL_OK, who);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.code).toBe('WORKFLOW_ACTOR_EXCLUDED');
      expect((await inbox(who)).some((i) => i.caseId === id)).toBe(false);
    }
    expect((await inbox('a1')).some((i) => i.caseId === id)).toBe(true);
    expect(await actions(id)).toHaveLength(0);
    // Nor read its reviewers' notes.
    expect((await get(`/api/v1/workflow/cases/${id}`, 'linked')).json().error.code).toBe(
      'WORKFLOW_CASE_NOT_VISIBLE',
    );
  });

  it('needs the step permission in the case scope', async () => {
    const { id } = await open({ scope: { department: 'SV-SS', municipality: 'SV10001' } });
    const outside = await post(id, LEGAL_OK, 'li');
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('WORKFLOW_NOT_ALLOWED');
    expect((await inbox('li')).some((i) => i.caseId === id)).toBe(false);
    expect((await get(`/api/v1/workflow/cases/${id}`, 'li')).json().error.code).toBe(
      'WORKFLOW_CASE_NOT_VISIBLE',
    );
    const auditor = await post(id, LEGAL_OK, 'auditor');
    expect(auditor.json().error.code).toBe('WORKFLOW_NOT_ALLOWED');
    expect((await get(`/api/v1/workflow/cases/${id}`, 'auditor')).statusCode).toBe(200);
    expect((await get(`/api/v1/workflow/cases/${id}`, 'caller')).statusCode).toBe(403);
    expect(await inbox('caller')).toEqual([]);
    const { id: liCase } = await open({ scope: { department: 'SV-LI' } });
    expect((await inbox('li')).some((i) => i.caseId === liCase)).toBe(true);
  });

  it('orders the inbox overdue first, then by due time', async () => {
    const now = clock.now().getTime();
    const late = await open({ at: new Date(now - 100 * HOUR) });
    const soon = await open({ at: new Date(now - 40 * HOUR) });
    const fresh = await open({ at: new Date(now - 1 * HOUR) });
    const items = (await inbox('a2')).filter((i) => [late.id, soon.id, fresh.id].includes(i.caseId));
    expect(items[0]).toMatchObject({ caseId: late.id, overdue: true });
    const order = items.map((i) => i.caseId);
    expect(order.lastIndexOf(late.id)).toBeLessThan(order.indexOf(soon.id));
    expect(order.lastIndexOf(soon.id)).toBeLessThan(order.indexOf(fresh.id));
    expect(items.filter((i) => i.overdue).every((i) => i.caseId === late.id)).toBe(true);
    const dues = items.filter((i) => !i.overdue).map((i) => i.dueAt);
    expect([...dues].sort()).toEqual(dues);
  });

  it('queues each reminder and each escalation once', async () => {
    // Cases opened earlier in this file are open too; count only this one's notices.
    const { id } = await open({ excludedActors: { userIds: [users.linked!.id] } });
    const notices = () =>
      t.deps.db
        .selectFrom('workflow_deadline_notices')
        .selectAll()
        .where('case_id', '=', id)
        .orderBy('step_code')
        .orderBy('kind')
        .execute();
    const base = clock.now().getTime();
    await runWorkflowDeadlines(t.deps, new Date(base + 1 * HOUR));
    expect(await notices()).toEqual([]);
    await runWorkflowDeadlines(t.deps, new Date(base + 25 * HOUR));
    expect((await notices()).map((n) => `${n.step_code}:${n.kind}`)).toEqual([
      'financial:reminder',
      'legal:reminder',
    ]);
    const second = await runWorkflowDeadlines(t.deps, new Date(base + 26 * HOUR));
    expect((await notices()).length).toBe(2);
    expect(second.reminders).toBe(0);
    const reminders = await t.deps.db
      .selectFrom('notifications')
      .select(['recipient', 'template'])
      .where('entity_id', '=', id)
      .execute();
    const recipients = reminders.map((r) => r.recipient);
    expect(recipients).toContain('a1@seguridad.gob.sv');
    expect(recipients).not.toContain('linked@seguridad.gob.sv');
    expect(recipients).not.toContain('caller@seguridad.gob.sv');
    expect(recipients).not.toContain('li@seguridad.gob.sv'); // national case, departmental reviewer
    expect(reminders.every((r) => r.template === 'workflow_reminder')).toBe(true);

    await runWorkflowDeadlines(t.deps, new Date(base + 49 * HOUR));
    await runWorkflowDeadlines(t.deps, new Date(base + 50 * HOUR));
    const after = (await notices()).map((n) => `${n.step_code}:${n.kind}`);
    expect(after).toEqual([
      'financial:escalation',
      'financial:reminder',
      'legal:escalation',
      'legal:reminder',
      'monitoring:reminder',
    ]);
    const escalations = await t.deps.db
      .selectFrom('notifications')
      .select('recipient')
      .where('entity_id', '=', id)
      .where('template', '=', 'workflow_escalation')
      .execute();
    expect(escalations.map((e) => e.recipient)).toEqual([
      'supervisor@seguridad.gob.sv',
      'supervisor@seguridad.gob.sv',
    ]);
    const events = await t.deps.db
      .selectFrom('outbox')
      .select('type')
      .where('entity_id', '=', id)
      .where('type', 'in', ['workflow.step_overdue', 'workflow.step_due_soon'])
      .execute();
    expect(events.filter((e) => e.type === 'workflow.step_overdue')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'workflow.step_due_soon')).toHaveLength(3);
    // Monitoring (72 h) is overdue at 80 h: its escalation comes once, the finished run adds nothing.
    await runWorkflowDeadlines(t.deps, new Date(base + 80 * HOUR));
    expect((await runWorkflowDeadlines(t.deps, new Date(base + 81 * HOUR))).escalations).toBe(0);
    expect((await notices()).filter((n) => n.kind === 'escalation')).toHaveLength(3);
  });

  it('parallel reviews sent at once open the next stage exactly once; one step is decided once', async () => {
    const { id } = await open();
    const results = await Promise.all([
      post(id, LEGAL_OK, 'a1'),
      post(id, FIN_OK, 'a2'),
      post(id, MON_OK, 'a3'),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const body = (await get(`/api/v1/workflow/cases/${id}`, 'a4')).json();
    expect(body.stage).toBe(1);
    expect(body.steps.find((s: { code: string }) => s.code === 'authority').status).toBe('open');
    const opened = await t.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('entity_id', '=', id)
      .where('type', '=', 'workflow.step_acted')
      .execute();
    const openings = opened.flatMap((e) => (e.payload as unknown as { openedSteps: string[] }).openedSteps);
    expect(openings).toEqual(['authority']);
    const authorityOpened = await t.deps.db
      .selectFrom('outbox')
      .select('permission')
      .where('entity_id', '=', id)
      .where('type', '=', 'workflow.step_opened')
      .where('permission', '=', PERM.approve)
      .execute();
    expect(authorityOpened).toHaveLength(1);
    const race = await Promise.all([
      post(id, { step: 'authority', outcome: 'approve' }, 'a4'),
      post(id, { step: 'authority', outcome: 'reject', reason: 'No corresponde aprobarlo ahora' }, 'a5'),
    ]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await actions(id)).filter((a) => a.step_code === 'authority')).toHaveLength(1);
  });

  it('replays an action sent twice with the same Idempotency-Key', async () => {
    const { id } = await open();
    const key = { 'idempotency-key': `wf-${randomUUID()}` };
    const first = await post(id, LEGAL_OK, 'a1', key);
    const second = await post(id, LEGAL_OK, 'a1', key);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(await actions(id)).toHaveLength(1);
    const other = await post(id, { ...LEGAL_OK, step: 'financial' }, 'a1', key);
    expect(other.statusCode).toBe(409);
  });

  it('keeps the action history append-only in the database', async () => {
    const { id } = await open();
    expect((await post(id, LEGAL_OK, 'a1')).statusCode).toBe(200);
    await expect(
      sql`UPDATE workflow_actions SET reason = 'x' WHERE case_id = ${id}`.execute(t.deps.db),
    ).rejects.toThrow(/solo inserción/);
    await expect(sql`DELETE FROM workflow_actions WHERE case_id = ${id}`.execute(t.deps.db)).rejects.toThrow(
      /solo inserción/,
    );
  });

  it('authorization: 401 anonymous, 404 unknown case, validation 400', async () => {
    const unknown = randomUUID();
    for (const url of [
      '/api/v1/workflow/inbox',
      '/api/v1/workflow/definitions',
      `/api/v1/workflow/cases/${unknown}`,
    ]) {
      expect((await get(url)).statusCode, url).toBe(401);
    }
    const anon = await t.app.inject({
      method: 'POST',
      url: `/api/v1/workflow/cases/${unknown}/actions`,
      payload: { step: 'legal', outcome: 'approve' },
    });
    expect(anon.statusCode).toBe(401);
    expect((await get(`/api/v1/workflow/cases/${unknown}`, 'a1')).json().error.code).toBe(
      'WORKFLOW_CASE_NOT_FOUND',
    );
    const missing = await post(unknown, { step: 'legal', outcome: 'approve' }, 'a1');
    expect(missing.statusCode).toBe(404);
    expect((await get('/api/v1/workflow/cases/no-es-uuid', 'a1')).statusCode).toBe(400);
    const extra = await post(unknown, { step: 'legal', outcome: 'approve', admin: true }, 'a1');
    expect(extra.statusCode).toBe(400);
  });
});
