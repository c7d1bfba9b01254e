import { type RawBuilder, sql } from 'kysely';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { Locator } from '../incidents/incidents.deps.js';
import { KPI_PERMISSIONS } from './kpis.policy.js';

/** Filters a KPI request may put on incidents (all optional, combined with AND). */
export interface IncidentFilters {
  department?: string | undefined;
  municipality?: string | undefined;
  priority?: number | undefined;
  /** An incident type code or a family code (as the incident list does). */
  type?: string | undefined;
  channel?: string | undefined;
}

/** The territory a reader's grants of `kpi.read` cover. Unit-level grants cover no territory. */
export interface KpiScope {
  national: boolean;
  departments: string[];
  municipalities: string[];
}

export function kpiScope(principal: Principal): KpiScope {
  const scopes = principal.grants.get(KPI_PERMISSIONS.read) ?? [];
  return {
    national: scopes.some((s) => s.level === 'national'),
    departments: [...new Set(scopes.filter((s) => s.level === 'department' && s.code).map((s) => s.code!))],
    municipalities: [
      ...new Set(scopes.filter((s) => s.level === 'municipality' && s.code).map((s) => s.code!)),
    ],
  };
}

/**
 * A department or municipality asked for explicitly must overlap the reader's territory: asking for
 * another department is refused (403) rather than answered with silent zeros. A municipality-scoped
 * reader may ask for its department (and sees only its municipalities in it).
 */
export function checkRequestedTerritory(scope: KpiScope, filters: IncidentFilters, locator: Locator): void {
  if (scope.national) return;
  const { department, municipality } = filters;
  if (municipality) {
    const parent = locator.departmentOfMunicipality(municipality);
    const covered =
      scope.municipalities.includes(municipality) || (parent !== null && scope.departments.includes(parent));
    if (!covered) throw new AppError('KPI_TERRITORY_OUT_OF_SCOPE', 403, { territory: municipality });
  }
  if (department) {
    const covered =
      scope.departments.includes(department) ||
      scope.municipalities.some((m) => locator.departmentOfMunicipality(m) === department);
    if (!covered) throw new AppError('KPI_TERRITORY_OUT_OF_SCOPE', 403, { territory: department });
  }
}

const col = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/** `alias` rows (department_code, municipality_pcode) inside the reader's territory. */
export function territoryCondition(scope: KpiScope, alias: string): RawBuilder<unknown> {
  if (scope.national) return sql`TRUE`;
  const ors: RawBuilder<unknown>[] = [];
  if (scope.departments.length) {
    ors.push(sql`${col(alias, 'department_code')} IN (${sql.join(scope.departments)})`);
  }
  if (scope.municipalities.length) {
    ors.push(sql`${col(alias, 'municipality_pcode')} IN (${sql.join(scope.municipalities)})`);
  }
  return ors.length ? sql`(${sql.join(ors, sql` OR `)})` : sql`FALSE`;
}

/** Territory filters only (units have no priority, type or channel). */
export function territoryFilters(filters: IncidentFilters, alias: string): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  if (filters.department) out.push(sql`${col(alias, 'department_code')} = ${filters.department}`);
  if (filters.municipality) out.push(sql`${col(alias, 'municipality_pcode')} = ${filters.municipality}`);
  return out;
}

/** Conditions on rows carrying an incident's columns (incidents or the KPI views). */
export function incidentFilterConditions(filters: IncidentFilters, alias: string): RawBuilder<unknown>[] {
  const out = territoryFilters(filters, alias);
  if (filters.priority !== undefined) out.push(sql`${col(alias, 'priority')} = ${filters.priority}`);
  if (filters.type) {
    out.push(
      sql`(${col(alias, 'type_code')} = ${filters.type} OR ${col(alias, 'family')} = ${filters.type})`,
    );
  }
  if (filters.channel) out.push(sql`${col(alias, 'channel')} = ${filters.channel}`);
  return out;
}

/** `a AND b AND …` (TRUE when empty). */
export function allOf(conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return conditions.length ? sql.join(conditions, sql` AND `) : sql`TRUE`;
}

/** [from, to) on a timestamp column. */
export function periodCondition(alias: string, column: string, from: Date, to: Date): RawBuilder<unknown> {
  return sql`${col(alias, column)} >= ${from} AND ${col(alias, column)} < ${to}`;
}
