import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { type AgreementRow, overdueLiquidations, reconcile, usd } from '../agreements/execution.common.js';
import type { ConditionResult, NgoAgreementTranchesTable } from '../agreements/execution.tables.js';

type Executor = Db | UnitOfWork['db'];

/**
 * The conditions of paying one tranche, each explained in Spanish: the earlier tranches are paid,
 * enough of what was paid before is justified with approved receipts, a monitoring visit report was
 * approved after the previous payment (when the tranche asks for it), the agreement's total is not
 * exceeded, the agreement is in execution and the NGO has no funds pending liquidation past the
 * deadline. `excludeDisbursementId` leaves the disbursement being checked out of the "live" sum.
 */
export async function evaluateTrancheConditions(
  db: Executor,
  agreement: AgreementRow,
  tranche: Pick<
    NgoAgreementTranchesTable,
    'id' | 'number' | 'amount_cents' | 'min_justified_pct' | 'requires_visit'
  >,
  now: Date,
  excludeDisbursementId: string | null = null,
): Promise<ConditionResult[]> {
  const results: ConditionResult[] = [];
  const [tranches, disbursements, reconciliation, overdue] = await Promise.all([
    db
      .selectFrom('ngo_agreement_tranches')
      .select(['id', 'number'])
      .where('agreement_id', '=', agreement.id)
      .execute(),
    db
      .selectFrom('ngo_disbursements')
      .select(['id', 'tranche_id', 'status', 'amount_cents', 'paid_at'])
      .where('agreement_id', '=', agreement.id)
      .where('status', '!=', 'rejected')
      .execute(),
    reconcile(db, agreement),
    overdueLiquidations(db, agreement.organisation_id, now),
  ]);
  const numberOf = new Map(tranches.map((t) => [t.id, t.number]));
  const earlier = tranches.filter((t) => t.number < tranche.number);
  const paidEarlier = disbursements.filter(
    (d) => d.status === 'paid' && (numberOf.get(d.tranche_id) ?? 0) < tranche.number,
  );
  const unpaid = earlier.filter((t) => !paidEarlier.some((d) => d.tranche_id === t.id)).map((t) => t.number);

  results.push({
    code: 'agreement_in_execution',
    met: ['agreement_signed', 'in_execution'].includes(agreement.plan_status),
    message: `El convenio debe estar firmado o en ejecución (estado del plan: ${agreement.plan_status}).`,
  });
  if (tranche.number > 1) {
    results.push({
      code: 'previous_tranches_paid',
      met: unpaid.length === 0,
      message:
        unpaid.length === 0
          ? 'Los tramos anteriores están pagados.'
          : `Faltan por pagar los tramos anteriores: ${unpaid.join(', ')}.`,
    });
  }
  if (tranche.min_justified_pct > 0) {
    const paidBefore = paidEarlier.reduce((s, d) => s + Number(d.amount_cents), 0);
    const required = Math.ceil((paidBefore * tranche.min_justified_pct) / 100);
    results.push({
      code: 'justified_pct',
      met: paidBefore > 0 && reconciliation.justifiedCents >= required,
      message: `Debe estar justificado al menos el ${tranche.min_justified_pct} % de lo desembolsado antes (${usd(required)} de ${usd(paidBefore)}); justificado con comprobantes aprobados: ${usd(reconciliation.justifiedCents)}.`,
    });
  }
  if (tranche.requires_visit) {
    const lastPaid = paidEarlier.reduce<Date | null>(
      (m, d) => (d.paid_at && (!m || d.paid_at > m) ? d.paid_at : m),
      null,
    );
    let q = db
      .selectFrom('ngo_monitoring_visits')
      .select(sql<string>`count(*)`.as('n'))
      .where('agreement_id', '=', agreement.id)
      .where('status', '=', 'approved');
    if (lastPaid) q = q.where('decided_at', '>', lastPaid);
    const visits = Number((await q.executeTakeFirstOrThrow()).n);
    results.push({
      code: 'visit_approved',
      met: visits > 0,
      message:
        visits > 0
          ? 'Hay un informe de visita de monitoreo aprobado después del pago anterior.'
          : 'Falta un informe de visita de monitoreo aprobado después del pago anterior.',
    });
  }
  const live = disbursements
    .filter((d) => d.id !== excludeDisbursementId && d.tranche_id !== tranche.id)
    .reduce((s, d) => s + Number(d.amount_cents), 0);
  const total = live + Number(tranche.amount_cents);
  results.push({
    code: 'within_agreement_total',
    met: total <= Number(agreement.amount_cents),
    message: `Lo desembolsado y en trámite con este tramo (${usd(total)}) no supera el monto del convenio (${usd(Number(agreement.amount_cents))}).`,
  });
  results.push({
    code: 'no_overdue_liquidation',
    met: overdue.length === 0,
    message:
      overdue.length === 0
        ? 'La organización no tiene fondos pendientes de liquidar fuera de plazo.'
        : `La organización tiene fondos pendientes de liquidar fuera de plazo (${overdue.map((p) => p.code).join(', ')}): no puede recibir nuevos desembolsos.`,
  });
  return results;
}

export function unmet(conditions: ConditionResult[]): ConditionResult[] {
  return conditions.filter((c) => !c.met);
}
