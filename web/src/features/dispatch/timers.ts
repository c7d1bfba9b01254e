import type { Incident, ResponseTarget } from './types';

/** Share of the target after which a timer turns amber. */
export const WARN_RATIO = 0.75;

export type TimerLevel = 'ok' | 'warn' | 'late' | 'none';

export interface ResponseTimer {
  /** What the clock is measuring now: time to dispatch, then time to on-scene; null once on scene. */
  stage: 'dispatch' | 'on_scene' | null;
  /** Seconds since the incident was created (the server's reference for both targets). */
  elapsedSeconds: number;
  targetSeconds: number | null;
  level: TimerLevel;
}

export type TargetsByPriority = ReadonlyMap<number, ResponseTarget>;

export function targetsByPriority(items: readonly ResponseTarget[]): TargetsByPriority {
  return new Map(items.map((t) => [t.priority, t]));
}

export function timerLevel(elapsedSeconds: number, targetSeconds: number | null): TimerLevel {
  if (targetSeconds === null || targetSeconds <= 0) return 'none';
  if (elapsedSeconds > targetSeconds) return 'late';
  if (elapsedSeconds >= targetSeconds * WARN_RATIO) return 'warn';
  return 'ok';
}

/**
 * The response timer of an open incident at `nowMs`, measured like the server's escalations
 * (dispatch/escalation.ts): both targets run from the incident's creation; the dispatch stage ends
 * with the first assignment, the on-scene stage with the first unit on scene.
 */
export function responseTimer(
  incident: Pick<Incident, 'priority' | 'times'>,
  targets: TargetsByPriority,
  nowMs: number,
): ResponseTimer {
  const created = Date.parse(incident.times.createdAt);
  const target = incident.priority === null ? undefined : targets.get(incident.priority);
  if (incident.times.firstOnSceneAt) {
    const arrived = Date.parse(incident.times.firstOnSceneAt);
    const seconds = Math.max(0, (arrived - created) / 1000);
    const targetSeconds = target?.onSceneSeconds ?? null;
    const level = timerLevel(seconds, targetSeconds);
    return { stage: null, elapsedSeconds: seconds, targetSeconds, level: level === 'late' ? 'late' : 'none' };
  }
  const elapsedSeconds = Math.max(0, (nowMs - created) / 1000);
  const stage = incident.times.firstAssignedAt ? 'on_scene' : 'dispatch';
  const targetSeconds = target
    ? stage === 'dispatch'
      ? target.dispatchSeconds
      : target.onSceneSeconds
    : null;
  return { stage, elapsedSeconds, targetSeconds, level: timerLevel(elapsedSeconds, targetSeconds) };
}

/** Whether an open incident is late on any stage right now (the wall's "late incidents" tile). */
export function isLate(
  incident: Pick<Incident, 'priority' | 'times'>,
  targets: TargetsByPriority,
  nowMs: number,
): boolean {
  const target = incident.priority === null ? undefined : targets.get(incident.priority);
  if (!target) return false;
  const age = (nowMs - Date.parse(incident.times.createdAt)) / 1000;
  if (!incident.times.firstAssignedAt && age > target.dispatchSeconds) return true;
  return !incident.times.firstOnSceneAt && age > target.onSceneSeconds;
}

/**
 * Queue order: priority first (1 = most urgent; unclassified last, as the server lists them), then
 * the oldest first.
 */
export function compareQueue(
  a: Pick<Incident, 'priority' | 'times'>,
  b: Pick<Incident, 'priority' | 'times'>,
): number {
  const pa = a.priority ?? 99;
  const pb = b.priority ?? 99;
  if (pa !== pb) return pa - pb;
  return Date.parse(a.times.createdAt) - Date.parse(b.times.createdAt);
}
