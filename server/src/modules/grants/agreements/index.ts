/**
 * Execution of NGO funds (agreements, disbursements, receipts, monitoring, liquidation,
 * transparency). The grants module front door registers these routes and the liquidation timer.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import '../disbursements/disbursement.definition.js';
import '../liquidation/liquidation.definition.js';
import './execution.messages.js';
import './execution.tables.js';
import { transparencyRoutes } from '../transparency/transparency.routes.js';
import { executionRoutes } from './execution.routes.js';

export {
  runLiquidationDeadlines,
  startLiquidationDeadlines,
  stopLiquidationDeadlines,
} from '../liquidation/liquidation.deadlines.js';
export { seedGrantsExecutionDemo } from './execution.demo.js';

export async function grantsExecutionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await executionRoutes(app, deps);
  await transparencyRoutes(app, deps);
}
