import { auditPersonalDataRead } from '../../../platform/audit/personal-data.js';
import type { RequestContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { familyOf } from '../catalog.js';
import { assertCanAccessIncident } from './access.js';
import type { EmergenciesDeps } from './incidents.deps.js';
import { PERMISSIONS } from './incidents.policy.js';
import type { AttachCallBody, Classify, Incident } from './incidents.schemas.js';
import {
  checkCallTimes,
  decidePriority,
  getIncident,
  insertCaller,
  insertNote,
  readIncident,
  resolveType,
} from './incidents.service.js';
import type { IncidentRecord } from './incidents.tables.js';
import { appendTimeline, applyTransition, incidentEventScope, lockIncidentOrThrow } from './transitions.js';

type Work = (
  incident: IncidentRecord,
  uow: Parameters<Parameters<EmergenciesDeps['tx']>[1]>[0],
) => Promise<void>;

/** Locks the incident, checks the caller's scope for `permission`, runs `work`, returns the fresh incident. */
async function withIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  permission: string,
  work: Work,
): Promise<Incident> {
  await deps.tx(ctx, async (uow) => {
    const incident = await lockIncidentOrThrow(uow, id);
    await assertCanAccessIncident(uow.db, principal, permission, incident);
    await work(incident, uow);
  });
  return readIncident(deps, ctx, id);
}

export function classifyIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: Classify,
) {
  return withIncident(deps, ctx, principal, id, PERMISSIONS.classify, async (incident, uow) => {
    const type = await resolveType(uow, input.typeCode);
    const decided = decidePriority(type, input.answers ?? {}, input.priority, input.priorityReason);
    const patch = {
      type_code: type.code,
      family: familyOf(type.code),
      priority: decided.priority,
      suggested_priority: decided.suggested,
      answers: JSON.stringify(input.answers ?? {}),
    };
    if (incident.status === 'received') {
      await applyTransition(uow, incident, 'classify', {
        reason: decided.priority !== decided.suggested ? input.priorityReason : null,
        patch,
        data: { typeCode: type.code, priority: decided.priority },
      });
      return;
    }
    if (incident.status !== 'classified') {
      throw new AppError('ILLEGAL_TRANSITION', 409, { action: 'classify', status: incident.status });
    }
    if (!input.priorityReason?.trim() && incident.type_code !== type.code) {
      throw new AppError('REASON_REQUIRED', 400, { action: 'reclassify' });
    }
    await uow.db
      .updateTable('incidents')
      .set({ ...patch, updated_at: uow.now, version: incident.version + 1 })
      .where('id', '=', id)
      .execute();
    await appendTimeline(uow, id, {
      kind: 'reclassified',
      reason: input.priorityReason ?? null,
      data: { from: incident.type_code, to: type.code, priority: decided.priority },
    });
    uow.audit({
      action: 'incident.reclassified',
      entityType: 'incident',
      entityId: id,
      before: { typeCode: incident.type_code, priority: incident.priority },
      after: { typeCode: type.code, priority: decided.priority },
      reason: input.priorityReason ?? null,
    });
    uow.emit({
      type: 'incident.updated',
      entityType: 'incident',
      entityId: id,
      scope: incidentEventScope(incident),
      payload: { id, folio: incident.folio, typeCode: type.code, priority: decided.priority },
    });
  });
}

export function changePriority(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: { priority: number; reason: string },
) {
  return withIncident(deps, ctx, principal, id, PERMISSIONS.priority, async (incident, uow) => {
    if (!['received', 'classified', 'dispatched', 'en_route', 'on_scene'].includes(incident.status)) {
      throw new AppError('INCIDENT_NOT_OPEN', 409, { status: incident.status });
    }
    if (incident.priority === input.priority) throw new AppError('PRIORITY_UNCHANGED', 409);
    await uow.db
      .updateTable('incidents')
      .set({ priority: input.priority, updated_at: uow.now, version: incident.version + 1 })
      .where('id', '=', id)
      .execute();
    await appendTimeline(uow, id, {
      kind: 'priority',
      reason: input.reason,
      data: { from: incident.priority, to: input.priority },
    });
    uow.audit({
      action: 'incident.priority_changed',
      entityType: 'incident',
      entityId: id,
      before: { priority: incident.priority },
      after: { priority: input.priority },
      reason: input.reason,
    });
    uow.emit({
      type: 'incident.priority_changed',
      entityType: 'incident',
      entityId: id,
      scope: incidentEventScope(incident),
      payload: { id, folio: incident.folio, from: incident.priority, to: input.priority },
    });
  });
}

export function cancelIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  reason: string,
) {
  return withIncident(deps, ctx, principal, id, PERMISSIONS.cancel, async (incident, uow) => {
    const active = await uow.db
      .selectFrom('incident_assignments')
      .select('id')
      .where('incident_id', '=', id)
      .where('released_at', 'is', null)
      .where('cleared_at', 'is', null)
      .executeTakeFirst();
    if (active) throw new AppError('INCIDENT_HAS_ACTIVE_UNITS', 409);
    await applyTransition(uow, incident, 'cancel', { reason, patch: { cancelled_at: uow.now } });
  });
}

export function closeIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: { closureCode: string; summary: string },
) {
  return withIncident(deps, ctx, principal, id, PERMISSIONS.close, async (incident, uow) => {
    const code = await uow.db
      .selectFrom('closure_codes')
      .select('code')
      .where('code', '=', input.closureCode)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!code) throw new AppError('UNKNOWN_CLOSURE_CODE', 400, { code: input.closureCode });
    const summary = input.summary.trim();
    if (summary.length < 3) throw new AppError('CLOSURE_SUMMARY_REQUIRED', 400);
    await applyTransition(uow, incident, 'close', {
      patch: { closed_at: uow.now, closure_code: code.code, closure_summary: summary },
      data: { closureCode: code.code },
    });
  });
}

export function reopenIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  reason: string,
) {
  return withIncident(deps, ctx, principal, id, PERMISSIONS.reopen, async (incident, uow) => {
    await applyTransition(uow, incident, 'reopen', {
      reason,
      patch: { closed_at: null, cancelled_at: null, closure_code: null, closure_summary: null },
    });
  });
}

/** Marks `id` as a duplicate of another incident; both keep their histories and are linked. */
export function mergeIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: { intoIncidentId: string; reason: string },
) {
  if (input.intoIncidentId === id) throw new AppError('MERGE_INTO_SELF', 400);
  return withIncident(deps, ctx, principal, id, PERMISSIONS.merge, async (incident, uow) => {
    const target = await lockIncidentOrThrow(uow, input.intoIncidentId);
    await assertCanAccessIncident(uow.db, principal, PERMISSIONS.merge, target);
    if (['closed', 'cancelled', 'duplicate'].includes(target.status)) {
      throw new AppError('MERGE_TARGET_NOT_OPEN', 409, { status: target.status });
    }
    const active = await uow.db
      .selectFrom('incident_assignments')
      .select('id')
      .where('incident_id', '=', id)
      .where('released_at', 'is', null)
      .where('cleared_at', 'is', null)
      .executeTakeFirst();
    if (active) throw new AppError('INCIDENT_HAS_ACTIVE_UNITS', 409);
    await applyTransition(uow, incident, 'mark_duplicate', {
      reason: input.reason,
      patch: { duplicate_of: target.id },
      data: { into: target.id, intoFolio: target.folio },
    });
    await uow.db
      .insertInto('incident_links')
      .values([
        { incident_id: id, linked_id: target.id, kind: 'duplicate_of', at: uow.now },
        { incident_id: target.id, linked_id: id, kind: 'related', at: uow.now },
      ])
      .onConflict((oc) => oc.doNothing())
      .execute();
    await appendTimeline(uow, target.id, {
      kind: 'merged_in',
      reason: input.reason,
      data: { from: id, fromFolio: incident.folio },
    });
    uow.emit({
      type: 'incident.merged',
      entityType: 'incident',
      entityId: target.id,
      scope: incidentEventScope(target),
      payload: { id: target.id, folio: target.folio, merged: id, mergedFolio: incident.folio },
    });
  });
}

/** "Attach to existing": a new call about an incident already open adds its caller and narrative. */
export function attachCall(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: AttachCallBody,
) {
  return withIncident(deps, ctx, principal, id, PERMISSIONS.create, async (incident, uow) => {
    if (['closed', 'cancelled', 'duplicate'].includes(incident.status)) {
      throw new AppError('INCIDENT_NOT_OPEN', 409, { status: incident.status });
    }
    const times = checkCallTimes(uow.now, input.callReceivedAt, input.callAnsweredAt);
    await insertCaller(uow, id, 'call', input.caller, times.received ?? uow.now);
    const noteId = await insertNote(uow, id, 'note', input.narrative.trim());
    await appendTimeline(uow, id, { kind: 'call_attached', data: { noteId } });
    uow.audit({ action: 'incident.call_attached', entityType: 'incident', entityId: id, after: { noteId } });
    uow.emit({
      type: 'incident.call_attached',
      entityType: 'incident',
      entityId: id,
      scope: incidentEventScope(incident),
      payload: { id, folio: incident.folio },
    });
  });
}

export async function addNote(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: { text: string; corrects?: string | undefined },
) {
  let noteId = '';
  await withIncident(deps, ctx, principal, id, PERMISSIONS.note, async (incident, uow) => {
    if (input.corrects) {
      const original = await uow.db
        .selectFrom('incident_notes')
        .select(['id'])
        .where('id', '=', input.corrects)
        .where('incident_id', '=', id)
        .executeTakeFirst();
      if (!original) throw new AppError('NOTE_NOT_FOUND', 404);
    }
    const text = input.text.trim();
    if (!text) throw new AppError('NOTE_EMPTY', 400);
    noteId = await insertNote(uow, id, input.corrects ? 'correction' : 'note', text, input.corrects ?? null);
    await appendTimeline(uow, id, {
      kind: input.corrects ? 'note_corrected' : 'note',
      data: { noteId, corrects: input.corrects ?? null },
    });
    uow.audit({
      action: input.corrects ? 'incident.note_corrected' : 'incident.note_added',
      entityType: 'incident',
      entityId: id,
      after: { noteId, corrects: input.corrects ?? null },
    });
    uow.emit({
      type: 'incident.note_added',
      entityType: 'incident',
      entityId: id,
      scope: incidentEventScope(incident),
      payload: { id, folio: incident.folio, noteId },
    });
  });
  return noteId;
}

export async function listNotes(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
) {
  await getIncident(deps, ctx, principal, id);
  const rows = await deps.db
    .selectFrom('incident_notes')
    .selectAll()
    .where('incident_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const correctedBy = new Map(rows.filter((r) => r.corrects).map((r) => [r.corrects!, r.id]));
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    kind: r.kind,
    text: r.text,
    corrects: r.corrects,
    correctedBy: correctedBy.get(r.id) ?? null,
    author: { type: r.author_type, id: r.author_id, name: r.author_name },
  }));
}

export async function listTimeline(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
) {
  await getIncident(deps, ctx, principal, id);
  const rows = await deps.db
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    kind: r.kind,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
    reason: r.reason,
    data: (r.data ?? {}) as Record<string, unknown>,
  }));
}

/** Caller personal data: permitted roles only, and every read is written to the audit log. */
export async function readCallers(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
) {
  const incident = await deps.db
    .selectFrom('incidents')
    .select(['id', 'department_code', 'municipality_pcode'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!incident) throw new AppError('INCIDENT_NOT_FOUND', 404);
  await assertCanAccessIncident(deps.db, principal, PERMISSIONS.callerRead, incident);
  const rows = await deps.db
    .selectFrom('incident_callers')
    .selectAll()
    .where('incident_id', '=', id)
    .orderBy('received_at')
    .execute();
  await auditPersonalDataRead(deps, ctx, {
    entityType: 'incident',
    entityId: id,
    fields: ['caller.phone', 'caller.name', 'caller.email'],
    purpose: 'incident.caller.read',
  });
  return rows.map((r) => ({
    id: r.id,
    phone: r.phone,
    name: r.name,
    email: r.email,
    anonymous: r.anonymous,
    channel: r.channel,
    receivedAt: r.received_at.toISOString(),
  }));
}
