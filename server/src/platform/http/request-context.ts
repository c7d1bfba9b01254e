import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { pickLocale } from '../i18n/catalog.js';

/** Attribution for services: who (principal), which request, from where, in which language. */
export function requestContext(request: FastifyRequest): RequestContext {
  const p = request.principal;
  return {
    actor: p
      ? { type: p.kind === 'user' ? 'user' : 'api_key', id: p.id, name: p.name }
      : { type: 'anonymous', id: null, name: null },
    requestId: request.id,
    ip: request.ip,
    locale: pickLocale(request.headers['accept-language']),
  };
}
