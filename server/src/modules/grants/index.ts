import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../../platform/module.js';
import './grants.messages.js';
import './grants.policy.js';
import './grants.tables.js';
import {
  grantsExecutionRoutes,
  seedGrantsExecutionDemo,
  startLiquidationDeadlines,
  stopLiquidationDeadlines,
} from './agreements/index.js';
import { callRoutes } from './calls/calls.routes.js';
import { planRoutes } from './plans/plans.routes.js';
import { startExpiryAlerts, stopExpiryAlerts } from './red-flags/expiry-alerts.js';
import { registryRoutes } from './registry/registry.routes.js';
import { planReviewRoutes } from './review/index.js';

export { GRANT_PERMISSIONS } from './grants.policy.js';
export type {
  CallStatus,
  DocumentKind,
  FundingSource,
  OrganisationStatus,
  PlanStatus,
} from './grants.tables.js';
export {
  computeRedFlags,
  FUNDED_PLAN_STATUSES,
  hasPendingLiquidation,
  pendingLiquidations,
  type RedFlag,
  type RedFlagReport,
} from './red-flags/red-flags.service.js';
export { assertSeesOrganisation, type GrantsAccess, grantsAccess } from './shared/access.js';
export { assertDate, assertDateOrder, dateText, todayInElSalvador } from './shared/dates.js';
export { sendXlsx, toXlsx, type XlsxColumn, type XlsxTable } from './shared/export.js';
export { decodeDocument, readDocument, storeDocument } from './shared/files.js';
export { assertCents, formatUsd, MAX_CENTS, sumCents } from './shared/money.js';

export const grantsModule: ModuleDefinition = {
  name: 'grants',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  routes: async (app, deps) => {
    await registryRoutes(app, deps);
    await callRoutes(app, deps);
    await planRoutes(app, deps);
    await planReviewRoutes(app, deps);
    await grantsExecutionRoutes(app, deps);
  },
  seedDemo: seedGrantsExecutionDemo,
  start: async (deps) => {
    startLiquidationDeadlines(deps);
    startExpiryAlerts(deps);
  },
  stop: async (deps) => {
    stopLiquidationDeadlines(deps);
    stopExpiryAlerts(deps);
  },
};
