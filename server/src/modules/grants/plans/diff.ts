import type { BudgetLine } from './plans.schemas.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ContentChange {
  path: string;
  change: ChangeKind;
  before: unknown;
  after: unknown;
}

export interface BudgetLineChange {
  lineCode: string;
  change: ChangeKind;
  before: BudgetLine | null;
  after: BudgetLine | null;
  fields: string[];
  amountDeltaCents: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Arrays whose items all carry a string `code` are compared by code, others by position. */
function keyedByCode(items: unknown[]): Map<string, unknown> | null {
  const map = new Map<string, unknown>();
  for (const item of items) {
    if (!isObject(item) || typeof item.code !== 'string' || map.has(item.code)) return null;
    map.set(item.code, item);
  }
  return map;
}

/**
 * Field-level differences between two JSON values. Paths read like `indicators[IND-1].target`
 * (items with a code) or `beneficiaries.groups[2]` (items by position).
 */
export function diffContent(before: unknown, after: unknown, path = ''): ContentChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === undefined) return [{ path, change: 'added', before: null, after }];
  if (after === undefined) return [{ path, change: 'removed', before, after: null }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffContent(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = keyedByCode(before);
    const b = keyedByCode(after);
    if (a && b) {
      const codes = [...new Set([...a.keys(), ...b.keys()])];
      return codes.flatMap((code) => diffContent(a.get(code), b.get(code), `${path}[${code}]`));
    }
    const n = Math.max(before.length, after.length);
    const changes: ContentChange[] = [];
    for (let i = 0; i < n; i++) changes.push(...diffContent(before[i], after[i], `${path}[${i}]`));
    return changes;
  }
  return [{ path, change: 'changed', before, after }];
}

const LINE_FIELDS: (keyof BudgetLine)[] = ['description', 'fundingSource', 'budgetSpecific', 'amountCents'];

/** Budget lines compared by line code: added, removed, or changed (with the fields that changed). */
export function diffBudgetLines(before: BudgetLine[], after: BudgetLine[]): BudgetLineChange[] {
  const a = new Map(before.map((l) => [l.lineCode, l]));
  const b = new Map(after.map((l) => [l.lineCode, l]));
  const codes = [...new Set([...a.keys(), ...b.keys()])];
  const changes: BudgetLineChange[] = [];
  for (const code of codes) {
    const x = a.get(code) ?? null;
    const y = b.get(code) ?? null;
    if (x && !y)
      changes.push({
        lineCode: code,
        change: 'removed',
        before: x,
        after: null,
        fields: [],
        amountDeltaCents: -x.amountCents,
      });
    else if (!x && y)
      changes.push({
        lineCode: code,
        change: 'added',
        before: null,
        after: y,
        fields: [],
        amountDeltaCents: y.amountCents,
      });
    else if (x && y) {
      const fields = LINE_FIELDS.filter((f) => x[f] !== y[f]);
      if (fields.length > 0)
        changes.push({
          lineCode: code,
          change: 'changed',
          before: x,
          after: y,
          fields,
          amountDeltaCents: y.amountCents - x.amountCents,
        });
    }
  }
  return changes;
}
