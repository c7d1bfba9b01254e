import { definePolicy } from '../../platform/http/permissions.js';

export const AUDIT_PERMISSIONS = {
  /** See audit entries (who did what, when, from where) and their inclusion proofs. */
  read: 'audit.read',
  /** Fetch signed tree heads and consistency proofs (hashes only; also for witness API keys). */
  verify: 'audit.verify',
} as const;

const all = Object.values(AUDIT_PERMISSIONS);

definePolicy('audit', {
  permissions: [
    {
      code: AUDIT_PERMISSIONS.read,
      description: 'Consultar el registro de auditoría y sus pruebas de inclusión',
    },
    {
      code: AUDIT_PERMISSIONS.verify,
      description: 'Obtener cabezas de árbol firmadas y pruebas de consistencia del registro de auditoría',
    },
  ],
  roles: {
    auditor: all,
    internal_affairs: all,
    supervisor: all,
    administrator: all,
  },
});
