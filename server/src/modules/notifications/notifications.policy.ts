import { definePolicy } from '../../platform/http/permissions.js';

export const NOTIFICATION_PERMISSIONS = {
  read: 'notification.read',
} as const;

definePolicy('notifications', {
  permissions: [
    {
      code: NOTIFICATION_PERMISSIONS.read,
      description: 'Ver la cola de notificaciones salientes (destinatarios enmascarados)',
    },
  ],
  roles: {
    administrator: [NOTIFICATION_PERMISSIONS.read],
    supervisor: [NOTIFICATION_PERMISSIONS.read],
  },
});
