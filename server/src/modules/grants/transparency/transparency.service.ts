import { sql } from 'kysely';
import { PLACEHOLDER_IATI_ORG_REF } from '../../../config.js';
import type { AppDeps } from '../../../platform/deps.js';
import { latestIndicatorValues } from '../agreements/agreements.service.js';
import { agreementIndicators } from '../agreements/execution.common.js';
import { computeRedFlags, type RedFlagCode } from '../red-flags/red-flags.service.js';
import { dateText } from '../shared/dates.js';

/**
 * The ministry as IATI reporting organisation. Its identifier comes from the configuration
 * (GRANTS_IATI_ORG_REF); the default is a made-up placeholder, and the export says so while it is used.
 */
export function reportingOrg(config: AppDeps['config']) {
  return {
    ref: config.grantsIatiOrgRef,
    name: 'Ministerio de Justicia y Seguridad Pública',
    placeholder: config.grantsIatiOrgRef === PLACEHOLDER_IATI_ORG_REF,
  };
}

/**
 * Public data of the funds to NGOs — no personal data: no DUI, no names of board members or of the
 * legal representative, no bank account, no user names. Only agreements (signed onwards) appear.
 */
export async function publicGrants(deps: Pick<AppDeps, 'db'>) {
  const rows = await deps.db
    .selectFrom('ngo_agreements as a')
    .innerJoin('ngo_plans as p', 'p.id', 'a.plan_id')
    .innerJoin('ngo_calls as c', 'c.id', 'p.call_id')
    .innerJoin('ngo_organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id',
      'a.number',
      'a.plan_id',
      'a.plan_version',
      'a.amount_cents',
      dateText('a.starts_on').as('starts_on'),
      dateText('a.ends_on').as('ends_on'),
      dateText('a.signed_on').as('signed_on'),
      'p.code as plan_code',
      'p.title as plan_title',
      'p.status as plan_status',
      'p.approved_cents',
      'c.programme',
      'c.code as call_code',
      'c.fiscal_year',
      'o.id as organisation_id',
      'o.name as organisation_name',
      'o.acronym',
      'o.org_type',
      'o.municipality_pcode',
      sql<string>`(SELECT coalesce(sum(d.amount_cents), 0) FROM ngo_disbursements d WHERE d.agreement_id = a.id AND d.status = 'paid')`.as(
        'disbursed',
      ),
      sql<string>`(SELECT coalesce(sum(r.amount_cents), 0) FROM ngo_receipts r WHERE r.agreement_id = a.id AND r.status = 'approved')`.as(
        'justified',
      ),
      sql<string>`(SELECT coalesce(sum(f.amount_cents), 0) FROM ngo_refunds f WHERE f.agreement_id = a.id)`.as(
        'refunded',
      ),
    ])
    .orderBy('o.name')
    .orderBy('a.number')
    .execute();
  const actuals = await latestIndicatorValues(
    deps.db as AppDeps['db'],
    rows.map((r) => r.id),
  );
  const agreements = await Promise.all(
    rows.map(async (r) => {
      const liquidated = ['liquidated', 'closed'].includes(r.plan_status);
      const indicators = await agreementIndicators(deps.db as AppDeps['db'], r.plan_id, r.plan_version);
      return {
        id: r.id,
        number: r.number,
        organisationId: r.organisation_id,
        planCode: r.plan_code,
        title: r.plan_title,
        status: r.plan_status,
        programme: r.programme,
        callCode: r.call_code,
        fiscalYear: r.fiscal_year,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        signedOn: r.signed_on,
        approvedCents: Number(r.approved_cents ?? 0),
        agreementCents: Number(r.amount_cents),
        disbursedCents: Number(r.disbursed),
        justifiedCents: Number(r.justified),
        refundedCents: Number(r.refunded),
        liquidatedCents: liquidated ? Number(r.disbursed) : 0,
        indicators: indicators.map((i) => ({ ...i, actual: actuals.get(`${r.id}:${i.code}`) ?? null })),
        _org: {
          name: r.organisation_name,
          acronym: r.acronym,
          type: r.org_type,
          municipality: r.municipality_pcode,
        },
      };
    }),
  );
  const organisations = new Map<
    string,
    {
      id: string;
      name: string;
      acronym: string | null;
      type: string;
      municipalityPcode: string;
      agreements: number;
      agreementCents: number;
      disbursedCents: number;
    }
  >();
  for (const a of agreements) {
    const o = organisations.get(a.organisationId) ?? {
      id: a.organisationId,
      name: a._org.name,
      acronym: a._org.acronym,
      type: a._org.type,
      municipalityPcode: a._org.municipality,
      agreements: 0,
      agreementCents: 0,
      disbursedCents: 0,
    };
    o.agreements += 1;
    o.agreementCents += a.agreementCents;
    o.disbursedCents += a.disbursedCents;
    organisations.set(a.organisationId, o);
  }
  const items = agreements.map(({ _org, ...a }) => ({ ...a, organisationName: _org.name }));
  return {
    generatedAt: new Date().toISOString(),
    organisations: [...organisations.values()],
    agreements: items,
    totals: {
      agreementCents: items.reduce((s, a) => s + a.agreementCents, 0),
      disbursedCents: items.reduce((s, a) => s + a.disbursedCents, 0),
      justifiedCents: items.reduce((s, a) => s + a.justifiedCents, 0),
      refundedCents: items.reduce((s, a) => s + a.refundedCents, 0),
      liquidatedCents: items.reduce((s, a) => s + a.liquidatedCents, 0),
    },
  };
}
export type PublicGrants = Awaited<ReturnType<typeof publicGrants>>;

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const money = (c: number) => (c / 100).toFixed(2);

/** One row per agreement (UTF-8 with BOM, comma-separated, amounts in US$ with two decimals). */
export function publicGrantsCsv(data: PublicGrants): string {
  const header = [
    'convenio',
    'organizacion',
    'programa',
    'plan',
    'titulo',
    'estado',
    'inicio',
    'fin',
    'aprobado_usd',
    'convenio_usd',
    'desembolsado_usd',
    'justificado_usd',
    'reintegrado_usd',
    'liquidado_usd',
    'indicadores',
  ];
  const lines = data.agreements.map((a) =>
    [
      a.number,
      a.organisationName,
      a.programme,
      a.planCode,
      a.title,
      a.status,
      a.startsOn,
      a.endsOn,
      money(a.approvedCents),
      money(a.agreementCents),
      money(a.disbursedCents),
      money(a.justifiedCents),
      money(a.refundedCents),
      money(a.liquidatedCents),
      a.indicators.map((i) => `${i.name}: ${i.actual ?? '—'} / ${i.target} ${i.unit}`).join(' | '),
    ]
      .map(csvCell)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

function xml(text: string | number): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** IATI activity-status from the plan's status. */
function activityStatus(status: string): number {
  if (['agreement_signed', 'in_execution', 'liquidation_overdue'].includes(status)) return 2;
  if (['liquidation_submitted', 'liquidated'].includes(status)) return 3;
  if (status === 'closed') return 4;
  if (status === 'suspended') return 6;
  return 1;
}

/**
 * IATI-style activities (XML shaped after the IATI activity standard 2.03): one iati-activity per
 * agreement. Transactions: 2 (outgoing commitment) = the signed agreement; 3 (disbursement) = each
 * payment; 4 (expenditure) = each approved receipt, aggregated per month; a refund (reintegro) has no
 * IATI type of its own and is published as a NEGATIVE disbursement (type 3, value < 0, with a
 * description "Reintegro"), so that the sum of type-3 transactions is what the NGO kept.
 */
export async function iatiActivitiesXml(deps: Pick<AppDeps, 'db' | 'config'>): Promise<string> {
  const REPORTING_ORG = reportingOrg(deps.config);
  const data = await publicGrants(deps);
  const ids = data.agreements.map((a) => a.id);
  const [payments, expenses, refunds] =
    ids.length === 0
      ? [[], [], []]
      : await Promise.all([
          deps.db
            .selectFrom('ngo_disbursements')
            .select(['agreement_id', 'amount_cents', dateText('paid_on').as('paid_on')])
            .where('agreement_id', 'in', ids)
            .where('status', '=', 'paid')
            .orderBy('paid_at')
            .execute(),
          deps.db
            .selectFrom('ngo_receipts')
            .select([
              'agreement_id',
              sql<string>`to_char(date_trunc('month', issued_on), 'YYYY-MM-DD')`.as('month'),
              sql<string>`sum(amount_cents)`.as('total'),
            ])
            .where('agreement_id', 'in', ids)
            .where('status', '=', 'approved')
            .groupBy(['agreement_id', sql`date_trunc('month', issued_on)`])
            .orderBy(sql`date_trunc('month', issued_on)`)
            .execute(),
          deps.db
            .selectFrom('ngo_refunds')
            .select(['agreement_id', 'amount_cents', dateText('paid_on').as('paid_on')])
            .where('agreement_id', 'in', ids)
            .orderBy('recorded_at')
            .execute(),
        ]);
  const orgType = (t: string) => (t === 'foundation' ? 60 : 22);
  const tx = (type: number, date: string, cents: number, description?: string) =>
    `      <transaction>\n        <transaction-type code="${type}"/>\n        <transaction-date iso-date="${date}"/>\n        <value currency="USD" value-date="${date}">${money(cents)}</value>${description ? `\n        <description><narrative xml:lang="es">${xml(description)}</narrative></description>` : ''}\n      </transaction>`;
  const activities = data.agreements.map((a) => {
    const org = data.organisations.find((o) => o.id === a.organisationId)!;
    const transactions = [
      tx(2, a.signedOn, a.agreementCents, `Convenio ${a.number}`),
      ...payments
        .filter((p) => p.agreement_id === a.id)
        .map((p) => tx(3, p.paid_on ?? a.signedOn, Number(p.amount_cents))),
      ...refunds
        .filter((r) => r.agreement_id === a.id)
        .map((r) =>
          tx(3, r.paid_on, -Number(r.amount_cents), 'Reintegro al Fondo General (desembolso negativo)'),
        ),
      ...expenses
        .filter((e) => e.agreement_id === a.id)
        .map((e) => tx(4, e.month, Number(e.total), 'Gastos comprobados y aprobados del mes')),
    ];
    const results = a.indicators.map(
      (i) => `      <result type="1" aggregation-status="0">
        <title><narrative xml:lang="es">${xml(i.name)}</narrative></title>
        <indicator measure="1" ascending="1">
          <title><narrative xml:lang="es">${xml(i.name)} (${xml(i.unit)})</narrative></title>
          <baseline year="${a.startsOn.slice(0, 4)}" value="${xml(i.baseline)}"/>
          <period>
            <period-start iso-date="${a.startsOn}"/>
            <period-end iso-date="${a.endsOn}"/>
            <target value="${xml(i.target)}"/>${i.actual === null ? '' : `\n            <actual value="${xml(i.actual)}"/>`}
          </period>
        </indicator>
      </result>`,
    );
    return `  <iati-activity default-currency="USD" xml:lang="es" last-updated-datetime="${data.generatedAt}">
    <iati-identifier>${xml(`${REPORTING_ORG.ref}-${a.number}`)}</iati-identifier>
    <reporting-org ref="${REPORTING_ORG.ref}" type="10"><narrative>${xml(REPORTING_ORG.name)}</narrative></reporting-org>
    <title><narrative>${xml(a.title)}</narrative></title>
    <description><narrative>${xml(`${a.programme} · plan ${a.planCode} · convenio ${a.number}`)}</narrative></description>
    <participating-org role="1" type="10" ref="${REPORTING_ORG.ref}"><narrative>${xml(REPORTING_ORG.name)}</narrative></participating-org>
    <participating-org role="2" type="10" ref="${REPORTING_ORG.ref}"><narrative>${xml(REPORTING_ORG.name)}</narrative></participating-org>
    <participating-org role="4" type="${orgType(org.type)}"><narrative>${xml(org.name)}</narrative></participating-org>
    <activity-status code="${activityStatus(a.status)}"/>
    <activity-date type="2" iso-date="${a.startsOn}"/>
    <activity-date type="3" iso-date="${a.endsOn}"/>
    <budget type="1" status="2">
      <period-start iso-date="${a.startsOn}"/>
      <period-end iso-date="${a.endsOn}"/>
      <value currency="USD" value-date="${a.signedOn}">${money(a.agreementCents)}</value>
    </budget>
${transactions.join('\n')}
${results.join('\n')}
  </iati-activity>`;
  });
  const notice = REPORTING_ORG.placeholder
    ? `<!-- AVISO: el identificador IATI del Ministerio (${REPORTING_ORG.ref}) es un valor provisional inventado; configure GRANTS_IATI_ORG_REF con el identificador real. NOTICE: placeholder reporting-org identifier. -->\n`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${notice}<iati-activities version="2.03" generated-datetime="${data.generatedAt}">\n${activities.join('\n')}\n</iati-activities>\n`;
}

/** One organisation with red flags on the dashboard: counts by severity and the codes raised. */
export interface DashboardOrganisationFlags {
  organisationId: string;
  organisationName: string;
  high: number;
  medium: number;
  low: number;
  codes: RedFlagCode[];
}

/**
 * Red flags of every organisation that is not dissolved, computed by grants/red-flags (the same as
 * GET /grants/organisations/:id/red-flags): organisations with flags, most high-severity first.
 */
export async function organisationRedFlags(
  deps: Pick<AppDeps, 'db' | 'clock'>,
): Promise<DashboardOrganisationFlags[]> {
  const orgs = await deps.db
    .selectFrom('ngo_organisations')
    .select('id')
    .where('status', '!=', 'dissolved')
    .orderBy('name')
    .execute();
  const out: DashboardOrganisationFlags[] = [];
  for (const o of orgs) {
    const report = await computeRedFlags(deps, o.id, 'es');
    if (report.flags.length === 0) continue;
    const count = (severity: string) => report.flags.filter((f) => f.severity === severity).length;
    out.push({
      organisationId: o.id,
      organisationName: report.organisationName,
      high: count('high'),
      medium: count('medium'),
      low: count('low'),
      codes: [...new Set(report.flags.map((f) => f.code))],
    });
  }
  return out.sort((a, b) => b.high - a.high || b.medium - a.medium);
}

/**
 * Internal dashboard: funds by status and by programme, overdue plan reviews (workflow steps past
 * due), overdue liquidations, and red flags: receipts flagged by the automatic checks plus the
 * per-organisation red flags of grants/red-flags (registry, credentials, pending liquidation,
 * conflicts, shared bank account…).
 */
export async function grantsDashboard(deps: Pick<AppDeps, 'db' | 'clock'>) {
  const now = deps.clock.now();
  const money = sql<string>`coalesce(sum(coalesce(a.amount_cents, p.approved_cents, p.requested_cents)), 0)`;
  const disbursed = sql<string>`coalesce(sum((SELECT coalesce(sum(d.amount_cents), 0) FROM ngo_disbursements d WHERE d.agreement_id = a.id AND d.status = 'paid')), 0)`;
  const organisations = await organisationRedFlags(deps);
  const [byStatus, byProgramme, overdueReviews, overdueLiquidations, flagged] = await Promise.all([
    deps.db
      .selectFrom('ngo_plans as p')
      .leftJoin('ngo_agreements as a', 'a.plan_id', 'p.id')
      .select(['p.status', sql<string>`count(*)`.as('plans'), money.as('amount'), disbursed.as('disbursed')])
      .groupBy('p.status')
      .orderBy('p.status')
      .execute(),
    deps.db
      .selectFrom('ngo_plans as p')
      .innerJoin('ngo_calls as c', 'c.id', 'p.call_id')
      .leftJoin('ngo_agreements as a', 'a.plan_id', 'p.id')
      .select([
        'c.programme',
        sql<string>`count(*)`.as('plans'),
        money.as('amount'),
        disbursed.as('disbursed'),
      ])
      .where('p.status', 'not in', ['draft', 'rejected', 'withdrawn'])
      .groupBy('c.programme')
      .orderBy('c.programme')
      .execute(),
    deps.db
      .selectFrom('workflow_case_steps as s')
      .innerJoin('workflow_cases as c', 'c.id', 's.case_id')
      .select(['c.id as case_id', 'c.title', 'c.definition_code', 's.step_code', 's.due_at'])
      .where('c.status', '=', 'open')
      .where('c.definition_code', 'like', 'ngo_%')
      .where('s.status', '=', 'open')
      .where('s.due_at', '<', now)
      .orderBy('s.due_at')
      .execute(),
    deps.db
      .selectFrom('ngo_plans as p')
      .innerJoin('ngo_organisations as o', 'o.id', 'p.organisation_id')
      .leftJoin('ngo_agreements as a', 'a.plan_id', 'p.id')
      .select([
        'p.id',
        'p.code',
        'p.title',
        'p.status',
        'p.liquidation_due_at',
        'o.name as organisation_name',
        'a.number as agreement_number',
      ])
      .where((eb) =>
        eb.or([
          eb('p.status', '=', 'liquidation_overdue'),
          eb.and([
            eb('p.status', 'in', ['agreement_signed', 'in_execution']),
            eb('p.liquidation_due_at', '<', now),
          ]),
        ]),
      )
      .orderBy('p.liquidation_due_at')
      .execute(),
    deps.db
      .selectFrom('ngo_receipts')
      .select([
        sql<string>`count(*)`.as('n'),
        sql<string>`count(*) FILTER (WHERE checks @> '[{"code":"duplicate_receipt"}]')`.as('duplicates'),
      ])
      .where(sql<boolean>`jsonb_array_length(checks) > 0`)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    generatedAt: now.toISOString(),
    byStatus: byStatus.map((r) => ({
      status: r.status,
      plans: Number(r.plans),
      amountCents: Number(r.amount),
      disbursedCents: Number(r.disbursed),
    })),
    byProgramme: byProgramme.map((r) => ({
      programme: r.programme,
      plans: Number(r.plans),
      amountCents: Number(r.amount),
      disbursedCents: Number(r.disbursed),
    })),
    overdueReviews: overdueReviews.map((r) => ({
      caseId: r.case_id,
      title: r.title,
      workflow: r.definition_code,
      step: r.step_code,
      dueAt: r.due_at!.toISOString(),
      daysOverdue: Math.floor((now.getTime() - r.due_at!.getTime()) / 86_400_000),
    })),
    overdueLiquidations: overdueLiquidations.map((r) => ({
      planId: r.id,
      planCode: r.code,
      title: r.title,
      status: r.status,
      organisationName: r.organisation_name,
      agreementNumber: r.agreement_number,
      liquidationDueAt: r.liquidation_due_at!.toISOString(),
      daysOverdue: Math.floor((now.getTime() - r.liquidation_due_at!.getTime()) / 86_400_000),
    })),
    redFlags: {
      total: Number(flagged.n) + organisations.reduce((s, o) => s + o.high + o.medium + o.low, 0),
      flaggedReceipts: Number(flagged.n),
      duplicateReceipts: Number(flagged.duplicates),
      organisationsFlagged: organisations.length,
      organisationFlags: organisations.reduce((s, o) => s + o.high + o.medium + o.low, 0),
      organisationHighFlags: organisations.reduce((s, o) => s + o.high, 0),
      organisations,
    },
  };
}
