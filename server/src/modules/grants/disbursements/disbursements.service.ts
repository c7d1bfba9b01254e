import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { hasPermission, type Principal } from '../../../platform/http/principal.js';
import {
  actOnCaseInTx,
  openCase,
  registerWorkflowHandler,
  type WorkflowActionEvent,
} from '../../workflow/index.js';
import { loadAgreement, usd } from '../agreements/execution.common.js';
import type { ConditionResult } from '../agreements/execution.tables.js';
import { assertPaymentDate } from '../agreements/payment-dates.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { organisationLinkedActors } from '../review/index.js';
import { type GrantsAccess, grantsAccess, organisationFilter } from '../shared/access.js';
import { assertDate, dateText, todayInElSalvador } from '../shared/dates.js';
import { evaluateTrancheConditions, unmet } from './conditions.js';
import { DISBURSEMENT_AUTHORISATION, DISBURSEMENT_SUBJECT } from './disbursement.definition.js';

function conditionsError(conditions: ConditionResult[]): AppError {
  const missing = unmet(conditions);
  return new AppError(
    'GRANT_DISBURSEMENT_CONDITIONS_UNMET',
    409,
    { conditions: missing.map((c) => c.message).join(' ') },
    { conditions: missing },
  );
}

/** Who may ask for a tranche: the NGO's own staff, or finance (UFI) on its behalf. */
function assertMayRequest(principal: Principal, access: GrantsAccess, organisationId: string): void {
  const ngo = hasPermission(principal, P.ngoSubmit) && access.organisationId === organisationId;
  if (!ngo && !hasPermission(principal, P.financeDisburse)) {
    throw new AppError('GRANT_DISBURSEMENT_REQUEST_NOT_ALLOWED', 403);
  }
}

async function lockTranche(uow: UnitOfWork, agreementId: string, number: number) {
  const tranche = await uow.db
    .selectFrom('ngo_agreement_tranches')
    .selectAll()
    .where('agreement_id', '=', agreementId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!tranche) throw new AppError('GRANT_TRANCHE_NOT_FOUND', 404, { number });
  return tranche;
}

/**
 * Requests the disbursement of a tranche: only when every condition is met today (checked again at
 * authorisation and at payment). Opens the finance authorisation case in the same transaction.
 */
export async function requestDisbursement(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  agreementId: string,
  trancheNumber: number,
) {
  const access = await grantsAccess(deps.db, principal);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const agreement = await loadAgreement(uow.db, access, agreementId, true);
    assertMayRequest(principal, access, agreement.organisation_id);
    const tranche = await lockTranche(uow, agreement.id, trancheNumber);
    const live = await uow.db
      .selectFrom('ngo_disbursements')
      .select(['id', 'status'])
      .where('tranche_id', '=', tranche.id)
      .where('status', '!=', 'rejected')
      .executeTakeFirst();
    if (live)
      throw new AppError('GRANT_DISBURSEMENT_ALREADY_REQUESTED', 409, {
        number: trancheNumber,
        status: live.status,
      });
    const conditions = await evaluateTrancheConditions(uow.db, agreement, tranche, uow.now);
    if (unmet(conditions).length > 0) throw conditionsError(conditions);
    const { id: caseId } = await openCase(uow, {
      definition: DISBURSEMENT_AUTHORISATION,
      subjectType: DISBURSEMENT_SUBJECT,
      subjectId: id,
      openedBy: { id: principal.id, name: principal.name },
      excludedActors: await organisationLinkedActors(
        uow.db,
        agreement.organisation_id,
        todayInElSalvador(uow.now),
      ),
      title: `Convenio ${agreement.number} · tramo ${trancheNumber} · ${usd(Number(tranche.amount_cents))}`,
    });
    await uow.db
      .insertInto('ngo_disbursements')
      .values({
        id,
        agreement_id: agreement.id,
        tranche_id: tranche.id,
        amount_cents: Number(tranche.amount_cents),
        status: 'requested',
        case_id: caseId,
        conditions: JSON.stringify(conditions),
        requested_by: principal.id,
        requested_at: uow.now,
        authorised_by: null,
        authorised_at: null,
        paid_by: null,
        paid_at: null,
        paid_on: null,
        payment_reference: null,
        rejected_reason: null,
      })
      .execute();
    uow.audit({
      action: 'grant.disbursement_requested',
      entityType: 'ngo_disbursement',
      entityId: id,
      after: {
        agreementId: agreement.id,
        tranche: trancheNumber,
        amountCents: Number(tranche.amount_cents),
        caseId,
        conditions,
      },
    });
    uow.emit({
      type: 'grant.disbursement_requested',
      entityType: 'ngo_disbursement',
      entityId: id,
      permission: P.financeDisburse,
      payload: { disbursementId: id, agreementId: agreement.id, tranche: trancheNumber, caseId },
    });
  });
  return getDisbursement(deps, principal, id);
}

/** Finance's decision through the workflow case (segregation of duties and exclusions enforced there). */
export async function decideDisbursement(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: { outcome: 'approve' | 'reject'; reason?: string | undefined },
) {
  const row = await deps.db
    .selectFrom('ngo_disbursements')
    .select(['case_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.case_id) throw new AppError('GRANT_DISBURSEMENT_NOT_FOUND', 404);
  if (row.status !== 'requested')
    throw new AppError('GRANT_DISBURSEMENT_WRONG_STATUS', 409, { status: row.status });
  await deps.tx(ctx, (uow) =>
    actOnCaseInTx(uow, principal, row.case_id!, {
      step: 'authorise',
      outcome: input.outcome,
      reason: input.reason ?? null,
    }),
  );
  return getDisbursement(deps, principal, id);
}

/** Moves the disbursement with finance's decision, inside the workflow action's transaction. */
async function onAuthorisation(event: WorkflowActionEvent): Promise<void> {
  const { uow } = event;
  const d = await uow.db
    .selectFrom('ngo_disbursements')
    .selectAll()
    .where('id', '=', event.subjectId)
    .forUpdate()
    .executeTakeFirst();
  if (!d) throw new AppError('GRANT_DISBURSEMENT_NOT_FOUND', 404);
  if (d.status !== 'requested')
    throw new AppError('GRANT_DISBURSEMENT_WRONG_STATUS', 409, { status: d.status });
  if (event.outcome === 'reject') {
    await uow.db
      .updateTable('ngo_disbursements')
      .set({ status: 'rejected', rejected_reason: event.reason })
      .where('id', '=', d.id)
      .execute();
    uow.audit({
      action: 'grant.disbursement_rejected',
      entityType: 'ngo_disbursement',
      entityId: d.id,
      reason: event.reason,
      before: { status: d.status },
      after: { status: 'rejected' },
    });
    uow.emit({
      type: 'grant.disbursement_rejected',
      entityType: 'ngo_disbursement',
      entityId: d.id,
      permission: P.read,
      payload: { disbursementId: d.id, agreementId: d.agreement_id },
    });
    return;
  }
  if (event.caseStatus !== 'approved') return;
  const agreement = await loadAgreement(uow.db, null, d.agreement_id, true);
  const tranche = await uow.db
    .selectFrom('ngo_agreement_tranches')
    .selectAll()
    .where('id', '=', d.tranche_id)
    .executeTakeFirstOrThrow();
  const conditions = await evaluateTrancheConditions(uow.db, agreement, tranche, uow.now, d.id);
  if (unmet(conditions).length > 0) throw conditionsError(conditions);
  await uow.db
    .updateTable('ngo_disbursements')
    .set({
      status: 'authorised',
      authorised_by: event.actor.id,
      authorised_at: uow.now,
      conditions: JSON.stringify(conditions),
    })
    .where('id', '=', d.id)
    .execute();
  uow.audit({
    action: 'grant.disbursement_authorised',
    entityType: 'ngo_disbursement',
    entityId: d.id,
    before: { status: d.status },
    after: { status: 'authorised', conditions },
  });
  uow.emit({
    type: 'grant.disbursement_authorised',
    entityType: 'ngo_disbursement',
    entityId: d.id,
    permission: P.financePay,
    payload: { disbursementId: d.id, agreementId: d.agreement_id, amountCents: Number(d.amount_cents) },
  });
}
registerWorkflowHandler(DISBURSEMENT_AUTHORISATION, onAuthorisation);

/**
 * Records the payment (Tesorería) of an authorised disbursement: by someone other than who asked
 * and who authorised, with a unique payment reference, the conditions checked once more; the first
 * payment puts the plan in execution.
 */
export async function payDisbursement(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: { paymentReference: string; paidOn: string },
) {
  const paidOn = assertDate(input.paidOn, 'paidOn');
  const reference = input.paymentReference.trim();
  if (reference.length < 3) throw new AppError('GRANT_PAYMENT_REFERENCE_REQUIRED', 400);
  await deps.tx(ctx, async (uow) => {
    const head = await uow.db
      .selectFrom('ngo_disbursements')
      .select('agreement_id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!head) throw new AppError('GRANT_DISBURSEMENT_NOT_FOUND', 404);
    const agreement = await loadAgreement(uow.db, null, head.agreement_id, true);
    const d = await uow.db
      .selectFrom('ngo_disbursements')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (d.status !== 'authorised')
      throw new AppError('GRANT_DISBURSEMENT_WRONG_STATUS', 409, { status: d.status });
    assertPaymentDate(paidOn, agreement, uow.now);
    if (d.authorised_by === principal.id || d.requested_by === principal.id) {
      throw new AppError('GRANT_DISBURSEMENT_SEGREGATION', 403, {
        other: d.authorised_by === principal.id ? 'autorizó' : 'solicitó',
      });
    }
    const tranche = await uow.db
      .selectFrom('ngo_agreement_tranches')
      .selectAll()
      .where('id', '=', d.tranche_id)
      .executeTakeFirstOrThrow();
    const conditions = await evaluateTrancheConditions(uow.db, agreement, tranche, uow.now, d.id);
    if (unmet(conditions).length > 0) throw conditionsError(conditions);
    const dup = await uow.db
      .selectFrom('ngo_disbursements')
      .select('id')
      .where('payment_reference', '=', reference)
      .executeTakeFirst();
    if (dup) throw new AppError('GRANT_PAYMENT_REFERENCE_TAKEN', 409, { reference });
    await uow.db
      .updateTable('ngo_disbursements')
      .set({
        status: 'paid',
        paid_by: principal.id,
        paid_at: uow.now,
        paid_on: paidOn,
        payment_reference: reference,
        conditions: JSON.stringify(conditions),
      })
      .where('id', '=', d.id)
      .execute();
    if (agreement.plan_status === 'agreement_signed') {
      await uow.db
        .updateTable('ngo_plans')
        .set({ status: 'in_execution', updated_at: uow.now })
        .where('id', '=', agreement.plan_id)
        .execute();
    }
    uow.audit({
      action: 'grant.disbursement_paid',
      entityType: 'ngo_disbursement',
      entityId: d.id,
      before: { status: d.status },
      after: {
        status: 'paid',
        paymentReference: reference,
        paidOn,
        amountCents: Number(d.amount_cents),
        planStatus: 'in_execution',
      },
    });
    uow.emit({
      type: 'grant.disbursement_paid',
      entityType: 'ngo_disbursement',
      entityId: d.id,
      permission: P.read,
      payload: { disbursementId: d.id, agreementId: agreement.id, amountCents: Number(d.amount_cents) },
    });
  });
  return getDisbursement(deps, principal, id);
}

function disbursementQuery(db: AppDeps['db']) {
  return db
    .selectFrom('ngo_disbursements as d')
    .innerJoin('ngo_agreements as a', 'a.id', 'd.agreement_id')
    .innerJoin('ngo_agreement_tranches as t', 't.id', 'd.tranche_id')
    .innerJoin('ngo_organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'd.id',
      'd.agreement_id',
      'a.number as agreement_number',
      'a.organisation_id',
      'o.name as organisation_name',
      't.number as tranche_number',
      'd.amount_cents',
      'd.status',
      'd.case_id',
      'd.conditions',
      'd.requested_by',
      'd.requested_at',
      'd.authorised_by',
      'd.authorised_at',
      'd.paid_by',
      'd.paid_at',
      dateText('d.paid_on').as('paid_on'),
      'd.payment_reference',
      'd.rejected_reason',
    ]);
}

function toView(r: Awaited<ReturnType<ReturnType<typeof disbursementQuery>['execute']>>[number]) {
  return {
    id: r.id,
    agreementId: r.agreement_id,
    agreementNumber: r.agreement_number,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    trancheNumber: r.tranche_number,
    amountCents: Number(r.amount_cents),
    status: r.status,
    caseId: r.case_id,
    conditions: r.conditions as unknown as ConditionResult[],
    requestedAt: r.requested_at.toISOString(),
    authorisedAt: r.authorised_at?.toISOString() ?? null,
    paidAt: r.paid_at?.toISOString() ?? null,
    paidOn: r.paid_on,
    paymentReference: r.payment_reference,
    rejectedReason: r.rejected_reason,
  };
}
export type DisbursementView = ReturnType<typeof toView>;

export async function getDisbursement(deps: Pick<AppDeps, 'db'>, principal: Principal, id: string) {
  const access = await grantsAccess(deps.db, principal);
  const row = await disbursementQuery(deps.db).where('d.id', '=', id).executeTakeFirst();
  if (!row || (!access.all && access.organisationId !== row.organisation_id))
    throw new AppError('GRANT_DISBURSEMENT_NOT_FOUND', 404);
  return toView(row);
}

export async function listDisbursements(
  deps: Pick<AppDeps, 'db'>,
  access: GrantsAccess,
  query: { agreementId?: string | undefined; status?: string | undefined },
) {
  let q = disbursementQuery(deps.db).orderBy('d.requested_at', 'desc').limit(5000);
  const org = organisationFilter(access);
  if (org) q = q.where('a.organisation_id', '=', org);
  if (query.agreementId) q = q.where('d.agreement_id', '=', query.agreementId);
  if (query.status) q = q.where('d.status', '=', query.status as 'paid');
  return { items: (await q.execute()).map(toView) };
}
