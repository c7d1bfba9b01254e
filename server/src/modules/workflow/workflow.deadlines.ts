import { systemContext } from '../../platform/context.js';
import type { UnitOfWork } from '../../platform/db/transaction.js';
import type { AppDeps } from '../../platform/deps.js';
import { permissionsOfRole } from '../../platform/http/permissions.js';
import { type ScopeTarget, scopeCovers } from '../../platform/http/principal.js';
import { ROLE_CODES } from '../identity/index.js';
import { queueNotification } from '../notifications/index.js';
import { loadDefinition, stepOf } from './workflow.definitions.js';
import { WORKFLOW_PERMISSIONS as P } from './workflow.policy.js';

type Kind = 'reminder' | 'escalation';

/** Notices handled per run (the most overdue first); the next run takes the rest. */
const BATCH = 500;

const DUE_FORMAT = new Intl.DateTimeFormat('es-SV', {
  timeZone: 'America/El_Salvador',
  dateStyle: 'short',
  timeStyle: 'short',
});

/** Active users with an e-mail address holding one of `roles` in a scope that covers `target`. */
async function usersWithRoles(uow: UnitOfWork, roles: string[], target: ScopeTarget) {
  if (roles.length === 0) return [];
  const rows = await uow.db
    .selectFrom('users as u')
    .innerJoin('role_assignments as a', 'a.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.dui', 'a.scope_level', 'a.scope_code'])
    .where('a.role_code', 'in', roles)
    .where('a.revoked_at', 'is', null)
    .where('u.active', '=', true)
    .where('u.email', 'is not', null)
    .orderBy('u.id')
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => {
    if (seen.has(r.id) || !scopeCovers({ level: r.scope_level, code: r.scope_code }, target)) return false;
    seen.add(r.id);
    return true;
  });
}

export interface DeadlineRunResult {
  reminders: number;
  escalations: number;
}

/**
 * Queues the reminders (before the due time, to the people who can act and are not excluded) and
 * the escalations (once overdue: an event and a notification to the step's escalation role) that are
 * due at `now`. Each is recorded, so it is sent once per step of a case however often this runs.
 */
export async function runWorkflowDeadlines(
  deps: Pick<AppDeps, 'db' | 'tx' | 'config' | 'clock'>,
  now: Date = deps.clock.now(),
): Promise<DeadlineRunResult> {
  const candidates = await deps.db
    .selectFrom('workflow_case_steps as s')
    .innerJoin('workflow_cases as c', 'c.id', 's.case_id')
    .leftJoin('workflow_deadline_notices as r', (join) =>
      join
        .onRef('r.case_id', '=', 's.case_id')
        .onRef('r.step_code', '=', 's.step_code')
        .on('r.kind', '=', 'reminder'),
    )
    .leftJoin('workflow_deadline_notices as e', (join) =>
      join
        .onRef('e.case_id', '=', 's.case_id')
        .onRef('e.step_code', '=', 's.step_code')
        .on('e.kind', '=', 'escalation'),
    )
    .select([
      's.case_id',
      's.step_code',
      's.permission',
      's.remind_at',
      's.due_at',
      'c.title',
      'c.definition_code',
      'c.definition_version',
      'c.scope_department',
      'c.scope_municipality',
      'c.scope_unit',
      'c.excluded_user_ids',
      'c.excluded_duis',
      'r.kind as reminded',
      'e.kind as escalated',
    ])
    .where('s.status', '=', 'open')
    .where('c.status', '=', 'open')
    .where('s.remind_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb.and([eb('r.kind', 'is', null), eb('s.due_at', '>', now)]),
        eb.and([eb('e.kind', 'is', null), eb('s.due_at', '<=', now)]),
      ]),
    )
    .orderBy('s.due_at')
    .limit(BATCH)
    .execute();

  const result: DeadlineRunResult = { reminders: 0, escalations: 0 };
  for (const c of candidates) {
    if (!c.due_at) continue;
    const overdue = c.due_at.getTime() <= now.getTime();
    // Once overdue, the escalation is what is sent: a "due soon" reminder would come too late.
    const kind: Kind | null = overdue ? (c.escalated ? null : 'escalation') : c.reminded ? null : 'reminder';
    if (!kind) continue;
    const spec = await loadDefinition(deps.db, c.definition_code, c.definition_version);
    const step = stepOf(spec, c.step_code);
    if (!step) continue;
    const sent = await deps.tx(systemContext(), async (uow) => {
      const claimed = await uow.db
        .insertInto('workflow_deadline_notices')
        .values({ case_id: c.case_id, step_code: c.step_code, kind, sent_at: uow.now, recipients: 0 })
        .onConflict((oc) => oc.columns(['case_id', 'step_code', 'kind']).doNothing())
        .returning('case_id')
        .executeTakeFirst();
      if (!claimed) return false;
      const roles =
        kind === 'reminder'
          ? ROLE_CODES.filter((r) => permissionsOfRole(r).has(c.permission))
          : [step.escalationRole];
      const excludedIds = c.excluded_user_ids as unknown as string[];
      const excludedDuis = c.excluded_duis as unknown as string[];
      const target = {
        department: c.scope_department,
        municipality: c.scope_municipality,
        unit: c.scope_unit,
      };
      const users = (await usersWithRoles(uow, roles, target)).filter(
        (u) =>
          kind === 'escalation' || (!excludedIds.includes(u.id) && !(u.dui && excludedDuis.includes(u.dui))),
      );
      const due = DUE_FORMAT.format(c.due_at as Date);
      let recipients = 0;
      for (const user of users) {
        const id = await queueNotification(deps, uow, {
          channel: 'email',
          recipient: user.email as string,
          template: kind === 'reminder' ? 'workflow_reminder' : 'workflow_escalation',
          locale: 'es',
          params: { title: c.title, step: step.nameEs, due },
          entityType: 'workflow_case',
          entityId: c.case_id,
          dedupeKey: `workflow:${c.case_id}:${c.step_code}:${kind}:${user.id}`,
        }).catch(() => null); // an invalid stored address must not stop the others
        if (id) recipients += 1;
      }
      await uow.db
        .updateTable('workflow_deadline_notices')
        .set({ recipients })
        .where('case_id', '=', c.case_id)
        .where('step_code', '=', c.step_code)
        .where('kind', '=', kind)
        .execute();
      const payload = {
        caseId: c.case_id,
        step: c.step_code,
        title: c.title,
        dueAt: c.due_at?.toISOString() ?? null,
        recipients,
        ...(kind === 'escalation' ? { escalationRole: step.escalationRole } : {}),
      };
      if (kind === 'escalation') {
        uow.audit({
          action: 'workflow.step_escalated',
          entityType: 'workflow_case',
          entityId: c.case_id,
          after: payload,
        });
      }
      uow.emit({
        type: kind === 'reminder' ? 'workflow.step_due_soon' : 'workflow.step_overdue',
        entityType: 'workflow_case',
        entityId: c.case_id,
        scope: target,
        permission: kind === 'reminder' ? c.permission : P.read,
        payload,
      });
      return true;
    });
    if (sent) result[kind === 'reminder' ? 'reminders' : 'escalations'] += 1;
  }
  return result;
}

const timers = new WeakMap<object, NodeJS.Timeout>();
export const DEADLINE_INTERVAL_MS = 60_000;

export function startWorkflowDeadlines(deps: AppDeps, intervalMs = DEADLINE_INTERVAL_MS): void {
  if (timers.has(deps)) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runWorkflowDeadlines(deps)
      .catch((err) => deps.logger.error({ err }, 'workflow deadlines failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  timers.set(deps, timer);
}

export function stopWorkflowDeadlines(deps: AppDeps): void {
  const timer = timers.get(deps);
  if (timer) clearInterval(timer);
  timers.delete(deps);
}
