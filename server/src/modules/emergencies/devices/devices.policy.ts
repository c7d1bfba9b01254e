import { definePolicy } from '../../../platform/http/permissions.js';

export const DEVICE_PERMISSIONS = {
  read: 'device.read',
  manage: 'device.manage',
  ownerRead: 'device.owner.read',
  alertSend: 'device.alert.send',
} as const;

const P = DEVICE_PERMISSIONS;

definePolicy('emergencies.devices', {
  permissions: [
    { code: P.read, description: 'Ver el registro de dispositivos de alerta (sin datos del titular)' },
    { code: P.manage, description: 'Registrar, modificar y desactivar dispositivos de alerta' },
    { code: P.ownerRead, description: 'Ver el titular y su contacto (lectura auditada)' },
    {
      code: P.alertSend,
      description: 'Enviar alertas de un dispositivo (claves de API de botones de pánico y paneles)',
    },
  ],
  roles: {
    // Administrators issue the devices' API keys, and nobody hands out a permission they lack.
    administrator: [P.read, P.manage, P.ownerRead, P.alertSend],
    supervisor: [P.read, P.manage, P.ownerRead],
    dispatcher: [P.read, P.ownerRead],
    call_taker: [P.read],
  },
});
