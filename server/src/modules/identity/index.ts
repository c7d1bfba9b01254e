import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../../platform/module.js';
import './identity.messages.js';
import './identity.policy.js';
import { identityRoutes } from './identity.routes.js';
import { seedDemoUsers, syncRoles } from './identity.seed.js';
import './identity.tables.js';
import { createTokenSigner } from './tokens.js';

export { createIdentityAuthenticator } from './authenticator.js';
export { createUserWithRole, DEMO_PASSWORD, DEMO_USERS } from './identity.seed.js';
export { ROLE_CODES, ROLES } from './roles.js';

export const identityModule: ModuleDefinition = {
  name: 'identity',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  routes: (app, deps) => identityRoutes(app, { ...deps, tokens: createTokenSigner(deps.config.jwtSecret) }),
  seed: syncRoles,
  seedDemo: seedDemoUsers,
};
