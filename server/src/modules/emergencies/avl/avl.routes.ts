import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { DISPATCH_PERMISSIONS as P } from '../dispatch/dispatch.policy.js';
import { PositionBatch, PositionBatchResult, Track, TrackParams, TrackQuery } from './avl.schemas.js';
import { getUnitTrack, reportPositions } from './avl.service.js';

const tags = ['911 AVL'];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKey: [] }];

export async function avlRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/avl/positions',
    {
      config: { permission: P.positionsWrite, apiKey: true },
      schema: {
        tags,
        security,
        summary: 'Enviar un lote de posiciones (hasta 1000) de la aplicación de campo o de un dispositivo',
        description:
          'Un agente solo envía posiciones de la unidad en cuya tripulación está; una clave de API, de las ' +
          'unidades de su ámbito (identificadas por unitId o deviceId). Reenviar un lote es seguro: una ' +
          'posición ya recibida (misma unidad y hora) se cuenta como duplicada y no se guarda dos veces.',
        body: PositionBatch,
        response: { 200: PositionBatchResult },
      },
    },
    async (request) =>
      reportPositions(deps, requestContext(request), requirePrincipal(request), request.body),
  );

  r.get(
    '/avl/units/:id/track',
    {
      config: { permission: P.positionsRead, apiKey: true },
      schema: {
        tags,
        security,
        summary: 'Recorrido de una unidad (historial de posiciones, máximo 24 horas)',
        params: TrackParams,
        querystring: TrackQuery,
        response: { 200: Track },
      },
    },
    async (request) =>
      getUnitTrack(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.query,
      ),
  );
}
