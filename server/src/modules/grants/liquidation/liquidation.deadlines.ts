import { systemContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { scopeCovers } from '../../../platform/http/principal.js';
import { queueNotification } from '../../notifications/index.js';
import { UNLIQUIDATED } from '../agreements/execution.common.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';

/** Roles told when an NGO misses its liquidation deadline. */
export const OVERDUE_ALERT_ROLES = ['ngo_finance', 'ngo_monitoring_reviewer', 'ngo_authority'];

/**
 * Marks every plan still holding funds past its liquidation deadline as `liquidation_overdue` and
 * raises one alert per plan and deadline: an audit entry, a `grant.liquidation_overdue` event and an
 * e-mail to finance, monitoring and the authority. From then on the NGO gets no new disbursements
 * nor plan approvals until it liquidates. Idempotent (the alert row is claimed once).
 */
export async function runLiquidationDeadlines(deps: AppDeps): Promise<{ marked: number }> {
  const now = deps.clock.now();
  const due = await deps.db
    .selectFrom('ngo_plans as p')
    .innerJoin('ngo_organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.code',
      'p.title',
      'p.status',
      'p.organisation_id',
      'p.liquidation_due_at',
      'o.name as org_name',
    ])
    .where('p.status', 'in', [...UNLIQUIDATED])
    .where('p.liquidation_due_at', '<', now)
    .execute();
  let marked = 0;
  for (const plan of due) {
    const done = await deps.tx(systemContext(), async (uow) => {
      const updated = await uow.db
        .updateTable('ngo_plans')
        .set({ status: 'liquidation_overdue', updated_at: uow.now })
        .where('id', '=', plan.id)
        .where('status', 'in', [...UNLIQUIDATED])
        .where('liquidation_due_at', '<', uow.now)
        .returning('id')
        .executeTakeFirst();
      if (!updated) return false;
      const claimed = await uow.db
        .insertInto('ngo_liquidation_alerts')
        .values({
          plan_id: plan.id,
          liquidation_due_at: plan.liquidation_due_at!,
          raised_at: uow.now,
          recipients: 0,
        })
        .onConflict((oc) => oc.columns(['plan_id', 'liquidation_due_at']).doNothing())
        .returning('plan_id')
        .executeTakeFirst();
      let recipients = 0;
      if (claimed) {
        const users = await uow.db
          .selectFrom('users as u')
          .innerJoin('role_assignments as a', 'a.user_id', 'u.id')
          .select(['u.id', 'u.email', 'a.scope_level', 'a.scope_code'])
          .where('a.role_code', 'in', OVERDUE_ALERT_ROLES)
          .where('a.revoked_at', 'is', null)
          .where('u.active', '=', true)
          .where('u.email', 'is not', null)
          .orderBy('u.id')
          .execute();
        const seen = new Set<string>();
        for (const u of users) {
          if (seen.has(u.id) || !scopeCovers({ level: u.scope_level, code: u.scope_code }, {})) continue;
          seen.add(u.id);
          const id = await queueNotification(deps, uow, {
            channel: 'email',
            recipient: u.email as string,
            template: 'grant_liquidation_overdue',
            locale: 'es',
            params: {
              plan: `${plan.code} · ${plan.title}`,
              organisation: plan.org_name,
              due: plan.liquidation_due_at!.toISOString().slice(0, 10),
            },
            entityType: 'ngo_plan',
            entityId: plan.id,
            dedupeKey: `grants:liquidation_overdue:${plan.id}:${plan.liquidation_due_at!.toISOString()}:${u.id}`,
          }).catch(() => null);
          if (id) recipients += 1;
        }
        await uow.db
          .updateTable('ngo_liquidation_alerts')
          .set({ recipients })
          .where('plan_id', '=', plan.id)
          .where('liquidation_due_at', '=', plan.liquidation_due_at!)
          .execute();
      }
      uow.audit({
        action: 'grant.liquidation_overdue',
        entityType: 'ngo_plan',
        entityId: plan.id,
        before: { status: plan.status },
        after: {
          status: 'liquidation_overdue',
          liquidationDueAt: plan.liquidation_due_at!.toISOString(),
          recipients,
        },
      });
      uow.emit({
        type: 'grant.liquidation_overdue',
        entityType: 'ngo_plan',
        entityId: plan.id,
        permission: P.read,
        payload: {
          planId: plan.id,
          organisationId: plan.organisation_id,
          liquidationDueAt: plan.liquidation_due_at!.toISOString(),
          recipients,
        },
      });
      return true;
    });
    if (done) marked += 1;
  }
  return { marked };
}

const timers = new WeakMap<object, NodeJS.Timeout>();
export const LIQUIDATION_CHECK_INTERVAL_MS = 10 * 60_000;

export function startLiquidationDeadlines(deps: AppDeps, intervalMs = LIQUIDATION_CHECK_INTERVAL_MS): void {
  if (timers.has(deps)) return;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    runLiquidationDeadlines(deps)
      .catch((err) => deps.logger.error({ err }, 'grants liquidation deadlines failed'))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  timers.set(deps, timer);
}

export function stopLiquidationDeadlines(deps: AppDeps): void {
  const timer = timers.get(deps);
  if (timer) clearInterval(timer);
  timers.delete(deps);
}
