import type { Clock } from '../src/platform/context.js';
import type { AppDeps } from '../src/platform/deps.js';

/** Building an app (migrations on a fresh database) can be slow on a busy 2-core machine. */
export const BUILD_TIMEOUT_MS = 180_000;

/** A clock the test moves by hand (lockout windows, TOTP steps, token and key expiry). */
export interface ManualClock extends Clock {
  advance(seconds: number): void;
}

export function manualClock(start: Date = new Date()): ManualClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (seconds) => {
      t += seconds * 1000;
    },
  };
}

/** Audit actions recorded for an entity (or all), oldest first. */
export async function auditActions(deps: AppDeps, entityId?: string): Promise<string[]> {
  let q = deps.db.selectFrom('audit_log').select('action').orderBy('leaf_index');
  if (entityId) q = q.where('entity_id', '=', entityId);
  return (await q.execute()).map((r) => r.action);
}
