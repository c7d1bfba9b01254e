import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../../platform/module.js';
import './identity.messages.js';
import './identity.policy.js';
import { identityDeps } from './identity.deps.js';
import { identityRoutes } from './identity.routes.js';
import { seedDemoUsers, syncRoles } from './identity.seed.js';
import './identity.tables.js';

export { authenticateApiKey } from './api-keys.service.js';
export { createIdentityAuthenticator } from './authenticator.js';
export { findDirectoryUser, findEmployeesByDui, userDisplayNames } from './directory.js';
export { isValidDui, normalizeDui } from './dui.js';
export { IDENTITY_PERMISSIONS } from './identity.policy.js';
export { createUserWithRole, DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS } from './identity.seed.js';
export { isValidNit, normalizeNit } from './nit.js';
export { ROLE_CODES, ROLES } from './roles.js';
export { scopeContains, scopeProblem } from './scopes.js';

export const identityModule: ModuleDefinition = {
  name: 'identity',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  routes: (app, deps) => identityRoutes(app, identityDeps(deps)),
  seed: syncRoles,
  seedDemo: seedDemoUsers,
};
