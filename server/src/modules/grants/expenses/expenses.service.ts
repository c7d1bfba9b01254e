import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { normalizeDui } from '../../identity/index.js';
import { normalizeNit } from '../../identity/nit.js';
import { agreementBudgetLines, assertExecuting, loadAgreement } from '../agreements/execution.common.js';
import type { ReceiptCheck, ReceiptDocumentType } from '../agreements/execution.tables.js';
import { assertNotInFuture } from '../agreements/payment-dates.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { organisationLinkedActors } from '../review/index.js';
import { type GrantsAccess, grantsAccess, organisationFilter } from '../shared/access.js';
import { assertDate, dateText, todayInElSalvador } from '../shared/dates.js';
import { decodeDocument, readDocument, storeDocument } from '../shared/files.js';
import { assertCents } from '../shared/money.js';
import { runReceiptChecks } from './receipt-checks.js';

export const DTE_TYPES: Record<ReceiptDocumentType, string> = {
  '01': 'Factura',
  '03': 'Comprobante de crédito fiscal',
  '05': 'Nota de crédito',
  '06': 'Nota de débito',
  '11': 'Factura de exportación',
  '14': 'Factura de sujeto excluido',
  '15': 'Comprobante de donación',
  paper: 'Documento no electrónico',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks that the caller is the NGO's own staff (or back office with the submit permission). */
function assertNgoSide(access: GrantsAccess, organisationId: string): void {
  if (!access.all && access.organisationId !== organisationId)
    throw new AppError('GRANT_AGREEMENT_NOT_FOUND', 404);
}

export async function createExpenseReport(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  agreementId: string,
  input: { description: string },
) {
  const access = await grantsAccess(deps.db, principal);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const agreement = await loadAgreement(uow.db, access, agreementId, true);
    assertNgoSide(access, agreement.organisation_id);
    assertExecuting(agreement);
    const last = await uow.db
      .selectFrom('ngo_expense_reports')
      .select(sql<number>`coalesce(max(number), 0)`.as('n'))
      .where('agreement_id', '=', agreement.id)
      .executeTakeFirstOrThrow();
    const number = Number(last.n) + 1;
    await uow.db
      .insertInto('ngo_expense_reports')
      .values({
        id,
        agreement_id: agreement.id,
        number,
        description: input.description.trim(),
        status: 'open',
        created_by: principal.id,
        created_at: uow.now,
        submitted_by: null,
        submitted_at: null,
      })
      .execute();
    uow.audit({
      action: 'grant.expense_report_created',
      entityType: 'ngo_expense_report',
      entityId: id,
      after: { agreementId, number },
    });
    uow.emit({
      type: 'grant.expense_report_created',
      entityType: 'ngo_expense_report',
      entityId: id,
      permission: P.read,
      payload: { reportId: id, agreementId },
    });
  });
  return getExpenseReport(deps, principal, id);
}

export interface ReceiptInput {
  supplierNit: string;
  supplierDui?: string | undefined;
  supplierName: string;
  documentType: ReceiptDocumentType;
  documentNumber: string;
  generationCode?: string | undefined;
  issuedOn: string;
  amountCents: number;
  budgetLineCode: string;
  description: string;
  file: { data: string; fileName?: string | undefined; mime?: string | undefined };
}

/**
 * Adds a receipt to an open report: supplier NIT (check digit), DTE type with its codigoGeneracion
 * (UUID) or a paper document, date, integer cents, a budget line of the agreement's plan, the file
 * (PDF/JPEG/PNG ≤ 10 MB, SHA-256). The automatic checks run and are stored with it.
 */
export async function addReceipt(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  reportId: string,
  input: ReceiptInput,
) {
  const supplierNit = normalizeNit(input.supplierNit);
  if (!supplierNit)
    throw new AppError('GRANT_RECEIPT_NIT_INVALID', 400, { nit: input.supplierNit }, [
      { field: 'supplierNit', code: 'GRANT_RECEIPT_NIT_INVALID' },
    ]);
  let supplierDui: string | null = null;
  if (input.supplierDui?.trim()) {
    supplierDui = normalizeDui(input.supplierDui);
    if (!supplierDui)
      throw new AppError('GRANT_RECEIPT_DUI_INVALID', 400, {}, [
        { field: 'supplierDui', code: 'GRANT_RECEIPT_DUI_INVALID' },
      ]);
  }
  const amount = assertCents(input.amountCents, 'amountCents');
  const issuedOn = assertDate(input.issuedOn, 'issuedOn');
  assertNotInFuture(issuedOn, deps.clock.now(), 'issuedOn');
  let generationCode: string | null = null;
  if (input.documentType !== 'paper') {
    if (!input.generationCode || !UUID.test(input.generationCode.trim())) {
      throw new AppError('GRANT_RECEIPT_GENERATION_CODE_INVALID', 400, {}, [
        { field: 'generationCode', code: 'GRANT_RECEIPT_GENERATION_CODE_INVALID' },
      ]);
    }
    generationCode = input.generationCode.trim().toLowerCase();
  } else if (input.generationCode) {
    throw new AppError('GRANT_RECEIPT_GENERATION_CODE_PAPER', 400);
  }
  const documentNumber = input.documentNumber.trim();
  if (documentNumber.length === 0) throw new AppError('GRANT_RECEIPT_NUMBER_REQUIRED', 400);
  const doc = decodeDocument(input.file);
  const access = await grantsAccess(deps.db, principal);
  const report = await deps.db
    .selectFrom('ngo_expense_reports')
    .selectAll()
    .where('id', '=', reportId)
    .executeTakeFirst();
  if (!report) throw new AppError('GRANT_EXPENSE_REPORT_NOT_FOUND', 404);
  const agreementForAccess = await loadAgreement(deps.db, access, report.agreement_id).catch(() => {
    throw new AppError('GRANT_EXPENSE_REPORT_NOT_FOUND', 404);
  });
  assertNgoSide(access, agreementForAccess.organisation_id);
  const storageKey = await storeDocument(deps.config.dataDir, doc);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const agreement = await loadAgreement(uow.db, access, report.agreement_id, true);
    assertExecuting(agreement);
    const locked = await uow.db
      .selectFrom('ngo_expense_reports')
      .select('status')
      .where('id', '=', reportId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.status !== 'open') throw new AppError('GRANT_EXPENSE_REPORT_NOT_OPEN', 409);
    const lines = await agreementBudgetLines(uow.db, agreement.plan_id, agreement.plan_version);
    if (!lines.some((l) => l.line_code === input.budgetLineCode)) {
      throw new AppError('GRANT_RECEIPT_BUDGET_LINE_UNKNOWN', 400, { line: input.budgetLineCode }, [
        { field: 'budgetLineCode', code: 'GRANT_RECEIPT_BUDGET_LINE_UNKNOWN' },
      ]);
    }
    // One receipt registration at a time across all NGOs: the duplicate check sees every earlier one.
    await sql`SELECT pg_advisory_xact_lock(hashtext('grants:receipts'))`.execute(uow.db);
    const checks = await runReceiptChecks(uow, agreement, {
      id,
      supplierNit,
      supplierDui,
      documentType: input.documentType,
      documentNumber,
      generationCode,
      issuedOn,
      amountCents: amount,
      budgetLineCode: input.budgetLineCode,
      sha256: doc.sha256,
    });
    await uow.db
      .insertInto('ngo_receipts')
      .values({
        id,
        report_id: reportId,
        agreement_id: agreement.id,
        organisation_id: agreement.organisation_id,
        supplier_nit: supplierNit,
        supplier_dui: supplierDui,
        supplier_name: input.supplierName.trim(),
        document_type: input.documentType,
        document_number: documentNumber,
        generation_code: generationCode,
        issued_on: issuedOn,
        amount_cents: amount,
        budget_line_code: input.budgetLineCode,
        description: input.description.trim(),
        sha256: doc.sha256,
        file_name: doc.fileName,
        mime: doc.mime,
        size_bytes: doc.bytes.length,
        storage_key: storageKey,
        checks: JSON.stringify(checks),
        status: 'pending',
        review_reason: null,
        reviewed_by: null,
        reviewed_at: null,
        created_by: principal.id,
        created_at: uow.now,
      })
      .execute();
    uow.audit({
      action: 'grant.receipt_added',
      entityType: 'ngo_receipt',
      entityId: id,
      after: {
        reportId,
        agreementId: agreement.id,
        supplierNit,
        documentType: input.documentType,
        documentNumber,
        generationCode,
        issuedOn,
        amountCents: amount,
        budgetLineCode: input.budgetLineCode,
        sha256: doc.sha256,
        checks: checks.map((c) => c.code),
      },
    });
    uow.emit({
      type: 'grant.receipt_added',
      entityType: 'ngo_receipt',
      entityId: id,
      permission: P.read,
      payload: {
        receiptId: id,
        agreementId: agreement.id,
        amountCents: amount,
        checks: checks.map((c) => c.code),
      },
    });
  });
  return getReceipt(deps, principal, id);
}

export async function submitExpenseReport(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  reportId: string,
) {
  const access = await grantsAccess(deps.db, principal);
  await deps.tx(ctx, async (uow) => {
    const report = await uow.db
      .selectFrom('ngo_expense_reports')
      .selectAll()
      .where('id', '=', reportId)
      .forUpdate()
      .executeTakeFirst();
    if (!report) throw new AppError('GRANT_EXPENSE_REPORT_NOT_FOUND', 404);
    const agreement = await loadAgreement(uow.db, access, report.agreement_id).catch(() => {
      throw new AppError('GRANT_EXPENSE_REPORT_NOT_FOUND', 404);
    });
    assertNgoSide(access, agreement.organisation_id);
    if (report.status !== 'open') throw new AppError('GRANT_EXPENSE_REPORT_NOT_OPEN', 409);
    const n = await uow.db
      .selectFrom('ngo_receipts')
      .select(sql<string>`count(*)`.as('n'))
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow();
    if (Number(n.n) === 0) throw new AppError('GRANT_EXPENSE_REPORT_EMPTY', 409);
    await uow.db
      .updateTable('ngo_expense_reports')
      .set({ status: 'submitted', submitted_by: principal.id, submitted_at: uow.now })
      .where('id', '=', reportId)
      .execute();
    uow.audit({
      action: 'grant.expense_report_submitted',
      entityType: 'ngo_expense_report',
      entityId: reportId,
      before: { status: 'open' },
      after: { status: 'submitted', receipts: Number(n.n) },
    });
    uow.emit({
      type: 'grant.expense_report_submitted',
      entityType: 'ngo_expense_report',
      entityId: reportId,
      permission: P.financeDisburse,
      payload: { reportId, agreementId: report.agreement_id },
    });
  });
  return getExpenseReport(deps, principal, reportId);
}

/**
 * Finance's review of one receipt of a submitted report: approve, observe (reason) or reject as not
 * eligible (reason). Never by who uploaded it nor by anyone linked to the NGO; a receipt flagged as
 * already used, or that would take its budget line over the plan, cannot be approved.
 */
export async function reviewReceipt(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: { decision: 'approve' | 'observe' | 'reject'; reason?: string | undefined },
) {
  const reason = input.reason?.trim() || null;
  if (input.decision !== 'approve' && (!reason || reason.length < 10))
    throw new AppError('GRANT_REASON_REQUIRED', 400, { min: 10 });
  await deps.tx(ctx, async (uow) => {
    const head = await uow.db
      .selectFrom('ngo_receipts')
      .select('agreement_id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!head) throw new AppError('GRANT_RECEIPT_NOT_FOUND', 404);
    const agreement = await loadAgreement(uow.db, null, head.agreement_id, true);
    const r = await uow.db
      .selectFrom('ngo_receipts as r')
      .innerJoin('ngo_expense_reports as e', 'e.id', 'r.report_id')
      .select([
        'r.id',
        'r.status',
        'r.created_by',
        'r.checks',
        'r.amount_cents',
        'r.budget_line_code',
        'e.status as report_status',
      ])
      .where('r.id', '=', id)
      .executeTakeFirstOrThrow();
    if (r.report_status !== 'submitted') throw new AppError('GRANT_EXPENSE_REPORT_NOT_SUBMITTED', 409);
    if (r.status !== 'pending' && r.status !== 'observed')
      throw new AppError('GRANT_RECEIPT_ALREADY_REVIEWED', 409, { status: r.status });
    const linked = await organisationLinkedActors(
      uow.db,
      agreement.organisation_id,
      todayInElSalvador(uow.now),
    );
    const me = await uow.db
      .selectFrom('users')
      .select('dui')
      .where('id', '=', principal.id)
      .executeTakeFirst();
    if (
      r.created_by === principal.id ||
      linked.userIds?.includes(principal.id) ||
      (me?.dui && linked.duis?.includes(me.dui))
    ) {
      throw new AppError('GRANT_RECEIPT_REVIEWER_CONFLICT', 403);
    }
    const checks = r.checks as unknown as ReceiptCheck[];
    if (input.decision === 'approve') {
      if (checks.some((c) => c.code === 'duplicate_receipt'))
        throw new AppError('GRANT_RECEIPT_DUPLICATE_NOT_APPROVABLE', 409);
      const line = (await agreementBudgetLines(uow.db, agreement.plan_id, agreement.plan_version)).find(
        (l) => l.line_code === r.budget_line_code,
      );
      const approved = await uow.db
        .selectFrom('ngo_receipts')
        .select(sql<string>`coalesce(sum(amount_cents), 0)`.as('total'))
        .where('agreement_id', '=', agreement.id)
        .where('budget_line_code', '=', r.budget_line_code)
        .where('status', '=', 'approved')
        .executeTakeFirstOrThrow();
      if (!line || Number(approved.total) + Number(r.amount_cents) > Number(line.amount_cents)) {
        throw new AppError('GRANT_RECEIPT_BUDGET_LINE_EXCEEDED', 409, { line: r.budget_line_code });
      }
    }
    const status =
      input.decision === 'approve' ? 'approved' : input.decision === 'observe' ? 'observed' : 'rejected';
    await uow.db
      .updateTable('ngo_receipts')
      .set({ status, review_reason: reason, reviewed_by: principal.id, reviewed_at: uow.now })
      .where('id', '=', id)
      .execute();
    uow.audit({
      action: `grant.receipt_${status}`,
      entityType: 'ngo_receipt',
      entityId: id,
      reason,
      before: { status: r.status },
      after: { status, checks: checks.map((c) => c.code) },
    });
    uow.emit({
      type: `grant.receipt_${status}`,
      entityType: 'ngo_receipt',
      entityId: id,
      permission: P.read,
      payload: { receiptId: id, agreementId: agreement.id, status },
    });
  });
  return getReceipt(deps, principal, id);
}

function receiptQuery(db: AppDeps['db']) {
  return db
    .selectFrom('ngo_receipts as r')
    .innerJoin('ngo_agreements as a', 'a.id', 'r.agreement_id')
    .innerJoin('ngo_organisations as o', 'o.id', 'r.organisation_id')
    .innerJoin('ngo_expense_reports as e', 'e.id', 'r.report_id')
    .select([
      'r.id',
      'r.report_id',
      'e.number as report_number',
      'r.agreement_id',
      'a.number as agreement_number',
      'r.organisation_id',
      'o.name as organisation_name',
      'r.supplier_nit',
      'r.supplier_name',
      'r.document_type',
      'r.document_number',
      'r.generation_code',
      dateText('r.issued_on').as('issued_on'),
      'r.amount_cents',
      'r.budget_line_code',
      'r.description',
      'r.sha256',
      'r.file_name',
      'r.mime',
      'r.size_bytes',
      'r.checks',
      'r.status',
      'r.review_reason',
      'r.reviewed_at',
      'r.created_at',
    ]);
}

function toReceipt(r: Awaited<ReturnType<ReturnType<typeof receiptQuery>['execute']>>[number]) {
  return {
    id: r.id,
    reportId: r.report_id,
    reportNumber: r.report_number,
    agreementId: r.agreement_id,
    agreementNumber: r.agreement_number,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    supplierNit: r.supplier_nit,
    supplierName: r.supplier_name,
    documentType: r.document_type,
    documentTypeName: DTE_TYPES[r.document_type],
    documentNumber: r.document_number,
    generationCode: r.generation_code,
    issuedOn: r.issued_on,
    amountCents: Number(r.amount_cents),
    budgetLineCode: r.budget_line_code,
    description: r.description,
    sha256: r.sha256,
    fileName: r.file_name,
    mime: r.mime,
    sizeBytes: r.size_bytes,
    checks: r.checks as unknown as ReceiptCheck[],
    status: r.status,
    reviewReason: r.review_reason,
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}
export type ReceiptView = ReturnType<typeof toReceipt>;

export async function getReceipt(
  deps: Pick<AppDeps, 'db'>,
  principal: Principal,
  id: string,
): Promise<ReceiptView> {
  const access = await grantsAccess(deps.db, principal);
  const row = await receiptQuery(deps.db).where('r.id', '=', id).executeTakeFirst();
  if (!row || (!access.all && access.organisationId !== row.organisation_id))
    throw new AppError('GRANT_RECEIPT_NOT_FOUND', 404);
  return toReceipt(row);
}

export async function listReceipts(
  deps: Pick<AppDeps, 'db'>,
  access: GrantsAccess,
  query: {
    agreementId?: string | undefined;
    reportId?: string | undefined;
    status?: string | undefined;
    flagged?: boolean | undefined;
  },
) {
  let q = receiptQuery(deps.db).orderBy('r.created_at', 'desc').limit(5000);
  const org = organisationFilter(access);
  if (org) q = q.where('r.organisation_id', '=', org);
  if (query.agreementId) q = q.where('r.agreement_id', '=', query.agreementId);
  if (query.reportId) q = q.where('r.report_id', '=', query.reportId);
  if (query.status) q = q.where('r.status', '=', query.status as 'pending');
  if (query.flagged) q = q.where(sql<boolean>`jsonb_array_length(r.checks) > 0`);
  return { items: (await q.execute()).map(toReceipt) };
}

export async function getExpenseReport(deps: Pick<AppDeps, 'db'>, principal: Principal, id: string) {
  const access = await grantsAccess(deps.db, principal);
  const report = await deps.db
    .selectFrom('ngo_expense_reports as e')
    .innerJoin('ngo_agreements as a', 'a.id', 'e.agreement_id')
    .select([
      'e.id',
      'e.agreement_id',
      'a.number as agreement_number',
      'a.organisation_id',
      'e.number',
      'e.description',
      'e.status',
      'e.created_at',
      'e.submitted_at',
    ])
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!report || (!access.all && access.organisationId !== report.organisation_id))
    throw new AppError('GRANT_EXPENSE_REPORT_NOT_FOUND', 404);
  const receipts = await listReceipts(deps, access, { reportId: id });
  return {
    id: report.id,
    agreementId: report.agreement_id,
    agreementNumber: report.agreement_number,
    number: report.number,
    description: report.description,
    status: report.status,
    createdAt: report.created_at.toISOString(),
    submittedAt: report.submitted_at?.toISOString() ?? null,
    totalCents: receipts.items.reduce((s, r) => s + r.amountCents, 0),
    receipts: receipts.items,
  };
}

export async function readReceiptFile(
  deps: Pick<AppDeps, 'db' | 'config'>,
  principal: Principal,
  id: string,
) {
  const view = await getReceipt(deps, principal, id);
  const row = await deps.db
    .selectFrom('ngo_receipts')
    .select(['storage_key', 'sha256'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    bytes: await readDocument(deps.config.dataDir, row.storage_key, row.sha256),
    mime: view.mime,
    fileName: view.fileName,
  };
}
