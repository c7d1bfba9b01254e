import { sql } from 'kysely';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { type AgreementRow, agreementBudgetLines, usd } from '../agreements/execution.common.js';
import type { ReceiptCheck } from '../agreements/execution.tables.js';
import { addDays, daysBetween } from '../shared/dates.js';

/** What the checks look at for one receipt being registered. */
export interface ReceiptFacts {
  id: string;
  supplierNit: string;
  supplierDui: string | null;
  documentType: string;
  documentNumber: string;
  generationCode: string | null;
  issuedOn: string;
  amountCents: number;
  budgetLineCode: string;
  sha256: string;
}

/** Receipts of one supplier at or above this share of the threshold count as "just below" it. */
export const SPLIT_BAND_PCT = 80;

/** The 9 DUI digits inside a homologated NIT (a person's NIT is their DUI: 00000 + 9 digits). */
function duiOfNit(nit: string): string | null {
  const digits = nit.replace(/-/g, '');
  if (!digits.startsWith('00000')) return null;
  const d = digits.slice(5);
  return `${d.slice(0, 8)}-${d.slice(8)}`;
}

/**
 * The automatic checks of a receipt, each explained in Spanish (and English), stored with it:
 * 1. the same receipt already used — same codigoGeneracion, same supplier NIT + number, or the same
 *    file — in this or ANY other NGO's report;
 * 2. issued outside the agreement's period;
 * 3. the budget line exceeded (receipts not rejected, this one included);
 * 4. a supplier related to the NGO: its own NIT, or a board member's / legal representative's DUI
 *    (given, or inside a homologated NIT);
 * 5. a split purchase: several receipts of the same supplier within the window, each just below the
 *    threshold, together at or above it.
 * Runs inside the registration's transaction, after the receipts lock, so two concurrent uploads of
 * the same receipt cannot both miss each other.
 */
export async function runReceiptChecks(
  uow: UnitOfWork,
  agreement: AgreementRow,
  r: ReceiptFacts,
): Promise<ReceiptCheck[]> {
  const checks: ReceiptCheck[] = [];
  const db = uow.db;

  const duplicates = await db
    .selectFrom('ngo_receipts as x')
    .innerJoin('ngo_agreements as a', 'a.id', 'x.agreement_id')
    .select([
      'x.id',
      'x.generation_code',
      'x.supplier_nit',
      'x.document_number',
      'x.sha256',
      'x.organisation_id',
      'a.number as agreement_number',
    ])
    .where((eb) =>
      eb.or([
        ...(r.generationCode ? [eb('x.generation_code', '=', r.generationCode)] : []),
        eb.and([
          eb('x.supplier_nit', '=', r.supplierNit),
          eb(sql`upper(btrim(x.document_number))`, '=', r.documentNumber.toUpperCase()),
        ]),
        eb('x.sha256', '=', r.sha256),
      ]),
    )
    .where('x.id', '!=', r.id)
    .limit(20)
    .execute();
  for (const d of duplicates) {
    const how =
      r.generationCode && d.generation_code === r.generationCode
        ? {
            es: `el mismo código de generación ${r.generationCode}`,
            en: `the same generation code ${r.generationCode}`,
            key: 'generation_code',
          }
        : d.sha256 === r.sha256
          ? {
              es: 'el mismo archivo (SHA-256 idéntico)',
              en: 'the same file (identical SHA-256)',
              key: 'file',
            }
          : {
              es: `el mismo NIT de proveedor y número ${r.documentNumber}`,
              en: `the same supplier NIT and number ${r.documentNumber}`,
              key: 'supplier_number',
            };
    const other = d.organisation_id === agreement.organisation_id;
    checks.push({
      code: 'duplicate_receipt',
      severity: 'high',
      message: `Comprobante ya utilizado: tiene ${how.es} que un comprobante presentado ${other ? 'por esta misma organización' : 'por otra organización'} (convenio ${d.agreement_number}).`,
      messageEn: `Receipt already used: it has ${how.en} as a receipt filed ${other ? 'by this same organisation' : 'by another organisation'} (agreement ${d.agreement_number}).`,
      details: {
        matchedBy: how.key,
        otherReceiptId: d.id,
        otherAgreement: d.agreement_number,
        sameOrganisation: other ? 1 : 0,
      },
    });
  }

  if (r.issuedOn < agreement.starts_on || r.issuedOn > agreement.ends_on) {
    checks.push({
      code: 'outside_period',
      severity: 'high',
      message: `La fecha del comprobante (${r.issuedOn}) está fuera de la vigencia del convenio (${agreement.starts_on} a ${agreement.ends_on}).`,
      messageEn: `The receipt's date (${r.issuedOn}) is outside the agreement's period (${agreement.starts_on} to ${agreement.ends_on}).`,
      details: { issuedOn: r.issuedOn, startsOn: agreement.starts_on, endsOn: agreement.ends_on },
    });
  }

  const line = (await agreementBudgetLines(db, agreement.plan_id, agreement.plan_version)).find(
    (l) => l.line_code === r.budgetLineCode,
  );
  if (line) {
    const used = await db
      .selectFrom('ngo_receipts')
      .select(sql<string>`coalesce(sum(amount_cents), 0)`.as('total'))
      .where('agreement_id', '=', agreement.id)
      .where('budget_line_code', '=', r.budgetLineCode)
      .where('status', '!=', 'rejected')
      .where('id', '!=', r.id)
      .executeTakeFirstOrThrow();
    const total = Number(used.total) + r.amountCents;
    if (total > Number(line.amount_cents)) {
      checks.push({
        code: 'budget_line_exceeded',
        severity: 'high',
        message: `La línea presupuestaria ${line.line_code} (${usd(Number(line.amount_cents))}) queda excedida: con este comprobante suma ${usd(total)}.`,
        messageEn: `Budget line ${line.line_code} (${usd(Number(line.amount_cents))}) is exceeded: with this receipt it adds up to ${usd(total)}.`,
        details: { lineCode: line.line_code, budgetCents: Number(line.amount_cents), totalCents: total },
      });
    }
  }

  const org = await db
    .selectFrom('ngo_organisations')
    .select(['nit', 'legal_rep_dui'])
    .where('id', '=', agreement.organisation_id)
    .executeTakeFirstOrThrow();
  if (org.nit === r.supplierNit) {
    checks.push({
      code: 'supplier_is_organisation',
      severity: 'high',
      message: 'El proveedor es la propia organización (mismo NIT): la ONG se estaría pagando a sí misma.',
      messageEn: 'The supplier is the organisation itself (same NIT).',
      details: { supplierNit: r.supplierNit },
    });
  }
  const duis = [r.supplierDui, duiOfNit(r.supplierNit)].filter((d): d is string => !!d);
  if (duis.length > 0) {
    const board = await db
      .selectFrom('ngo_board_members')
      .select(['position', 'dui'])
      .where('organisation_id', '=', agreement.organisation_id)
      .where('dui', 'in', duis)
      .where(sql<boolean>`to_date IS NULL OR to_date >= ${r.issuedOn}::date`)
      .execute();
    const positions = board.map((b) => b.position);
    if (duis.includes(org.legal_rep_dui)) positions.push('representante legal');
    if (positions.length > 0) {
      checks.push({
        code: 'supplier_related_to_board',
        severity: 'high',
        message: `El proveedor es una persona de la organización (${[...new Set(positions)].join(', ')}): posible conflicto de interés.`,
        messageEn: `The supplier is a person of the organisation (${[...new Set(positions)].join(', ')}): possible conflict of interest.`,
        details: { positions: [...new Set(positions)].join(', ') },
      });
    }
  }

  const threshold = Number(agreement.split_threshold_cents);
  const floor = Math.ceil((threshold * SPLIT_BAND_PCT) / 100);
  if (r.amountCents >= floor && r.amountCents < threshold) {
    const window = agreement.split_window_days;
    const near = await db
      .selectFrom('ngo_receipts')
      .select(['id', 'amount_cents', sql<string>`to_char(issued_on, 'YYYY-MM-DD')`.as('issued_on')])
      .where('agreement_id', '=', agreement.id)
      .where('supplier_nit', '=', r.supplierNit)
      .where('status', '!=', 'rejected')
      .where('id', '!=', r.id)
      .where('amount_cents', '>=', floor)
      .where('amount_cents', '<', threshold)
      .where(
        sql<boolean>`issued_on BETWEEN ${addDays(r.issuedOn, -window)}::date AND ${addDays(r.issuedOn, window)}::date`,
      )
      .execute();
    const total = near.reduce((s, n) => s + Number(n.amount_cents), r.amountCents);
    if (near.length > 0 && total >= threshold) {
      const span = Math.max(...near.map((n) => Math.abs(daysBetween(n.issued_on, r.issuedOn))));
      checks.push({
        code: 'split_purchase',
        severity: 'medium',
        message: `Posible fraccionamiento: ${near.length + 1} comprobantes del mismo proveedor en ${span} días, cada uno justo por debajo del umbral de ${usd(threshold)}, suman ${usd(total)}.`,
        messageEn: `Possible split purchase: ${near.length + 1} receipts of the same supplier within ${span} days, each just below the ${usd(threshold)} threshold, add up to ${usd(total)}.`,
        details: { receipts: near.length + 1, totalCents: total, thresholdCents: threshold, days: span },
      });
    }
  }
  return checks;
}
