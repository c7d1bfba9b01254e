import './kpis.messages.js';
import './kpis.policy.js';
import './kpis.tables.js';

export { KPI_PERMISSIONS } from './kpis.policy.js';
export { kpiRoutes } from './kpis.routes.js';
export { NENA_TARGETS } from './kpis.service.js';
