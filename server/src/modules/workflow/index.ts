import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../../platform/module.js';
import { startWorkflowDeadlines, stopWorkflowDeadlines } from './workflow.deadlines.js';
import { seedWorkflowDefinitions } from './workflow.definitions.js';
import './workflow.messages.js';
import './workflow.policy.js';
import { workflowRoutes } from './workflow.routes.js';
import './workflow.tables.js';

export { type DeadlineRunResult, runWorkflowDeadlines } from './workflow.deadlines.js';
export {
  type ChecklistItemDef,
  type DocumentRequirementDef,
  defineWorkflow,
  latestDefinition,
  OPENER,
  registeredDefinitions,
  seedWorkflowDefinitions,
  type WorkflowDefinitionSpec,
  type WorkflowStepDef,
} from './workflow.definitions.js';
export { WORKFLOW_PERMISSIONS } from './workflow.policy.js';
export {
  type ActionInput,
  actOnCase,
  actOnCaseInTx,
  type ExcludedActors,
  getCase,
  listCasesOfSubject,
  listInbox,
  MIN_REASON_LENGTH,
  type OpenCaseInput,
  openCase,
  registerWorkflowHandler,
  updateCaseExclusions,
  type WorkflowActionEvent,
  type WorkflowCaseView,
  type WorkflowHandler,
} from './workflow.service.js';
export type {
  ActionDocument,
  ChecklistAnswer,
  WorkflowCaseStatus,
  WorkflowOutcome,
} from './workflow.tables.js';

export const workflowModule: ModuleDefinition = {
  name: 'workflow',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  routes: (app, deps) => workflowRoutes(app, deps),
  seed: seedWorkflowDefinitions,
  start: async (deps) => startWorkflowDeadlines(deps),
  stop: async (deps) => stopWorkflowDeadlines(deps),
};
