import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { METRICS_PERMISSION, metricsScraperAllowed } from '../metrics.js';

/**
 * Times every request into `centinela_http_request_duration_seconds` (labelled by the route pattern,
 * never the raw URL, so ids and query strings cannot explode the label set) and serves /metrics.
 * Access rules are in platform/metrics.ts (`metricsScraperAllowed`).
 */
export function registerMetricsRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  app.get(
    '/metrics',
    {
      config: {
        permission: METRICS_PERMISSION,
        // The socket's own address, not request.ip: with TRUST_PROXY a client could forge X-Forwarded-For.
        allowWithoutPrincipal: (request) =>
          metricsScraperAllowed(deps.config, {
            ip: request.socket.remoteAddress ?? '',
            headers: request.headers,
          }),
      },
      schema: {
        tags: ['plataforma'],
        summary: 'Métricas de operación en formato Prometheus',
        description:
          'Requiere el permiso platform.metrics.read o `Authorization: Bearer <METRICS_TOKEN>`. ' +
          'En desarrollo, sin METRICS_TOKEN, también se permite desde la máquina local.',
        security: [{ bearerAuth: [] }],
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await deps.metrics.render();
      return reply.header('cache-control', 'no-store').type(contentType).send(body);
    },
  );
}
