import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toAppError } from '../../../platform/http/error-handler.js';
import { AppError } from '../../../platform/http/errors.js';
import { hasPermission, type Principal } from '../../../platform/http/principal.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { pickLocale, t } from '../../../platform/i18n/catalog.js';
import { authenticateApiKey } from '../../identity/index.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { open311Form } from './form.js';
import { OPEN311_PERMISSIONS } from './open311.policy.js';
import {
  Open311Created,
  Open311CreateForm,
  Open311Discovery,
  Open311Errors,
  Open311FileParams,
  Open311Query,
  Open311RequestList,
  Open311ServiceDefinition,
  Open311ServiceList,
} from './open311.schemas.js';
import {
  createServiceRequest,
  discovery,
  getRequest,
  listServices,
  type Open311Form,
  queryRequests,
  serviceDefinition,
} from './open311.service.js';
import { toXml, type XmlValue } from './xml.js';

type Format = 'json' | 'xml';
const FORMATS: Format[] = ['json', 'xml'];
const tags = ['Open311 GeoReport v2'];
export const OPEN311_PREFIX = '/open311/v2';

function send(reply: FastifyReply, format: Format, root: string, value: unknown, status = 200): FastifyReply {
  reply.status(status);
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
  return reply.type('text/xml; charset=utf-8').send(toXml(root, value as XmlValue));
}

function formatOfUrl(url: string): Format {
  return url.split('?')[0]!.endsWith('.json') ? 'json' : 'xml';
}

/** `PATRIMONIO.ROBO.json` → code and format; anything else is a 404 like an unknown route. */
function splitFile(file: string, url: string): { id: string; format: Format } {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  if (!match) throw new AppError('ROUTE_NOT_FOUND', 404, { method: 'GET', url: url.split('?')[0] });
  return { id: match[1]!, format: match[2] as Format };
}

/** HTTP status per the spec: 404 not found, 403 api_key, 400 everything else (429 kept for limits). */
function open311Status(status: number): number {
  if (status === 404) return 404;
  if (status === 401 || status === 403) return 403;
  if (status === 429) return 429;
  if (status >= 500) return 500;
  return 400;
}

/** The api_key of the form (the spec's way) or an `X-API-Key`/`Authorization` header. */
async function open311Principal(
  deps: EmergenciesDeps,
  request: FastifyRequest,
  form: Open311Form,
): Promise<Principal> {
  const key = typeof form.api_key === 'string' ? form.api_key.trim() : '';
  const principal = key ? await authenticateApiKey(deps, key).catch(() => null) : request.principal;
  if (!principal || !hasPermission(principal, OPEN311_PERMISSIONS.createRequest)) {
    throw new AppError('OPEN311_API_KEY_INVALID', 403);
  }
  return principal;
}

/** Base URL of this endpoint as clients reach it (PUBLIC_URL when configured). */
function baseUrl(deps: EmergenciesDeps, request: FastifyRequest): string {
  const origin = deps.config.publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
  return `${origin}${OPEN311_PREFIX}`;
}

/**
 * Open311 GeoReport v2 (see docs/standards/open311-georeport-v2.md): every resource in `.json` and
 * `.xml`, POST bodies form-encoded, errors as the spec's list `[{code, description}]` with
 * 400/403/404. Registered under /open311/v2 in its own scope, so its body parser, error and
 * not-found handlers do not touch the rest of the API.
 */
export async function open311Routes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  // @fastify/formbody, in this scope only (a fastify-plugin: its parser joins the scope that
  // registers it). Its default parser, fast-querystring, also keeps repeated keys; URLSearchParams
  // is used instead because open311Form needs the pairs in order (attribute[CODE][] lists, last
  // value of a repeated field) before schema validation. Body limit: the server's (app.ts); a
  // larger body is refused with 400 in the error list format.
  await app.register(formbody, { parser: (body) => open311Form(new URLSearchParams(body)) });

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error as Error, request);
    const status = open311Status(appError.status);
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: appError.code, status }, 'request refused');
    const locale = pickLocale(request.headers['accept-language']);
    let description = t(locale, `errors.${appError.code}`, appError.params);
    if (Array.isArray(appError.details)) {
      const fields = (appError.details as { field?: string; message?: string }[])
        .map((d) => `${d.field ?? ''}: ${d.message ?? ''}`)
        .join('; ');
      if (fields) description = `${description} ${fields}`;
    }
    return send(reply, formatOfUrl(request.url), 'errors', [{ code: status, description }], status);
  });

  app.setNotFoundHandler((request, reply) => {
    const locale = pickLocale(request.headers['accept-language']);
    const description = t(locale, 'errors.ROUTE_NOT_FOUND', {
      method: request.method,
      url: request.url.split('?')[0],
    });
    return send(reply, formatOfUrl(request.url), 'errors', [{ code: 404, description }], 404);
  });

  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: Open311Errors, 403: Open311Errors, 404: Open311Errors };

  for (const format of FORMATS) {
    r.get(
      `/discovery.${format}`,
      {
        config: { public: true },
        schema: {
          tags,
          summary: `Descubrimiento del servicio (${format})`,
          response: { 200: Open311Discovery },
        },
      },
      async (request, reply) =>
        send(
          reply,
          format,
          'discovery',
          discovery(deps, requestContext(request).locale, baseUrl(deps, request)),
        ),
    );

    r.get(
      `/services.${format}`,
      {
        config: { public: true, rateLimitPerMinute: 120 },
        schema: {
          tags,
          summary: `Lista de servicios: tipos que la ciudadanía puede reportar (${format})`,
          querystring: Open311Query,
          response: { 200: Open311ServiceList },
        },
      },
      async (request, reply) =>
        send(reply, format, 'services', await listServices(deps, requestContext(request).locale)),
    );

    r.post(
      `/requests.${format}`,
      {
        config: { public: true, rateLimitPerMinute: 120 },
        schema: {
          tags,
          summary: `Crear una solicitud (formulario x-www-form-urlencoded con api_key) (${format})`,
          description:
            'api_key en el formulario (o cabecera X-API-Key) con el permiso open311.request.create. ' +
            'Ubicación: lat+long, address_string o address_id. attribute[CODIGO]=yes|no responde las ' +
            'preguntas del servicio. Responde service_request_id (el folio del incidente).',
          body: Open311CreateForm,
          response: { 200: Open311Created, ...errors },
        },
      },
      async (request, reply) => {
        const form = (request.body ?? {}) as Open311Form;
        const principal = await open311Principal(deps, request, form);
        const created = await createServiceRequest(deps, requestContext(request), principal, form);
        return send(reply, format, 'service_requests', [
          {
            service_request_id: created.service_request_id,
            service_notice: created.service_notice,
            account_id: created.account_id,
          },
        ]);
      },
    );

    r.get(
      `/requests.${format}`,
      {
        config: { public: true, rateLimitPerMinute: 120 },
        schema: {
          tags,
          summary: `Consultar solicitudes (filtros service_request_id, service_code, start_date, end_date, status) (${format})`,
          querystring: Open311Query,
          response: { 200: Open311RequestList, ...errors },
        },
      },
      async (request, reply) =>
        send(
          reply,
          format,
          'service_requests',
          await queryRequests(deps, requestContext(request).locale, request.query),
        ),
    );
  }

  r.get(
    '/services/:file',
    {
      config: { public: true, rateLimitPerMinute: 120 },
      schema: {
        tags,
        summary:
          'Definición de un servicio: preguntas guiadas como atributos sí/no ({service_code}.json|xml)',
        params: Open311FileParams,
        querystring: Open311Query,
        response: { 200: Open311ServiceDefinition, ...errors },
      },
    },
    async (request, reply) => {
      const { id, format } = splitFile(request.params.file, request.url);
      const definition = await serviceDefinition(deps, requestContext(request).locale, id);
      return send(reply, format, 'service_definition', definition);
    },
  );

  r.get(
    '/requests/:file',
    {
      config: { public: true, rateLimitPerMinute: 120 },
      schema: {
        tags,
        summary: 'Una solicitud por service_request_id ({id}.json|xml)',
        params: Open311FileParams,
        querystring: Open311Query,
        response: { 200: Open311RequestList, ...errors },
      },
    },
    async (request, reply) => {
      const { id, format } = splitFile(request.params.file, request.url);
      const found = await getRequest(deps, requestContext(request).locale, id);
      return send(reply, format, 'service_requests', found);
    },
  );

  r.get(
    '/tokens/:file',
    {
      config: { public: true, rateLimitPerMinute: 120 },
      schema: {
        tags,
        summary: 'Token → service_request_id: este servidor es realtime y no emite tokens (siempre 404)',
        params: Open311FileParams,
        querystring: Open311Query,
        response: { 404: Open311Errors },
      },
    },
    async (request) => {
      splitFile(request.params.file, request.url);
      throw new AppError('OPEN311_TOKEN_NOT_FOUND', 404);
    },
  );
}
