import { definePolicy } from '../../platform/http/permissions.js';

export const IDENTITY_PERMISSIONS = {
  usersRead: 'identity.users.read',
  usersManage: 'identity.users.manage',
  rolesAssign: 'identity.roles.assign',
  sessionsManage: 'identity.sessions.manage',
  apiKeysManage: 'identity.apikeys.manage',
} as const;

definePolicy('identity', {
  permissions: [
    { code: IDENTITY_PERMISSIONS.usersRead, description: 'Ver usuarios y sus roles' },
    { code: IDENTITY_PERMISSIONS.usersManage, description: 'Crear, modificar y desactivar usuarios' },
    { code: IDENTITY_PERMISSIONS.rolesAssign, description: 'Asignar y revocar roles con ámbito' },
    { code: IDENTITY_PERMISSIONS.sessionsManage, description: 'Ver y revocar sesiones de otros usuarios' },
    { code: IDENTITY_PERMISSIONS.apiKeysManage, description: 'Emitir y revocar claves de API' },
  ],
  roles: {
    administrator: Object.values(IDENTITY_PERMISSIONS),
    supervisor: [IDENTITY_PERMISSIONS.usersRead],
    auditor: [IDENTITY_PERMISSIONS.usersRead],
    internal_affairs: [IDENTITY_PERMISSIONS.usersRead, IDENTITY_PERMISSIONS.sessionsManage],
  },
});
