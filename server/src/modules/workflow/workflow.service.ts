import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { UnitOfWork } from '../../platform/db/transaction.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import { canInScope, type Principal, type ScopeTarget } from '../../platform/http/principal.js';
import { normalizeDui } from '../identity/index.js';
import {
  latestDefinition,
  loadDefinition,
  OPENER,
  stepOf,
  type WorkflowDefinitionSpec,
  type WorkflowStepDef,
} from './workflow.definitions.js';
import { WORKFLOW_PERMISSIONS as P } from './workflow.policy.js';
import type {
  ActionDocument,
  ChecklistAnswer,
  WorkflowActionRow,
  WorkflowCaseRow,
  WorkflowCaseStatus,
  WorkflowCaseStepRow,
  WorkflowOutcome,
} from './workflow.tables.js';

export const MIN_REASON_LENGTH = 10;
const HOUR_MS = 3_600_000;

/** People who may not act on a case, supplied by the owning module (e.g. users linked to an NGO). */
export interface ExcludedActors {
  userIds?: readonly string[];
  /** DUIs matched against the acting user's DUI (e.g. board members of the organisation). */
  duis?: readonly string[];
}

export interface OpenCaseInput {
  /** Definition code; the newest registered version is used. */
  definition: string;
  subjectType: string;
  subjectId: string;
  /** The requester (a pseudo-step `$opener` of the definition's `distinct` groups). */
  openedBy: { id: string; name: string } | null;
  excludedActors?: ExcludedActors;
  title: string;
  /** Territory the case belongs to; actors need the step's permission in a scope covering it. */
  scope?: ScopeTarget;
}

export interface ActionInput {
  step: string;
  outcome: WorkflowOutcome;
  reason?: string | null | undefined;
  checklist?: ChecklistAnswer[] | undefined;
  documents?: ActionDocument[] | undefined;
  /** Outcome data for the owning module's handler (e.g. the approved amount). */
  data?: Record<string, unknown> | undefined;
}

/** What an owning module's handler receives, inside the action's transaction. */
export interface WorkflowActionEvent {
  uow: UnitOfWork;
  caseId: string;
  definitionCode: string;
  definitionVersion: number;
  subjectType: string;
  subjectId: string;
  step: string;
  outcome: WorkflowOutcome;
  reason: string | null;
  data: Record<string, unknown>;
  actor: { id: string; name: string };
  /** The case's status after this action: `open` while steps remain. */
  caseStatus: WorkflowCaseStatus;
}

/** Called in the same transaction as each action; throwing an AppError refuses the action. */
export type WorkflowHandler = (event: WorkflowActionEvent) => Promise<void>;

const handlers = new Map<string, WorkflowHandler[]>();

/** Registers a callback for the actions on cases of a definition (owning modules, at import time). */
export function registerWorkflowHandler(definitionCode: string, handler: WorkflowHandler): void {
  const list = handlers.get(definitionCode) ?? [];
  if (!list.includes(handler)) list.push(handler);
  handlers.set(definitionCode, list);
}

function addHours(date: Date, hours: number): Date {
  return new Date(date.getTime() + hours * HOUR_MS);
}

function stepTimes(now: Date, step: WorkflowStepDef) {
  const due = addHours(now, step.deadlineHours);
  return { opened_at: now, due_at: due, remind_at: addHours(due, -step.reminderHoursBefore) };
}

function cleanDuis(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((d) => normalizeDui(d) ?? d.trim()).filter((d) => d.length > 0))];
}

function scopeOf(row: Pick<WorkflowCaseRow, 'scope_department' | 'scope_municipality' | 'scope_unit'>) {
  return { department: row.scope_department, municipality: row.scope_municipality, unit: row.scope_unit };
}

function eventScope(row: WorkflowCaseRow) {
  return { department: row.scope_department, municipality: row.scope_municipality, unit: row.scope_unit };
}

/**
 * A step became actionable: an event for the holders of its permission (live inboxes), in the
 * case's scope.
 */
function emitStepOpened(uow: UnitOfWork, row: WorkflowCaseRow, step: WorkflowStepDef, dueAt: Date): void {
  uow.emit({
    type: 'workflow.step_opened',
    entityType: 'workflow_case',
    entityId: row.id,
    scope: eventScope(row),
    permission: step.permission,
    payload: {
      caseId: row.id,
      definition: row.definition_code,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      title: row.title,
      step: step.code,
      dueAt: dueAt.toISOString(),
    },
  });
}

/**
 * Opens a case inside the caller's transaction (e.g. a module's runInTransaction): the case, its
 * steps (the first stage open, with due times), an audit entry and a `workflow.case_opened` event.
 */
export async function openCase(uow: UnitOfWork, input: OpenCaseInput): Promise<{ id: string }> {
  const spec = latestDefinition(input.definition);
  if (!spec) throw new AppError('WORKFLOW_DEFINITION_NOT_FOUND', 404, { code: input.definition });
  const id = randomUUID();
  const excludedUserIds = [...new Set(input.excludedActors?.userIds ?? [])];
  const excludedDuis = cleanDuis(input.excludedActors?.duis);
  const inserted = await uow.db
    .insertInto('workflow_cases')
    .values({
      id,
      definition_code: spec.code,
      definition_version: spec.version,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      title: input.title,
      scope_department: input.scope?.department ?? null,
      scope_municipality: input.scope?.municipality ?? null,
      scope_unit: input.scope?.unit ?? null,
      status: 'open',
      stage: 0,
      opened_by: input.openedBy?.id ?? null,
      opened_by_name: input.openedBy?.name ?? null,
      excluded_user_ids: JSON.stringify(excludedUserIds),
      excluded_duis: JSON.stringify(excludedDuis),
      opened_at: uow.now,
      closed_at: null,
      updated_at: uow.now,
    })
    .onConflict((oc) =>
      oc.columns(['definition_code', 'subject_type', 'subject_id']).where('status', '=', 'open').doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  if (!inserted) throw new AppError('WORKFLOW_CASE_ALREADY_OPEN', 409);
  const stageOf = new Map(spec.stages.flatMap((codes, stage) => codes.map((c) => [c, stage] as const)));
  await uow.db
    .insertInto('workflow_case_steps')
    .values(
      spec.steps.map((step) => {
        const stage = stageOf.get(step.code) ?? 0;
        const times =
          stage === 0 ? stepTimes(uow.now, step) : { opened_at: null, due_at: null, remind_at: null };
        return {
          case_id: id,
          step_code: step.code,
          stage,
          permission: step.permission,
          status: stage === 0 ? ('open' as const) : ('waiting' as const),
          ...times,
          completed_at: null,
          completed_by: null,
        };
      }),
    )
    .execute();
  uow.audit({
    action: 'workflow.case_opened',
    entityType: 'workflow_case',
    entityId: id,
    after: {
      definition: spec.code,
      version: spec.version,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      title: input.title,
      openedBy: input.openedBy?.id ?? null,
      excludedUsers: excludedUserIds.length,
      excludedDuis: excludedDuis.length,
    },
  });
  uow.emit({
    type: 'workflow.case_opened',
    entityType: 'workflow_case',
    entityId: id,
    scope: eventScope(inserted),
    permission: P.read,
    payload: {
      caseId: id,
      definition: spec.code,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      openSteps: spec.stages[0] ?? [],
    },
  });
  for (const code of spec.stages[0] ?? []) {
    const step = stepOf(spec, code);
    if (step) emitStepOpened(uow, inserted, step, stepTimes(uow.now, step).due_at);
  }
  return { id };
}

/**
 * Replaces the people excluded from a case (the owning module recomputes them, e.g. when the
 * organisation's board changes). Audited.
 */
export async function updateCaseExclusions(uow: UnitOfWork, caseId: string, excluded: ExcludedActors) {
  const userIds = [...new Set(excluded.userIds ?? [])];
  const duis = cleanDuis(excluded.duis);
  const row = await uow.db
    .updateTable('workflow_cases')
    .set({
      excluded_user_ids: JSON.stringify(userIds),
      excluded_duis: JSON.stringify(duis),
      updated_at: uow.now,
    })
    .where('id', '=', caseId)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw new AppError('WORKFLOW_CASE_NOT_FOUND', 404);
  uow.audit({
    action: 'workflow.case_exclusions_updated',
    entityType: 'workflow_case',
    entityId: caseId,
    after: { excludedUsers: userIds.length, excludedDuis: duis.length },
  });
}

async function userDui(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('dui').where('id', '=', userId).executeTakeFirst();
  return row?.dui ? (normalizeDui(row.dui) ?? row.dui) : null;
}

function isExcluded(row: WorkflowCaseRow, userId: string, dui: string | null): boolean {
  const ids = row.excluded_user_ids as unknown as string[];
  const duis = row.excluded_duis as unknown as string[];
  return ids.includes(userId) || (dui !== null && duis.includes(dui));
}

/** The step of `distinct` the actor already holds on this case that forbids acting on `step`, if any. */
function segregationConflict(
  spec: WorkflowDefinitionSpec,
  row: WorkflowCaseRow,
  step: string,
  actorId: string,
  stepsActedByActor: ReadonlySet<string>,
): string | null {
  for (const group of spec.distinct) {
    if (!group.includes(step)) continue;
    for (const other of group) {
      if (other === step) continue;
      if (other === OPENER && row.opened_by === actorId) return OPENER;
      if (stepsActedByActor.has(other)) return other;
    }
  }
  return null;
}

function requireDocumentsAndChecklist(step: WorkflowStepDef, input: ActionInput) {
  const answers = input.checklist ?? [];
  const known = new Set(step.checklist.map((i) => i.code));
  const answered = new Set<string>();
  for (const answer of answers) {
    if (!known.has(answer.code))
      throw new AppError('WORKFLOW_CHECKLIST_UNKNOWN_ITEM', 400, { item: answer.code });
    if (answered.has(answer.code))
      throw new AppError('WORKFLOW_CHECKLIST_DUPLICATE_ITEM', 400, { item: answer.code });
    answered.add(answer.code);
  }
  const docs = input.documents ?? [];
  const hashes = docs.map((d) => d.sha256.toLowerCase());
  if (new Set(hashes).size !== hashes.length) throw new AppError('WORKFLOW_DOCUMENT_DUPLICATE', 400);
  if (input.outcome !== 'approve') return;
  const checked = new Set(answers.filter((a) => a.checked).map((a) => a.code));
  const missing = step.checklist.filter((i) => (i.required ?? true) && !checked.has(i.code));
  if (missing.length > 0) {
    throw new AppError(
      'WORKFLOW_CHECKLIST_INCOMPLETE',
      400,
      { items: missing.map((i) => i.labelEs).join('; ') },
      { missing: missing.map((i) => i.code) },
    );
  }
  const kinds = new Set(docs.map((d) => d.kind));
  const missingDocs = step.requiredDocuments.filter((d) => !kinds.has(d.kind));
  if (missingDocs.length > 0) {
    throw new AppError(
      'WORKFLOW_DOCUMENT_MISSING',
      400,
      { kinds: missingDocs.map((d) => d.labelEs).join('; ') },
      { missing: missingDocs.map((d) => d.kind) },
    );
  }
}

/**
 * One actor's decision on one step, inside the caller's transaction. Checks, in order: the case is
 * open, the step exists and is open (earlier stages done), the actor holds the step's permission in
 * the case's scope, is not excluded, does not break segregation of duties, the outcome is allowed,
 * a reason for return/reject, the checklist and the documents. Then appends the action, moves the
 * case, calls the owning module's handlers, and records the audit entry and the events.
 */
export async function actOnCaseInTx(
  uow: UnitOfWork,
  principal: Principal,
  caseId: string,
  input: ActionInput,
): Promise<{ caseStatus: WorkflowCaseStatus }> {
  const row = await uow.db
    .selectFrom('workflow_cases')
    .selectAll()
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('WORKFLOW_CASE_NOT_FOUND', 404);
  if (row.status !== 'open') throw new AppError('WORKFLOW_CASE_CLOSED', 409, { status: row.status });
  const spec = await loadDefinition(uow.db, row.definition_code, row.definition_version);
  const step = stepOf(spec, input.step);
  if (!step) throw new AppError('WORKFLOW_STEP_UNKNOWN', 400, { step: input.step });
  const steps = await uow.db
    .selectFrom('workflow_case_steps')
    .selectAll()
    .where('case_id', '=', caseId)
    .execute();
  const current = steps.find((s) => s.step_code === step.code);
  if (!current) throw new AppError('WORKFLOW_STEP_UNKNOWN', 400, { step: input.step });
  if (current.status === 'waiting') throw new AppError('WORKFLOW_STEP_WAITING', 409, { step: step.nameEs });
  if (current.status !== 'open') throw new AppError('WORKFLOW_STEP_DONE', 409, { step: step.nameEs });
  if (principal.kind !== 'user' || !canInScope(principal, step.permission, scopeOf(row))) {
    throw new AppError('WORKFLOW_NOT_ALLOWED', 403, { permission: step.permission });
  }
  if (isExcluded(row, principal.id, await userDui(uow.db, principal.id))) {
    throw new AppError('WORKFLOW_ACTOR_EXCLUDED', 403);
  }
  const mine = await uow.db
    .selectFrom('workflow_actions')
    .select('step_code')
    .where('case_id', '=', caseId)
    .where('actor_id', '=', principal.id)
    .execute();
  const conflict = segregationConflict(
    spec,
    row,
    step.code,
    principal.id,
    new Set(mine.map((a) => a.step_code)),
  );
  if (conflict) {
    const other =
      conflict === OPENER
        ? 'solicitud (usted abrió el expediente)'
        : (stepOf(spec, conflict)?.nameEs ?? conflict);
    throw new AppError(
      'WORKFLOW_SEGREGATION_OF_DUTIES',
      403,
      { step: step.nameEs, other },
      { conflictsWith: conflict },
    );
  }
  if (!step.outcomes.includes(input.outcome)) {
    throw new AppError('WORKFLOW_OUTCOME_NOT_ALLOWED', 400, { outcome: input.outcome, step: step.nameEs });
  }
  const reason = input.reason?.trim() ? input.reason.trim() : null;
  if (input.outcome !== 'approve' && (reason === null || reason.length < MIN_REASON_LENGTH)) {
    throw new AppError('WORKFLOW_REASON_REQUIRED', 400, { min: MIN_REASON_LENGTH });
  }
  requireDocumentsAndChecklist(step, input);

  const checklist = (input.checklist ?? []).map((a) => ({
    code: a.code,
    checked: a.checked,
    ...(a.note?.trim() ? { note: a.note.trim() } : {}),
  }));
  const documents = (input.documents ?? []).map((d) => ({
    sha256: d.sha256.toLowerCase(),
    name: d.name,
    kind: d.kind,
  }));
  const actionId = randomUUID();
  await uow.db
    .insertInto('workflow_actions')
    .values({
      id: actionId,
      case_id: caseId,
      step_code: step.code,
      outcome: input.outcome,
      actor_id: principal.id,
      actor_name: principal.name,
      reason,
      checklist: JSON.stringify(checklist),
      documents: JSON.stringify(documents),
      data: JSON.stringify(input.data ?? {}),
      acted_at: uow.now,
    })
    .execute();
  const stepStatus =
    input.outcome === 'approve' ? 'approved' : input.outcome === 'return' ? 'returned' : 'rejected';
  await uow.db
    .updateTable('workflow_case_steps')
    .set({ status: stepStatus, completed_at: uow.now, completed_by: principal.id })
    .where('case_id', '=', caseId)
    .where('step_code', '=', step.code)
    .execute();

  let caseStatus: WorkflowCaseStatus = 'open';
  let stage = row.stage;
  const openedSteps: string[] = [];
  if (input.outcome === 'approve') {
    const stageDone = steps
      .filter((s) => s.stage === row.stage && s.step_code !== step.code)
      .every((s) => s.status === 'approved');
    if (stageDone) {
      stage = row.stage + 1;
      const next = spec.stages[stage];
      if (!next) caseStatus = 'approved';
      else {
        for (const code of next) {
          const def = stepOf(spec, code);
          if (!def) continue;
          await uow.db
            .updateTable('workflow_case_steps')
            .set({ status: 'open', ...stepTimes(uow.now, def) })
            .where('case_id', '=', caseId)
            .where('step_code', '=', code)
            .execute();
          openedSteps.push(code);
          emitStepOpened(uow, row, def, stepTimes(uow.now, def).due_at);
        }
      }
    }
  } else {
    caseStatus = input.outcome === 'return' ? 'returned' : 'rejected';
    await uow.db
      .updateTable('workflow_case_steps')
      .set({ status: 'cancelled', completed_at: uow.now })
      .where('case_id', '=', caseId)
      .where('status', 'in', ['open', 'waiting'])
      .where('step_code', '!=', step.code)
      .execute();
  }
  await uow.db
    .updateTable('workflow_cases')
    .set({
      status: caseStatus,
      stage: caseStatus === 'approved' ? row.stage : stage,
      closed_at: caseStatus === 'open' ? null : uow.now,
      updated_at: uow.now,
    })
    .where('id', '=', caseId)
    .execute();

  for (const handler of handlers.get(row.definition_code) ?? []) {
    await handler({
      uow,
      caseId,
      definitionCode: row.definition_code,
      definitionVersion: row.definition_version,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      step: step.code,
      outcome: input.outcome,
      reason,
      data: input.data ?? {},
      actor: { id: principal.id, name: principal.name },
      caseStatus,
    });
  }

  uow.audit({
    action: `workflow.step_${input.outcome === 'approve' ? 'approved' : input.outcome === 'return' ? 'returned' : 'rejected'}`,
    entityType: 'workflow_case',
    entityId: caseId,
    reason,
    changes: {
      definition: row.definition_code,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      step: step.code,
      outcome: input.outcome,
      checklist,
      documents,
      data: input.data ?? {},
      caseStatus,
      openedSteps,
    },
  });
  const payload = {
    caseId,
    actionId,
    definition: row.definition_code,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    step: step.code,
    outcome: input.outcome,
    caseStatus,
    openedSteps,
  };
  uow.emit({
    type: 'workflow.step_acted',
    entityType: 'workflow_case',
    entityId: caseId,
    scope: eventScope(row),
    permission: P.read,
    payload,
  });
  if (caseStatus !== 'open') {
    uow.emit({
      type: 'workflow.case_closed',
      entityType: 'workflow_case',
      entityId: caseId,
      scope: eventScope(row),
      permission: P.read,
      payload,
    });
  }
  return { caseStatus };
}

/** actOnCaseInTx in its own transaction; returns the case as the actor now sees it. */
export async function actOnCase(
  deps: Pick<AppDeps, 'tx' | 'db' | 'clock'>,
  ctx: UnitOfWork['ctx'],
  principal: Principal,
  caseId: string,
  input: ActionInput,
) {
  await deps.tx(ctx, (uow) => actOnCaseInTx(uow, principal, caseId, input));
  return getCase(deps, principal, caseId);
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

function toStepView(spec: WorkflowDefinitionSpec, s: WorkflowCaseStepRow, now: Date) {
  const def = stepOf(spec, s.step_code);
  return {
    code: s.step_code,
    nameEs: def?.nameEs ?? s.step_code,
    nameEn: def?.nameEn ?? s.step_code,
    stage: s.stage,
    permission: s.permission,
    status: s.status,
    openedAt: iso(s.opened_at),
    dueAt: iso(s.due_at),
    overdue: s.status === 'open' && !!s.due_at && s.due_at.getTime() < now.getTime(),
    completedAt: iso(s.completed_at),
    outcomes: def?.outcomes ?? [],
    checklist: (def?.checklist ?? []).map((i) => ({
      code: i.code,
      labelEs: i.labelEs,
      labelEn: i.labelEn,
      required: i.required ?? true,
    })),
    requiredDocuments: def?.requiredDocuments ?? [],
  };
}

function toActionView(a: WorkflowActionRow, hideActors: boolean) {
  return {
    id: a.id,
    step: a.step_code,
    outcome: a.outcome,
    actor: hideActors ? null : { id: a.actor_id, name: a.actor_name },
    reason: a.reason,
    checklist: a.checklist as unknown as ChecklistAnswer[],
    documents: a.documents as unknown as ActionDocument[],
    data: a.data as unknown as Record<string, unknown>,
    actedAt: a.acted_at.toISOString(),
  };
}

/**
 * Who sees a case: `full` for holders of workflow.read or of a step's permission in its scope (unless
 * excluded from it); `requester` for the person who opened it, without the names of who decided
 * (outcomes, observations and dates only); nobody else.
 */
async function caseVisibility(
  db: Db,
  principal: Principal,
  spec: WorkflowDefinitionSpec,
  row: WorkflowCaseRow,
): Promise<'full' | 'requester' | null> {
  const scope = scopeOf(row);
  if (canInScope(principal, P.read, scope)) return 'full';
  const opener = row.opened_by !== null && row.opened_by === principal.id;
  if (!opener && spec.steps.some((s) => canInScope(principal, s.permission, scope))) {
    const excluded =
      principal.kind === 'user' && isExcluded(row, principal.id, await userDui(db, principal.id));
    return excluded ? null : 'full';
  }
  return opener ? 'requester' : null;
}

export type WorkflowCaseView = Awaited<ReturnType<typeof caseView>>;

async function caseView(
  db: Db,
  row: WorkflowCaseRow,
  spec: WorkflowDefinitionSpec,
  now: Date,
  hideActors = false,
) {
  const [steps, actions] = await Promise.all([
    db.selectFrom('workflow_case_steps').selectAll().where('case_id', '=', row.id).orderBy('stage').execute(),
    db.selectFrom('workflow_actions').selectAll().where('case_id', '=', row.id).orderBy('seq').execute(),
  ]);
  const order = new Map(spec.steps.map((s, i) => [s.code, i]));
  steps.sort((a, b) => a.stage - b.stage || (order.get(a.step_code) ?? 0) - (order.get(b.step_code) ?? 0));
  return {
    id: row.id,
    definition: { code: spec.code, version: spec.version, nameEs: spec.nameEs, nameEn: spec.nameEn },
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    title: row.title,
    scope: scopeOf(row),
    status: row.status,
    stage: row.stage,
    openedBy: row.opened_by ? { id: row.opened_by, name: row.opened_by_name ?? '' } : null,
    openedAt: row.opened_at.toISOString(),
    closedAt: iso(row.closed_at),
    excludedActors: {
      users: (row.excluded_user_ids as unknown as string[]).length,
      duis: (row.excluded_duis as unknown as string[]).length,
    },
    steps: steps.map((s) => toStepView(spec, s, now)),
    actions: actions.map((a) => toActionView(a, hideActors)),
  };
}

/** A case with its steps and the history of actions, for someone allowed to see it. */
export async function getCase(deps: Pick<AppDeps, 'db' | 'clock'>, principal: Principal, caseId: string) {
  const row = await deps.db
    .selectFrom('workflow_cases')
    .selectAll()
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!row) throw new AppError('WORKFLOW_CASE_NOT_FOUND', 404);
  const spec = await loadDefinition(deps.db, row.definition_code, row.definition_version);
  const visibility = await caseVisibility(deps.db, principal, spec, row);
  if (!visibility) throw new AppError('WORKFLOW_CASE_NOT_VISIBLE', 403);
  return caseView(deps.db, row, spec, deps.clock.now(), visibility === 'requester');
}

/** Cases of one subject, newest first, without access checks (for the owning module's own views). */
export async function listCasesOfSubject(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  subjectType: string,
  subjectId: string,
): Promise<WorkflowCaseView[]> {
  const rows = await deps.db
    .selectFrom('workflow_cases')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('opened_at', 'desc')
    .execute();
  const now = deps.clock.now();
  const views: WorkflowCaseView[] = [];
  for (const row of rows) {
    views.push(
      await caseView(
        deps.db,
        row,
        await loadDefinition(deps.db, row.definition_code, row.definition_version),
        now,
      ),
    );
  }
  return views;
}

export interface InboxItem {
  caseId: string;
  title: string;
  definition: { code: string; nameEs: string; nameEn: string };
  subjectType: string;
  subjectId: string;
  step: { code: string; nameEs: string; nameEn: string };
  openedAt: string;
  dueAt: string | null;
  overdue: boolean;
}

/**
 * Steps waiting for this user: open steps of open cases whose permission the user holds in the case's
 * scope, where the user is neither excluded nor barred by segregation of duties. Overdue first, then
 * by due time.
 */
export async function listInbox(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  principal: Principal,
  limit = 200,
): Promise<InboxItem[]> {
  const permissions = [...principal.grants.entries()]
    .filter(([, scopes]) => scopes.length > 0)
    .map(([p]) => p);
  if (permissions.length === 0 || principal.kind !== 'user') return [];
  const rows = await deps.db
    .selectFrom('workflow_case_steps as s')
    .innerJoin('workflow_cases as c', 'c.id', 's.case_id')
    .selectAll('c')
    .select(['s.step_code', 's.permission', 's.opened_at as step_opened_at', 's.due_at'])
    .where('s.status', '=', 'open')
    .where('c.status', '=', 'open')
    .where('s.permission', 'in', permissions)
    .orderBy('s.due_at')
    .execute();
  if (rows.length === 0) return [];
  const dui = await userDui(deps.db, principal.id);
  const acted = await deps.db
    .selectFrom('workflow_actions')
    .select(['case_id', 'step_code'])
    .where('actor_id', '=', principal.id)
    .where('case_id', 'in', [...new Set(rows.map((r) => r.id))])
    .execute();
  const actedByCase = new Map<string, Set<string>>();
  for (const a of acted) {
    const set = actedByCase.get(a.case_id) ?? new Set<string>();
    set.add(a.step_code);
    actedByCase.set(a.case_id, set);
  }
  const now = deps.clock.now().getTime();
  const items: InboxItem[] = [];
  for (const r of rows) {
    if (!canInScope(principal, r.permission, scopeOf(r))) continue;
    if (isExcluded(r, principal.id, dui)) continue;
    const spec = await loadDefinition(deps.db, r.definition_code, r.definition_version);
    if (segregationConflict(spec, r, r.step_code, principal.id, actedByCase.get(r.id) ?? new Set())) continue;
    const def = stepOf(spec, r.step_code);
    items.push({
      caseId: r.id,
      title: r.title,
      definition: { code: spec.code, nameEs: spec.nameEs, nameEn: spec.nameEn },
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      step: { code: r.step_code, nameEs: def?.nameEs ?? r.step_code, nameEn: def?.nameEn ?? r.step_code },
      openedAt: (r.step_opened_at ?? r.opened_at).toISOString(),
      dueAt: iso(r.due_at),
      overdue: !!r.due_at && r.due_at.getTime() < now,
    });
  }
  items.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.dueAt ?? '').localeCompare(b.dueAt ?? '') ||
      a.openedAt.localeCompare(b.openedAt) ||
      a.caseId.localeCompare(b.caseId),
  );
  return items.slice(0, limit);
}

/** Stored definitions (every version), for reviewers' screens and administrators. */
export async function listDefinitions(deps: Pick<AppDeps, 'db'>) {
  const rows = await deps.db
    .selectFrom('workflow_definitions')
    .select(['spec'])
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => r.spec as unknown as WorkflowDefinitionSpec);
}
