import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { listAlerts } from './alerts.service.js';
import {
  createCamera,
  createRule,
  listCameras,
  listRules,
  updateCamera,
  updateRule,
} from './config.service.js';
import { ingestFrigateEvent, ingestFrigateReview, listVideoEvents } from './ingest.service.js';
import { VIDEO_PERMISSIONS as P } from './video.policy.js';
import {
  AlertList,
  AlertListQuery,
  Camera,
  CameraCreate,
  CameraList,
  CameraUpdate,
  Decision,
  FrigateEnvelope,
  IdParams,
  ReviewDecision,
  Rule,
  RuleCreate,
  RuleList,
  RuleListQuery,
  RuleUpdate,
  VideoEventList,
  VideoEventListQuery,
} from './video.schemas.js';
import './video.messages.js';
import './video.tables.js';

const tags = ['911 videoanalítica'];
const bearer = [{ bearerAuth: [] }];
const machine: { [scheme: string]: string[] }[] = [{ apiKey: [] }, { bearerAuth: [] }];

export async function videoRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/webhooks/frigate/events',
    {
      config: { permission: P.eventIngest, apiKey: true },
      schema: {
        tags,
        security: machine,
        summary: 'Recibir un mensaje `frigate/events` de Frigate (el mismo JSON que publica por MQTT)',
        description:
          'Clave de API con `video.event.ingest`. Se indexa por `after.id` (se guarda el último estado); ' +
          'se evalúan las reglas de la cámara y se devuelve la decisión con su explicación. ' +
          'Repetir el mensaje, o recibir `update`/`end` del mismo objeto, no duplica alertas ni incidentes.',
        body: FrigateEnvelope,
        response: { 200: Decision },
      },
    },
    async (request) => ingestFrigateEvent(deps, requestContext(request), request.body),
  );

  r.post(
    '/webhooks/frigate/reviews',
    {
      config: { permission: P.eventIngest, apiKey: true },
      schema: {
        tags,
        security: machine,
        summary: 'Recibir un mensaje `frigate/reviews` (la severidad «alert» abre una alerta)',
        body: FrigateEnvelope,
        response: { 200: ReviewDecision },
      },
    },
    async (request) => ingestFrigateReview(deps, requestContext(request), request.body),
  );

  r.get(
    '/video/alerts',
    {
      config: { permission: P.alertRead },
      schema: {
        tags,
        security: bearer,
        summary: 'Tablero de alertas automáticas (video y placas) de su ámbito, recientes primero',
        description: 'En vivo: suscríbase al tema `alerts` del WebSocket (/ws).',
        querystring: AlertListQuery,
        response: { 200: AlertList },
      },
    },
    async (request) => listAlerts(deps, requirePrincipal(request), request.query),
  );

  r.get(
    '/video/events',
    {
      config: { permission: P.alertRead },
      schema: {
        tags,
        security: bearer,
        summary: 'Eventos de Frigate recibidos, con su último estado y la decisión explicada',
        querystring: VideoEventListQuery,
        response: { 200: VideoEventList },
      },
    },
    async (request) => listVideoEvents(deps, requirePrincipal(request), request.query),
  );

  r.get(
    '/video/cameras',
    {
      config: { permission: P.alertRead },
      schema: { tags, security: bearer, summary: 'Cámaras registradas', response: { 200: CameraList } },
    },
    async () => listCameras(deps),
  );

  r.post(
    '/video/cameras',
    {
      config: { permission: P.configManage },
      schema: {
        tags,
        security: bearer,
        summary: 'Registrar una cámara (nombre = nombre de la cámara en Frigate)',
        body: CameraCreate,
        response: { 201: Camera },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCamera(deps, requestContext(request), request.body)),
  );

  r.patch(
    '/video/cameras/:id',
    {
      config: { permission: P.configManage },
      schema: {
        tags,
        security: bearer,
        summary: 'Modificar una cámara (ubicación, URL de Frigate, activa)',
        params: IdParams,
        body: CameraUpdate,
        response: { 200: Camera },
      },
    },
    async (request) => updateCamera(deps, requestContext(request), request.params.id, request.body),
  );

  r.get(
    '/video/rules',
    {
      config: { permission: P.configManage },
      schema: {
        tags,
        security: bearer,
        summary: 'Reglas de video (de una cámara y globales)',
        querystring: RuleListQuery,
        response: { 200: RuleList },
      },
    },
    async (request) => listRules(deps, request.query.cameraId),
  );

  r.post(
    '/video/rules',
    {
      config: { permission: P.configManage },
      schema: {
        tags,
        security: bearer,
        summary: 'Crear una regla de video (etiqueta, zonas, puntaje mínimo, horario, acción, prioridad)',
        description:
          'Acciones: `create_incident`; `attach_nearby` (agrega el evento a un incidente abierto a menos de ' +
          '`attachMeters` creado en los últimos `attachMinutes`, si no crea uno); `alert_only`. Sin `cameraId` ' +
          'la regla es global; las reglas de la cámara tienen precedencia sobre las globales.',
        body: RuleCreate,
        response: { 201: Rule },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createRule(deps, requestContext(request), request.body)),
  );

  r.patch(
    '/video/rules/:id',
    {
      config: { permission: P.configManage },
      schema: {
        tags,
        security: bearer,
        summary: 'Modificar o desactivar una regla de video',
        params: IdParams,
        body: RuleUpdate,
        response: { 200: Rule },
      },
    },
    async (request) => updateRule(deps, requestContext(request), request.params.id, request.body),
  );
}
