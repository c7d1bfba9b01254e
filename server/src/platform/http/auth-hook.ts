import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../deps.js';
import { AppError } from './errors.js';
import { hasPermission } from './principal.js';
import { routeAccessDeclared } from './route-config.js';

/**
 * Authentication and route-level authorization. Every route declares its access in `config`
 * (see route-config.ts); a route without a declaration is refused at runtime as well as in tests.
 * Territorial scope is checked by the services, which know where the resource lives.
 */
export function registerAuthHook(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('mfaPendingUserId', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (!request.routeOptions.url) return; // unknown route: the 404 handler answers
    if (!routeAccessDeclared(config)) throw new AppError('FORBIDDEN', 403, { permission: '(sin declarar)' });
    if (config.allowWithoutPrincipal?.(request)) return;

    let auth: Awaited<ReturnType<Authenticator['authenticate']>>;
    try {
      auth = await authenticator.authenticate(request);
    } catch (error) {
      if (config.public) return; // a stale token must not block public routes
      throw error;
    }
    request.principal = auth.principal;
    request.mfaPendingUserId = auth.mfaPendingUserId;
    if (config.public) return;
    if (auth.mfaPendingUserId && config.mfaPending) return;
    const principal = auth.principal;
    if (!principal) throw new AppError('UNAUTHENTICATED', 401);
    if (principal.kind === 'api_key' && !config.apiKey) {
      throw new AppError('FORBIDDEN', 403, { permission: config.permission ?? 'sesión de usuario' });
    }
    if (config.permission && !hasPermission(principal, config.permission)) {
      throw new AppError('FORBIDDEN', 403, { permission: config.permission });
    }
  });
}
