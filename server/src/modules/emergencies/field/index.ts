import './field.messages.js';
import './field.policy.js';
import './field.tables.js';

export { fieldEvidenceRoutes } from './field-evidence.routes.js';
