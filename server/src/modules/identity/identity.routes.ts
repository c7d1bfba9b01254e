import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../platform/http/request-context.js';
import { requirePrincipal } from '../../platform/http/route-config.js';
import { LoginRequest, Me, TokenPair } from './identity.schemas.js';
import { describeMe, type IdentityDeps, login } from './identity.service.js';

export async function identityRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/auth/login',
    {
      config: { public: true, noIdempotency: true, rateLimitPerMinute: deps.config.rateLimitLoginMax },
      schema: {
        tags: ['identidad'],
        summary: 'Iniciar sesión con usuario y contraseña',
        body: LoginRequest,
        response: { 200: TokenPair },
      },
    },
    async (request) =>
      login(deps, requestContext(request), request.body, request.headers['user-agent'] ?? null),
  );
  r.get(
    '/auth/me',
    {
      config: { authenticated: true },
      schema: {
        tags: ['identidad'],
        summary: 'Usuario actual, roles con ámbito y permisos',
        security: [{ bearerAuth: [] }],
        response: { 200: Me },
      },
    },
    async (request) => describeMe(deps, requirePrincipal(request).id),
  );
}
