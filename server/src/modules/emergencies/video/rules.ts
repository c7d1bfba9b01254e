import { localClock } from './local-time.js';
import type { RuleAction, RuleSchedule } from './video.tables.js';

/**
 * Video rules as data, evaluated by a pure function. A rule matches a detection when its label is the
 * detection's, the object is or was in one of its zones (any-of; no zones = anywhere), its score reaches
 * the rule's minimum, and the time falls in its schedule (America/El_Salvador; none = always).
 * Camera rules take precedence over global rules; among the matching rules of the winning group the
 * strongest action wins (incident actions over alert_only), then the most urgent priority.
 */
export interface RuleSpec {
  id: string;
  name: string;
  cameraId: string | null;
  label: string;
  zones: string[];
  minScore: number;
  schedule: RuleSchedule | null;
  action: RuleAction;
  attachMeters: number;
  attachMinutes: number;
  priority: number;
}

export interface Detection {
  label: string | null;
  score: number | null;
  zones: string[];
  at: Date;
}

export type RuleFailure = 'label' | 'zone' | 'score' | 'schedule';

export interface RuleCheck {
  ruleId: string;
  ruleName: string;
  scope: 'camera' | 'global';
  action: RuleAction;
  priority: number;
  matched: boolean;
  failed: RuleFailure | null;
  detail: string;
}

export interface Evaluation {
  outcome: 'ignored' | RuleAction;
  rule: RuleSpec | null;
  checks: RuleCheck[];
  summary: string;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function minutesOf(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Null when the schedule is well formed, else what is wrong with it. */
export function scheduleProblem(schedule: RuleSchedule): string | null {
  if (!Array.isArray(schedule.days) || schedule.days.length === 0) return 'days';
  if (schedule.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return 'days';
  if (!TIME.test(schedule.from) || schedule.from === '24:00' || !TIME.test(schedule.to)) return 'hours';
  if (minutesOf(schedule.from) === minutesOf(schedule.to)) return 'hours';
  return null;
}

/**
 * Whether `at` falls in the schedule. A window that crosses midnight (22:00–06:00) belongs to the day
 * it starts on: Monday 22:00–06:00 covers Monday night and the small hours of Tuesday.
 */
export function inSchedule(schedule: RuleSchedule, at: Date): boolean {
  const { isoWeekday, minutes } = localClock(at);
  const from = minutesOf(schedule.from);
  const to = minutesOf(schedule.to);
  const days = new Set(schedule.days);
  if (from < to) return days.has(isoWeekday) && minutes >= from && minutes < to;
  const previous = isoWeekday === 1 ? 7 : isoWeekday - 1;
  return (days.has(isoWeekday) && minutes >= from) || (days.has(previous) && minutes < to);
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

function check(rule: RuleSpec, detection: Detection): RuleCheck {
  const base = {
    ruleId: rule.id,
    ruleName: rule.name,
    scope: rule.cameraId ? ('camera' as const) : ('global' as const),
    action: rule.action,
    priority: rule.priority,
  };
  const fail = (failed: RuleFailure, detail: string): RuleCheck => ({
    ...base,
    matched: false,
    failed,
    detail,
  });
  if (detection.label !== rule.label) {
    return fail('label', `etiqueta «${detection.label ?? '(ninguna)'}» ≠ «${rule.label}»`);
  }
  if (rule.zones.length > 0 && !rule.zones.some((z) => detection.zones.includes(z))) {
    const seen = detection.zones.length ? detection.zones.join(', ') : '(ninguna)';
    return fail('zone', `zonas del objeto: ${seen}; la regla exige alguna de: ${rule.zones.join(', ')}`);
  }
  if ((detection.score ?? 0) < rule.minScore) {
    return fail(
      'score',
      `puntaje ${detection.score === null ? '(sin puntaje)' : pct(detection.score)} < mínimo ${pct(rule.minScore)}`,
    );
  }
  if (rule.schedule && !inSchedule(rule.schedule, detection.at)) {
    const s = rule.schedule;
    return fail(
      'schedule',
      `fuera del horario (días ${s.days.join(',')} de ${s.from} a ${s.to}, hora de El Salvador)`,
    );
  }
  const zones = rule.zones.length
    ? `zona ${rule.zones.filter((z) => detection.zones.includes(z)).join(', ')}`
    : 'cualquier zona';
  return {
    ...base,
    matched: true,
    failed: null,
    detail: `cumple: ${rule.label}, ${zones}, puntaje ${pct(detection.score ?? 0)} ≥ ${pct(rule.minScore)}${rule.schedule ? ', dentro del horario' : ''}`,
  };
}

const STRENGTH: Record<RuleAction, number> = { create_incident: 2, attach_nearby: 2, alert_only: 1 };

export function evaluateRules(rules: RuleSpec[], detection: Detection): Evaluation {
  const checks = rules.map((rule) => ({ rule, check: check(rule, detection) }));
  const matched = checks.filter((c) => c.check.matched);
  const cameraMatches = matched.filter((c) => c.rule.cameraId !== null);
  const group = cameraMatches.length > 0 ? cameraMatches : matched;
  const best = [...group].sort(
    (a, b) =>
      STRENGTH[b.rule.action] - STRENGTH[a.rule.action] ||
      a.rule.priority - b.rule.priority ||
      a.rule.name.localeCompare(b.rule.name),
  )[0];
  const summary = best
    ? `Regla «${best.rule.name}» (${best.check.scope === 'camera' ? 'de la cámara' : 'global'}): ${best.rule.action}; ${best.check.detail}`
    : rules.length === 0
      ? 'Ninguna regla activa para esta cámara: evento ignorado'
      : 'Ninguna regla se cumple: evento ignorado';
  return {
    outcome: best ? best.rule.action : 'ignored',
    rule: best?.rule ?? null,
    checks: checks.map((c) => c.check),
    summary,
  };
}
