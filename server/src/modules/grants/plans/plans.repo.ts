import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { BudgetLine, Plan, PlanContent, PlanVersion, PlanVersionSummary } from './plans.schemas.js';

type Executor = Kysely<Database>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function selectPlans(db: Executor) {
  return db
    .selectFrom('ngo_plans as p')
    .innerJoin('ngo_organisations as o', 'o.id', 'p.organisation_id')
    .innerJoin('ngo_calls as c', 'c.id', 'p.call_id')
    .select([
      'p.id',
      'p.code',
      'p.organisation_id',
      'o.name as organisation_name',
      'p.call_id',
      'c.code as call_code',
      'c.title as call_title',
      'p.title',
      'p.status',
      'p.current_version',
      'p.requested_cents',
      'p.approved_cents',
      'p.liquidation_due_at',
      'p.registered_by_staff',
      'p.created_at',
      'p.updated_at',
      'p.submitted_at',
      'p.decided_at',
    ]);
}

export function toPlan(
  r: Awaited<ReturnType<ReturnType<typeof selectPlans>['executeTakeFirstOrThrow']>>,
): Plan {
  return {
    id: r.id,
    code: r.code,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    callId: r.call_id,
    callCode: r.call_code,
    callTitle: r.call_title,
    title: r.title,
    status: r.status,
    currentVersion: r.current_version,
    requestedCents: Number(r.requested_cents),
    approvedCents: r.approved_cents === null ? null : Number(r.approved_cents),
    liquidationDueAt: iso(r.liquidation_due_at),
    registeredByStaff: r.registered_by_staff,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    submittedAt: iso(r.submitted_at),
    decidedAt: iso(r.decided_at),
  };
}

export async function findVersionRow(db: Executor, planId: string, version: number) {
  return db
    .selectFrom('ngo_plan_versions')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('version', '=', version)
    .executeTakeFirst();
}

type VersionRow = NonNullable<Awaited<ReturnType<typeof findVersionRow>>>;

export function toVersionSummary(v: VersionRow): PlanVersionSummary {
  return {
    version: v.version,
    requestedCents: Number(v.requested_cents),
    totalCents: Number(v.total_cents),
    contentSha256: v.content_sha256,
    createdAt: v.created_at.toISOString(),
    updatedAt: v.updated_at.toISOString(),
    submittedAt: iso(v.submitted_at),
    submittedBy: v.submitted_by,
  };
}

export async function budgetLinesOf(db: Executor, versionId: string): Promise<BudgetLine[]> {
  const rows = await db
    .selectFrom('ngo_plan_budget_lines')
    .select(['line_code', 'description', 'funding_source', 'budget_specific', 'amount_cents'])
    .where('plan_version_id', '=', versionId)
    .orderBy('position')
    .orderBy('line_code')
    .execute();
  return rows.map((l) => ({
    lineCode: l.line_code,
    description: l.description,
    fundingSource: l.funding_source,
    budgetSpecific: l.budget_specific,
    amountCents: Number(l.amount_cents),
  }));
}

export async function loadVersion(
  db: Executor,
  planId: string,
  version: number,
): Promise<PlanVersion | null> {
  const row = await findVersionRow(db, planId, version);
  if (!row) return null;
  return {
    ...toVersionSummary(row),
    content: row.content as PlanContent,
    budgetLines: await budgetLinesOf(db, row.id),
  };
}
