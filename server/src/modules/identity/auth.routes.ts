import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import { requestContext } from '../../platform/http/request-context.js';
import { requirePrincipal } from '../../platform/http/route-config.js';
import type { IdentityDeps } from './identity.deps.js';
import {
  Done,
  IdParams,
  LoginRequest,
  LoginResponse,
  Me,
  MfaEnrollment,
  MfaVerifyRequest,
  OptionalReason,
  PasswordChanged,
  PasswordChangeRequest,
  RefreshRequest,
  SessionList,
  TokenPair,
} from './identity.schemas.js';
import { login } from './login.service.js';
import { describeMe } from './me.service.js';
import { enrollMfa, type MfaCaller, verifyMfa } from './mfa.service.js';
import { changePassword } from './password.service.js';
import { listRoles } from './roles.service.js';
import { listSessions, logout, refreshSession, revokeSession } from './sessions.service.js';
import { RoleCatalogue } from './users.schemas.js';

const TAGS = ['identidad'];
const BEARER = [{ bearerAuth: [] }];

/** A locked account also gets a Retry-After header. */
async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === 'ACCOUNT_LOCKED') {
      reply.header('retry-after', String(error.params.retryAfter));
    }
    throw error;
  }
}

function mfaCaller(request: FastifyRequest): MfaCaller {
  if (request.principal) return { userId: request.principal.id, sessionId: request.principal.sessionId };
  if (request.mfaPendingUserId) return { userId: request.mfaPendingUserId, sessionId: null };
  throw new AppError('UNAUTHENTICATED', 401);
}

const userAgent = (request: FastifyRequest) => request.headers['user-agent'] ?? null;

export async function authRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const loginLimit = deps.config.rateLimitLoginMax;

  r.post(
    '/auth/login',
    {
      config: { public: true, noIdempotency: true, rateLimitPerMinute: loginLimit },
      schema: {
        tags: TAGS,
        summary: 'Iniciar sesión con usuario y contraseña',
        description:
          'Devuelve los tokens, o un desafío MFA (mfa_required / mfa_enrollment_required) con un mfaToken ' +
          'para /auth/mfa/enroll y /auth/mfa/verify. Tras 5 fallos la cuenta se bloquea (423 ACCOUNT_LOCKED) ' +
          'con espera creciente de 1 minuto a 1 hora.',
        body: LoginRequest,
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) =>
      withRetryAfter(reply, () => login(deps, requestContext(request), request.body, userAgent(request))),
  );

  r.post(
    '/auth/refresh',
    {
      config: { public: true, noIdempotency: true, rateLimitPerMinute: loginLimit },
      schema: {
        tags: TAGS,
        summary: 'Renovar tokens (rota el token de renovación)',
        description:
          'Reutilizar un token de renovación ya usado revoca la sesión completa (REFRESH_TOKEN_REUSED).',
        body: RefreshRequest,
        response: { 200: TokenPair },
      },
    },
    async (request) => refreshSession(deps, requestContext(request), request.body.refreshToken),
  );

  r.post(
    '/auth/logout',
    {
      config: { authenticated: true, allowDuringPasswordChange: true },
      schema: { tags: TAGS, summary: 'Cerrar la sesión actual', security: BEARER, response: { 200: Done } },
    },
    async (request) => {
      await logout(deps, requestContext(request), requirePrincipal(request));
      return { status: 'ok' as const };
    },
  );

  r.get(
    '/auth/me',
    {
      config: { authenticated: true, allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'Usuario actual, roles con ámbito y permisos',
        security: BEARER,
        response: { 200: Me },
      },
    },
    async (request) => describeMe(deps, requirePrincipal(request)),
  );

  r.get(
    '/auth/sessions',
    {
      config: { authenticated: true, allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'Mis sesiones activas',
        security: BEARER,
        response: { 200: SessionList },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return { items: await listSessions(deps, principal.id, principal.sessionId) };
    },
  );

  const revokeHandler = async (request: FastifyRequest<{ Params: IdParams; Body?: OptionalReason }>) => {
    await revokeSession(
      deps,
      requestContext(request),
      requirePrincipal(request),
      request.params.id,
      request.body?.reason,
    );
    return { status: 'ok' as const };
  };
  r.post(
    '/auth/sessions/:id/revoke',
    {
      config: { authenticated: true, allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'Revocar una sesión propia (o ajena con identity.sessions.manage)',
        security: BEARER,
        params: IdParams,
        body: OptionalReason,
        response: { 200: Done },
      },
    },
    revokeHandler,
  );
  r.delete(
    '/auth/sessions/:id',
    {
      config: { authenticated: true, allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'Revocar una sesión propia (o ajena con identity.sessions.manage)',
        security: BEARER,
        params: IdParams,
        response: { 200: Done },
      },
    },
    revokeHandler,
  );

  r.post(
    '/auth/password',
    {
      config: { authenticated: true, allowDuringPasswordChange: true, noIdempotency: true },
      schema: {
        tags: TAGS,
        summary: 'Cambiar mi contraseña (cierra mis otras sesiones)',
        security: BEARER,
        body: PasswordChangeRequest,
        response: { 200: PasswordChanged },
      },
    },
    async (request, reply) => {
      const result = await withRetryAfter(reply, () =>
        changePassword(deps, requestContext(request), requirePrincipal(request), request.body),
      );
      return { status: 'ok' as const, ...result };
    },
  );

  r.post(
    '/auth/mfa/enroll',
    {
      config: { authenticated: true, mfaPending: true, noIdempotency: true, allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'Iniciar la inscripción TOTP (con el mfaToken del inicio de sesión o con una sesión)',
        description: 'Devuelve el URI otpauth:// y el secreto base32; se confirma con /auth/mfa/verify.',
        security: BEARER,
        response: { 200: MfaEnrollment },
      },
    },
    async (request) => enrollMfa(deps, requestContext(request), mfaCaller(request)),
  );

  r.post(
    '/auth/mfa/verify',
    {
      config: {
        authenticated: true,
        mfaPending: true,
        noIdempotency: true,
        allowDuringPasswordChange: true,
        rateLimitPerMinute: loginLimit,
      },
      schema: {
        tags: TAGS,
        summary: 'Verificar un código TOTP: completa la inscripción y/o el inicio de sesión',
        description:
          'Cada código se acepta una sola vez (MFA_CODE_REUSED). Devuelve los tokens de una sesión nueva.',
        security: BEARER,
        body: MfaVerifyRequest,
        response: { 200: TokenPair },
      },
    },
    async (request, reply) =>
      withRetryAfter(reply, () =>
        verifyMfa(deps, requestContext(request), mfaCaller(request), request.body.code, userAgent(request)),
      ),
  );

  r.get(
    '/roles',
    {
      config: { authenticated: true },
      schema: {
        tags: TAGS,
        summary: 'Catálogo de roles y sus permisos',
        security: BEARER,
        response: { 200: RoleCatalogue },
      },
    },
    async () => listRoles(),
  );
}
