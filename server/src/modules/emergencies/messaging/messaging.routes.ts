import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { PHOTO_BODY_LIMIT } from '../citizen/attachments.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { MESSAGING_PERMISSIONS as P } from './messaging.policy.js';
import { IncomingMessage, MessageOutcome } from './messaging.schemas.js';
import { receiveMessage } from './messaging.service.js';

export async function messagingRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/webhooks/messages',
    {
      bodyLimit: PHOTO_BODY_LIMIT,
      config: { permission: P.webhook, apiKey: true, rateLimitPerMinute: 600 },
      schema: {
        tags: ['911 ciudadanía'],
        security: [{ apiKey: [] }],
        summary: 'Mensaje ciudadano desde la pasarela SMS/WhatsApp (idempotente por messageId)',
        description:
          'Los mensajes de un mismo remitente dentro de MESSAGING_THREAD_WINDOW_MINUTES se agregan al ' +
          'incidente abierto; si no, se abre uno nuevo y se responde al ciudadano con su código de seguimiento.',
        body: IncomingMessage,
        response: { 200: MessageOutcome, 201: MessageOutcome },
      },
    },
    async (request, reply) => {
      const result = await receiveMessage(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.body,
      );
      return reply.status(result.outcome === 'created' ? 201 : 200).send(result);
    },
  );
}
