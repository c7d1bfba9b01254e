import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import { Nullable } from '../../../platform/http/nullable.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { Incident } from '../incidents/incidents.schemas.js';
import { readIncident } from '../incidents/incidents.service.js';
import { appendTimeline, incidentEventScope } from '../incidents/transitions.js';
import {
  type Assignment as AssignmentRow,
  type FieldStatusAction,
  progressAssignmentInTx,
} from './assignments.service.js';
import { DISPATCH_PERMISSIONS as P } from './dispatch.policy.js';
import { toAssignment } from './dispatch.routes.js';
import { Assignment, AssignmentParams, Unit } from './dispatch.schemas.js';
import { getUnit, unitOfUser } from './units.service.js';

const tags = ['911 campo'];
const security = [{ bearerAuth: [] }];

const FieldMe = Type.Object({
  unit: Nullable(Unit),
  assignment: Nullable(Assignment),
  incident: Nullable(Incident),
  navigationUrl: Nullable(Type.String()),
});
const ProgressBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
const BackupBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 1000 }), urgent: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

/** Officers act only on assignments of the unit whose crew they are on. */
async function assertCrewOf(uow: UnitOfWork, userId: string, a: AssignmentRow): Promise<void> {
  const crew = await uow.db
    .selectFrom('unit_crew')
    .select('id')
    .where('unit_id', '=', a.unit_id)
    .where('user_id', '=', userId)
    .where('to_at', 'is', null)
    .executeTakeFirst();
  if (!crew) throw new AppError('NOT_UNIT_CREW', 403);
}

export async function fieldRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/field/me',
    {
      config: { permission: P.field },
      schema: {
        tags,
        security,
        summary: 'Mi unidad, mi asignación activa y su incidente',
        response: { 200: FieldMe },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const ctx = requestContext(request);
      const unitId = await unitOfUser(deps, principal.id);
      if (!unitId) return { unit: null, assignment: null, incident: null, navigationUrl: null };
      const unit = await getUnit(
        deps,
        { ...principal, grants: new Map([[P.unitsRead, [{ level: 'unit', code: unitId }]]]) },
        unitId,
      );
      const active = await deps.db
        .selectFrom('incident_assignments')
        .selectAll()
        .where('unit_id', '=', unitId)
        .where('released_at', 'is', null)
        .where('cleared_at', 'is', null)
        .executeTakeFirst();
      if (!active) return { unit, assignment: null, incident: null, navigationUrl: null };
      const incident = await readIncident(deps, ctx, active.incident_id);
      const { lat, lon } = incident.location;
      return {
        unit,
        assignment: toAssignment(active),
        incident,
        navigationUrl:
          lat !== null && lon !== null ? `https://www.openstreetmap.org/directions?to=${lat}%2C${lon}` : null,
      };
    },
  );

  const progress = (path: string, action: FieldStatusAction, summary: string) =>
    r.post(
      `/field/assignments/:assignmentId/${path}`,
      {
        config: { permission: P.field },
        schema: {
          tags,
          security,
          summary,
          params: AssignmentParams,
          body: ProgressBody,
          response: { 200: Assignment },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const a = await deps.tx(requestContext(request), (uow) =>
          progressAssignmentInTx(uow, request.params.assignmentId, action, {
            note: request.body?.note ?? null,
            authorize: (assignment) => assertCrewOf(uow, principal.id, assignment),
          }),
        );
        return toAssignment(a);
      },
    );
  progress('acknowledge', 'acknowledge', 'Acusar recibo de la asignación');
  progress('en-route', 'en_route', 'En camino');
  progress('on-scene', 'on_scene', 'En el lugar');
  progress('clear', 'clear', 'Unidad libre: termina su intervención en el incidente');

  r.post(
    '/field/backup',
    {
      config: { permission: P.field },
      schema: {
        tags,
        security,
        summary: 'Solicitar refuerzos para la asignación activa',
        body: BackupBody,
        response: { 202: Type.Object({ incidentId: Type.String({ format: 'uuid' }) }) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const unitId = await unitOfUser(deps, principal.id);
      if (!unitId) throw new AppError('NOT_UNIT_CREW', 403);
      const incidentId = await deps.tx(requestContext(request), async (uow) => {
        const active = await uow.db
          .selectFrom('incident_assignments as a')
          .innerJoin('incidents as i', 'i.id', 'a.incident_id')
          .innerJoin('units as u', 'u.id', 'a.unit_id')
          .select([
            'a.incident_id',
            'i.folio',
            'i.department_code',
            'i.municipality_pcode',
            'i.lon',
            'i.lat',
            'u.call_sign',
          ])
          .where('a.unit_id', '=', unitId)
          .where('a.released_at', 'is', null)
          .where('a.cleared_at', 'is', null)
          .executeTakeFirst();
        if (!active) throw new AppError('NO_ACTIVE_ASSIGNMENT', 409);
        await appendTimeline(uow, active.incident_id, {
          kind: 'backup_requested',
          reason: request.body.reason,
          data: { unitId, callSign: active.call_sign, urgent: !!request.body.urgent },
        });
        uow.audit({
          action: 'field.backup_requested',
          entityType: 'incident',
          entityId: active.incident_id,
          after: { unitId, urgent: !!request.body.urgent },
          reason: request.body.reason,
        });
        uow.emit({
          type: 'dispatch.backup_requested',
          topic: 'alerts',
          entityType: 'incident',
          entityId: active.incident_id,
          scope: incidentEventScope(active),
          permission: 'incident.read',
          payload: {
            incidentId: active.incident_id,
            folio: active.folio,
            unitId,
            callSign: active.call_sign,
            urgent: !!request.body.urgent,
            lon: active.lon,
            lat: active.lat,
          },
        });
        return active.incident_id;
      });
      return reply.status(202).send({ incidentId });
    },
  );
}
