import { definePolicy } from '../../../platform/http/permissions.js';

export const VIDEO_PERMISSIONS = {
  alertRead: 'video.alert.read',
  configManage: 'video.config.manage',
  eventIngest: 'video.event.ingest',
} as const;

const P = VIDEO_PERMISSIONS;

definePolicy('emergencies.video', {
  permissions: [
    {
      code: P.alertRead,
      description: 'Ver el tablero de alertas automáticas (video y placas), cámaras y eventos de video',
    },
    { code: P.configManage, description: 'Administrar cámaras y reglas de analítica de video' },
    { code: P.eventIngest, description: 'Enviar eventos de Frigate (clave de API de la integración)' },
  ],
  roles: {
    dispatcher: [P.alertRead],
    supervisor: [P.alertRead, P.configManage],
    call_taker: [P.alertRead],
    analyst: [P.alertRead],
    // Administrators configure cameras and issue the integration's API key.
    administrator: [P.configManage, P.eventIngest],
  },
});
