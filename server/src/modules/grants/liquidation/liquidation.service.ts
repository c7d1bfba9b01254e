import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { hasPermission, type Principal } from '../../../platform/http/principal.js';
import {
  actOnCaseInTx,
  openCase,
  registerWorkflowHandler,
  type WorkflowActionEvent,
} from '../../workflow/index.js';
import {
  type AgreementRow,
  assertNoOverdueLiquidation,
  loadAgreement,
  reconcile,
  usd,
  userName,
} from '../agreements/execution.common.js';
import type { Reconciliation } from '../agreements/execution.tables.js';
import { assertPaymentDate } from '../agreements/payment-dates.js';
import { renderPdf, storeGeneratedPdf } from '../agreements/pdf.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { organisationLinkedActors, PLAN_REVIEW } from '../review/index.js';
import { type GrantsAccess, grantsAccess } from '../shared/access.js';
import { assertDate, dateText, todayInElSalvador } from '../shared/dates.js';
import { decodeDocument, storeDocument } from '../shared/files.js';
import { assertCents } from '../shared/money.js';
import { LIQUIDATION_APPROVAL, LIQUIDATION_SUBJECT } from './liquidation.definition.js';

/** The NGO's own staff, or back-office people holding `permission`. */
function assertNgoOr(
  principal: Principal,
  access: GrantsAccess,
  organisationId: string,
  permission: string,
  code: string,
) {
  const ngo = hasPermission(principal, P.ngoSubmit) && access.organisationId === organisationId;
  if (!ngo && !hasPermission(principal, permission)) throw new AppError(code, 403);
}

export async function getReconciliation(
  deps: Pick<AppDeps, 'db'>,
  principal: Principal,
  agreementId: string,
) {
  const access = await grantsAccess(deps.db, principal);
  const agreement = await loadAgreement(deps.db, access, agreementId);
  const [reconciliation, refunds, liquidations] = await Promise.all([
    reconcile(deps.db, agreement),
    deps.db
      .selectFrom('ngo_refunds')
      .select([
        'id',
        'amount_cents',
        'reference',
        dateText('paid_on').as('paid_on'),
        'budget_line_code',
        'sha256',
        'recorded_at',
      ])
      .where('agreement_id', '=', agreementId)
      .orderBy('recorded_at')
      .execute(),
    deps.db
      .selectFrom('ngo_liquidations')
      .select(['id', 'status', 'final_report', 'case_id', 'submitted_at', 'decided_at', 'decision_reason'])
      .where('agreement_id', '=', agreementId)
      .orderBy('submitted_at', 'desc')
      .execute(),
  ]);
  return {
    agreementId,
    planStatus: agreement.plan_status,
    liquidationDueAt: agreement.liquidation_due_at?.toISOString() ?? null,
    ...reconciliation,
    refunds: refunds.map((r) => ({
      id: r.id,
      amountCents: Number(r.amount_cents),
      reference: r.reference,
      paidOn: r.paid_on,
      budgetLineCode: r.budget_line_code,
      sha256: r.sha256,
      recordedAt: r.recorded_at.toISOString(),
    })),
    liquidations: liquidations.map((l) => ({
      id: l.id,
      status: l.status,
      finalReport: l.final_report,
      caseId: l.case_id,
      submittedAt: l.submitted_at.toISOString(),
      decidedAt: l.decided_at?.toISOString() ?? null,
      decisionReason: l.decision_reason,
    })),
  };
}

export interface RefundInput {
  amountCents: number;
  reference: string;
  paidOn: string;
  budgetLineCode?: string | undefined;
  file?: { data: string; fileName?: string | undefined; mime?: string | undefined } | undefined;
}

/**
 * Records a refund (reintegro) to the Treasury, with its deposit reference (unique) and optionally
 * the deposit slip. Never more than what is still unjustified (disbursed − justified − refunded).
 */
export async function recordRefund(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  agreementId: string,
  input: RefundInput,
) {
  const amount = assertCents(input.amountCents, 'amountCents');
  const paidOn = assertDate(input.paidOn, 'paidOn');
  const reference = input.reference.trim();
  if (reference.length < 3) throw new AppError('GRANT_PAYMENT_REFERENCE_REQUIRED', 400);
  const doc = input.file ? decodeDocument(input.file) : null;
  const access = await grantsAccess(deps.db, principal);
  const storageKey = doc ? await storeDocument(deps.config.dataDir, doc) : null;
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const agreement = await loadAgreement(uow.db, access, agreementId, true);
    assertNgoOr(principal, access, agreement.organisation_id, P.financePay, 'GRANT_REFUND_NOT_ALLOWED');
    if (!['in_execution', 'liquidation_overdue'].includes(agreement.plan_status)) {
      throw new AppError('GRANT_AGREEMENT_NOT_IN_EXECUTION', 409, { status: agreement.plan_status });
    }
    assertPaymentDate(paidOn, agreement, uow.now);
    const rec = await reconcile(uow.db, agreement);
    if (input.budgetLineCode && !rec.lines.some((l) => l.lineCode === input.budgetLineCode)) {
      throw new AppError('GRANT_RECEIPT_BUDGET_LINE_UNKNOWN', 400, { line: input.budgetLineCode });
    }
    if (amount > rec.balanceCents) {
      throw new AppError('GRANT_REFUND_ABOVE_BALANCE', 409, {
        amount: usd(amount),
        balance: usd(rec.balanceCents),
      });
    }
    const dup = await uow.db
      .selectFrom('ngo_refunds')
      .select('id')
      .where(sql<boolean>`upper(btrim(reference)) = upper(${reference})`)
      .executeTakeFirst();
    if (dup) throw new AppError('GRANT_PAYMENT_REFERENCE_TAKEN', 409, { reference });
    await uow.db
      .insertInto('ngo_refunds')
      .values({
        id,
        agreement_id: agreement.id,
        amount_cents: amount,
        reference,
        paid_on: paidOn,
        budget_line_code: input.budgetLineCode ?? null,
        sha256: doc?.sha256 ?? null,
        storage_key: storageKey,
        recorded_by: principal.id,
        recorded_at: uow.now,
      })
      .execute();
    uow.audit({
      action: 'grant.refund_recorded',
      entityType: 'ngo_agreement',
      entityId: agreement.id,
      after: {
        refundId: id,
        amountCents: amount,
        reference,
        paidOn,
        budgetLineCode: input.budgetLineCode ?? null,
        sha256: doc?.sha256 ?? null,
      },
    });
    uow.emit({
      type: 'grant.refund_recorded',
      entityType: 'ngo_agreement',
      entityId: agreement.id,
      permission: P.read,
      payload: { agreementId: agreement.id, refundId: id, amountCents: amount },
    });
  });
  return getReconciliation(deps, principal, agreementId);
}

/**
 * Submits the liquidation: every receipt reviewed, no disbursement in process, and what was
 * disbursed fully justified or refunded. Opens the finance + monitoring approval case.
 */
export async function submitLiquidation(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  agreementId: string,
  input: { finalReport: string },
) {
  const finalReport = input.finalReport.trim();
  if (finalReport.length < 10) throw new AppError('GRANT_LIQUIDATION_REPORT_REQUIRED', 400);
  const access = await grantsAccess(deps.db, principal);
  await deps.tx(ctx, async (uow) => {
    const agreement = await loadAgreement(uow.db, access, agreementId, true);
    assertNgoOr(
      principal,
      access,
      agreement.organisation_id,
      P.liquidate,
      'GRANT_LIQUIDATION_SUBMIT_NOT_ALLOWED',
    );
    if (!['in_execution', 'liquidation_overdue'].includes(agreement.plan_status)) {
      throw new AppError('GRANT_LIQUIDATION_WRONG_STATUS', 409, { status: agreement.plan_status });
    }
    const inProcess = await uow.db
      .selectFrom('ngo_disbursements')
      .select('id')
      .where('agreement_id', '=', agreement.id)
      .where('status', 'in', ['requested', 'authorised'])
      .executeTakeFirst();
    if (inProcess) throw new AppError('GRANT_LIQUIDATION_DISBURSEMENT_PENDING', 409);
    const rec = await reconcile(uow.db, agreement);
    if (rec.pendingReceipts > 0)
      throw new AppError('GRANT_LIQUIDATION_RECEIPTS_PENDING', 409, { count: rec.pendingReceipts });
    if (rec.balanceCents !== 0) {
      throw new AppError(
        'GRANT_LIQUIDATION_UNBALANCED',
        409,
        {
          disbursed: usd(rec.disbursedCents),
          justified: usd(rec.justifiedCents),
          refunded: usd(rec.refundedCents),
          balance: usd(rec.balanceCents),
        },
        rec,
      );
    }
    const id = randomUUID();
    const { id: caseId } = await openCase(uow, {
      definition: LIQUIDATION_APPROVAL,
      subjectType: LIQUIDATION_SUBJECT,
      subjectId: id,
      openedBy: { id: principal.id, name: principal.name },
      excludedActors: await organisationLinkedActors(
        uow.db,
        agreement.organisation_id,
        todayInElSalvador(uow.now),
      ),
      title: `Liquidación del convenio ${agreement.number} · ${usd(rec.disbursedCents)}`,
    });
    await uow.db
      .insertInto('ngo_liquidations')
      .values({
        id,
        agreement_id: agreement.id,
        status: 'submitted',
        final_report: finalReport,
        reconciliation: JSON.stringify(rec),
        disbursed_cents: rec.disbursedCents,
        justified_cents: rec.justifiedCents,
        refunded_cents: rec.refundedCents,
        case_id: caseId,
        submitted_by: principal.id,
        submitted_at: uow.now,
        decided_at: null,
        decision_reason: null,
      })
      .execute();
    await uow.db
      .updateTable('ngo_plans')
      .set({ status: 'liquidation_submitted', updated_at: uow.now })
      .where('id', '=', agreement.plan_id)
      .execute();
    uow.audit({
      action: 'grant.liquidation_submitted',
      entityType: 'ngo_liquidation',
      entityId: id,
      before: { planStatus: agreement.plan_status },
      after: { planStatus: 'liquidation_submitted', caseId, ...rec },
    });
    uow.emit({
      type: 'grant.liquidation_submitted',
      entityType: 'ngo_liquidation',
      entityId: id,
      permission: P.liquidate,
      payload: { liquidationId: id, agreementId: agreement.id, caseId },
    });
  });
  return getReconciliation(deps, principal, agreementId);
}

/** Finance's or monitoring's decision on a liquidation (through its workflow case). */
export async function decideLiquidation(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  liquidationId: string,
  input: {
    step: 'finance' | 'monitoring';
    outcome: 'approve' | 'return';
    reason?: string | undefined;
    checklist?: { code: string; checked: boolean }[] | undefined;
  },
) {
  const l = await deps.db
    .selectFrom('ngo_liquidations')
    .select(['case_id', 'agreement_id', 'status'])
    .where('id', '=', liquidationId)
    .executeTakeFirst();
  if (!l?.case_id) throw new AppError('GRANT_LIQUIDATION_NOT_FOUND', 404);
  if (l.status !== 'submitted')
    throw new AppError('GRANT_LIQUIDATION_WRONG_STATUS', 409, { status: l.status });
  await deps.tx(ctx, (uow) =>
    actOnCaseInTx(uow, principal, l.case_id!, {
      step: input.step,
      outcome: input.outcome,
      reason: input.reason ?? null,
      checklist: input.checklist,
    }),
  );
  return getReconciliation(deps, principal, l.agreement_id);
}

async function onLiquidationAction(event: WorkflowActionEvent): Promise<void> {
  const { uow } = event;
  const l = await uow.db
    .selectFrom('ngo_liquidations')
    .selectAll()
    .where('id', '=', event.subjectId)
    .forUpdate()
    .executeTakeFirst();
  if (!l) throw new AppError('GRANT_LIQUIDATION_NOT_FOUND', 404);
  const agreement = await loadAgreement(uow.db, null, l.agreement_id, true);
  if (event.outcome === 'return') {
    const overdue = agreement.liquidation_due_at !== null && agreement.liquidation_due_at < uow.now;
    const planStatus = overdue ? 'liquidation_overdue' : 'in_execution';
    await uow.db
      .updateTable('ngo_liquidations')
      .set({ status: 'returned', decided_at: uow.now, decision_reason: event.reason })
      .where('id', '=', l.id)
      .execute();
    await uow.db
      .updateTable('ngo_plans')
      .set({ status: planStatus, updated_at: uow.now })
      .where('id', '=', agreement.plan_id)
      .execute();
    uow.audit({
      action: 'grant.liquidation_returned',
      entityType: 'ngo_liquidation',
      entityId: l.id,
      reason: event.reason,
      before: { planStatus: agreement.plan_status },
      after: { planStatus, step: event.step },
    });
    uow.emit({
      type: 'grant.liquidation_returned',
      entityType: 'ngo_liquidation',
      entityId: l.id,
      permission: P.read,
      payload: { liquidationId: l.id, agreementId: agreement.id, reason: event.reason },
    });
    return;
  }
  if (event.caseStatus !== 'approved') return;
  // The money may not have moved since submission: reconcile again.
  const rec = await reconcile(uow.db, agreement);
  if (rec.balanceCents !== 0 || rec.pendingReceipts > 0)
    throw new AppError('GRANT_LIQUIDATION_UNBALANCED', 409, {
      disbursed: usd(rec.disbursedCents),
      justified: usd(rec.justifiedCents),
      refunded: usd(rec.refundedCents),
      balance: usd(rec.balanceCents),
    });
  await uow.db
    .updateTable('ngo_liquidations')
    .set({ status: 'approved', decided_at: uow.now })
    .where('id', '=', l.id)
    .execute();
  await uow.db
    .updateTable('ngo_plans')
    .set({ status: 'liquidated', updated_at: uow.now })
    .where('id', '=', agreement.plan_id)
    .execute();
  uow.audit({
    action: 'grant.liquidation_approved',
    entityType: 'ngo_liquidation',
    entityId: l.id,
    before: { planStatus: agreement.plan_status },
    after: { planStatus: 'liquidated', ...rec },
  });
  uow.emit({
    type: 'grant.liquidation_approved',
    entityType: 'ngo_liquidation',
    entityId: l.id,
    permission: P.read,
    payload: { liquidationId: l.id, agreementId: agreement.id },
  });
}
registerWorkflowHandler(LIQUIDATION_APPROVAL, onLiquidationAction);

/**
 * An organisation with funds pending liquidation past the deadline gets no plan approved: refuses the
 * authority's approval of a plan review (same transaction as the workflow action).
 */
async function blockApprovalWhileOverdue(event: WorkflowActionEvent): Promise<void> {
  if (event.outcome !== 'approve' || event.caseStatus !== 'approved') return;
  const plan = await event.uow.db
    .selectFrom('ngo_plans')
    .select('organisation_id')
    .where('id', '=', event.subjectId)
    .executeTakeFirst();
  if (plan) await assertNoOverdueLiquidation(event.uow.db, plan.organisation_id, event.uow.now);
}
registerWorkflowHandler(PLAN_REVIEW, blockApprovalWhileOverdue);

function reconciliationLines(rec: Reconciliation): string[] {
  return [
    `Desembolsado: ${usd(rec.disbursedCents)}`,
    `Justificado (comprobantes aprobados): ${usd(rec.justifiedCents)}`,
    `Reintegrado: ${usd(rec.refundedCents)}`,
    `Saldo: ${usd(rec.balanceCents)}`,
    ...rec.lines.map(
      (l) =>
        `Línea ${l.lineCode || '—'} · ${l.description}: presupuesto ${usd(l.budgetCents)}, justificado ${usd(l.justifiedCents)}, reintegrado ${usd(l.refundedCents)}`,
    ),
  ];
}

/** Closes a liquidated agreement: the closing act (finiquito) PDF with its SHA-256; plan → closed. */
export async function closeAgreement(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  agreementId: string,
) {
  await deps.tx(ctx, async (uow) => {
    const agreement: AgreementRow = await loadAgreement(uow.db, null, agreementId, true);
    if (agreement.plan_status !== 'liquidated')
      throw new AppError('GRANT_CLOSE_NOT_LIQUIDATED', 409, { status: agreement.plan_status });
    const liquidation = await uow.db
      .selectFrom('ngo_liquidations')
      .selectAll()
      .where('agreement_id', '=', agreementId)
      .where('status', '=', 'approved')
      .executeTakeFirstOrThrow();
    const actions = await uow.db
      .selectFrom('workflow_actions')
      .select(['step_code', 'actor_name', 'acted_at'])
      .where('case_id', '=', liquidation.case_id!)
      .where('outcome', '=', 'approve')
      .orderBy('acted_at')
      .execute();
    const org = await uow.db
      .selectFrom('ngo_organisations')
      .select(['name', 'nit'])
      .where('id', '=', agreement.organisation_id)
      .executeTakeFirstOrThrow();
    const rec = await reconcile(uow.db, agreement);
    const pdf = await renderPdf(
      {
        title: `Acta de cierre (finiquito) del convenio ${agreement.number}`,
        subtitle: `${org.name} (NIT ${org.nit}) · plan ${agreement.plan_code}`,
        rows: [
          ['Convenio', agreement.number],
          ['Monto del convenio', usd(Number(agreement.amount_cents))],
          ['Vigencia', `del ${agreement.starts_on} al ${agreement.ends_on}`],
          ['Liquidación presentada', liquidation.submitted_at.toISOString()],
          ['Cerrado por', await userName(uow.db, principal.id)],
          ['Fecha de cierre', uow.now.toISOString()],
        ],
        sections: [
          { heading: 'Conciliación', lines: reconciliationLines(rec) },
          {
            heading: 'Aprobaciones de la liquidación',
            lines: actions.map(
              (a) =>
                `${a.step_code === 'finance' ? 'Financiera (UFI)' : 'Monitoreo'}: ${a.actor_name} — ${a.acted_at.toISOString()}`,
            ),
          },
          { heading: 'Informe final', lines: [liquidation.final_report] },
        ],
        footer: `Generado por Centinela el ${uow.now.toISOString()} · acta de cierre del convenio ${agreement.number}`,
      },
      uow.now,
    );
    const stored = await storeGeneratedPdf(deps.config.dataDir, pdf, `acta-cierre-${agreement.number}.pdf`);
    await uow.db
      .updateTable('ngo_agreements')
      .set({
        closing_act_sha256: stored.sha256,
        closing_act_storage_key: stored.storageKey,
        closed_at: uow.now,
        closed_by: principal.id,
        updated_at: uow.now,
      })
      .where('id', '=', agreementId)
      .execute();
    await uow.db
      .updateTable('ngo_plans')
      .set({ status: 'closed', updated_at: uow.now })
      .where('id', '=', agreement.plan_id)
      .execute();
    uow.audit({
      action: 'grant.agreement_closed',
      entityType: 'ngo_agreement',
      entityId: agreementId,
      before: { planStatus: 'liquidated' },
      after: { planStatus: 'closed', closingActSha256: stored.sha256 },
    });
    uow.emit({
      type: 'grant.agreement_closed',
      entityType: 'ngo_agreement',
      entityId: agreementId,
      permission: P.read,
      payload: { agreementId, planId: agreement.plan_id },
    });
  });
}
