import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import type { PlanStatus } from '../grants.tables.js';
import { assertSeesOrganisation, type GrantsAccess } from '../shared/access.js';
import { dateText } from '../shared/dates.js';
import { formatUsd } from '../shared/money.js';
import type { Reconciliation } from './execution.tables.js';

type Executor = Db | UnitOfWork['db'];

/** Plan statuses in which the NGO still holds funds it has not liquidated. */
export const UNLIQUIDATED: readonly PlanStatus[] = ['agreement_signed', 'in_execution'];
/** Plan statuses in which an agreement is executed (disbursements, receipts, visits). */
export const EXECUTING: readonly PlanStatus[] = ['agreement_signed', 'in_execution', 'liquidation_overdue'];

export const usd = formatUsd;

/** The agreement columns every service reads (dates as `YYYY-MM-DD` text). */
export function agreementColumns() {
  return [
    'a.id',
    'a.number',
    'a.plan_id',
    'a.plan_version',
    'a.organisation_id',
    'a.amount_cents',
    dateText('a.starts_on').as('starts_on'),
    dateText('a.ends_on').as('ends_on'),
    dateText('a.signed_on').as('signed_on'),
    'a.liquidation_days',
    'a.split_threshold_cents',
    'a.split_window_days',
    'a.administrator_id',
    'a.budget_specific',
    'a.summary_sha256',
    'a.summary_storage_key',
    'a.closing_act_sha256',
    'a.closing_act_storage_key',
    'a.closed_at',
    'a.created_at',
    'p.status as plan_status',
    'p.code as plan_code',
    'p.title as plan_title',
    'p.liquidation_due_at',
    'p.call_id',
  ] as const;
}

/**
 * An agreement the caller may see (the NGO's staff only their own), optionally locking its plan row
 * (every change of an agreement's money takes this lock first, so checks and writes do not race).
 */
export async function loadAgreement(db: Executor, access: GrantsAccess | null, id: string, lock = false) {
  if (lock) {
    const planId = await db
      .selectFrom('ngo_agreements')
      .select('plan_id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (planId)
      await db.selectFrom('ngo_plans').select('id').where('id', '=', planId.plan_id).forUpdate().execute();
  }
  const row = await db
    .selectFrom('ngo_agreements as a')
    .innerJoin('ngo_plans as p', 'p.id', 'a.plan_id')
    .select(agreementColumns())
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('GRANT_AGREEMENT_NOT_FOUND', 404);
  if (access) {
    try {
      assertSeesOrganisation(access, row.organisation_id);
    } catch {
      throw new AppError('GRANT_AGREEMENT_NOT_FOUND', 404);
    }
  }
  return row;
}
export type AgreementRow = Awaited<ReturnType<typeof loadAgreement>>;

export function assertExecuting(agreement: AgreementRow): void {
  if (!EXECUTING.includes(agreement.plan_status)) {
    throw new AppError('GRANT_AGREEMENT_NOT_IN_EXECUTION', 409, { status: agreement.plan_status });
  }
}

/**
 * Plans of an organisation with funds pending liquidation beyond the deadline: marked overdue by
 * the timer, or still in execution past their liquidation_due_at (before the timer ran).
 */
export async function overdueLiquidations(db: Executor, organisationId: string, now: Date) {
  return db
    .selectFrom('ngo_plans')
    .select(['id', 'code', 'liquidation_due_at'])
    .where('organisation_id', '=', organisationId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'liquidation_overdue'),
        eb.and([eb('status', 'in', [...UNLIQUIDATED]), eb('liquidation_due_at', '<', now)]),
      ]),
    )
    .orderBy('liquidation_due_at')
    .execute();
}

/** Refuses new funds to an organisation with funds pending liquidation beyond the deadline. */
export async function assertNoOverdueLiquidation(
  db: Executor,
  organisationId: string,
  now: Date,
): Promise<void> {
  const overdue = await overdueLiquidations(db, organisationId, now);
  if (overdue.length > 0) {
    throw new AppError(
      'GRANT_LIQUIDATION_OVERDUE_BLOCKS_FUNDS',
      409,
      { plans: overdue.map((p) => p.code).join(', ') },
      { plans: overdue.map((p) => p.code) },
    );
  }
}

/** The budget lines of the plan version the agreement was signed on. */
export async function agreementBudgetLines(db: Executor, planId: string, version: number) {
  return db
    .selectFrom('ngo_plan_budget_lines as l')
    .innerJoin('ngo_plan_versions as v', 'v.id', 'l.plan_version_id')
    .select(['l.line_code', 'l.description', 'l.amount_cents', 'l.funding_source'])
    .where('v.plan_id', '=', planId)
    .where('v.version', '=', version)
    .orderBy('l.position')
    .orderBy('l.line_code')
    .execute();
}

/** Indicators of the plan version the agreement was signed on (content.indicators). */
export async function agreementIndicators(db: Executor, planId: string, version: number) {
  const row = await db
    .selectFrom('ngo_plan_versions')
    .select('content')
    .where('plan_id', '=', planId)
    .where('version', '=', version)
    .executeTakeFirst();
  const content = (row?.content ?? {}) as { indicators?: unknown };
  const list = Array.isArray(content.indicators) ? content.indicators : [];
  return list
    .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null)
    .map((i) => ({
      code: String(i.code ?? ''),
      name: String(i.name ?? ''),
      unit: String(i.unit ?? ''),
      baseline: Number(i.baseline ?? 0),
      target: Number(i.target ?? 0),
    }))
    .filter((i) => i.code.length > 0);
}

/** Amounts of one agreement: paid, justified (approved receipts), refunded; by budget line. */
export async function reconcile(db: Executor, agreement: AgreementRow): Promise<Reconciliation> {
  const [paid, receipts, refunds, lines] = await Promise.all([
    db
      .selectFrom('ngo_disbursements')
      .select(sql<string>`coalesce(sum(amount_cents), 0)`.as('total'))
      .where('agreement_id', '=', agreement.id)
      .where('status', '=', 'paid')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('ngo_receipts')
      .select([
        'budget_line_code',
        'status',
        sql<string>`sum(amount_cents)`.as('total'),
        sql<string>`count(*)`.as('n'),
      ])
      .where('agreement_id', '=', agreement.id)
      .groupBy(['budget_line_code', 'status'])
      .execute(),
    db
      .selectFrom('ngo_refunds')
      .select(['budget_line_code', sql<string>`sum(amount_cents)`.as('total')])
      .where('agreement_id', '=', agreement.id)
      .groupBy('budget_line_code')
      .execute(),
    agreementBudgetLines(db, agreement.plan_id, agreement.plan_version),
  ]);
  const justifiedBy = new Map<string, number>();
  let pendingReceipts = 0;
  for (const r of receipts) {
    if (r.status === 'approved') justifiedBy.set(r.budget_line_code, Number(r.total));
    if (r.status === 'pending' || r.status === 'observed') pendingReceipts += Number(r.n);
  }
  const refundedBy = new Map<string, number>();
  for (const r of refunds) refundedBy.set(r.budget_line_code ?? '', Number(r.total));
  const out: Reconciliation['lines'] = lines.map((l) => ({
    lineCode: l.line_code,
    description: l.description,
    budgetCents: Number(l.amount_cents),
    justifiedCents: justifiedBy.get(l.line_code) ?? 0,
    refundedCents: refundedBy.get(l.line_code) ?? 0,
  }));
  const unassigned = refundedBy.get('') ?? 0;
  if (unassigned > 0) {
    out.push({
      lineCode: '',
      description: 'Reintegro sin línea presupuestaria',
      budgetCents: 0,
      justifiedCents: 0,
      refundedCents: unassigned,
    });
  }
  const disbursedCents = Number(paid.total);
  const justifiedCents = [...justifiedBy.values()].reduce((a, b) => a + b, 0);
  const refundedCents = [...refundedBy.values()].reduce((a, b) => a + b, 0);
  return {
    disbursedCents,
    justifiedCents,
    refundedCents,
    balanceCents: disbursedCents - justifiedCents - refundedCents,
    pendingReceipts,
    lines: out,
  };
}

/** A user's display name (for PDFs), or the id when unknown. */
export async function userName(db: Executor, id: string | null): Promise<string> {
  if (!id) return '—';
  const u = await db
    .selectFrom('users')
    .select(['display_name', 'username'])
    .where('id', '=', id)
    .executeTakeFirst();
  return u?.display_name ?? u?.username ?? id;
}
