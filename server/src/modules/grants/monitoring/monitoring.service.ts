import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { hasPermission, type Principal } from '../../../platform/http/principal.js';
import { agreementIndicators, assertExecuting, loadAgreement } from '../agreements/execution.common.js';
import type { FollowUpAction } from '../agreements/execution.tables.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { grantsAccess } from '../shared/access.js';
import { assertDate, assertDateOrder, dateText } from '../shared/dates.js';
import { decodeDocument, readDocument, storeDocument } from '../shared/files.js';

export interface IndicatorReportInput {
  indicatorCode: string;
  periodFrom: string;
  periodTo: string;
  value: number;
  notes?: string | undefined;
}

/** Progress of one of the plan's indicators for a period, by the NGO's staff or by monitoring. */
export async function reportIndicator(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  agreementId: string,
  input: IndicatorReportInput,
) {
  const from = assertDate(input.periodFrom, 'periodFrom');
  const to = assertDate(input.periodTo, 'periodTo');
  assertDateOrder(from, to, ['periodFrom', 'periodTo']);
  if (!Number.isFinite(input.value)) throw new AppError('GRANT_INDICATOR_VALUE_INVALID', 400);
  const access = await grantsAccess(deps.db, principal);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const agreement = await loadAgreement(uow.db, access, agreementId);
    const ngo = hasPermission(principal, P.ngoSubmit) && access.organisationId === agreement.organisation_id;
    if (!ngo && !hasPermission(principal, P.monitoringVisit))
      throw new AppError('GRANT_INDICATOR_REPORT_NOT_ALLOWED', 403);
    assertExecuting(agreement);
    const indicators = await agreementIndicators(uow.db, agreement.plan_id, agreement.plan_version);
    if (!indicators.some((i) => i.code === input.indicatorCode)) {
      throw new AppError('GRANT_INDICATOR_UNKNOWN', 400, { code: input.indicatorCode });
    }
    await uow.db
      .insertInto('ngo_indicator_reports')
      .values({
        id,
        agreement_id: agreement.id,
        indicator_code: input.indicatorCode,
        period_from: from,
        period_to: to,
        value: input.value,
        notes: input.notes?.trim() || null,
        reported_by: principal.id,
        reported_at: uow.now,
      })
      .execute();
    uow.audit({
      action: 'grant.indicator_reported',
      entityType: 'ngo_agreement',
      entityId: agreement.id,
      after: { reportId: id, ...input },
    });
    uow.emit({
      type: 'grant.indicator_reported',
      entityType: 'ngo_agreement',
      entityId: agreement.id,
      permission: P.read,
      payload: { agreementId: agreement.id, indicatorCode: input.indicatorCode, value: input.value },
    });
  });
  return { id };
}

export interface VisitInput {
  visitedOn: string;
  visitType: 'announced' | 'unannounced';
  team: string[];
  findings: string[];
  followUp?: { action: string; dueOn?: string | undefined }[] | undefined;
}

export async function recordVisit(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  agreementId: string,
  input: VisitInput,
) {
  const visitedOn = assertDate(input.visitedOn, 'visitedOn');
  const team = input.team.map((t) => t.trim()).filter(Boolean);
  if (team.length === 0) throw new AppError('GRANT_VISIT_TEAM_REQUIRED', 400);
  const findings = input.findings.map((t) => t.trim()).filter(Boolean);
  const followUp: FollowUpAction[] = (input.followUp ?? []).map((f, i) => ({
    action: f.action.trim(),
    dueOn: f.dueOn ? assertDate(f.dueOn, `followUp[${i}].dueOn`) : null,
  }));
  const access = await grantsAccess(deps.db, principal);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const agreement = await loadAgreement(uow.db, access, agreementId);
    assertExecuting(agreement);
    if (visitedOn > new Date(uow.now.getTime() - 6 * 3_600_000).toISOString().slice(0, 10)) {
      throw new AppError('GRANT_VISIT_IN_FUTURE', 400);
    }
    await uow.db
      .insertInto('ngo_monitoring_visits')
      .values({
        id,
        agreement_id: agreement.id,
        visited_on: visitedOn,
        visit_type: input.visitType,
        team: JSON.stringify(team),
        findings: JSON.stringify(findings),
        follow_up: JSON.stringify(followUp),
        status: 'submitted',
        decision_reason: null,
        created_by: principal.id,
        created_at: uow.now,
        decided_by: null,
        decided_at: null,
      })
      .execute();
    uow.audit({
      action: 'grant.visit_recorded',
      entityType: 'ngo_monitoring_visit',
      entityId: id,
      after: { agreementId, visitedOn, visitType: input.visitType, team, findings, followUp },
    });
    uow.emit({
      type: 'grant.visit_recorded',
      entityType: 'ngo_monitoring_visit',
      entityId: id,
      permission: P.monitoringVisit,
      payload: { visitId: id, agreementId },
    });
  });
  return getVisit(deps, principal, id);
}

/** A photo of a visit (JPEG or PNG, ≤ 10 MB), stored with its SHA-256; only while the report is not approved. */
export async function addVisitPhoto(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  visitId: string,
  input: {
    data: string;
    fileName?: string | undefined;
    mime?: string | undefined;
    caption?: string | undefined;
  },
) {
  const doc = decodeDocument(input);
  if (doc.mime === 'application/pdf') throw new AppError('GRANT_VISIT_PHOTO_NOT_IMAGE', 415);
  await getVisit(deps, principal, visitId);
  const storageKey = await storeDocument(deps.config.dataDir, doc);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    const visit = await uow.db
      .selectFrom('ngo_monitoring_visits')
      .select(['status'])
      .where('id', '=', visitId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (visit.status === 'approved') throw new AppError('GRANT_VISIT_ALREADY_APPROVED', 409);
    await uow.db
      .insertInto('ngo_visit_photos')
      .values({
        id,
        visit_id: visitId,
        sha256: doc.sha256,
        file_name: doc.fileName,
        mime: doc.mime,
        size_bytes: doc.bytes.length,
        storage_key: storageKey,
        caption: input.caption?.trim() || null,
        uploaded_by: principal.id,
        uploaded_at: uow.now,
      })
      .execute();
    uow.audit({
      action: 'grant.visit_photo_added',
      entityType: 'ngo_monitoring_visit',
      entityId: visitId,
      after: { photoId: id, sha256: doc.sha256, fileName: doc.fileName },
    });
  });
  return getVisit(deps, principal, visitId);
}

/** Approval (or return with a reason) of a visit report, by a monitoring person other than its author. */
export async function decideVisit(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  visitId: string,
  input: { outcome: 'approve' | 'return'; reason?: string | undefined },
) {
  const reason = input.reason?.trim() || null;
  if (input.outcome === 'return' && (!reason || reason.length < 10))
    throw new AppError('GRANT_REASON_REQUIRED', 400, { min: 10 });
  await deps.tx(ctx, async (uow) => {
    const visit = await uow.db
      .selectFrom('ngo_monitoring_visits')
      .selectAll()
      .where('id', '=', visitId)
      .forUpdate()
      .executeTakeFirst();
    if (!visit) throw new AppError('GRANT_VISIT_NOT_FOUND', 404);
    if (visit.status !== 'submitted')
      throw new AppError('GRANT_VISIT_ALREADY_DECIDED', 409, { status: visit.status });
    if (visit.created_by === principal.id) throw new AppError('GRANT_VISIT_SELF_APPROVAL', 403);
    const status = input.outcome === 'approve' ? 'approved' : 'returned';
    await uow.db
      .updateTable('ngo_monitoring_visits')
      .set({ status, decision_reason: reason, decided_by: principal.id, decided_at: uow.now })
      .where('id', '=', visitId)
      .execute();
    uow.audit({
      action: `grant.visit_${status}`,
      entityType: 'ngo_monitoring_visit',
      entityId: visitId,
      reason,
      before: { status: visit.status },
      after: { status },
    });
    uow.emit({
      type: `grant.visit_${status}`,
      entityType: 'ngo_monitoring_visit',
      entityId: visitId,
      permission: P.read,
      payload: { visitId, agreementId: visit.agreement_id },
    });
  });
  return getVisit(deps, principal, visitId);
}

export async function getVisit(deps: Pick<AppDeps, 'db'>, principal: Principal, id: string) {
  const access = await grantsAccess(deps.db, principal);
  const v = await deps.db
    .selectFrom('ngo_monitoring_visits as v')
    .innerJoin('ngo_agreements as a', 'a.id', 'v.agreement_id')
    .select([
      'v.id',
      'v.agreement_id',
      'a.organisation_id',
      dateText('v.visited_on').as('visited_on'),
      'v.visit_type',
      'v.team',
      'v.findings',
      'v.follow_up',
      'v.status',
      'v.decision_reason',
      'v.created_at',
      'v.decided_at',
    ])
    .where('v.id', '=', id)
    .executeTakeFirst();
  if (!v || (!access.all && access.organisationId !== v.organisation_id))
    throw new AppError('GRANT_VISIT_NOT_FOUND', 404);
  const photos = await deps.db
    .selectFrom('ngo_visit_photos')
    .select(['id', 'sha256', 'file_name', 'mime', 'size_bytes', 'caption', 'uploaded_at'])
    .where('visit_id', '=', id)
    .orderBy('uploaded_at')
    .execute();
  return {
    id: v.id,
    agreementId: v.agreement_id,
    visitedOn: v.visited_on,
    visitType: v.visit_type,
    team: v.team as unknown as string[],
    findings: v.findings as unknown as string[],
    followUp: v.follow_up as unknown as FollowUpAction[],
    status: v.status,
    decisionReason: v.decision_reason,
    createdAt: v.created_at.toISOString(),
    decidedAt: v.decided_at?.toISOString() ?? null,
    photos: photos.map((p) => ({
      id: p.id,
      sha256: p.sha256,
      fileName: p.file_name,
      mime: p.mime,
      sizeBytes: p.size_bytes,
      caption: p.caption,
      uploadedAt: p.uploaded_at.toISOString(),
    })),
  };
}

/** Visits and indicator progress of an agreement. */
export async function getMonitoring(deps: Pick<AppDeps, 'db'>, principal: Principal, agreementId: string) {
  const access = await grantsAccess(deps.db, principal);
  const agreement = await loadAgreement(deps.db, access, agreementId);
  const [visitIds, reports, indicators] = await Promise.all([
    deps.db
      .selectFrom('ngo_monitoring_visits')
      .select('id')
      .where('agreement_id', '=', agreementId)
      .orderBy('visited_on', 'desc')
      .execute(),
    deps.db
      .selectFrom('ngo_indicator_reports')
      .select([
        'id',
        'indicator_code',
        dateText('period_from').as('period_from'),
        dateText('period_to').as('period_to'),
        'value',
        'notes',
        'reported_at',
      ])
      .where('agreement_id', '=', agreementId)
      .orderBy('period_to')
      .orderBy('reported_at')
      .execute(),
    agreementIndicators(deps.db, agreement.plan_id, agreement.plan_version),
  ]);
  return {
    agreementId,
    visits: await Promise.all(visitIds.map((v) => getVisit(deps, principal, v.id))),
    indicators: indicators.map((i) => ({
      ...i,
      reports: reports
        .filter((r) => r.indicator_code === i.code)
        .map((r) => ({
          id: r.id,
          periodFrom: r.period_from,
          periodTo: r.period_to,
          value: Number(r.value),
          notes: r.notes,
          reportedAt: r.reported_at.toISOString(),
        })),
    })),
  };
}

export async function readVisitPhoto(
  deps: Pick<AppDeps, 'db' | 'config'>,
  principal: Principal,
  visitId: string,
  photoId: string,
) {
  await getVisit(deps, principal, visitId);
  const p = await deps.db
    .selectFrom('ngo_visit_photos')
    .selectAll()
    .where('id', '=', photoId)
    .where('visit_id', '=', visitId)
    .executeTakeFirst();
  if (!p) throw new AppError('GRANT_VISIT_PHOTO_NOT_FOUND', 404);
  return {
    bytes: await readDocument(deps.config.dataDir, p.storage_key, p.sha256),
    mime: p.mime,
    fileName: p.file_name,
  };
}
