import { definePolicy } from '../../platform/http/permissions.js';

export const WORKFLOW_PERMISSIONS = {
  /** See any case of one's scope with its history (besides the cases one can act on). */
  read: 'workflow.read',
} as const;

definePolicy('workflow', {
  permissions: [
    {
      code: WORKFLOW_PERMISSIONS.read,
      description:
        'Ver expedientes de aprobación y su historial (quién, motivo, lista de verificación, huellas)',
    },
  ],
  roles: {
    administrator: [WORKFLOW_PERMISSIONS.read],
    auditor: [WORKFLOW_PERMISSIONS.read],
    internal_affairs: [WORKFLOW_PERMISSIONS.read],
  },
});
