import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { systemContext } from '../../../platform/context.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { DISPATCH_PERMISSIONS as P } from './dispatch.policy.js';

export type Stage = 'answer' | 'dispatch' | 'on_scene';

export interface LateIncident {
  incidentId: string;
  folio: string;
  stage: Stage;
  lateBySeconds: number;
  priority: number | null;
  departmentCode: string | null;
  municipalityPcode: string | null;
}

/**
 * Stages measured against the targets of the incident's priority:
 * - answer:   call answered later than the target after it was received;
 * - dispatch: no unit assigned within the target after the incident was created;
 * - on_scene: no unit on scene within the target after the incident was created.
 */
export async function findLateIncidents(deps: EmergenciesDeps, now: Date): Promise<LateIncident[]> {
  const rows = await deps.db
    .selectFrom('incidents as i')
    .innerJoin('response_targets as t', 't.priority', 'i.priority')
    .select([
      'i.id',
      'i.folio',
      'i.priority',
      'i.status',
      'i.department_code',
      'i.municipality_pcode',
      'i.created_at',
      'i.call_received_at',
      'i.call_answered_at',
      'i.first_assigned_at',
      'i.first_on_scene_at',
      't.answer_seconds',
      't.dispatch_seconds',
      't.on_scene_seconds',
    ])
    .where('i.status', 'in', ['received', 'classified', 'dispatched', 'en_route'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('incident_escalations as e')
            .select('e.id')
            .whereRef('e.incident_id', '=', 'i.id')
            .where('e.stage', '=', 'on_scene'),
        ),
      ),
    )
    .execute();
  const late: LateIncident[] = [];
  const t = now.getTime();
  for (const r of rows) {
    const base = {
      incidentId: r.id,
      folio: r.folio,
      priority: r.priority,
      departmentCode: r.department_code,
      municipalityPcode: r.municipality_pcode,
    };
    if (r.call_received_at && r.call_answered_at) {
      const answer = (r.call_answered_at.getTime() - r.call_received_at.getTime()) / 1000;
      if (answer > r.answer_seconds)
        late.push({ ...base, stage: 'answer', lateBySeconds: Math.round(answer - r.answer_seconds) });
    }
    const age = (t - r.created_at.getTime()) / 1000;
    if (!r.first_assigned_at && age > r.dispatch_seconds) {
      late.push({ ...base, stage: 'dispatch', lateBySeconds: Math.round(age - r.dispatch_seconds) });
    }
    if (!r.first_on_scene_at && age > r.on_scene_seconds) {
      late.push({ ...base, stage: 'on_scene', lateBySeconds: Math.round(age - r.on_scene_seconds) });
    }
  }
  return late;
}

/**
 * Raises one escalation per incident and stage (idempotent: a unique constraint keeps repeats out),
 * each with an event for the supervisors of the incident's territory.
 */
export async function raiseEscalations(deps: EmergenciesDeps, now = deps.clock.now()): Promise<number> {
  const late = await findLateIncidents(deps, now);
  let raised = 0;
  for (const item of late) {
    const created = await deps.tx(systemContext(), async (uow) => {
      const row = await uow.db
        .insertInto('incident_escalations')
        .values({
          id: randomUUID(),
          incident_id: item.incidentId,
          stage: item.stage,
          raised_at: uow.now,
          late_by_s: item.lateBySeconds,
          acknowledged_at: null,
          acknowledged_by: null,
        })
        .onConflict((oc) => oc.columns(['incident_id', 'stage']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      uow.audit({
        action: 'dispatch.escalation_raised',
        entityType: 'incident',
        entityId: item.incidentId,
        after: { stage: item.stage, lateBySeconds: item.lateBySeconds, priority: item.priority },
      });
      uow.emit({
        type: 'dispatch.escalation',
        topic: 'alerts',
        entityType: 'incident',
        entityId: item.incidentId,
        scope: { department: item.departmentCode, municipality: item.municipalityPcode },
        permission: P.escalationsRead,
        payload: { escalationId: row.id, ...item },
      });
      return true;
    });
    if (created) raised += 1;
  }
  return raised;
}

export async function listEscalations(deps: EmergenciesDeps, open: boolean) {
  let q = deps.db
    .selectFrom('incident_escalations as e')
    .innerJoin('incidents as i', 'i.id', 'e.incident_id')
    .select([
      'e.id',
      'e.incident_id',
      'i.folio',
      'e.stage',
      'e.raised_at',
      'e.late_by_s',
      'i.priority',
      'i.department_code',
      'i.municipality_pcode',
      'e.acknowledged_at',
    ]);
  if (open) q = q.where('e.acknowledged_at', 'is', null);
  return q.orderBy(sql`e.raised_at DESC`).limit(500).execute();
}
