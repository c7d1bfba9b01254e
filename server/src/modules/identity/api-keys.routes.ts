import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../../platform/http/request-context.js';
import { requirePrincipal } from '../../platform/http/route-config.js';
import { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyList, ApiKeyListQuery } from './api-keys.schemas.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.js';
import type { IdentityDeps } from './identity.deps.js';
import { IDENTITY_PERMISSIONS as P } from './identity.policy.js';
import { IdParams, OptionalReason } from './identity.schemas.js';

const TAGS = ['identidad: claves de API'];
const BEARER = [{ bearerAuth: [] }];

export async function apiKeysRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api-keys',
    {
      // Never replay this response from the idempotency store: it carries the key.
      config: { permission: P.apiKeysManage, noIdempotency: true },
      schema: {
        tags: TAGS,
        summary: 'Emitir una clave de API para un dispositivo o integración (se muestra una sola vez)',
        description:
          'Use la clave como `X-API-Key: <clave>` o `Authorization: ApiKey <clave>`. Sus permisos deben ser ' +
          'permisos conocidos que quien la emite tenga en un ámbito que cubra el de la clave.',
        security: BEARER,
        body: ApiKeyCreate,
        response: { 201: ApiKeyCreated },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createApiKey(deps, requestContext(request), requirePrincipal(request), request.body)),
  );

  r.get(
    '/api-keys',
    {
      config: { permission: P.apiKeysManage },
      schema: {
        tags: TAGS,
        summary: 'Listar claves de API (sin secretos)',
        security: BEARER,
        querystring: ApiKeyListQuery,
        response: { 200: ApiKeyList },
      },
    },
    async (request) => listApiKeys(deps, request.query),
  );

  const revokeHandler = async (request: FastifyRequest<{ Params: IdParams; Body?: OptionalReason }>) =>
    revokeApiKey(
      deps,
      requestContext(request),
      requirePrincipal(request),
      request.params.id,
      request.body?.reason ?? null,
    );
  r.post(
    '/api-keys/:id/revoke',
    {
      config: { permission: P.apiKeysManage },
      schema: {
        tags: TAGS,
        summary: 'Revocar una clave de API (efecto inmediato)',
        security: BEARER,
        params: IdParams,
        body: OptionalReason,
        response: { 200: ApiKey },
      },
    },
    revokeHandler,
  );
  r.delete(
    '/api-keys/:id',
    {
      config: { permission: P.apiKeysManage },
      schema: {
        tags: TAGS,
        summary: 'Revocar una clave de API (efecto inmediato)',
        security: BEARER,
        params: IdParams,
        response: { 200: ApiKey },
      },
    },
    revokeHandler,
  );
}
