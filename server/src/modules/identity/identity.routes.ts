import type { FastifyInstance } from 'fastify';
import { apiKeysRoutes } from './api-keys.routes.js';
import { authRoutes } from './auth.routes.js';
import type { IdentityDeps } from './identity.deps.js';
import { usersRoutes } from './users.routes.js';

export async function identityRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  await authRoutes(app, deps);
  await usersRoutes(app, deps);
  await apiKeysRoutes(app, deps);
}
