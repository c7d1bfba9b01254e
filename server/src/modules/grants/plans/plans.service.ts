import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { listMunicipalities } from '../../geo/index.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import type { FundingSource, PlanStatus } from '../grants.tables.js';
import { hasPendingLiquidation } from '../red-flags/red-flags.service.js';
import { selectDocuments, toDocument } from '../registry/registry.repo.js';
import { startPlanReview } from '../review/index.js';
import { assertSeesOrganisation, type GrantsAccess, organisationFilter } from '../shared/access.js';
import { nextCode } from '../shared/codes.js';
import { assertDate, assertDateOrder, dateText, todayInElSalvador } from '../shared/dates.js';
import { assertCents, sumCents } from '../shared/money.js';
import { diffBudgetLines, diffContent } from './diff.js';
import {
  budgetLinesOf,
  findVersionRow,
  loadVersion,
  selectPlans,
  toPlan,
  toVersionSummary,
} from './plans.repo.js';
import type {
  BudgetLine,
  BudgetLineInput,
  Plan,
  PlanContent,
  PlanCreate,
  PlanDetail,
  PlanDiff,
  PlanDraftUpdate,
  PlanList,
  PlanListQuery,
  PlanVersion,
  PlanVersionSummary,
  PlanWithdraw,
} from './plans.schemas.js';

const ENTITY = 'ngo_plan';

/** States in which the organisation may still change the plan (a draft, or returned for corrections). */
const EDITABLE: PlanStatus[] = ['draft', 'returned'];

interface CallFacts {
  id: string;
  status: string;
  opens_on: string;
  closes_on: string;
  budget_envelope_cents: number;
  committed_cents: number;
  max_per_plan_cents: number | null;
  budget_specific: string;
}

async function callFacts(db: UnitOfWork['db'] | AppDeps['db'], callId: string): Promise<CallFacts | null> {
  const row = await db
    .selectFrom('ngo_calls')
    .select([
      'id',
      'status',
      dateText('opens_on').as('opens_on'),
      dateText('closes_on').as('closes_on'),
      'budget_envelope_cents',
      'committed_cents',
      'max_per_plan_cents',
      'budget_specific',
    ])
    .where('id', '=', callId)
    .executeTakeFirst();
  return row ?? null;
}

function assertCallOpen(call: CallFacts, now: Date): void {
  const today = todayInElSalvador(now);
  if (call.status !== 'published' || today < call.opens_on || today > call.closes_on) {
    throw new AppError('CALL_NOT_OPEN', 409, {
      opensOn: call.opens_on,
      closesOn: call.closes_on,
      status: call.status,
    });
  }
}

/** Codes must be unique inside each section of the content. */
function assertUniqueCodes(content: PlanContent): void {
  const sections = ['objectives', 'activities', 'schedule', 'indicators', 'risks'] as const;
  for (const section of sections) {
    const seen = new Set<string>();
    for (const item of content[section]) {
      if (seen.has(item.code)) {
        throw new AppError('PLAN_CODE_DUPLICATE', 400, { section, code: item.code }, [
          { field: `content.${section}`, code: 'PLAN_CODE_DUPLICATE' },
        ]);
      }
      seen.add(item.code);
    }
  }
}

interface CheckedDraft {
  content: PlanContent;
  lines: (BudgetLine & { position: number })[];
  requestedCents: number;
  totalCents: number;
}

/**
 * The plan's territory: known municipalities. Read before the transaction (the embedded database
 * has a single connection, which the transaction holds).
 */
async function assertTerritory(deps: AppDeps, content: PlanContent): Promise<void> {
  if (content.territory.municipalityPcodes.length === 0) return;
  const known = new Set((await listMunicipalities(deps)).map((m) => m.pcode));
  const unknown = content.territory.municipalityPcodes.find((p) => !known.has(p));
  if (unknown) throw new AppError('UNKNOWN_MUNICIPALITY', 400, { code: unknown });
}

/**
 * Checks a draft: unique codes, real dates in order, known municipalities, budget lines in whole
 * cents with unique codes, and the ministry-funded total within the call's remaining envelope and
 * the per-plan maximum. Completeness is checked only at submission.
 */
function checkDraft(call: CallFacts, content: PlanContent, lines: BudgetLineInput[]): CheckedDraft {
  assertUniqueCodes(content);
  for (const [i, s] of content.schedule.entries()) {
    assertDate(s.start, `content.schedule[${i}].start`);
    assertDate(s.end, `content.schedule[${i}].end`);
    assertDateOrder(s.start, s.end, [`content.schedule[${i}].start`, `content.schedule[${i}].end`]);
  }
  for (const [i, ind] of content.indicators.entries()) {
    if (!Number.isFinite(ind.baseline) || !Number.isFinite(ind.target)) {
      throw new AppError('VALIDATION_FAILED', 400, {}, [
        { field: `content.indicators[${i}]`, code: 'NUMBER_INVALID' },
      ]);
    }
  }
  const seen = new Set<string>();
  const checked = lines.map((line, i) => {
    if (seen.has(line.lineCode)) {
      throw new AppError('PLAN_BUDGET_LINE_DUPLICATE', 400, { lineCode: line.lineCode }, [
        { field: `budgetLines[${i}].lineCode`, code: 'PLAN_BUDGET_LINE_DUPLICATE' },
      ]);
    }
    seen.add(line.lineCode);
    return {
      lineCode: line.lineCode,
      description: line.description.trim(),
      fundingSource: (line.fundingSource ?? 'mjsp') as FundingSource,
      budgetSpecific: line.budgetSpecific ?? call.budget_specific,
      amountCents: assertCents(line.amountCents, `budgetLines[${i}].amountCents`),
      position: i,
    };
  });
  const requestedCents = sumCents(
    checked.filter((l) => l.fundingSource === 'mjsp').map((l) => l.amountCents),
    'budgetLines',
  );
  const totalCents = sumCents(
    checked.map((l) => l.amountCents),
    'budgetLines',
  );
  assertWithinCall(call, requestedCents);
  return { content, lines: checked, requestedCents, totalCents };
}

function assertWithinCall(call: CallFacts, requestedCents: number): void {
  const remaining = Number(call.budget_envelope_cents) - Number(call.committed_cents);
  if (requestedCents > remaining) {
    throw new AppError('AMOUNT_EXCEEDS_ENVELOPE', 409, { requested: requestedCents, remaining }, [
      { field: 'budgetLines', code: 'AMOUNT_EXCEEDS_ENVELOPE' },
    ]);
  }
  if (call.max_per_plan_cents !== null && requestedCents > Number(call.max_per_plan_cents)) {
    throw new AppError(
      'AMOUNT_EXCEEDS_PLAN_MAX',
      409,
      { requested: requestedCents, max: Number(call.max_per_plan_cents) },
      [{ field: 'budgetLines', code: 'AMOUNT_EXCEEDS_PLAN_MAX' }],
    );
  }
}

/** What a plan needs before it can be submitted (each missing part named). */
export function missingParts(content: PlanContent, lines: BudgetLine[]): string[] {
  const missing: string[] = [];
  if (content.objectives.length === 0) missing.push('content.objectives');
  if (content.activities.length === 0) missing.push('content.activities');
  if (!content.beneficiaries.description.trim() || content.beneficiaries.direct <= 0)
    missing.push('content.beneficiaries');
  if (content.territory.municipalityPcodes.length === 0) missing.push('content.territory');
  if (content.schedule.length === 0) missing.push('content.schedule');
  if (content.indicators.length === 0) missing.push('content.indicators');
  if (content.risks.length === 0) missing.push('content.risks');
  if (!lines.some((l) => l.fundingSource === 'mjsp')) missing.push('budgetLines');
  const objectives = new Set(content.objectives.map((o) => o.code));
  for (const a of content.activities)
    if (a.objectiveCode && !objectives.has(a.objectiveCode))
      missing.push(`content.activities[${a.code}].objectiveCode`);
  const activities = new Set(content.activities.map((a) => a.code));
  for (const s of content.schedule)
    if (s.activityCode && !activities.has(s.activityCode))
      missing.push(`content.schedule[${s.code}].activityCode`);
  return missing;
}

async function writeLines(uow: UnitOfWork, versionId: string, lines: CheckedDraft['lines']): Promise<void> {
  await uow.db.deleteFrom('ngo_plan_budget_lines').where('plan_version_id', '=', versionId).execute();
  if (lines.length === 0) return;
  await uow.db
    .insertInto('ngo_plan_budget_lines')
    .values(
      lines.map((l) => ({
        id: randomUUID(),
        plan_version_id: versionId,
        line_code: l.lineCode,
        description: l.description,
        funding_source: l.fundingSource,
        budget_specific: l.budgetSpecific,
        amount_cents: l.amountCents,
        position: l.position,
      })),
    )
    .execute();
}

async function insertVersion(
  uow: UnitOfWork,
  planId: string,
  version: number,
  draft: CheckedDraft,
): Promise<string> {
  const id = randomUUID();
  await uow.db
    .insertInto('ngo_plan_versions')
    .values({
      id,
      plan_id: planId,
      version,
      content: JSON.stringify(draft.content),
      requested_cents: draft.requestedCents,
      total_cents: draft.totalCents,
      content_sha256: null,
      created_by: uow.ctx.actor.type === 'user' ? uow.ctx.actor.id : null,
      created_at: uow.now,
      updated_at: uow.now,
      submitted_at: null,
      submitted_by: null,
    })
    .execute();
  await writeLines(uow, id, draft.lines);
  return id;
}

async function organisationForNewPlan(deps: AppDeps, access: GrantsAccess, requested: string | undefined) {
  let organisationId: string;
  if (access.all) {
    if (!requested) {
      throw new AppError('PLAN_ORGANISATION_REQUIRED', 400, {}, [
        { field: 'organisationId', code: 'PLAN_ORGANISATION_REQUIRED' },
      ]);
    }
    organisationId = requested;
  } else {
    if (!access.organisationId) throw new AppError('NGO_USER_NOT_LINKED', 403);
    if (requested && requested !== access.organisationId) throw new AppError('ORGANISATION_NOT_FOUND', 404);
    organisationId = access.organisationId;
  }
  const org = await deps.db
    .selectFrom('ngo_organisations')
    .select(['id', 'status'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!org) throw new AppError('ORGANISATION_NOT_FOUND', 404);
  if (org.status !== 'active') throw new AppError('ORGANISATION_NOT_ACTIVE', 409, { status: org.status });
  return organisationId;
}

export async function createPlan(
  deps: AppDeps,
  ctx: RequestContext,
  access: GrantsAccess,
  input: PlanCreate,
): Promise<PlanDetail> {
  const organisationId = await organisationForNewPlan(deps, access, input.organisationId);
  const call = await callFacts(deps.db, input.callId);
  if (!call || (!access.all && call.status === 'draft')) throw new AppError('CALL_NOT_FOUND', 404);
  assertCallOpen(call, deps.clock.now());
  await assertTerritory(deps, input.content);
  const draft = checkDraft(call, input.content, input.budgetLines);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const year = Number(todayInElSalvador(uow.now).slice(0, 4));
    const code = await nextCode(uow, 'ngo_plans', 'PLAN', year, 5);
    await uow.db
      .insertInto('ngo_plans')
      .values({
        id,
        code,
        organisation_id: organisationId,
        call_id: call.id,
        title: input.title.trim(),
        status: 'draft',
        current_version: 1,
        requested_cents: draft.requestedCents,
        approved_cents: null,
        liquidation_due_at: null,
        registered_by_staff: access.all,
        created_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        created_at: uow.now,
        updated_at: uow.now,
        submitted_at: null,
        decided_at: null,
      })
      .execute();
    await insertVersion(uow, id, 1, draft);
    uow.audit({
      action: 'grants.plan.created',
      entityType: ENTITY,
      entityId: id,
      after: {
        code,
        organisationId,
        callId: call.id,
        title: input.title,
        requestedCents: draft.requestedCents,
      },
    });
    uow.emit({
      type: 'grants.plan.created',
      entityType: ENTITY,
      entityId: id,
      payload: { planId: id, code, organisationId, callId: call.id },
      permission: P.readAll,
    });
  });
  return getPlan(deps, access, id);
}

async function lockPlan(uow: UnitOfWork, access: GrantsAccess, id: string) {
  const plan = await uow.db
    .selectFrom('ngo_plans')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!plan) throw new AppError('PLAN_NOT_FOUND', 404);
  if (!access.all && access.organisationId !== plan.organisation_id)
    throw new AppError('PLAN_NOT_FOUND', 404);
  return plan;
}

/**
 * Saves the draft of a plan. A draft's only version is edited in place. A plan returned with
 * observations whose current version was submitted gets a new version (n + 1) with the corrected
 * content; further saves edit that new version until it is submitted.
 */
export async function updatePlanDraft(
  deps: AppDeps,
  ctx: RequestContext,
  access: GrantsAccess,
  id: string,
  input: PlanDraftUpdate,
): Promise<PlanDetail> {
  await assertTerritory(deps, input.content);
  await deps.tx(ctx, async (uow) => {
    const plan = await lockPlan(uow, access, id);
    if (!EDITABLE.includes(plan.status))
      throw new AppError('PLAN_NOT_EDITABLE', 409, { status: plan.status });
    const call = (await callFacts(uow.db, plan.call_id))!;
    const draft = checkDraft(call, input.content, input.budgetLines);
    const current = (await findVersionRow(uow.db, id, plan.current_version))!;
    let version = plan.current_version;
    if (current.submitted_at) {
      version = plan.current_version + 1;
      await insertVersion(uow, id, version, draft);
    } else {
      await uow.db
        .updateTable('ngo_plan_versions')
        .set({
          content: JSON.stringify(draft.content),
          requested_cents: draft.requestedCents,
          total_cents: draft.totalCents,
          updated_at: uow.now,
        })
        .where('id', '=', current.id)
        .execute();
      await writeLines(uow, current.id, draft.lines);
    }
    await uow.db
      .updateTable('ngo_plans')
      .set({
        ...(input.title ? { title: input.title.trim() } : {}),
        current_version: version,
        requested_cents: draft.requestedCents,
        updated_at: uow.now,
      })
      .where('id', '=', id)
      .execute();
    uow.audit({
      action: version === plan.current_version ? 'grants.plan.draft_saved' : 'grants.plan.version_created',
      entityType: ENTITY,
      entityId: id,
      before: { version: plan.current_version, requestedCents: Number(plan.requested_cents) },
      after: { version, requestedCents: draft.requestedCents, title: input.title ?? plan.title },
    });
  });
  return getPlan(deps, access, id);
}

/** Keys sorted at every level: the same content always hashes the same, whatever the storage order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function versionHash(content: unknown, lines: BudgetLine[]): string {
  return createHash('sha256')
    .update(canonicalJson({ content, budgetLines: lines }))
    .digest('hex');
}

/**
 * Submits the plan's current version: complete, within the call's envelope, from an active
 * organisation without funds pending liquidation. The version is frozen (content hash recorded)
 * and the plan goes to review.
 */
export async function submitPlan(
  deps: AppDeps,
  ctx: RequestContext,
  access: GrantsAccess,
  id: string,
): Promise<PlanDetail> {
  await deps.tx(ctx, async (uow) => {
    const plan = await lockPlan(uow, access, id);
    if (!EDITABLE.includes(plan.status))
      throw new AppError('PLAN_NOT_SUBMITTABLE', 409, { status: plan.status });
    const current = (await findVersionRow(uow.db, id, plan.current_version))!;
    if (current.submitted_at)
      throw new AppError('PLAN_RESUBMIT_WITHOUT_CHANGES', 409, { version: current.version });
    const org = await uow.db
      .selectFrom('ngo_organisations')
      .select(['status'])
      .where('id', '=', plan.organisation_id)
      .executeTakeFirstOrThrow();
    if (org.status !== 'active') throw new AppError('ORGANISATION_NOT_ACTIVE', 409, { status: org.status });
    if (await hasPendingLiquidation(uow.db, plan.organisation_id, uow.now)) {
      throw new AppError('ORGANISATION_PENDING_LIQUIDATION', 409);
    }
    const call = (await callFacts(uow.db, plan.call_id))!;
    // A first submission needs the call open; a plan returned for corrections may be resubmitted later.
    if (plan.status === 'draft') assertCallOpen(call, uow.now);
    const content = current.content as PlanContent;
    const lines = await budgetLinesOf(uow.db, current.id);
    const missing = missingParts(content, lines);
    if (missing.length > 0) {
      throw new AppError(
        'PLAN_INCOMPLETE',
        400,
        { missing: missing.join(', ') },
        missing.map((field) => ({ field, code: 'REQUIRED' })),
      );
    }
    assertWithinCall(call, Number(current.requested_cents));
    const hash = versionHash(content, lines);
    const submitter = ctx.actor.type === 'user' ? ctx.actor.id : null;
    await uow.db
      .updateTable('ngo_plan_versions')
      .set({ content_sha256: hash, submitted_at: uow.now, submitted_by: submitter, updated_at: uow.now })
      .where('id', '=', current.id)
      .execute();
    await uow.db
      .updateTable('ngo_plans')
      .set({ status: 'submitted', submitted_at: uow.now, updated_at: uow.now })
      .where('id', '=', id)
      .execute();
    // The review opens in this same transaction: legal, financial and monitoring reviews, then the
    // authority; the plan moves to 'under_review' (grants/review).
    await startPlanReview(uow, deps, {
      planId: id,
      submittedBy: submitter ? { id: submitter, name: ctx.actor.name ?? '' } : null,
    });
    uow.audit({
      action: plan.status === 'draft' ? 'grants.plan.submitted' : 'grants.plan.resubmitted',
      entityType: ENTITY,
      entityId: id,
      before: { status: plan.status },
      after: {
        status: 'submitted',
        version: current.version,
        contentSha256: hash,
        requestedCents: Number(current.requested_cents),
      },
    });
    uow.emit({
      type: 'grants.plan.submitted',
      entityType: ENTITY,
      entityId: id,
      payload: {
        planId: id,
        code: plan.code,
        organisationId: plan.organisation_id,
        callId: plan.call_id,
        version: current.version,
        contentSha256: hash,
        resubmission: plan.status === 'returned',
      },
      permission: P.readAll,
    });
  });
  return getPlan(deps, access, id);
}

async function visiblePlan(deps: AppDeps, access: GrantsAccess, id: string): Promise<Plan> {
  const row = await selectPlans(deps.db).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('PLAN_NOT_FOUND', 404);
  if (!access.all && access.organisationId !== row.organisation_id) throw new AppError('PLAN_NOT_FOUND', 404);
  return toPlan(row);
}

export async function getPlan(deps: AppDeps, access: GrantsAccess, id: string): Promise<PlanDetail> {
  const plan = await visiblePlan(deps, access, id);
  const current = (await loadVersion(deps.db, id, plan.currentVersion))!;
  const documents = await selectDocuments(deps.db)
    .where('d.plan_id', '=', id)
    .orderBy('d.uploaded_at', 'desc')
    .execute();
  return {
    ...plan,
    current,
    versions: await listVersionSummaries(deps, id),
    documents: documents.map(toDocument),
  };
}

/**
 * The organisation withdraws a plan it no longer wants reviewed: a draft, or a plan returned with
 * observations (a plan under review is decided by its reviewers). Reason required, audited.
 */
export async function withdrawPlan(
  deps: AppDeps,
  ctx: RequestContext,
  access: GrantsAccess,
  id: string,
  input: PlanWithdraw,
): Promise<PlanDetail> {
  const reason = input.reason.trim();
  if (reason.length < 5) throw new AppError('REASON_REQUIRED', 400, { action: 'retirar el plan' });
  await deps.tx(ctx, async (uow) => {
    const plan = await lockPlan(uow, access, id);
    if (!EDITABLE.includes(plan.status))
      throw new AppError('PLAN_NOT_WITHDRAWABLE', 409, { status: plan.status });
    await uow.db
      .updateTable('ngo_plans')
      .set({ status: 'withdrawn', decided_at: uow.now, updated_at: uow.now })
      .where('id', '=', id)
      .execute();
    uow.audit({
      action: 'grants.plan.withdrawn',
      entityType: ENTITY,
      entityId: id,
      before: { status: plan.status },
      after: { status: 'withdrawn' },
      reason,
    });
    uow.emit({
      type: 'grants.plan.withdrawn',
      entityType: ENTITY,
      entityId: id,
      payload: { planId: id, code: plan.code, organisationId: plan.organisation_id },
      permission: P.readAll,
    });
  });
  return getPlan(deps, access, id);
}

async function listVersionSummaries(deps: AppDeps, planId: string): Promise<PlanVersionSummary[]> {
  const rows = await deps.db
    .selectFrom('ngo_plan_versions')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('version')
    .execute();
  return rows.map(toVersionSummary);
}

export async function listPlanVersions(
  deps: AppDeps,
  access: GrantsAccess,
  id: string,
): Promise<PlanVersionSummary[]> {
  await visiblePlan(deps, access, id);
  return listVersionSummaries(deps, id);
}

export async function getPlanVersion(
  deps: AppDeps,
  access: GrantsAccess,
  id: string,
  version: number,
): Promise<PlanVersion> {
  await visiblePlan(deps, access, id);
  const v = await loadVersion(deps.db, id, version);
  if (!v) throw new AppError('PLAN_VERSION_NOT_FOUND', 404, { version });
  return v;
}

export async function diffPlanVersions(
  deps: AppDeps,
  access: GrantsAccess,
  id: string,
  from: number,
  to: number,
): Promise<PlanDiff> {
  await visiblePlan(deps, access, id);
  const [a, b] = await Promise.all([loadVersion(deps.db, id, from), loadVersion(deps.db, id, to)]);
  if (!a) throw new AppError('PLAN_VERSION_NOT_FOUND', 404, { version: from });
  if (!b) throw new AppError('PLAN_VERSION_NOT_FOUND', 404, { version: to });
  return {
    planId: id,
    from,
    to,
    content: diffContent(a.content, b.content),
    budgetLines: diffBudgetLines(a.budgetLines, b.budgetLines),
    totals: {
      requestedBeforeCents: a.requestedCents,
      requestedAfterCents: b.requestedCents,
      requestedDeltaCents: b.requestedCents - a.requestedCents,
      totalBeforeCents: a.totalCents,
      totalAfterCents: b.totalCents,
    },
  };
}

export async function listPlans(
  deps: AppDeps,
  access: GrantsAccess,
  query: PlanListQuery,
  options: { unlimited?: boolean } = {},
): Promise<PlanList> {
  let q = selectPlans(deps.db);
  const own = organisationFilter(access);
  if (own) q = q.where('p.organisation_id', '=', own);
  if (query.organisationId) {
    if (!access.all) assertSeesOrganisation(access, query.organisationId);
    q = q.where('p.organisation_id', '=', query.organisationId);
  }
  if (query.status) q = q.where('p.status', '=', query.status as PlanStatus);
  if (query.callId) q = q.where('p.call_id', '=', query.callId);
  if (query.q?.trim()) {
    const term = `%${query.q
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(p.title)`, 'like', term),
        eb(sql<string>`lower(p.code)`, 'like', term),
        eb(sql<string>`lower(o.name)`, 'like', term),
      ]),
    );
  }
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let page = q.orderBy('p.updated_at', 'desc').orderBy('p.id');
  if (!options.unlimited) page = page.limit(query.limit ?? 100).offset(query.offset ?? 0);
  return { items: (await page.execute()).map(toPlan), total: Number(total.n) };
}
