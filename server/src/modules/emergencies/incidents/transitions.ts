import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import { lockIncident } from './incidents.repo.js';
import type { IncidentRecord, IncidentUpdate } from './incidents.tables.js';
import { findTransition } from './lifecycle.js';

export async function lockIncidentOrThrow(uow: UnitOfWork, id: string): Promise<IncidentRecord> {
  const incident = await lockIncident(uow.db, id);
  if (!incident) throw new AppError('INCIDENT_NOT_FOUND', 404);
  return incident;
}

export function incidentEventScope(incident: Pick<IncidentRecord, 'department_code' | 'municipality_pcode'>) {
  return { department: incident.department_code, municipality: incident.municipality_pcode };
}

export interface TimelineInput {
  kind: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
}

export async function appendTimeline(
  uow: UnitOfWork,
  incidentId: string,
  entry: TimelineInput,
): Promise<void> {
  await uow.db
    .insertInto('incident_timeline')
    .values({
      id: randomUUID(),
      incident_id: incidentId,
      at: uow.now,
      kind: entry.kind,
      from_status: entry.fromStatus ?? null,
      to_status: entry.toStatus ?? null,
      actor_type: uow.ctx.actor.type,
      actor_id: uow.ctx.actor.id,
      actor_name: uow.ctx.actor.name,
      reason: entry.reason ?? null,
      data: JSON.stringify(entry.data ?? {}),
    })
    .execute();
}

type IncidentPatch = Omit<IncidentUpdate, 'id' | 'folio' | 'status' | 'version'>;

/**
 * Moves an incident through the lifecycle table: refuses illegal transitions (409) and missing
 * reasons (400), writes the new status with the patch, a timeline entry, an audit entry and an event.
 * The caller must hold the row lock (lockIncidentOrThrow) in the same unit of work.
 */
export async function applyTransition(
  uow: UnitOfWork,
  incident: IncidentRecord,
  action: string,
  options: { reason?: string | null; patch?: IncidentPatch; data?: Record<string, unknown> } = {},
): Promise<IncidentRecord> {
  const rule = findTransition(action, incident.status);
  if (!rule) {
    throw new AppError('ILLEGAL_TRANSITION', 409, { action, status: incident.status });
  }
  const reason = options.reason?.trim() || null;
  if (rule.requiresReason && !reason) throw new AppError('REASON_REQUIRED', 400, { action });
  const patch = options.patch ?? {};
  const updated = await uow.db
    .updateTable('incidents')
    .set({ ...patch, status: rule.to, updated_at: uow.now, version: incident.version + 1 })
    .where('id', '=', incident.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendTimeline(uow, incident.id, {
    kind: 'status',
    fromStatus: incident.status,
    toStatus: rule.to,
    reason,
    data: { action, ...(options.data ?? {}) },
  });
  uow.audit({
    action: `incident.${action}`,
    entityType: 'incident',
    entityId: incident.id,
    before: { status: incident.status, ...pick(incident, Object.keys(patch)) },
    after: { status: rule.to, ...pick(updated, Object.keys(patch)) },
    reason,
  });
  uow.emit({
    type: 'incident.status_changed',
    entityType: 'incident',
    entityId: incident.id,
    scope: incidentEventScope(updated),
    payload: {
      id: incident.id,
      folio: incident.folio,
      action,
      from: incident.status,
      to: rule.to,
      priority: updated.priority,
    },
  });
  return updated;
}

export function pick(row: object, keys: string[]): Record<string, unknown> {
  const source = row as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, source[k]]));
}
