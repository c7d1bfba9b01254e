import type { Principal } from '../../../platform/http/principal.js';

/** Where a principal may see records, for one permission: everywhere, or some departments/municipalities. */
export interface TerritoryFilter {
  national: boolean;
  departments: string[];
  municipalities: string[];
}

export function territoryOf(principal: Principal, permission: string): TerritoryFilter {
  const scopes = principal.grants.get(permission) ?? [];
  return {
    national: scopes.some((s) => s.level === 'national'),
    departments: scopes.filter((s) => s.level === 'department' && s.code).map((s) => s.code!),
    municipalities: scopes.filter((s) => s.level === 'municipality' && s.code).map((s) => s.code!),
  };
}

/** JSON columns come back parsed from pg and PGlite; tolerate a string too. */
export function jsonArray(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? safeParse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

export function jsonObject(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? safeParse(value) : value;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** JSON text for a jsonb column; NUL characters (which PostgreSQL refuses in jsonb) are dropped. */
export function toJsonb(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/\\u0000/g, '');
}

export { isUniqueViolation } from '../../../platform/db/errors.js';
