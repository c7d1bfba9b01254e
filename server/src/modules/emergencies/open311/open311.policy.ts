import { definePolicy } from '../../../platform/http/permissions.js';

export const OPEN311_PERMISSIONS = {
  createRequest: 'open311.request.create',
} as const;

definePolicy('emergencies.open311', {
  permissions: [
    {
      code: OPEN311_PERMISSIONS.createRequest,
      description: 'Crear reportes por Open311 GeoReport v2 (claves de API de aplicaciones ciudadanas)',
    },
  ],
  // Administrators hold it only to issue API keys that carry it to Open311 client applications.
  roles: { administrator: [OPEN311_PERMISSIONS.createRequest] },
});
