import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/http/errors.js';
import { requestContext } from '../../../platform/http/request-context.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { PHOTO_BODY_LIMIT } from './attachments.js';
import {
  InformationAdded,
  InformationCreate,
  ReportCreate,
  ReportCreated,
  ReportTypeList,
  SurveyCreate,
  SurveyRecorded,
  TrackingParams,
  TrackingQuery,
  TrackingView,
} from './citizen.schemas.js';
import { createCitizenReport, listReportTypes } from './reports.service.js';
import { addCitizenInformation, getTracking, submitSurvey } from './tracking.service.js';

const tags = ['911 ciudadanía'];

/** The secret comes in the `X-Tracking-Secret` header or the body, never in the URL. */
function secretOf(request: FastifyRequest, bodySecret?: string): string | undefined {
  const header = request.headers['x-tracking-secret'];
  if (typeof header === 'string' && header.trim()) return header;
  return bodySecret;
}

function refuseSecretInUrl(query: { secret?: string | undefined }): void {
  if (query.secret !== undefined) throw new AppError('TRACKING_SECRET_IN_URL', 400);
}

export async function citizenRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/public/report-types',
    {
      config: { public: true, rateLimitPerMinute: 120 },
      schema: {
        tags,
        summary: 'Tipos de hecho que la ciudadanía puede reportar, en lenguaje sencillo',
        response: { 200: ReportTypeList },
      },
    },
    async (request) => listReportTypes(deps, requestContext(request).locale),
  );

  r.post(
    '/public/reports',
    {
      bodyLimit: PHOTO_BODY_LIMIT,
      // No idempotent replay: the stored response would keep the tracking secret in clear.
      config: { public: true, rateLimitPerMinute: 10, noIdempotency: true },
      schema: {
        tags,
        summary: 'Reportar un hecho sin cuenta (también anónimo); devuelve código y clave de seguimiento',
        description:
          'La clave de seguimiento se muestra una sola vez y solo se guarda su huella (SHA-256). Límites: ' +
          'por IP (10 por minuto) y por teléfono (5 por hora); el campo `website` debe ir vacío.',
        body: ReportCreate,
        response: { 201: ReportCreated },
      },
    },
    async (request, reply) => {
      const receipt = await createCitizenReport(deps, requestContext(request), request.body);
      return reply.status(201).header('cache-control', 'no-store').send(receipt);
    },
  );

  r.get(
    '/public/tracking/:code',
    {
      config: { public: true, rateLimitPerMinute: 30 },
      schema: {
        tags,
        summary: 'Seguimiento de un reporte: historial en lenguaje sencillo (clave en X-Tracking-Secret)',
        params: TrackingParams,
        querystring: TrackingQuery,
        headers: {
          type: 'object',
          properties: { 'x-tracking-secret': { type: 'string', description: 'Clave de seguimiento' } },
        },
        response: { 200: TrackingView },
      },
    },
    async (request, reply) => {
      refuseSecretInUrl(request.query);
      const view = await getTracking(deps, requestContext(request), request.params.code, secretOf(request));
      return reply.header('cache-control', 'no-store').send(view);
    },
  );

  r.post(
    '/public/tracking/:code/information',
    {
      bodyLimit: PHOTO_BODY_LIMIT,
      config: { public: true, rateLimitPerMinute: 10 },
      schema: {
        tags,
        summary: 'Agregar información o fotos a un reporte abierto',
        params: TrackingParams,
        querystring: TrackingQuery,
        body: InformationCreate,
        response: { 201: InformationAdded },
      },
    },
    async (request, reply) => {
      refuseSecretInUrl(request.query);
      const result = await addCitizenInformation(
        deps,
        requestContext(request),
        request.params.code,
        secretOf(request, request.body.secret),
        request.body,
      );
      return reply.status(201).send(result);
    },
  );

  r.post(
    '/public/tracking/:code/survey',
    {
      config: { public: true, rateLimitPerMinute: 10 },
      schema: {
        tags,
        summary: 'Evaluar la atención (1 a 5), una vez y solo cuando el caso está cerrado',
        params: TrackingParams,
        querystring: TrackingQuery,
        body: SurveyCreate,
        response: { 201: SurveyRecorded },
      },
    },
    async (request, reply) => {
      refuseSecretInUrl(request.query);
      const result = await submitSurvey(
        deps,
        requestContext(request),
        request.params.code,
        secretOf(request, request.body.secret),
        request.body,
      );
      return reply.status(201).send(result);
    },
  );
}
