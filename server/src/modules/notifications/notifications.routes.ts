import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import { NOTIFICATION_PERMISSIONS as P } from './notifications.policy.js';
import { NotificationList, NotificationListQuery } from './notifications.schemas.js';
import { listNotifications } from './notifications.service.js';

export async function notificationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/notifications',
    {
      config: { permission: P.read },
      schema: {
        tags: ['notificaciones'],
        security: [{ bearerAuth: [] }],
        summary: 'Cola de notificaciones salientes (SMS, correo, WhatsApp) con su estado de envío',
        querystring: NotificationListQuery,
        response: { 200: NotificationList },
      },
    },
    async (request) => listNotifications(deps, request.query),
  );
}
