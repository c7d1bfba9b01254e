import { definePolicy } from '../../../platform/http/permissions.js';

export const CATALOG_ADMIN_PERMISSIONS = {
  /** The full catalogue (both languages, inactive types) for its administration screens. */
  typesRead: 'incident.types.read',
} as const;

// Changing the catalogue is `incident.types.manage` (incidents.policy.ts, administrators). Reading the
// full catalogue is apart from `incident.read`: administrators maintain it without reading incidents.
definePolicy('emergencies.catalog-admin', {
  permissions: [
    {
      code: CATALOG_ADMIN_PERMISSIONS.typesRead,
      description: 'Ver el catálogo completo de tipos de incidente y sus preguntas (también desactivados)',
    },
  ],
  roles: {
    administrator: [CATALOG_ADMIN_PERMISSIONS.typesRead],
    supervisor: [CATALOG_ADMIN_PERMISSIONS.typesRead],
    analyst: [CATALOG_ADMIN_PERMISSIONS.typesRead],
    auditor: [CATALOG_ADMIN_PERMISSIONS.typesRead],
  },
});
