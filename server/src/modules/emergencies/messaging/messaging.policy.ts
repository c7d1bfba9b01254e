import { definePolicy } from '../../../platform/http/permissions.js';

export const MESSAGING_PERMISSIONS = {
  webhook: 'messaging.webhook',
} as const;

definePolicy('emergencies.messaging', {
  permissions: [
    {
      code: MESSAGING_PERMISSIONS.webhook,
      description: 'Entregar mensajes ciudadanos (SMS/WhatsApp) desde la pasarela de mensajería',
    },
  ],
  // Administrators hold it only to issue the gateway's API key.
  roles: { administrator: [MESSAGING_PERMISSIONS.webhook] },
});
