import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { Database } from '../../../platform/db/schema.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import type { CallStatus, EligibilityCriterion } from '../grants.tables.js';
import type { GrantsAccess } from '../shared/access.js';
import { nextCode } from '../shared/codes.js';
import { assertDate, assertDateOrder, dateText, todayInElSalvador } from '../shared/dates.js';
import { assertCents } from '../shared/money.js';
import type { Call, CallClose, CallCreate, CallList, CallListQuery, CallUpdate } from './calls.schemas.js';

type Executor = Kysely<Database>;
const ENTITY = 'ngo_call';
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What NGO staff may see of calls: the published ones and those already closed. */
const PUBLIC_STATUSES: CallStatus[] = ['published', 'closed'];

export function selectCalls(db: Executor) {
  return db
    .selectFrom('ngo_calls as c')
    .select([
      'c.id',
      'c.code',
      'c.programme',
      'c.title',
      'c.description',
      'c.fiscal_year',
      'c.budget_specific',
      'c.budget_envelope_cents',
      'c.committed_cents',
      'c.max_per_plan_cents',
      'c.eligibility',
      dateText('c.opens_on').as('opens_on'),
      dateText('c.closes_on').as('closes_on'),
      'c.status',
      'c.status_reason',
      'c.published_at',
      'c.closed_at',
      'c.created_at',
      'c.updated_at',
    ]);
}

type CallRow = Awaited<ReturnType<ReturnType<typeof selectCalls>['executeTakeFirstOrThrow']>>;

export function toCall(r: CallRow): Call {
  const envelope = Number(r.budget_envelope_cents);
  const committed = Number(r.committed_cents);
  return {
    id: r.id,
    code: r.code,
    programme: r.programme,
    title: r.title,
    description: r.description,
    fiscalYear: r.fiscal_year,
    budgetSpecific: r.budget_specific,
    budgetEnvelopeCents: envelope,
    committedCents: committed,
    remainingCents: envelope - committed,
    maxPerPlanCents: r.max_per_plan_cents === null ? null : Number(r.max_per_plan_cents),
    eligibility: (r.eligibility ?? []) as EligibilityCriterion[],
    opensOn: r.opens_on,
    closesOn: r.closes_on,
    status: r.status,
    statusReason: r.status_reason,
    publishedAt: iso(r.published_at),
    closedAt: iso(r.closed_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function checkEligibility(eligibility: CallCreate['eligibility']): EligibilityCriterion[] {
  const codes = new Set<string>();
  for (const c of eligibility) {
    if (codes.has(c.code)) throw new AppError('CALL_ELIGIBILITY_DUPLICATE', 400, { code: c.code });
    codes.add(c.code);
  }
  return eligibility.map((c) => ({ code: c.code, text: c.text.trim() }));
}

function checkAmounts(envelope: number, maxPerPlan: number | null): void {
  if (maxPerPlan !== null && maxPerPlan > envelope) {
    throw new AppError('AMOUNT_EXCEEDS_ENVELOPE', 400, { field: 'maxPerPlanCents' }, [
      { field: 'maxPerPlanCents', code: 'AMOUNT_EXCEEDS_ENVELOPE' },
    ]);
  }
}

export async function createCall(deps: AppDeps, ctx: RequestContext, input: CallCreate): Promise<Call> {
  const envelope = assertCents(input.budgetEnvelopeCents, 'budgetEnvelopeCents');
  const maxPerPlan =
    input.maxPerPlanCents === undefined || input.maxPerPlanCents === null
      ? null
      : assertCents(input.maxPerPlanCents, 'maxPerPlanCents');
  checkAmounts(envelope, maxPerPlan);
  const opensOn = assertDate(input.opensOn, 'opensOn');
  const closesOn = assertDate(input.closesOn, 'closesOn');
  assertDateOrder(opensOn, closesOn, ['opensOn', 'closesOn']);
  const eligibility = checkEligibility(input.eligibility);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const code = await nextCode(uow, 'ngo_calls', 'CONV', input.fiscalYear, 4);
    await uow.db
      .insertInto('ngo_calls')
      .values({
        id,
        code,
        programme: input.programme.trim(),
        title: input.title.trim(),
        description: input.description?.trim() ?? '',
        fiscal_year: input.fiscalYear,
        budget_specific: input.budgetSpecific ?? '56303',
        budget_envelope_cents: envelope,
        committed_cents: 0,
        max_per_plan_cents: maxPerPlan,
        eligibility: JSON.stringify(eligibility),
        opens_on: opensOn,
        closes_on: closesOn,
        status: 'draft',
        created_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        created_at: uow.now,
        updated_at: uow.now,
        published_at: null,
        published_by: null,
        closed_at: null,
        closed_by: null,
        status_reason: null,
      })
      .execute();
    uow.audit({ action: 'grants.call.created', entityType: ENTITY, entityId: id, after: { code, ...input } });
    uow.emit({
      type: 'grants.call.created',
      entityType: ENTITY,
      entityId: id,
      payload: { callId: id, code },
      permission: P.readAll,
    });
  });
  return getCallRow(deps.db, id);
}

async function getCallRow(db: Executor, id: string): Promise<Call> {
  const row = await selectCalls(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('CALL_NOT_FOUND', 404);
  return toCall(row);
}

export async function getCall(deps: AppDeps, access: GrantsAccess, id: string): Promise<Call> {
  const call = await getCallRow(deps.db, id);
  if (!access.all && !PUBLIC_STATUSES.includes(call.status)) throw new AppError('CALL_NOT_FOUND', 404);
  return call;
}

export async function updateCall(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  input: CallUpdate,
): Promise<Call> {
  await deps.tx(ctx, async (uow) => {
    const row = await selectCalls(uow.db).where('c.id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CALL_NOT_FOUND', 404);
    if (row.status !== 'draft') throw new AppError('CALL_NOT_EDITABLE', 409, { status: row.status });
    const before = toCall(row);
    const envelope =
      input.budgetEnvelopeCents !== undefined
        ? assertCents(input.budgetEnvelopeCents, 'budgetEnvelopeCents')
        : before.budgetEnvelopeCents;
    const maxPerPlan =
      input.maxPerPlanCents === undefined
        ? before.maxPerPlanCents
        : input.maxPerPlanCents === null
          ? null
          : assertCents(input.maxPerPlanCents, 'maxPerPlanCents');
    checkAmounts(envelope, maxPerPlan);
    const opensOn = input.opensOn !== undefined ? assertDate(input.opensOn, 'opensOn') : before.opensOn;
    const closesOn = input.closesOn !== undefined ? assertDate(input.closesOn, 'closesOn') : before.closesOn;
    assertDateOrder(opensOn, closesOn, ['opensOn', 'closesOn']);
    await uow.db
      .updateTable('ngo_calls')
      .set({
        ...(input.programme !== undefined ? { programme: input.programme.trim() } : {}),
        ...(input.title !== undefined ? { title: input.title.trim() } : {}),
        ...(input.description !== undefined ? { description: input.description.trim() } : {}),
        ...(input.fiscalYear !== undefined ? { fiscal_year: input.fiscalYear } : {}),
        ...(input.budgetSpecific !== undefined ? { budget_specific: input.budgetSpecific } : {}),
        ...(input.eligibility !== undefined
          ? { eligibility: JSON.stringify(checkEligibility(input.eligibility)) }
          : {}),
        budget_envelope_cents: envelope,
        max_per_plan_cents: maxPerPlan,
        opens_on: opensOn,
        closes_on: closesOn,
        updated_at: uow.now,
      })
      .where('id', '=', id)
      .execute();
    const beforeView = before as unknown as Record<string, unknown>;
    uow.audit({
      action: 'grants.call.updated',
      entityType: ENTITY,
      entityId: id,
      before: Object.fromEntries(Object.keys(input).map((k) => [k, beforeView[k]])),
      after: { ...input },
    });
  });
  return getCallRow(deps.db, id);
}

export async function publishCall(deps: AppDeps, ctx: RequestContext, id: string): Promise<Call> {
  await deps.tx(ctx, async (uow) => {
    const row = await selectCalls(uow.db).where('c.id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CALL_NOT_FOUND', 404);
    if (row.status !== 'draft')
      throw new AppError('CALL_ILLEGAL_TRANSITION', 409, { action: 'publicar', status: row.status });
    if (row.closes_on < todayInElSalvador(uow.now))
      throw new AppError('CALL_CLOSES_IN_PAST', 409, { closesOn: row.closes_on });
    await uow.db
      .updateTable('ngo_calls')
      .set({
        status: 'published',
        published_at: uow.now,
        published_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        updated_at: uow.now,
      })
      .where('id', '=', id)
      .execute();
    uow.audit({
      action: 'grants.call.published',
      entityType: ENTITY,
      entityId: id,
      before: { status: 'draft' },
      after: { status: 'published' },
    });
    uow.emit({
      type: 'grants.call.published',
      entityType: ENTITY,
      entityId: id,
      payload: { callId: id, code: row.code },
      permission: P.read,
    });
  });
  return getCallRow(deps.db, id);
}

/** Closes a published call (no more submissions) or cancels a draft or published one (reason required). */
export async function closeCall(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  input: CallClose,
): Promise<Call> {
  const to: CallStatus = input.cancel ? 'cancelled' : 'closed';
  const reason = input.reason?.trim() || null;
  if (to === 'cancelled' && (!reason || reason.length < 5))
    throw new AppError('REASON_REQUIRED', 400, { action: 'anular la convocatoria' });
  await deps.tx(ctx, async (uow) => {
    const row = await selectCalls(uow.db).where('c.id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CALL_NOT_FOUND', 404);
    const allowed =
      to === 'closed' ? row.status === 'published' : row.status === 'draft' || row.status === 'published';
    if (!allowed)
      throw new AppError('CALL_ILLEGAL_TRANSITION', 409, {
        action: to === 'closed' ? 'cerrar' : 'anular',
        status: row.status,
      });
    if (to === 'cancelled') {
      const live = await uow.db
        .selectFrom('ngo_plans')
        .select('id')
        .where('call_id', '=', id)
        .where('status', 'not in', ['draft', 'withdrawn', 'rejected'])
        .executeTakeFirst();
      if (live) throw new AppError('CALL_HAS_PLANS', 409);
    }
    await uow.db
      .updateTable('ngo_calls')
      .set({
        status: to,
        status_reason: reason,
        closed_at: uow.now,
        closed_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        updated_at: uow.now,
      })
      .where('id', '=', id)
      .execute();
    uow.audit({
      action: `grants.call.${to}`,
      entityType: ENTITY,
      entityId: id,
      before: { status: row.status },
      after: { status: to },
      reason,
    });
    uow.emit({
      type: `grants.call.${to}`,
      entityType: ENTITY,
      entityId: id,
      payload: { callId: id, code: row.code },
      permission: P.read,
    });
  });
  return getCallRow(deps.db, id);
}

export async function listCalls(
  deps: AppDeps,
  access: GrantsAccess,
  query: CallListQuery,
  options: { unlimited?: boolean } = {},
): Promise<CallList> {
  let q = selectCalls(deps.db);
  if (!access.all) q = q.where('c.status', 'in', PUBLIC_STATUSES);
  if (query.status) q = q.where('c.status', '=', query.status);
  if (query.programme) q = q.where('c.programme', '=', query.programme);
  if (query.fiscalYear) q = q.where('c.fiscal_year', '=', query.fiscalYear);
  if (query.openOn) {
    const day = assertDate(query.openOn, 'openOn');
    q = q.where('c.opens_on', '<=', day).where('c.closes_on', '>=', day);
  }
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let page = q.orderBy('c.opens_on', 'desc').orderBy('c.code', 'desc');
  if (!options.unlimited) page = page.limit(query.limit ?? 100).offset(query.offset ?? 0);
  return { items: (await page.execute()).map(toCall), total: Number(total.n) };
}
