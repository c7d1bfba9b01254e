import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/http/errors.js';
import { canInScope, type Principal } from '../../../platform/http/principal.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { assertCanAccessIncident } from '../incidents/access.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { IdParams } from '../incidents/incidents.schemas.js';
import {
  type Assignment as AssignmentRow,
  assignUnit,
  progressAssignmentInTx,
  releaseUnit,
} from './assignments.service.js';
import { DISPATCH_PERMISSIONS as P } from './dispatch.policy.js';
import {
  AssignBody,
  Assignment,
  AssignmentList,
  AssignmentParams,
  ConsoleProgress,
  CrewChange,
  EscalationList,
  RecommendationList,
  ResponseTargetList,
  ResponseTargetsUpdate,
  Station,
  StationCreate,
  StationList,
  Unit,
  UnitCreate,
  UnitList,
  UnitListQuery,
  UnitStatusChange,
} from './dispatch.schemas.js';
import { listEscalations } from './escalation.js';
import { rankCandidates } from './recommend.js';
import { nearestCandidates } from './unit-index.js';
import {
  changeUnitService,
  createStation,
  createUnit,
  getUnit,
  joinCrew,
  leaveCrew,
  listStations,
  listUnits,
} from './units.service.js';

const tags = ['911 despacho'];
const security = [{ bearerAuth: [] }];
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toAssignment(a: AssignmentRow) {
  return {
    id: a.id,
    incidentId: a.incident_id,
    unitId: a.unit_id,
    assignedAt: a.assigned_at.toISOString(),
    acknowledgedAt: iso(a.acknowledged_at),
    enRouteAt: iso(a.en_route_at),
    onSceneAt: iso(a.on_scene_at),
    clearedAt: iso(a.cleared_at),
    releasedAt: iso(a.released_at),
    releaseReason: a.release_reason,
  };
}

async function incidentForRead(deps: EmergenciesDeps, principal: Principal, id: string, permission: string) {
  const incident = await deps.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!incident) throw new AppError('INCIDENT_NOT_FOUND', 404);
  await assertCanAccessIncident(deps.db, principal, permission, incident);
  return incident;
}

export async function dispatchRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/stations',
    {
      config: { permission: P.unitsRead },
      schema: { tags, security, summary: 'Estaciones policiales', response: { 200: StationList } },
    },
    async () => ({
      items: await listStations(deps),
    }),
  );
  r.post(
    '/stations',
    {
      config: { permission: P.unitsManage },
      schema: { tags, security, summary: 'Crear estación', body: StationCreate, response: { 201: Station } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createStation(deps, requestContext(request), requirePrincipal(request), request.body)),
  );

  r.get(
    '/units',
    {
      config: { permission: P.unitsRead },
      schema: {
        tags,
        security,
        summary: 'Unidades de su ámbito con estado, posición y asignación',
        querystring: UnitListQuery,
        response: { 200: UnitList },
      },
    },
    async (request) => ({ items: await listUnits(deps, requirePrincipal(request), request.query) }),
  );
  r.post(
    '/units',
    {
      config: { permission: P.unitsManage },
      schema: {
        tags,
        security,
        summary: 'Crear unidad (queda fuera de servicio hasta activarla)',
        body: UnitCreate,
        response: { 201: Unit },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createUnit(deps, requestContext(request), requirePrincipal(request), request.body)),
  );
  r.get(
    '/units/:id',
    {
      config: { permission: P.unitsRead },
      schema: { tags, security, summary: 'Detalle de unidad', params: IdParams, response: { 200: Unit } },
    },
    async (request) => getUnit(deps, requirePrincipal(request), request.params.id),
  );
  r.post(
    '/units/:id/service',
    {
      config: { permission: P.unitStatus },
      schema: {
        tags,
        security,
        summary: 'Poner en servicio o fuera de servicio (con motivo)',
        params: IdParams,
        body: UnitStatusChange,
        response: { 200: Unit },
      },
    },
    async (request) =>
      changeUnitService(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.body,
      ),
  );
  r.post(
    '/units/:id/crew',
    {
      config: { permission: P.unitsManage },
      schema: {
        tags,
        security,
        summary: 'Agregar un agente a la tripulación',
        params: IdParams,
        body: CrewChange,
        response: { 200: Unit },
      },
    },
    async (request) =>
      joinCrew(deps, requestContext(request), requirePrincipal(request), request.params.id, request.body),
  );
  r.post(
    '/units/:id/crew/leave',
    {
      config: { permission: P.unitsManage },
      schema: {
        tags,
        security,
        summary: 'Retirar un agente de la tripulación',
        params: IdParams,
        body: Type.Object({ userId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: Unit },
      },
    },
    async (request) =>
      leaveCrew(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.body.userId,
      ),
  );

  r.get(
    '/incidents/:id/recommendations',
    {
      config: { permission: P.recommend },
      schema: {
        tags,
        security,
        summary: 'Unidades recomendadas por tiempo estimado de llegada, con el porqué',
        params: IdParams,
        response: { 200: RecommendationList },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const incident = await incidentForRead(deps, principal, request.params.id, P.recommend);
      if (incident.lon === null || incident.lat === null) throw new AppError('INCIDENT_NOT_LOCATED', 409);
      const candidates = (await nearestCandidates(deps, incident.lon, incident.lat, 5)).filter((c) =>
        canInScope(principal, P.assign, { department: c.departmentCode, unit: c.unitId }),
      );
      const ranked = rankCandidates(
        { lon: incident.lon, lat: incident.lat, departmentCode: incident.department_code },
        candidates,
        deps.clock.now(),
        requestContext(request).locale,
      );
      return { items: ranked.map(({ score: _score, ...rest }) => rest) };
    },
  );

  r.get(
    '/incidents/:id/assignments',
    {
      config: { permission: P.unitsRead },
      schema: {
        tags,
        security,
        summary: 'Unidades asignadas al incidente (historial)',
        params: IdParams,
        response: { 200: AssignmentList },
      },
    },
    async (request) => {
      await incidentForRead(deps, requirePrincipal(request), request.params.id, P.unitsRead);
      const rows = await deps.db
        .selectFrom('incident_assignments')
        .selectAll()
        .where('incident_id', '=', request.params.id)
        .orderBy('assigned_at')
        .execute();
      return { items: rows.map(toAssignment) };
    },
  );
  r.post(
    '/incidents/:id/assignments',
    {
      config: { permission: P.assign },
      schema: {
        tags,
        security,
        summary: 'Asignar una unidad disponible',
        params: IdParams,
        body: AssignBody,
        response: { 201: Assignment },
      },
    },
    async (request, reply) => {
      const a = await assignUnit(deps, requestContext(request), requirePrincipal(request), {
        incidentId: request.params.id,
        ...request.body,
      });
      return reply.status(201).send(toAssignment(a));
    },
  );
  r.post(
    '/assignments/:assignmentId/release',
    {
      config: { permission: P.release },
      schema: {
        tags,
        security,
        summary: 'Liberar una unidad (con motivo)',
        params: AssignmentParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 3, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Assignment },
      },
    },
    async (request) =>
      toAssignment(
        await releaseUnit(
          deps,
          requestContext(request),
          requirePrincipal(request),
          request.params.assignmentId,
          request.body.reason,
        ),
      ),
  );
  r.post(
    '/assignments/:assignmentId/status',
    {
      config: { permission: P.unitStatus },
      schema: {
        tags,
        security,
        summary: 'Registrar desde la consola el avance de una unidad (p. ej. reportado por radio)',
        params: AssignmentParams,
        body: ConsoleProgress,
        response: { 200: Assignment },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const a = await deps.tx(requestContext(request), (uow) =>
        progressAssignmentInTx(uow, request.params.assignmentId, request.body.action, {
          note: request.body.note ?? null,
          authorize: (_a, incident) => assertCanAccessIncident(uow.db, principal, P.unitStatus, incident),
        }),
      );
      return toAssignment(a);
    },
  );

  r.get(
    '/response-targets',
    {
      config: { permission: P.unitsRead },
      schema: {
        tags,
        security,
        summary: 'Tiempos objetivo de respuesta por prioridad',
        response: { 200: ResponseTargetList },
      },
    },
    async () => ({ items: await listTargets(deps) }),
  );
  r.put(
    '/response-targets',
    {
      config: { permission: P.targetsManage },
      schema: {
        tags,
        security,
        summary: 'Configurar tiempos objetivo (con motivo)',
        body: ResponseTargetsUpdate,
        response: { 200: ResponseTargetList },
      },
    },
    async (request) => {
      await deps.tx(requestContext(request), async (uow) => {
        for (const item of request.body.items) {
          const before = await uow.db
            .selectFrom('response_targets')
            .selectAll()
            .where('priority', '=', item.priority)
            .executeTakeFirst();
          const values = {
            answer_seconds: item.answerSeconds,
            dispatch_seconds: item.dispatchSeconds,
            on_scene_seconds: item.onSceneSeconds,
            updated_at: uow.now,
            updated_by: uow.ctx.actor.id,
          };
          await uow.db
            .insertInto('response_targets')
            .values({ priority: item.priority, ...values })
            .onConflict((oc) => oc.column('priority').doUpdateSet(values))
            .execute();
          uow.audit({
            action: 'dispatch.response_target_changed',
            entityType: 'response_target',
            entityId: String(item.priority),
            before: before
              ? {
                  answerSeconds: before.answer_seconds,
                  dispatchSeconds: before.dispatch_seconds,
                  onSceneSeconds: before.on_scene_seconds,
                }
              : null,
            after: {
              answerSeconds: item.answerSeconds,
              dispatchSeconds: item.dispatchSeconds,
              onSceneSeconds: item.onSceneSeconds,
            },
            reason: request.body.reason,
          });
        }
      });
      return { items: await listTargets(deps) };
    },
  );

  r.get(
    '/escalations',
    {
      config: { permission: P.escalationsRead },
      schema: {
        tags,
        security,
        summary: 'Escalamientos por demoras en su ámbito',
        querystring: Type.Object({ open: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: EscalationList },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const rows = await listEscalations(deps, request.query.open ?? true);
      return {
        items: rows
          .filter((e) =>
            canInScope(principal, P.escalationsRead, {
              department: e.department_code,
              municipality: e.municipality_pcode,
            }),
          )
          .map((e) => ({
            id: e.id,
            incidentId: e.incident_id,
            folio: e.folio,
            stage: e.stage,
            raisedAt: e.raised_at.toISOString(),
            lateBySeconds: e.late_by_s,
            priority: e.priority,
            departmentCode: e.department_code,
            acknowledgedAt: iso(e.acknowledged_at),
          })),
      };
    },
  );
  r.post(
    '/escalations/:id/acknowledge',
    {
      config: { permission: P.escalationsAck },
      schema: {
        tags,
        security,
        summary: 'Dar por recibido un escalamiento',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await deps.tx(requestContext(request), async (uow) => {
        const e = await uow.db
          .selectFrom('incident_escalations as e')
          .innerJoin('incidents as i', 'i.id', 'e.incident_id')
          .select(['e.id', 'e.acknowledged_at', 'e.incident_id', 'i.department_code', 'i.municipality_pcode'])
          .where('e.id', '=', request.params.id)
          .executeTakeFirst();
        if (!e) throw new AppError('ESCALATION_NOT_FOUND', 404);
        if (
          !canInScope(principal, P.escalationsAck, {
            department: e.department_code,
            municipality: e.municipality_pcode,
          })
        ) {
          throw new AppError('OUT_OF_SCOPE', 403, { permission: P.escalationsAck });
        }
        if (e.acknowledged_at) throw new AppError('ESCALATION_ALREADY_ACKNOWLEDGED', 409);
        await uow.db
          .updateTable('incident_escalations')
          .set({ acknowledged_at: uow.now, acknowledged_by: uow.ctx.actor.id })
          .where('id', '=', e.id)
          .execute();
        uow.audit({
          action: 'dispatch.escalation_acknowledged',
          entityType: 'incident',
          entityId: e.incident_id,
          after: { escalationId: e.id },
        });
      });
      return reply.status(204).send(null);
    },
  );
}

async function listTargets(deps: EmergenciesDeps) {
  const rows = await deps.db.selectFrom('response_targets').selectAll().orderBy('priority').execute();
  return rows.map((t) => ({
    priority: t.priority,
    answerSeconds: t.answer_seconds,
    dispatchSeconds: t.dispatch_seconds,
    onSceneSeconds: t.on_scene_seconds,
  }));
}
