import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal.js';

/**
 * Every route declares who may call it, in its `config`:
 *   { permission: 'incident.create' }  an authenticated caller holding that permission
 *   { authenticated: true }            any authenticated caller (e.g. /auth/me)
 *   { public: true }                   anyone (health checks, citizen reporting, login)
 * A test enumerates all registered routes and fails on any route that declares none of these.
 */
export interface RouteAccess {
  permission?: string;
  authenticated?: boolean;
  public?: boolean;
  /** Also accept API keys holding `permission` (devices, integrations). Users are always accepted. */
  apiKey?: boolean;
  /** Allow a user whose login is still waiting for MFA (only the MFA routes). */
  mfaPending?: boolean;
  /** Rate limit override for this route (requests per minute per IP). */
  rateLimitPerMinute?: number;
  /** Skip Idempotency-Key handling (e.g. login, where replaying tokens would be wrong). */
  noIdempotency?: boolean;
  /**
   * Machine access without a principal, checked before authentication: when it returns true the
   * request goes through even though it carries no session (e.g. a Prometheus scraper presenting
   * METRICS_TOKEN on /metrics). The route still declares its `permission` for users.
   */
  allowWithoutPrincipal?: (request: FastifyRequest) => boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig extends RouteAccess {}
  interface FastifyRequest {
    principal: Principal | null;
    /** Set when the bearer token is an MFA-pending token (login not finished). */
    mfaPendingUserId: string | null;
  }
}

export function routeAccessDeclared(config: RouteAccess | undefined): boolean {
  if (!config) return false;
  return config.public === true || config.authenticated === true || typeof config.permission === 'string';
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route reached without a principal; check its access config');
  return request.principal;
}
