import type { Db } from '../../platform/db/database.js';
import { permissionsOfRole } from '../../platform/http/permissions.js';
import type { Scope } from '../../platform/http/principal.js';

export interface ActiveAssignment {
  role_code: string;
  scope_level: Scope['level'];
  scope_code: string | null;
}

export async function activeAssignments(db: Db, userId: string): Promise<ActiveAssignment[]> {
  return db
    .selectFrom('role_assignments')
    .select(['role_code', 'scope_level', 'scope_code'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Expands scoped role assignments into permission → scopes. */
export function grantsFromAssignments(assignments: ActiveAssignment[]): Map<string, Scope[]> {
  const grants = new Map<string, Scope[]>();
  for (const a of assignments) {
    for (const permission of permissionsOfRole(a.role_code)) {
      const scopes = grants.get(permission) ?? [];
      scopes.push({ level: a.scope_level, code: a.scope_code });
      grants.set(permission, scopes);
    }
  }
  return grants;
}
