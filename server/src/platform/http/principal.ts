/** Territorial or unit scope of a role assignment. `national` covers everything. */
export type ScopeLevel = 'national' | 'department' | 'municipality' | 'unit';

export interface Scope {
  level: ScopeLevel;
  /** ISO department code (SV-SS), municipality pcode (SV10001) or unit id; null for national. */
  code: string | null;
}

/** Where a resource lives, for scope checks. */
export interface ScopeTarget {
  department?: string | null;
  municipality?: string | null;
  unit?: string | null;
}

/** An authenticated caller: a user session or an API key. */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  name: string;
  sessionId: string | null;
  roles: string[];
  /** permission → scopes in which it is granted */
  grants: ReadonlyMap<string, readonly Scope[]>;
}

export function hasPermission(principal: Principal | null | undefined, permission: string): boolean {
  return !!principal && (principal.grants.get(permission)?.length ?? 0) > 0;
}

export function scopeCovers(scope: Scope, target: ScopeTarget): boolean {
  switch (scope.level) {
    case 'national':
      return true;
    case 'department':
      return !!target.department && target.department === scope.code;
    case 'municipality':
      return !!target.municipality && target.municipality === scope.code;
    case 'unit':
      return !!target.unit && target.unit === scope.code;
  }
}

/** True when the principal holds `permission` in a scope that covers `target`. */
export function canInScope(
  principal: Principal | null | undefined,
  permission: string,
  target: ScopeTarget,
): boolean {
  const scopes = principal?.grants.get(permission);
  return !!scopes && scopes.some((s) => scopeCovers(s, target));
}

/** True when the principal holds `permission` nationally (no territorial restriction). */
export function hasNationalPermission(principal: Principal | null | undefined, permission: string): boolean {
  return !!principal?.grants.get(permission)?.some((s) => s.level === 'national');
}
