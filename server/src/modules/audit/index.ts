import type { AppDeps } from '../../platform/deps.js';
import type { ModuleDefinition } from '../../platform/module.js';
import './audit.messages.js';
import './audit.policy.js';
import { auditRoutes } from './audit.routes.js';
import { type AuditDeps, auditDeps, signAuditTreeHead } from './audit.service.js';

export {
  auditPersonalDataRead,
  type PersonalDataRead,
  personalDataReadEntry,
} from '../../platform/audit/personal-data.js';
export { AUDIT_PERMISSIONS } from './audit.policy.js';
export { type AuditDeps, auditDeps, signAuditTreeHead } from './audit.service.js';

/**
 * The audit module: API over the tamper-evident log (tree heads, entries, proofs) and the periodic
 * signer of tree heads. A factory, so every app (and every test app) gets its own timer.
 */
export function createAuditModule(): ModuleDefinition {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  const tick = (deps: AuditDeps) => {
    if (running || stopped) return;
    running = signAuditTreeHead(deps)
      .then((head) => {
        if (head)
          deps.logger.info({ treeSize: head.treeSize, rootHash: head.rootHash }, 'audit tree head signed');
      })
      .catch((error: unknown) => deps.logger.error({ err: error }, 'audit tree head signing failed'))
      .finally(() => {
        running = undefined;
      });
  };

  return {
    name: 'audit',
    routes: (app, deps) => auditRoutes(app, auditDeps(deps)),
    start: async (appDeps: AppDeps) => {
      const deps = auditDeps(appDeps);
      stopped = false;
      tick(deps);
      timer = setInterval(() => tick(deps), deps.config.auditSignIntervalSeconds * 1000);
      timer.unref();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
