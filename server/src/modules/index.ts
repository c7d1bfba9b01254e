import type { ModuleDefinition } from '../platform/module.js';
import { createAuditModule } from './audit/index.js';
import { emergenciesModule } from './emergencies/index.js';
import { geoModule } from './geo/index.js';
import { identityModule } from './identity/index.js';

/** Modules in dependency order (migrations run in this order). */
export function allModules(): ModuleDefinition[] {
  return [identityModule, createAuditModule(), geoModule, emergenciesModule];
}
