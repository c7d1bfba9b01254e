import { api, unwrap } from '../../api';
import type { Locale } from '../../i18n';
import type { Answers, ClosureCode, IncidentType } from './types';

/** Lower case without accents, so "robo vehiculo" finds "Robo de vehículo". */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

const typeCache = new Map<Locale, Promise<IncidentType[]>>();

/** The incident type catalogue in `locale` (names and questions are translated by the server), cached. */
export function loadIncidentTypes(locale: Locale): Promise<IncidentType[]> {
  let cached = typeCache.get(locale);
  if (!cached) {
    cached = unwrap(api.GET('/api/v1/incident-types', { headers: { 'accept-language': locale } })).then(
      (answer) => answer.items,
    );
    cached.catch(() => typeCache.delete(locale));
    typeCache.set(locale, cached);
  }
  return cached;
}

const closureCache = new Map<Locale, Promise<ClosureCode[]>>();

export function loadClosureCodes(locale: Locale): Promise<ClosureCode[]> {
  let cached = closureCache.get(locale);
  if (!cached) {
    cached = unwrap(api.GET('/api/v1/closure-codes', { headers: { 'accept-language': locale } })).then(
      (answer) => answer.items,
    );
    cached.catch(() => closureCache.delete(locale));
    closureCache.set(locale, cached);
  }
  return cached;
}

export function familyOf(code: string): string {
  return code.split('.')[0] ?? code;
}

/** "Familia › Tipo" (or just the family for a family code). */
export function typePath(types: readonly IncidentType[], code: string | null | undefined): string {
  if (!code) return '';
  const type = types.find((t) => t.code === code);
  if (!type) return code;
  const parent = type.parentCode ? types.find((t) => t.code === type.parentCode) : undefined;
  return parent ? `${parent.name} › ${type.name}` : type.name;
}

export interface TypeOption {
  type: IncidentType;
  familyName: string;
  /** "Familia › Tipo" */
  label: string;
}

/** Every selectable type with its family, in catalogue order (families before their types). */
export function typeOptions(types: readonly IncidentType[]): TypeOption[] {
  const names = new Map(types.map((t) => [t.code, t.name]));
  return types.map((type) => {
    const familyName = names.get(type.family) ?? type.family;
    return { type, familyName, label: type.parentCode ? `${familyName} › ${type.name}` : type.name };
  });
}

/**
 * Types matching every word of `query` in their name, family name, keywords or code. Ranked: name
 * starts with the query, then a word of the name starts with it, then keyword/family matches; specific
 * types before whole families.
 */
export function searchTypes(options: readonly TypeOption[], query: string, limit = 12): TypeOption[] {
  const q = normalize(query);
  if (!q) return options.filter((o) => o.type.parentCode).slice(0, limit);
  const words = q.split(/\s+/).filter(Boolean);
  const scored: { option: TypeOption; score: number; index: number }[] = [];
  options.forEach((option, index) => {
    const name = normalize(option.type.name);
    const haystack = `${name} ${normalize(option.familyName)} ${normalize(option.type.keywords)} ${normalize(
      option.type.code.replace(/[._]/g, ' '),
    )}`;
    if (!words.every((w) => haystack.includes(w))) return;
    let score = 3;
    if (name.startsWith(q)) score = 0;
    else if (name.split(/\s+/).some((w) => w.startsWith(words[0] ?? ''))) score = 1;
    else if (name.includes(words[0] ?? '')) score = 2;
    if (!option.type.parentCode) score += 0.5;
    scored.push({ option, score, index });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .slice(0, limit)
    .map((s) => s.option);
}

/**
 * The suggested priority: the type's default, raised (to a lower number) by every "yes" answer whose
 * question says so. Same rule as the server (suggestPriority in server/src/modules/emergencies/catalog.ts).
 */
export function suggestPriority(
  type: Pick<IncidentType, 'defaultPriority' | 'questions'>,
  answers: Answers,
): number {
  let priority = type.defaultPriority;
  for (const q of type.questions) {
    if (answers[q.code] === true) priority = Math.min(priority, q.priorityIfYes);
  }
  return priority;
}
