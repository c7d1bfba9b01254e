import type { Db } from '../../platform/db/database.js';

/** Roles held by people outside the ministry (their users are not ministry employees). */
export const EXTERNAL_ROLES: readonly string[] = ['ngo_staff'];

export interface DirectoryMatch {
  userId: string;
  displayName: string;
  dui: string;
  roles: string[];
}

/**
 * Ministry employees (active users holding at least one active role other than the external ones)
 * whose DUI is one of `duis` (canonical form). Used for conflict-of-interest checks.
 */
export async function findEmployeesByDui(db: Db, duis: readonly string[]): Promise<DirectoryMatch[]> {
  if (duis.length === 0) return [];
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('role_assignments as ra', 'ra.user_id', 'u.id')
    .select(['u.id', 'u.display_name', 'u.dui', 'ra.role_code'])
    .where('u.dui', 'in', [...new Set(duis)])
    .where('u.active', '=', true)
    .where('ra.revoked_at', 'is', null)
    .where('ra.role_code', 'not in', [...EXTERNAL_ROLES])
    .orderBy('u.id')
    .execute();
  const byUser = new Map<string, DirectoryMatch>();
  for (const row of rows) {
    const match = byUser.get(row.id) ?? {
      userId: row.id,
      displayName: row.display_name,
      dui: row.dui!,
      roles: [],
    };
    if (!match.roles.includes(row.role_code)) match.roles.push(row.role_code);
    byUser.set(row.id, match);
  }
  return [...byUser.values()];
}

export interface DirectoryUser {
  userId: string;
  displayName: string;
  active: boolean;
  roles: string[];
}

/** A user of the directory with its active roles, or null when it does not exist. */
export async function findDirectoryUser(db: Db, userId: string): Promise<DirectoryUser | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  const roles = await db
    .selectFrom('role_assignments')
    .select('role_code')
    .distinct()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  return {
    userId: user.id,
    displayName: user.display_name,
    active: user.active,
    roles: roles.map((r) => r.role_code),
  };
}

/** Display names of users (missing ids are left out). */
export async function userDisplayNames(db: Db, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
