import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import {
  addNote,
  attachCall,
  cancelIncident,
  changePriority,
  classifyIncident,
  closeIncident,
  listNotes,
  listTimeline,
  mergeIncident,
  readCallers,
  reopenIncident,
} from './incident-actions.service.js';
import type { EmergenciesDeps } from './incidents.deps.js';
import { PERMISSIONS as P } from './incidents.policy.js';
import {
  AttachCallBody,
  CallerList,
  Classify,
  CloseBody,
  IdParams,
  Incident,
  IncidentCreate,
  IncidentList,
  IncidentListQuery,
  MergeBody,
  NearbyIncidentList,
  NearbyQuery,
  NoteCreate,
  NoteList,
  PriorityChange,
  ReasonBody,
  Timeline,
} from './incidents.schemas.js';
import { findNearbyOpenIncidents, getIncident, listIncidents } from './incidents.service.js';
import { createIncident } from './intake.js';

const tags = ['911 incidentes'];
const security = [{ bearerAuth: [] }];

export async function incidentRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/incidents',
    {
      config: { permission: P.create },
      schema: {
        tags,
        security,
        summary: 'Registrar un incidente desde la recepción de llamadas',
        body: IncidentCreate,
        response: { 201: Incident },
      },
    },
    async (request, reply) => {
      const incident = await createIncident(deps, requestContext(request), {
        ...request.body,
        channel: 'call',
      });
      return reply.status(201).send(incident);
    },
  );

  r.get(
    '/incidents',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Listar incidentes de su ámbito',
        querystring: IncidentListQuery,
        response: { 200: IncidentList },
      },
    },
    async (request) => listIncidents(deps, requestContext(request), requirePrincipal(request), request.query),
  );

  r.get(
    '/incidents/nearby',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary:
          'Incidentes abiertos de la misma familia cerca de un punto (posibles duplicados antes de registrar)',
        querystring: NearbyQuery,
        response: { 200: NearbyIncidentList },
      },
    },
    async (request) => ({
      items: await findNearbyOpenIncidents(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.query,
      ),
    }),
  );

  r.get(
    '/incidents/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Detalle de un incidente',
        params: IdParams,
        response: { 200: Incident },
      },
    },
    async (request) =>
      getIncident(deps, requestContext(request), requirePrincipal(request), request.params.id),
  );

  r.get(
    '/incidents/:id/timeline',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Línea de tiempo (cada paso con actor y motivo)',
        params: IdParams,
        response: { 200: Timeline },
      },
    },
    async (request) => ({
      items: await listTimeline(deps, requestContext(request), requirePrincipal(request), request.params.id),
    }),
  );

  r.get(
    '/incidents/:id/notes',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Narrativa y notas (solo se agregan, nunca se editan)',
        params: IdParams,
        response: { 200: NoteList },
      },
    },
    async (request) => ({
      items: await listNotes(deps, requestContext(request), requirePrincipal(request), request.params.id),
    }),
  );

  r.post(
    '/incidents/:id/notes',
    {
      config: { permission: P.note },
      schema: {
        tags,
        security,
        summary: 'Agregar una nota o una corrección que referencia la nota corregida',
        params: IdParams,
        body: NoteCreate,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      },
    },
    async (request, reply) => {
      const id = await addNote(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ id });
    },
  );

  r.get(
    '/incidents/:id/callers',
    {
      config: { permission: P.callerRead },
      schema: {
        tags,
        security,
        summary: 'Datos personales de los llamantes (lectura auditada)',
        params: IdParams,
        response: { 200: CallerList },
      },
    },
    async (request) => ({
      items: await readCallers(deps, requestContext(request), requirePrincipal(request), request.params.id),
    }),
  );

  const action = <B extends object>(
    path: string,
    permission: string,
    summary: string,
    body: import('@sinclair/typebox').TSchema,
    run: (
      ctx: ReturnType<typeof requestContext>,
      principal: ReturnType<typeof requirePrincipal>,
      id: string,
      body: B,
    ) => Promise<Static<typeof Incident>>,
  ) =>
    r.post(
      `/incidents/:id/${path}`,
      {
        config: { permission },
        schema: { tags, security, summary, params: IdParams, body, response: { 200: Incident } },
      },
      async (request) =>
        run(requestContext(request), requirePrincipal(request), request.params.id, request.body as B),
    );

  action<Static<typeof Classify>>(
    'classify',
    P.classify,
    'Clasificar (tipo, respuestas guiadas, prioridad)',
    Classify,
    (ctx, p, id, b) => classifyIncident(deps, ctx, p, id, b),
  );
  action<{ priority: number; reason: string }>(
    'priority',
    P.priority,
    'Cambiar la prioridad (con motivo)',
    PriorityChange,
    (ctx, p, id, b) => changePriority(deps, ctx, p, id, b),
  );
  action<{ reason: string }>('cancel', P.cancel, 'Cancelar (con motivo)', ReasonBody, (ctx, p, id, b) =>
    cancelIncident(deps, ctx, p, id, b.reason),
  );
  action<{ closureCode: string; summary: string }>(
    'close',
    P.close,
    'Cerrar con código de cierre y resumen',
    CloseBody,
    (ctx, p, id, b) => closeIncident(deps, ctx, p, id, b),
  );
  action<{ reason: string }>('reopen', P.reopen, 'Reabrir (con motivo)', ReasonBody, (ctx, p, id, b) =>
    reopenIncident(deps, ctx, p, id, b.reason),
  );
  action<{ intoIncidentId: string; reason: string }>(
    'merge',
    P.merge,
    'Marcar como duplicado de otro incidente',
    MergeBody,
    (ctx, p, id, b) => mergeIncident(deps, ctx, p, id, b),
  );
  action<Static<typeof AttachCallBody>>(
    'calls',
    P.create,
    'Agregar una nueva llamada a un incidente abierto',
    AttachCallBody,
    (ctx, p, id, b) => attachCall(deps, ctx, p, id, b),
  );
}

type Static<T extends import('@sinclair/typebox').TSchema> = import('@sinclair/typebox').Static<T>;
