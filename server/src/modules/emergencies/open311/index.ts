import type { ModuleDefinition } from '../../../platform/module.js';
import '../citizen/citizen.tables.js';
import './open311.messages.js';
import './open311.policy.js';
import { OPEN311_PREFIX, open311Routes } from './open311.routes.js';
import './open311.tables.js';

export { OPEN311_PERMISSIONS } from './open311.policy.js';

/**
 * Open311 GeoReport v2 at /open311/v2 (outside /api/v1: clients expect a jurisdiction base URL).
 * Part of the 911 module (its tables are in emergencies' migration 0004); a module of its own only
 * for the route prefix. `emergenciesDeps` comes in lazily to avoid an import cycle.
 */
export function createOpen311Module(
  toEmergenciesDeps: (
    deps: import('../../../platform/deps.js').AppDeps,
  ) => import('../incidents/incidents.deps.js').EmergenciesDeps,
): ModuleDefinition {
  return {
    name: 'emergencies-open311',
    routePrefix: OPEN311_PREFIX,
    routes: (app, deps) => open311Routes(app, toEmergenciesDeps(deps)),
  };
}
