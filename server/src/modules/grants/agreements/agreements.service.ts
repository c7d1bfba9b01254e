import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { evaluateTrancheConditions } from '../disbursements/conditions.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import type { PlanStatus } from '../grants.tables.js';
import { type GrantsAccess, organisationFilter } from '../shared/access.js';
import { addDays, assertDate, assertDateOrder, dateText } from '../shared/dates.js';
import { readDocument } from '../shared/files.js';
import { assertCents, sumCents } from '../shared/money.js';
import type { AgreementCreate, AgreementListQuery, AgreementSummary } from './agreements.schemas.js';
import {
  type AgreementRow,
  agreementBudgetLines,
  agreementIndicators,
  assertNoOverdueLiquidation,
  loadAgreement,
  reconcile,
  usd,
} from './execution.common.js';
import { renderPdf, storeGeneratedPdf } from './pdf.js';

/** Default split-purchase threshold: US$ 5,000 (configurable per agreement). */
export const DEFAULT_SPLIT_THRESHOLD_CENTS = 500_000;
export const DEFAULT_SPLIT_WINDOW_DAYS = 30;

/** End of the last day to liquidate, in El Salvador (UTC−6): `ends_on` + N days, 23:59:59. */
export function liquidationDueAt(endsOn: string, days: number): Date {
  return new Date(`${addDays(endsOn, days)}T23:59:59.000-06:00`);
}

function toSummary(a: AgreementRow & { organisation_name: string }): AgreementSummary {
  return {
    id: a.id,
    number: a.number,
    planId: a.plan_id,
    planCode: a.plan_code,
    planTitle: a.plan_title,
    planStatus: a.plan_status,
    organisationId: a.organisation_id,
    organisationName: a.organisation_name,
    amountCents: Number(a.amount_cents),
    startsOn: a.starts_on,
    endsOn: a.ends_on,
    signedOn: a.signed_on,
    liquidationDueAt: a.liquidation_due_at ? a.liquidation_due_at.toISOString() : null,
    administratorId: a.administrator_id,
    summarySha256: a.summary_sha256,
    closingActSha256: a.closing_act_sha256,
  };
}

/**
 * Signs the agreement of an approved plan: amount up to the approved amount, period in order,
 * tranches adding up to the amount (the first without conditions), an active administrator not
 * linked to the NGO; the summary PDF is generated and stored with its SHA-256; the plan moves to
 * agreement_signed with its liquidation deadline.
 */
export async function createAgreement(
  deps: AppDeps,
  ctx: RequestContext,
  planId: string,
  input: AgreementCreate,
): Promise<AgreementSummary> {
  const amount = assertCents(input.amountCents, 'amountCents');
  const startsOn = assertDate(input.startsOn, 'startsOn');
  const endsOn = assertDate(input.endsOn, 'endsOn');
  const signedOn = assertDate(input.signedOn, 'signedOn');
  assertDateOrder(startsOn, endsOn, ['startsOn', 'endsOn']);
  const tranches = input.tranches.map((t, i) => ({
    number: i + 1,
    amount: assertCents(t.amountCents, `tranches[${i}].amountCents`),
    pct: t.minJustifiedPct ?? 0,
    visit: t.requiresVisit ?? false,
    plannedOn: t.plannedOn ? assertDate(t.plannedOn, `tranches[${i}].plannedOn`) : null,
  }));
  const tranchesTotal = sumCents(
    tranches.map((t) => t.amount),
    'tranches',
  );
  if (tranchesTotal !== amount) {
    throw new AppError('GRANT_AGREEMENT_TRANCHES_MISMATCH', 400, {
      tranches: usd(tranchesTotal),
      amount: usd(amount),
    });
  }
  if (tranches[0]!.pct > 0 || tranches[0]!.visit)
    throw new AppError('GRANT_AGREEMENT_FIRST_TRANCHE_CONDITION', 400);
  const threshold =
    input.splitThresholdCents === undefined
      ? DEFAULT_SPLIT_THRESHOLD_CENTS
      : assertCents(input.splitThresholdCents, 'splitThresholdCents');
  const liquidationDays = input.liquidationDays ?? 30;
  const number = input.number.trim();
  const id = randomUUID();

  await deps.tx(ctx, async (uow) => {
    const plan = await uow.db
      .selectFrom('ngo_plans as p')
      .innerJoin('ngo_organisations as o', 'o.id', 'p.organisation_id')
      .innerJoin('ngo_calls as c', 'c.id', 'p.call_id')
      .select([
        'p.id',
        'p.code',
        'p.title',
        'p.status',
        'p.approved_cents',
        'p.current_version',
        'p.organisation_id',
        'o.name as org_name',
        'o.nit as org_nit',
        'o.legal_rep_name',
        'c.programme',
        'c.budget_specific',
      ])
      .where('p.id', '=', planId)
      .forUpdate('p')
      .executeTakeFirst();
    if (!plan) throw new AppError('GRANT_PLAN_NOT_FOUND', 404);
    if (plan.status !== 'approved')
      throw new AppError('GRANT_AGREEMENT_PLAN_NOT_APPROVED', 409, { status: plan.status });
    if (amount > Number(plan.approved_cents ?? 0)) {
      throw new AppError('GRANT_AGREEMENT_ABOVE_APPROVED', 400, {
        amount: usd(amount),
        approved: usd(Number(plan.approved_cents ?? 0)),
      });
    }
    await assertNoOverdueLiquidation(uow.db, plan.organisation_id, uow.now);
    const admin = await uow.db
      .selectFrom('users')
      .select(['id', 'display_name', 'dui', 'active'])
      .where('id', '=', input.administratorId)
      .executeTakeFirst();
    if (!admin?.active) throw new AppError('GRANT_AGREEMENT_ADMINISTRATOR_INVALID', 400);
    const linked = await uow.db
      .selectFrom('ngo_users')
      .select('id')
      .where('organisation_id', '=', plan.organisation_id)
      .where('user_id', '=', admin.id)
      .where('unlinked_at', 'is', null)
      .executeTakeFirst();
    const boardDui = admin.dui
      ? await uow.db
          .selectFrom('ngo_board_members')
          .select('id')
          .where('organisation_id', '=', plan.organisation_id)
          .where('dui', '=', admin.dui)
          .where('to_date', 'is', null)
          .executeTakeFirst()
      : undefined;
    if (linked || boardDui) throw new AppError('GRANT_AGREEMENT_ADMINISTRATOR_LINKED', 409);
    const taken = await uow.db
      .selectFrom('ngo_agreements')
      .select('id')
      .where(sql<boolean>`upper(btrim(number)) = upper(${number})`)
      .executeTakeFirst();
    if (taken) throw new AppError('GRANT_AGREEMENT_NUMBER_TAKEN', 409, { number });

    const due = liquidationDueAt(endsOn, liquidationDays);
    const pdf = await renderPdf(
      {
        title: `Convenio ${number} — resumen`,
        subtitle: `Fondos públicos a ONG · ${plan.programme}`,
        rows: [
          ['Organización', `${plan.org_name} (NIT ${plan.org_nit})`],
          ['Representante legal', plan.legal_rep_name],
          ['Plan de trabajo', `${plan.code} · ${plan.title} (versión ${plan.current_version})`],
          ['Monto del convenio', usd(amount)],
          ['Monto aprobado', usd(Number(plan.approved_cents))],
          ['Específico presupuestario', plan.budget_specific],
          ['Vigencia', `del ${startsOn} al ${endsOn}`],
          ['Fecha de firma', signedOn],
          [
            'Plazo de liquidación',
            `${liquidationDays} días tras el fin de la vigencia (hasta el ${addDays(endsOn, liquidationDays)})`,
          ],
          ['Administrador del convenio', admin.display_name],
        ],
        sections: [
          {
            heading: 'Tramos de desembolso',
            lines: tranches.map(
              (t) =>
                `Tramo ${t.number}: ${usd(t.amount)}${t.plannedOn ? `, previsto el ${t.plannedOn}` : ''}` +
                (t.number === 1
                  ? ' — a la firma.'
                  : ` — condiciones: ${t.pct} % de lo desembolsado antes justificado${t.visit ? ' y un informe de visita de monitoreo aprobado' : ''}.`),
            ),
          },
          {
            heading: 'Líneas presupuestarias',
            lines: (await agreementBudgetLines(uow.db, plan.id, plan.current_version)).map(
              (l) => `${l.line_code} · ${l.description}: ${usd(Number(l.amount_cents))}`,
            ),
          },
        ],
        footer: `Generado por Centinela el ${uow.now.toISOString()} · convenio ${number}`,
      },
      uow.now,
    );
    const stored = await storeGeneratedPdf(deps.config.dataDir, pdf, `convenio-${number}.pdf`);
    await uow.db
      .insertInto('ngo_agreements')
      .values({
        id,
        number,
        plan_id: plan.id,
        plan_version: plan.current_version,
        organisation_id: plan.organisation_id,
        amount_cents: amount,
        starts_on: startsOn,
        ends_on: endsOn,
        signed_on: signedOn,
        liquidation_days: liquidationDays,
        split_threshold_cents: threshold,
        split_window_days: input.splitWindowDays ?? DEFAULT_SPLIT_WINDOW_DAYS,
        administrator_id: admin.id,
        budget_specific: plan.budget_specific,
        summary_sha256: stored.sha256,
        summary_storage_key: stored.storageKey,
        closing_act_sha256: null,
        closing_act_storage_key: null,
        closed_at: null,
        closed_by: null,
        created_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        created_at: uow.now,
        updated_at: uow.now,
      })
      .execute();
    await uow.db
      .insertInto('ngo_agreement_tranches')
      .values(
        tranches.map((t) => ({
          id: randomUUID(),
          agreement_id: id,
          number: t.number,
          amount_cents: t.amount,
          min_justified_pct: t.pct,
          requires_visit: t.visit,
          planned_on: t.plannedOn,
        })),
      )
      .execute();
    await uow.db
      .updateTable('ngo_plans')
      .set({ status: 'agreement_signed', liquidation_due_at: due, updated_at: uow.now })
      .where('id', '=', plan.id)
      .execute();
    uow.audit({
      action: 'grant.agreement_signed',
      entityType: 'ngo_agreement',
      entityId: id,
      before: { planStatus: plan.status },
      after: {
        number,
        planId: plan.id,
        amountCents: amount,
        startsOn,
        endsOn,
        liquidationDueAt: due.toISOString(),
        tranches: tranches.map((t) => ({
          number: t.number,
          amountCents: t.amount,
          minJustifiedPct: t.pct,
          requiresVisit: t.visit,
        })),
        administratorId: admin.id,
        summarySha256: stored.sha256,
      },
    });
    uow.emit({
      type: 'grant.agreement_signed',
      entityType: 'ngo_agreement',
      entityId: id,
      permission: P.read,
      payload: {
        agreementId: id,
        planId: plan.id,
        organisationId: plan.organisation_id,
        amountCents: amount,
      },
    });
  });
  return (await listAgreements(deps, { all: true, organisationId: null } as GrantsAccess, {}, id)).items[0]!;
}

export async function listAgreements(
  deps: Pick<AppDeps, 'db'>,
  access: GrantsAccess,
  query: AgreementListQuery,
  onlyId?: string,
): Promise<{ items: AgreementSummary[] }> {
  let q = deps.db
    .selectFrom('ngo_agreements as a')
    .innerJoin('ngo_plans as p', 'p.id', 'a.plan_id')
    .innerJoin('ngo_organisations as o', 'o.id', 'a.organisation_id')
    .select([
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
      'o.name as organisation_name',
    ])
    .orderBy('a.created_at', 'desc')
    .limit(onlyId ? 1 : 5000);
  const org = organisationFilter(access);
  if (org) q = q.where('a.organisation_id', '=', org);
  if (query.organisationId) q = q.where('a.organisation_id', '=', query.organisationId);
  if (query.status) q = q.where('p.status', '=', query.status as PlanStatus);
  if (onlyId) q = q.where('a.id', '=', onlyId);
  const rows = await q.execute();
  return { items: rows.map(toSummary) };
}

/** One agreement with its tranches (and the conditions of each one today), reconciliation and indicators. */
export async function getAgreement(deps: Pick<AppDeps, 'db' | 'clock'>, access: GrantsAccess, id: string) {
  const agreement = await loadAgreement(deps.db, access, id);
  const [summary, tranches, disbursements, reconciliation, indicators, actuals] = await Promise.all([
    listAgreements(deps, access, {}, id),
    deps.db
      .selectFrom('ngo_agreement_tranches')
      .select([
        'id',
        'number',
        'amount_cents',
        'min_justified_pct',
        'requires_visit',
        dateText('planned_on').as('planned_on'),
      ])
      .where('agreement_id', '=', id)
      .orderBy('number')
      .execute(),
    deps.db
      .selectFrom('ngo_disbursements')
      .select(['tranche_id', 'status'])
      .where('agreement_id', '=', id)
      .where('status', '!=', 'rejected')
      .execute(),
    reconcile(deps.db, agreement),
    agreementIndicators(deps.db, agreement.plan_id, agreement.plan_version),
    latestIndicatorValues(deps.db, [id]),
  ]);
  const now = deps.clock.now();
  return {
    ...summary.items[0]!,
    liquidationDays: agreement.liquidation_days,
    splitThresholdCents: Number(agreement.split_threshold_cents),
    splitWindowDays: agreement.split_window_days,
    tranches: await Promise.all(
      tranches.map(async (t) => {
        const d = disbursements.find((x) => x.tranche_id === t.id);
        return {
          id: t.id,
          number: t.number,
          amountCents: Number(t.amount_cents),
          minJustifiedPct: t.min_justified_pct,
          requiresVisit: t.requires_visit,
          plannedOn: t.planned_on,
          disbursementStatus: d?.status ?? null,
          conditions: d?.status === 'paid' ? [] : await evaluateTrancheConditions(deps.db, agreement, t, now),
        };
      }),
    ),
    reconciliation,
    indicators: indicators.map((i) => ({ ...i, actual: actuals.get(`${id}:${i.code}`) ?? null })),
  };
}

/** The latest reported value of each indicator of the given agreements (`agreementId:code` → value). */
export async function latestIndicatorValues(
  db: AppDeps['db'],
  agreementIds: string[],
): Promise<Map<string, number>> {
  if (agreementIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('ngo_indicator_reports')
    .select(['agreement_id', 'indicator_code', 'value'])
    .distinctOn(['agreement_id', 'indicator_code'])
    .where('agreement_id', 'in', agreementIds)
    .orderBy('agreement_id')
    .orderBy('indicator_code')
    .orderBy('period_to', 'desc')
    .orderBy('reported_at', 'desc')
    .execute();
  return new Map(rows.map((r) => [`${r.agreement_id}:${r.indicator_code}`, Number(r.value)]));
}

/** The stored summary PDF or closing act of an agreement, checked against its SHA-256. */
export async function readAgreementPdf(
  deps: Pick<AppDeps, 'db' | 'config'>,
  access: GrantsAccess,
  id: string,
  kind: 'summary' | 'closing_act',
): Promise<{ bytes: Buffer; fileName: string }> {
  const a = await loadAgreement(deps.db, access, id);
  if (kind === 'summary') {
    return {
      bytes: await readDocument(deps.config.dataDir, a.summary_storage_key, a.summary_sha256),
      fileName: `convenio-${a.number}.pdf`,
    };
  }
  if (!a.closing_act_storage_key || !a.closing_act_sha256)
    throw new AppError('GRANT_CLOSING_ACT_NOT_READY', 404);
  return {
    bytes: await readDocument(deps.config.dataDir, a.closing_act_storage_key, a.closing_act_sha256),
    fileName: `acta-cierre-${a.number}.pdf`,
  };
}
