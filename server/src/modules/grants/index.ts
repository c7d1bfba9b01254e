import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../../platform/module.js';
import './grants.messages.js';
import './grants.policy.js';
import './grants.tables.js';

export { GRANT_PERMISSIONS } from './grants.policy.js';
export type {
  CallStatus,
  DocumentKind,
  FundingSource,
  OrganisationStatus,
  PlanStatus,
} from './grants.tables.js';

export const grantsModule: ModuleDefinition = {
  name: 'grants',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
};
