import type { ModuleDefinition } from '../platform/module.js';
import { createAuditModule } from './audit/index.js';
import { emergenciesModule, open311Module } from './emergencies/index.js';
import { geoModule } from './geo/index.js';
import { grantsModule } from './grants/index.js';
import { identityModule } from './identity/index.js';
import { notificationsModule } from './notifications/index.js';
import { workflowModule } from './workflow/index.js';

/** Modules in dependency order (migrations run in this order). */
export function allModules(): ModuleDefinition[] {
  return [
    identityModule,
    createAuditModule(),
    geoModule,
    notificationsModule,
    emergenciesModule,
    open311Module,
    workflowModule,
    grantsModule,
  ];
}
