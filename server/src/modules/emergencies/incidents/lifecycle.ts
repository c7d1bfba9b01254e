import { TRANSITIONS } from '../catalog.js';

export interface TransitionRule {
  action: string;
  from: string;
  to: string;
  requiresReason: boolean;
}

/** Index of the transition table: action → from-status → rule. Pure, unit-tested. */
const rules = new Map<string, Map<string, TransitionRule>>();
for (const t of TRANSITIONS) {
  const byFrom = rules.get(t.action) ?? new Map<string, TransitionRule>();
  for (const from of t.from) {
    byFrom.set(from, { action: t.action, from, to: t.to, requiresReason: t.requiresReason ?? false });
  }
  rules.set(t.action, byFrom);
}

export function findTransition(action: string, from: string): TransitionRule | undefined {
  return rules.get(action)?.get(from);
}

export function allowedActions(from: string): string[] {
  return [...rules.entries()].filter(([, byFrom]) => byFrom.has(from)).map(([action]) => action);
}
