import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { hasPermission, type Principal } from '../../../platform/http/principal.js';
import {
  type ExcludedActors,
  listCasesOfSubject,
  openCase,
  registerWorkflowHandler,
  updateCaseExclusions,
  type WorkflowActionEvent,
} from '../../workflow/index.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import type { PlanStatus } from '../grants.tables.js';
import { PLAN_REVIEW, PLAN_SUBJECT } from './review.definition.js';

/** Plan statuses from which a submission may start a review (a returned plan comes back corrected). */
const REVIEWABLE_FROM: readonly PlanStatus[] = ['draft', 'submitted', 'returned'];

/** US$ with two decimals, for messages. */
function usd(cents: number): string {
  const dollars = Math.floor(cents / 100).toLocaleString('en-US');
  return `US$${dollars}.${String(cents % 100).padStart(2, '0')}`;
}

/** Today in El Salvador (UTC−6, no daylight saving) as `YYYY-MM-DD`. */
function todayInElSalvador(now: Date): string {
  return new Date(now.getTime() - 6 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * People linked to an organisation, who may not act on its plan's review: its portal users, and by
 * DUI its legal representative and the board members sitting today (matched to users' DUI).
 */
export async function organisationLinkedActors(
  db: Db,
  organisationId: string,
  today: string,
): Promise<ExcludedActors> {
  const [users, board, org] = await Promise.all([
    db
      .selectFrom('ngo_users')
      .select('user_id')
      .where('organisation_id', '=', organisationId)
      .where('unlinked_at', 'is', null)
      .execute(),
    db
      .selectFrom('ngo_board_members')
      .select('dui')
      .where('organisation_id', '=', organisationId)
      .where(sql<boolean>`from_date <= ${today}::date AND (to_date IS NULL OR to_date >= ${today}::date)`)
      .execute(),
    db
      .selectFrom('ngo_organisations')
      .select('legal_rep_dui')
      .where('id', '=', organisationId)
      .executeTakeFirst(),
  ]);
  const duis = new Set(board.map((b) => b.dui));
  if (org) duis.add(org.legal_rep_dui);
  return { userIds: users.map((u) => u.user_id), duis: [...duis] };
}

export interface StartPlanReviewInput {
  planId: string;
  /** Who submitted the plan (NGO user or staff registering it): never one of its reviewers. */
  submittedBy: { id: string; name: string } | null;
}

/**
 * Opens the review of a submitted plan, inside the submission's transaction: a workflow case with
 * the legal, financial and monitoring reviews open in parallel and the authority's approval after
 * them; the plan goes to `under_review`. A returned plan, resubmitted as a new version, calls this
 * again and gets a new case (the returned one stays closed, with its observations).
 */
export async function startPlanReview(
  uow: UnitOfWork,
  deps: Pick<AppDeps, 'clock'>,
  input: StartPlanReviewInput,
): Promise<{ caseId: string }> {
  const plan = await uow.db
    .selectFrom('ngo_plans')
    .select(['id', 'code', 'title', 'status', 'organisation_id', 'current_version', 'requested_cents'])
    .where('id', '=', input.planId)
    .forUpdate()
    .executeTakeFirst();
  if (!plan) throw new AppError('GRANT_REVIEW_PLAN_NOT_FOUND', 404);
  if (!REVIEWABLE_FROM.includes(plan.status)) {
    throw new AppError('GRANT_REVIEW_PLAN_NOT_SUBMITTABLE', 409, { status: plan.status });
  }
  const excludedActors = await organisationLinkedActors(
    uow.db,
    plan.organisation_id,
    todayInElSalvador(deps.clock.now()),
  );
  const { id: caseId } = await openCase(uow, {
    definition: PLAN_REVIEW,
    subjectType: PLAN_SUBJECT,
    subjectId: plan.id,
    openedBy: input.submittedBy,
    excludedActors,
    title: `${plan.code} · ${plan.title} (versión ${plan.current_version})`,
  });
  await uow.db
    .updateTable('ngo_plans')
    .set({ status: 'under_review', updated_at: uow.now })
    .where('id', '=', plan.id)
    .execute();
  uow.audit({
    action: 'grant.plan_review_started',
    entityType: 'ngo_plan',
    entityId: plan.id,
    before: { status: plan.status },
    after: { status: 'under_review', reviewCaseId: caseId, version: plan.current_version },
  });
  uow.emit({
    type: 'grant.plan_review_started',
    entityType: 'ngo_plan',
    entityId: plan.id,
    permission: P.read,
    payload: { planId: plan.id, caseId, version: plan.current_version, requestedCents: plan.requested_cents },
  });
  return { caseId };
}

/**
 * Recomputes who is excluded from the open review of a plan (call it when the organisation's users
 * or board change while a plan is under review). No open review: nothing to do.
 */
export async function recomputePlanReviewExclusions(
  uow: UnitOfWork,
  deps: Pick<AppDeps, 'clock'>,
  planId: string,
): Promise<void> {
  const open = await uow.db
    .selectFrom('workflow_cases as c')
    .innerJoin('ngo_plans as p', (join) => join.on(sql`p.id::text`, '=', sql.ref('c.subject_id')))
    .select(['c.id', 'p.organisation_id'])
    .where('c.definition_code', '=', PLAN_REVIEW)
    .where('c.subject_type', '=', PLAN_SUBJECT)
    .where('c.subject_id', '=', planId)
    .where('c.status', '=', 'open')
    .executeTakeFirst();
  if (!open) return;
  const excluded = await organisationLinkedActors(
    uow.db,
    open.organisation_id,
    todayInElSalvador(deps.clock.now()),
  );
  await updateCaseExclusions(uow, open.id, excluded);
}

function approvedAmount(data: Record<string, unknown>, requested: number): number {
  const value = data.approvedCents ?? requested;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new AppError('GRANT_REVIEW_AMOUNT_INVALID', 400);
  }
  return value;
}

/**
 * Moves the plan with the review's outcomes, in the action's transaction: a return sends it back to
 * the NGO, a rejection decides it, and the authority's approval commits the approved amount on the
 * call's envelope with one conditional update (the row lock serialises concurrent approvals; an
 * amount above what remains refuses the whole action).
 */
async function onPlanReviewAction(event: WorkflowActionEvent): Promise<void> {
  const { uow } = event;
  const plan = await uow.db
    .selectFrom('ngo_plans')
    .select(['id', 'status', 'call_id', 'requested_cents', 'organisation_id'])
    .where('id', '=', event.subjectId)
    .forUpdate()
    .executeTakeFirst();
  if (!plan) throw new AppError('GRANT_REVIEW_PLAN_NOT_FOUND', 404);
  if (plan.status !== 'under_review') {
    throw new AppError('GRANT_REVIEW_PLAN_NOT_UNDER_REVIEW', 409, { status: plan.status });
  }
  const emit = (type: string, payload: Record<string, unknown>) =>
    uow.emit({
      type,
      entityType: 'ngo_plan',
      entityId: plan.id,
      permission: P.read,
      payload: { planId: plan.id, caseId: event.caseId, step: event.step, ...payload },
    });

  if (event.outcome === 'return' || event.outcome === 'reject') {
    const status: PlanStatus = event.outcome === 'return' ? 'returned' : 'rejected';
    await uow.db
      .updateTable('ngo_plans')
      .set({ status, updated_at: uow.now, ...(status === 'rejected' ? { decided_at: uow.now } : {}) })
      .where('id', '=', plan.id)
      .execute();
    uow.audit({
      action: status === 'returned' ? 'grant.plan_returned' : 'grant.plan_rejected',
      entityType: 'ngo_plan',
      entityId: plan.id,
      reason: event.reason,
      before: { status: plan.status },
      after: { status, step: event.step, reviewCaseId: event.caseId },
    });
    emit(status === 'returned' ? 'grant.plan_returned' : 'grant.plan_rejected', { reason: event.reason });
    return;
  }
  if (event.caseStatus !== 'approved') return;

  const amount = approvedAmount(event.data, plan.requested_cents);
  if (amount > plan.requested_cents) {
    throw new AppError('GRANT_REVIEW_AMOUNT_ABOVE_REQUEST', 400, {
      approved: usd(amount),
      requested: usd(plan.requested_cents),
    });
  }
  const call = await uow.db
    .selectFrom('ngo_calls')
    .select(['status', 'max_per_plan_cents'])
    .where('id', '=', plan.call_id)
    .executeTakeFirstOrThrow();
  if (call.status === 'cancelled') throw new AppError('GRANT_REVIEW_CALL_CANCELLED', 409);
  if (call.max_per_plan_cents !== null && amount > call.max_per_plan_cents) {
    throw new AppError('GRANT_REVIEW_AMOUNT_ABOVE_PLAN_MAX', 400, {
      approved: usd(amount),
      max: usd(call.max_per_plan_cents),
    });
  }
  // The envelope guard: one statement that locks the call row and only adds the amount while it fits.
  const committed = await uow.db
    .updateTable('ngo_calls')
    .set({ committed_cents: sql`committed_cents + ${amount}`, updated_at: uow.now })
    .where('id', '=', plan.call_id)
    .where('status', '!=', 'cancelled')
    .where(sql<boolean>`committed_cents + ${amount} <= budget_envelope_cents`)
    .returning(['committed_cents', 'budget_envelope_cents'])
    .executeTakeFirst();
  if (!committed) {
    const now = await uow.db
      .selectFrom('ngo_calls')
      .select(['committed_cents', 'budget_envelope_cents'])
      .where('id', '=', plan.call_id)
      .executeTakeFirstOrThrow();
    throw new AppError(
      'GRANT_REVIEW_ENVELOPE_EXCEEDED',
      409,
      {
        approved: usd(amount),
        remaining: usd(Number(now.budget_envelope_cents) - Number(now.committed_cents)),
      },
      { remainingCents: Number(now.budget_envelope_cents) - Number(now.committed_cents) },
    );
  }
  await uow.db
    .updateTable('ngo_plans')
    .set({ status: 'approved', approved_cents: amount, decided_at: uow.now, updated_at: uow.now })
    .where('id', '=', plan.id)
    .execute();
  const remaining = Number(committed.budget_envelope_cents) - Number(committed.committed_cents);
  uow.audit({
    action: 'grant.plan_approved',
    entityType: 'ngo_plan',
    entityId: plan.id,
    before: { status: plan.status, approvedCents: null },
    after: { status: 'approved', approvedCents: amount, callId: plan.call_id, callRemainingCents: remaining },
  });
  emit('grant.plan_approved', { approvedCents: amount, callId: plan.call_id, callRemainingCents: remaining });
}

registerWorkflowHandler(PLAN_REVIEW, onPlanReviewAction);

/**
 * The review history of a plan (every case: the current one and those returned before). NGO staff
 * see outcomes, observations and dates, not the names of the reviewers.
 */
export async function getPlanReview(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  principal: Principal,
  planId: string,
) {
  const plan = await deps.db
    .selectFrom('ngo_plans')
    .select(['id', 'status', 'organisation_id', 'current_version', 'requested_cents', 'approved_cents'])
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!plan) throw new AppError('GRANT_REVIEW_PLAN_NOT_FOUND', 404);
  const backOffice = hasPermission(principal, P.readAll);
  if (!backOffice) {
    const link = await deps.db
      .selectFrom('ngo_users')
      .select('organisation_id')
      .where('user_id', '=', principal.id)
      .where('unlinked_at', 'is', null)
      .executeTakeFirst();
    // Same answer as a missing plan: NGO staff do not learn which other plans exist.
    if (link?.organisation_id !== plan.organisation_id)
      throw new AppError('GRANT_REVIEW_PLAN_NOT_FOUND', 404);
  }
  const cases = await listCasesOfSubject(deps, PLAN_SUBJECT, plan.id);
  return {
    planId: plan.id,
    status: plan.status,
    currentVersion: plan.current_version,
    requestedCents: plan.requested_cents,
    approvedCents: plan.approved_cents,
    cases: cases.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      openedAt: c.openedAt,
      closedAt: c.closedAt,
      steps: c.steps.map((s) => ({
        code: s.code,
        nameEs: s.nameEs,
        nameEn: s.nameEn,
        status: s.status,
        dueAt: s.dueAt,
        overdue: s.overdue,
        completedAt: s.completedAt,
      })),
      actions: c.actions.map((a) => ({
        step: a.step,
        outcome: a.outcome,
        reason: a.reason,
        actedAt: a.actedAt,
        actor: backOffice ? (a.actor?.name ?? null) : null,
      })),
    })),
  };
}
