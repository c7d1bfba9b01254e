import type { Db } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/http/errors.js';
import { canInScope, type Principal } from '../../../platform/http/principal.js';

export interface IncidentLocationScope {
  id: string;
  department_code: string | null;
  municipality_pcode: string | null;
}

/** Units named in the principal's unit-scoped grants of `permission`. */
export function unitScopes(principal: Principal, permission: string): string[] {
  return (principal.grants.get(permission) ?? [])
    .filter((s) => s.level === 'unit' && s.code)
    .map((s) => s.code!);
}

/**
 * A principal may act on an incident when it holds the permission in a territorial scope covering
 * the incident, or in the scope of a unit currently assigned to it (field officers).
 */
export async function canAccessIncident(
  db: Db,
  principal: Principal,
  permission: string,
  incident: IncidentLocationScope,
): Promise<boolean> {
  if (
    canInScope(principal, permission, {
      department: incident.department_code,
      municipality: incident.municipality_pcode,
    })
  ) {
    return true;
  }
  if (!principal.grants.has(permission)) return false;
  const units = unitScopes(principal, permission);
  // Unit scope, or crew membership: an officer acts on the incidents their unit is assigned to.
  const row = await db
    .selectFrom('incident_assignments as a')
    .select('a.id')
    .where('a.incident_id', '=', incident.id)
    .where('a.released_at', 'is', null)
    .where((eb) => {
      const ors = [];
      if (units.length) ors.push(eb('a.unit_id', 'in', units));
      if (principal.kind === 'user') {
        ors.push(
          eb.exists(
            eb
              .selectFrom('unit_crew as c')
              .select('c.id')
              .whereRef('c.unit_id', '=', 'a.unit_id')
              .where('c.user_id', '=', principal.id)
              .where('c.to_at', 'is', null),
          ),
        );
      }
      return ors.length ? eb.or(ors) : eb.val(false);
    })
    .executeTakeFirst();
  return !!row;
}

export async function assertCanAccessIncident(
  db: Db,
  principal: Principal,
  permission: string,
  incident: IncidentLocationScope,
): Promise<void> {
  if (!(await canAccessIncident(db, principal, permission, incident))) {
    throw new AppError('OUT_OF_SCOPE', 403, { permission });
  }
}
