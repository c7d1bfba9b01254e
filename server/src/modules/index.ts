import type { ModuleDefinition } from '../platform/module.js';
import { identityModule } from './identity/index.js';

/** Modules in dependency order (migrations run in this order). */
export function allModules(): ModuleDefinition[] {
  return [identityModule];
}
