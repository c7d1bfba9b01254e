import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../../../platform/audit/hashing.js';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { decodePhotos, insertAttachments, storeFiles } from '../citizen/attachments.js';
import { assertCanAccessIncident } from '../incidents/access.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { appendTimeline, incidentEventScope } from '../incidents/transitions.js';
import {
  CUSTODY_GENESIS,
  checkCustodyStep,
  custodyEntryHash,
  custodyState,
  firstBrokenCustodyEntry,
  type StoredCustodyEntry,
} from './custody.js';
import { FIELD_PERMISSIONS as P } from './field.policy.js';
import type { CustodyAction } from './field.tables.js';
import { validateReportFields } from './report-fields.js';

async function incidentFor(
  uow: UnitOfWork | EmergenciesDeps,
  principal: Principal,
  id: string,
  permission: string,
) {
  const incident = await uow.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!incident) throw new AppError('INCIDENT_NOT_FOUND', 404);
  await assertCanAccessIncident(uow.db, principal, permission, incident);
  return incident;
}

export interface FieldReportInput {
  id: string;
  fields: Record<string, unknown>;
  narrative: string;
  writtenAt?: string | undefined;
}

/** Offline-friendly: the client generates the id; resending the same report is a no-op, a different one a 409. */
export async function submitFieldReport(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  incidentId: string,
  input: FieldReportInput,
): Promise<{ id: string; replayed: boolean }> {
  const contentHash = createHash('sha256')
    .update(canonicalJson({ incidentId, fields: input.fields, narrative: input.narrative.trim() }))
    .digest('hex');
  const existing = await deps.db
    .selectFrom('field_reports')
    .select(['id', 'content_hash'])
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (existing) {
    if (existing.content_hash !== contentHash) throw new AppError('FIELD_REPORT_ID_REUSED', 409);
    return { id: existing.id, replayed: true };
  }
  await deps.tx(ctx, async (uow) => {
    const incident = await incidentFor(uow, principal, incidentId, P.reportWrite);
    const problems = validateReportFields(incident.family, input.fields);
    if (problems.length) throw new AppError('FIELD_REPORT_INVALID', 400, {}, problems);
    const narrative = input.narrative.trim();
    if (!narrative) throw new AppError('NARRATIVE_REQUIRED', 400);
    const writtenAt = input.writtenAt ? new Date(input.writtenAt) : uow.now;
    if (writtenAt.getTime() > uow.now.getTime() + 60_000) throw new AppError('WRITTEN_AT_IN_FUTURE', 400);
    const assignment = await uow.db
      .selectFrom('incident_assignments as a')
      .innerJoin('unit_crew as c', 'c.unit_id', 'a.unit_id')
      .select(['a.id', 'a.unit_id'])
      .where('a.incident_id', '=', incidentId)
      .where('c.user_id', '=', principal.id)
      .where('c.to_at', 'is', null)
      .orderBy('a.assigned_at', 'desc')
      .executeTakeFirst();
    await uow.db
      .insertInto('field_reports')
      .values({
        id: input.id,
        incident_id: incidentId,
        assignment_id: assignment?.id ?? null,
        unit_id: assignment?.unit_id ?? null,
        author_id: principal.id,
        family: incident.family,
        fields: JSON.stringify(input.fields),
        narrative,
        content_hash: contentHash,
        written_at: writtenAt,
        received_at: uow.now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await appendTimeline(uow, incidentId, {
      kind: 'field_report',
      data: { reportId: input.id, unitId: assignment?.unit_id ?? null },
    });
    uow.audit({
      action: 'field.report_submitted',
      entityType: 'incident',
      entityId: incidentId,
      after: { reportId: input.id, contentHash },
    });
    uow.emit({
      type: 'incident.field_report',
      entityType: 'incident',
      entityId: incidentId,
      scope: incidentEventScope(incident),
      payload: { id: incidentId, folio: incident.folio, reportId: input.id },
    });
  });
  return { id: input.id, replayed: false };
}

export async function listFieldReports(deps: EmergenciesDeps, principal: Principal, incidentId: string) {
  await incidentFor(deps, principal, incidentId, 'incident.read');
  const rows = await deps.db
    .selectFrom('field_reports as r')
    .innerJoin('users as u', 'u.id', 'r.author_id')
    .selectAll('r')
    .select('u.display_name')
    .where('r.incident_id', '=', incidentId)
    .orderBy('r.received_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    author: { id: r.author_id, name: r.display_name },
    fields: r.fields as unknown as Record<string, unknown>,
    narrative: r.narrative,
    writtenAt: r.written_at.toISOString(),
    receivedAt: r.received_at.toISOString(),
  }));
}

export interface EvidenceInput {
  id: string;
  description: string;
  photo: { data: string; mime?: string | undefined; fileName?: string | undefined };
  collectedAt?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  locationText?: string | undefined;
}

async function appendCustody(
  uow: UnitOfWork,
  attachmentId: string,
  fileSha256: string,
  step: {
    action: CustodyAction;
    holderId: string | null;
    at: Date;
    lon?: number | null;
    lat?: number | null;
    locationText?: string | null;
    note?: string | null;
  },
): Promise<void> {
  const last = await uow.db
    .selectFrom('evidence_custody')
    .select(['seq', 'entry_hash'])
    .where('attachment_id', '=', attachmentId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const fields = {
    attachmentId,
    seq: (last?.seq ?? 0) + 1,
    action: step.action,
    actorId: uow.ctx.actor.id!,
    holderId: step.holderId,
    at: step.at,
    lon: step.lon ?? null,
    lat: step.lon != null ? (step.lat ?? null) : null,
    locationText: step.locationText ?? null,
    note: step.note ?? null,
    fileSha256,
    prevHash: last?.entry_hash ?? CUSTODY_GENESIS,
  };
  await uow.db
    .insertInto('evidence_custody')
    .values({
      id: randomUUID(),
      attachment_id: attachmentId,
      seq: fields.seq,
      action: fields.action,
      actor_id: fields.actorId,
      holder_id: fields.holderId,
      at: fields.at,
      lon: fields.lon,
      lat: fields.lat,
      location_text: fields.locationText,
      note: fields.note,
      prev_hash: fields.prevHash,
      entry_hash: custodyEntryHash(fields),
    })
    .execute();
}

/** Registers a photo as evidence: file stored by SHA-256, custody starts with who collected it, where and when. */
export async function collectEvidence(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  incidentId: string,
  input: EvidenceInput,
): Promise<{ attachmentId: string; sha256: string; replayed: boolean }> {
  const existing = await deps.db
    .selectFrom('evidence_items as e')
    .innerJoin('incident_attachments as a', 'a.id', 'e.attachment_id')
    .select(['e.attachment_id', 'a.sha256', 'e.incident_id'])
    .where('e.client_id', '=', input.id)
    .executeTakeFirst();
  const [file] = decodePhotos([input.photo], { keepMetadata: true });
  if (existing) {
    if (existing.sha256 !== file!.sha256 || existing.incident_id !== incidentId)
      throw new AppError('EVIDENCE_ID_REUSED', 409);
    return { attachmentId: existing.attachment_id, sha256: existing.sha256, replayed: true };
  }
  const collectedAt = input.collectedAt ? new Date(input.collectedAt) : deps.clock.now();
  if (collectedAt.getTime() > deps.clock.now().getTime() + 60_000)
    throw new AppError('WRITTEN_AT_IN_FUTURE', 400);
  await storeFiles(deps.config.dataDir, [file!]);
  const attachmentId = await deps.tx(ctx, async (uow) => {
    const incident = await incidentFor(uow, principal, incidentId, P.evidenceCollect);
    const [row] = await insertAttachments(uow, incidentId, [file!], {
      source: 'field',
      lon: input.lon ?? null,
      lat: input.lat ?? null,
    });
    await uow.db
      .insertInto('evidence_items')
      .values({
        attachment_id: row!.id,
        incident_id: incidentId,
        client_id: input.id,
        description: input.description.trim(),
        collected_by: principal.id,
        collected_at: collectedAt,
      })
      .execute();
    await appendCustody(uow, row!.id, file!.sha256, {
      action: 'collected',
      holderId: principal.id,
      at: collectedAt,
      lon: input.lon ?? null,
      lat: input.lat ?? null,
      locationText: input.locationText ?? null,
      note: input.description.trim(),
    });
    await appendTimeline(uow, incidentId, {
      kind: 'evidence_collected',
      data: { attachmentId: row!.id, sha256: file!.sha256 },
    });
    uow.audit({
      action: 'evidence.collected',
      entityType: 'incident',
      entityId: incidentId,
      after: { attachmentId: row!.id, sha256: file!.sha256, size: file!.bytes.length },
    });
    uow.emit({
      type: 'incident.evidence_added',
      entityType: 'incident',
      entityId: incidentId,
      scope: incidentEventScope(incident),
      payload: { id: incidentId, folio: incident.folio, attachmentId: row!.id },
    });
    return row!.id;
  });
  return { attachmentId, sha256: file!.sha256, replayed: false };
}

export interface CustodyStepInput {
  action: Exclude<CustodyAction, 'collected'>;
  toHolderId?: string | undefined;
  note?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  locationText?: string | undefined;
}

export async function recordCustodyStep(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  attachmentId: string,
  input: CustodyStepInput,
): Promise<void> {
  await deps.tx(ctx, async (uow) => {
    const item = await uow.db
      .selectFrom('evidence_items as e')
      .innerJoin('incident_attachments as a', 'a.id', 'e.attachment_id')
      .select(['e.attachment_id', 'e.incident_id', 'a.sha256'])
      .where('e.attachment_id', '=', attachmentId)
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw new AppError('EVIDENCE_NOT_FOUND', 404);
    await incidentFor(uow, principal, item.incident_id, P.evidenceCustody);
    const entries = await uow.db
      .selectFrom('evidence_custody')
      .select(['action', 'actor_id', 'holder_id'])
      .where('attachment_id', '=', attachmentId)
      .orderBy('seq')
      .execute();
    const state = custodyState(
      entries.map((e) => ({ action: e.action, actorId: e.actor_id, holderId: e.holder_id })),
    );
    if (input.toHolderId) {
      const recipient = await uow.db
        .selectFrom('users')
        .select(['id', 'active'])
        .where('id', '=', input.toHolderId)
        .executeTakeFirst();
      if (!recipient?.active) throw new AppError('USER_NOT_FOUND', 404);
    }
    const refusal = checkCustodyStep(input.action, principal.id, state, input.toHolderId ?? null);
    if (refusal) throw new AppError(refusal, 409);
    const holderId =
      input.action === 'transferred'
        ? input.toHolderId!
        : input.action === 'received'
          ? principal.id
          : state.holderId;
    await appendCustody(uow, attachmentId, item.sha256, {
      action: input.action,
      holderId,
      at: uow.now,
      lon: input.lon ?? null,
      lat: input.lat ?? null,
      locationText: input.locationText ?? null,
      note: input.note ?? null,
    });
    uow.audit({
      action: `evidence.${input.action}`,
      entityType: 'evidence',
      entityId: attachmentId,
      after: { holderId, note: input.note ?? null },
    });
  });
}

export async function listEvidence(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  incidentId: string,
) {
  await incidentFor(deps, principal, incidentId, P.evidenceRead);
  const items = await deps.db
    .selectFrom('evidence_items as e')
    .innerJoin('incident_attachments as a', 'a.id', 'e.attachment_id')
    .select([
      'e.attachment_id',
      'e.description',
      'e.collected_at',
      'a.sha256',
      'a.mime',
      'a.size_bytes',
      'a.file_name',
    ])
    .where('e.incident_id', '=', incidentId)
    .orderBy('e.collected_at')
    .execute();
  const ids = items.map((i) => i.attachment_id);
  const custody = ids.length
    ? await deps.db
        .selectFrom('evidence_custody as c')
        .innerJoin('users as u', 'u.id', 'c.actor_id')
        .leftJoin('users as h', 'h.id', 'c.holder_id')
        .selectAll('c')
        .select(['u.display_name as actor_name', 'h.display_name as holder_name'])
        .where('c.attachment_id', 'in', ids)
        .orderBy('c.seq')
        .execute()
    : [];
  await deps.tx(ctx, async (uow) => {
    uow.audit({
      action: 'evidence.listed',
      entityType: 'incident',
      entityId: incidentId,
      after: { items: ids.length },
    });
  });
  return items.map((item) => {
    const chain = custody.filter((c) => c.attachment_id === item.attachment_id);
    const stored: StoredCustodyEntry[] = chain.map((c) => ({
      attachmentId: c.attachment_id,
      seq: c.seq,
      action: c.action,
      actorId: c.actor_id,
      holderId: c.holder_id,
      at: c.at,
      lon: c.lon,
      lat: c.lat,
      locationText: c.location_text,
      note: c.note,
      fileSha256: item.sha256,
      prevHash: c.prev_hash,
      entryHash: c.entry_hash,
    }));
    const broken = firstBrokenCustodyEntry(stored);
    const state = custodyState(stored);
    return {
      attachmentId: item.attachment_id,
      description: item.description,
      collectedAt: item.collected_at.toISOString(),
      sha256: item.sha256,
      mime: item.mime,
      sizeBytes: item.size_bytes,
      fileName: item.file_name,
      holderId: state.holderId,
      pendingRecipientId: state.pendingRecipient,
      chainIntact: broken === null,
      firstBrokenSeq: broken,
      custody: chain.map((c) => ({
        seq: c.seq,
        action: c.action,
        actor: { id: c.actor_id, name: c.actor_name },
        holder: c.holder_id ? { id: c.holder_id, name: c.holder_name } : null,
        at: c.at.toISOString(),
        lon: c.lon,
        lat: c.lat,
        locationText: c.location_text,
        note: c.note,
        entryHash: c.entry_hash,
      })),
    };
  });
}

/** The file of an attachment, after checking access; every download is audited. */
export async function readAttachmentContent(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  attachmentId: string,
) {
  const row = await deps.db
    .selectFrom('incident_attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .executeTakeFirst();
  if (!row) throw new AppError('ATTACHMENT_NOT_FOUND', 404);
  await incidentFor(deps, principal, row.incident_id, 'incident.read');
  const bytes = await readFile(path.join(deps.config.dataDir, row.storage_key)).catch(() => null);
  if (!bytes) throw new AppError('ATTACHMENT_FILE_MISSING', 404);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== row.sha256) throw new AppError('ATTACHMENT_INTEGRITY_FAILED', 409);
  await deps.tx(ctx, async (uow) => {
    uow.audit({
      action: 'attachment.downloaded',
      entityType: 'incident',
      entityId: row.incident_id,
      after: { attachmentId, sha256: row.sha256 },
    });
  });
  return { bytes, mime: row.mime, fileName: row.file_name, sha256: row.sha256 };
}
