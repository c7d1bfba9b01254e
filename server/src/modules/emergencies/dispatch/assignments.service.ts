import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import { isUniqueViolation } from '../../../platform/db/errors.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { assertCanAccessIncident } from '../incidents/access.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { PERMISSIONS as INCIDENT } from '../incidents/incidents.policy.js';
import type { IncidentRecord } from '../incidents/incidents.tables.js';
import {
  appendTimeline,
  applyTransition,
  incidentEventScope,
  lockIncidentOrThrow,
} from '../incidents/transitions.js';
import { DISPATCH_PERMISSIONS as P } from './dispatch.policy.js';
import type { IncidentAssignmentsTable, UnitsTable } from './dispatch.tables.js';
import { unitTransition } from './unit-lifecycle.js';

export type Unit = Selectable<UnitsTable>;
export type Assignment = Selectable<IncidentAssignmentsTable>;

export async function lockUnit(uow: UnitOfWork, unitId: string): Promise<Unit> {
  const unit = await uow.db
    .selectFrom('units')
    .selectAll()
    .where('id', '=', unitId)
    .forUpdate()
    .executeTakeFirst();
  if (!unit?.active) throw new AppError('UNIT_NOT_FOUND', 404);
  return unit;
}

export async function setUnitStatus(
  uow: UnitOfWork,
  unit: Unit,
  action: string,
  reason?: string | null,
): Promise<Unit> {
  const to = unitTransition(action, unit.status);
  if (!to)
    throw new AppError('ILLEGAL_UNIT_TRANSITION', 409, { action, status: unit.status, unit: unit.call_sign });
  if (to === unit.status) return unit;
  const updated = await uow.db
    .updateTable('units')
    .set({ status: to, status_changed_at: uow.now, updated_at: uow.now })
    .where('id', '=', unit.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  uow.audit({
    action: `unit.${action}`,
    entityType: 'unit',
    entityId: unit.id,
    before: { status: unit.status },
    after: { status: to },
    reason: reason ?? null,
  });
  uow.emit({
    type: 'unit.status_changed',
    topic: 'units',
    entityType: 'unit',
    entityId: unit.id,
    scope: { department: unit.department_code, municipality: unit.municipality_pcode, unit: unit.id },
    permission: P.unitsRead,
    payload: { id: unit.id, callSign: unit.call_sign, from: unit.status, to, action },
  });
  return updated;
}

/**
 * Assigns an available unit to an open incident. The unit row lock plus the partial unique index on
 * active assignments make a double assignment impossible, even under concurrent requests.
 */
export async function assignUnit(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  input: {
    incidentId: string;
    unitId: string;
    reason?: string | undefined;
    recommended?: boolean | undefined;
  },
): Promise<Assignment> {
  try {
    return await deps.tx(ctx, async (uow) => {
      const incident = await lockIncidentOrThrow(uow, input.incidentId);
      await assertCanAccessIncident(uow.db, principal, P.assign, incident);
      if (!['received', 'classified', 'dispatched', 'en_route', 'on_scene'].includes(incident.status)) {
        throw new AppError('INCIDENT_NOT_OPEN', 409, { status: incident.status });
      }
      const unit = await lockUnit(uow, input.unitId);
      if (unit.status !== 'available') {
        throw new AppError('UNIT_NOT_AVAILABLE', 409, { unit: unit.call_sign, status: unit.status });
      }
      await setUnitStatus(uow, unit, 'assign');
      const assignment = await uow.db
        .insertInto('incident_assignments')
        .values({
          id: randomUUID(),
          incident_id: incident.id,
          unit_id: unit.id,
          assigned_at: uow.now,
          assigned_by: uow.ctx.actor.id,
          reason: input.reason ?? null,
          acknowledged_at: null,
          en_route_at: null,
          on_scene_at: null,
          cleared_at: null,
          released_at: null,
          release_reason: null,
          released_by: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (incident.status === 'received' || incident.status === 'classified') {
        await applyTransition(uow, incident, 'dispatch', {
          patch: { first_assigned_at: incident.first_assigned_at ?? uow.now },
          data: { unitId: unit.id, callSign: unit.call_sign },
        });
      } else {
        await appendTimeline(uow, incident.id, {
          kind: 'unit_assigned',
          data: { unitId: unit.id, callSign: unit.call_sign },
        });
      }
      uow.audit({
        action: 'dispatch.unit_assigned',
        entityType: 'incident',
        entityId: incident.id,
        after: {
          unitId: unit.id,
          callSign: unit.call_sign,
          assignmentId: assignment.id,
          recommended: !!input.recommended,
        },
        reason: input.reason ?? null,
      });
      uow.emit({
        type: 'dispatch.unit_assigned',
        entityType: 'incident',
        entityId: incident.id,
        scope: { ...incidentEventScope(incident), unit: unit.id },
        permission: INCIDENT.read,
        payload: {
          incidentId: incident.id,
          folio: incident.folio,
          unitId: unit.id,
          callSign: unit.call_sign,
          assignmentId: assignment.id,
          priority: incident.priority,
        },
      });
      return assignment;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('UNIT_NOT_AVAILABLE', 409, { unit: input.unitId, status: 'assigned' });
    throw error;
  }
}

async function lockAssignment(uow: UnitOfWork, assignmentId: string): Promise<Assignment> {
  const a = await uow.db
    .selectFrom('incident_assignments')
    .selectAll()
    .where('id', '=', assignmentId)
    .forUpdate()
    .executeTakeFirst();
  if (!a) throw new AppError('ASSIGNMENT_NOT_FOUND', 404);
  if (a.released_at || a.cleared_at) throw new AppError('ASSIGNMENT_NOT_ACTIVE', 409);
  return a;
}

async function otherActiveAssignments(
  uow: UnitOfWork,
  incidentId: string,
  exceptId: string,
): Promise<Assignment[]> {
  return uow.db
    .selectFrom('incident_assignments')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '<>', exceptId)
    .where('released_at', 'is', null)
    .where('cleared_at', 'is', null)
    .execute();
}

export type FieldStatusAction = 'acknowledge' | 'en_route' | 'on_scene' | 'clear';

/**
 * A unit's progress on its assignment (from the field app or the dispatch console). Drives the
 * incident: first unit en route / on scene moves the incident; the last unit clearing resolves it.
 */
export async function progressAssignmentInTx(
  uow: UnitOfWork,
  assignmentId: string,
  action: FieldStatusAction,
  options: {
    note?: string | null;
    authorize?: (a: Assignment, incident: IncidentRecord) => Promise<void>;
  } = {},
): Promise<Assignment> {
  const assignment = await lockAssignment(uow, assignmentId);
  const incident = await lockIncidentOrThrow(uow, assignment.incident_id);
  await options.authorize?.(assignment, incident);
  const unit = await lockUnit(uow, assignment.unit_id);
  await setUnitStatus(uow, unit, action);
  const column = {
    acknowledge: 'acknowledged_at',
    en_route: 'en_route_at',
    on_scene: 'on_scene_at',
    clear: 'cleared_at',
  }[action] as 'acknowledged_at' | 'en_route_at' | 'on_scene_at' | 'cleared_at';
  const updated = await uow.db
    .updateTable('incident_assignments')
    .set({ [column]: uow.now })
    .where('id', '=', assignment.id)
    .returningAll()
    .executeTakeFirstOrThrow();

  const data = { unitId: unit.id, callSign: unit.call_sign, assignmentId: assignment.id };
  if (action === 'en_route' && incident.status === 'dispatched') {
    await applyTransition(uow, incident, 'en_route', {
      patch: { first_en_route_at: incident.first_en_route_at ?? uow.now },
      data,
    });
  } else if (action === 'on_scene' && (incident.status === 'dispatched' || incident.status === 'en_route')) {
    await applyTransition(uow, incident, 'on_scene', {
      patch: {
        first_on_scene_at: incident.first_on_scene_at ?? uow.now,
        first_en_route_at: incident.first_en_route_at ?? uow.now,
      },
      data,
    });
  } else if (
    action === 'clear' &&
    incident.status === 'on_scene' &&
    (await otherActiveAssignments(uow, incident.id, assignment.id)).length === 0
  ) {
    await applyTransition(uow, incident, 'resolve', { patch: { cleared_at: uow.now }, data });
  } else {
    await appendTimeline(uow, incident.id, { kind: `unit_${action}`, data });
  }
  if (options.note?.trim()) {
    await appendTimeline(uow, incident.id, {
      kind: 'field_note',
      data: { ...data, note: options.note.trim() },
    });
  }
  uow.emit({
    type: `dispatch.unit_${action}`,
    entityType: 'incident',
    entityId: incident.id,
    scope: { ...incidentEventScope(incident), unit: unit.id },
    permission: INCIDENT.read,
    payload: { incidentId: incident.id, folio: incident.folio, ...data, at: uow.now.toISOString() },
  });
  return updated;
}

/** Releases a unit from an incident before it finishes (reason required, audited). */
export async function releaseUnit(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  assignmentId: string,
  reason: string,
): Promise<Assignment> {
  if (!reason.trim()) throw new AppError('REASON_REQUIRED', 400, { action: 'release' });
  return deps.tx(ctx, async (uow) => {
    const assignment = await lockAssignment(uow, assignmentId);
    const incident = await lockIncidentOrThrow(uow, assignment.incident_id);
    await assertCanAccessIncident(uow.db, principal, P.release, incident);
    const unit = await lockUnit(uow, assignment.unit_id);
    await setUnitStatus(uow, unit, 'release', reason);
    const updated = await uow.db
      .updateTable('incident_assignments')
      .set({ released_at: uow.now, release_reason: reason, released_by: uow.ctx.actor.id })
      .where('id', '=', assignment.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const data = { unitId: unit.id, callSign: unit.call_sign, assignmentId: assignment.id };
    const others = await otherActiveAssignments(uow, incident.id, assignment.id);
    if (others.length === 0 && (incident.status === 'dispatched' || incident.status === 'en_route')) {
      await applyTransition(uow, incident, 'requeue', { reason, data });
    } else if (others.length === 0 && incident.status === 'on_scene') {
      await applyTransition(uow, incident, 'resolve', { reason, patch: { cleared_at: uow.now }, data });
    } else {
      await appendTimeline(uow, incident.id, { kind: 'unit_released', reason, data });
    }
    uow.audit({
      action: 'dispatch.unit_released',
      entityType: 'incident',
      entityId: incident.id,
      after: data,
      reason,
    });
    uow.emit({
      type: 'dispatch.unit_released',
      entityType: 'incident',
      entityId: incident.id,
      scope: { ...incidentEventScope(incident), unit: unit.id },
      permission: INCIDENT.read,
      payload: { incidentId: incident.id, folio: incident.folio, ...data, reason },
    });
    return updated;
  });
}
