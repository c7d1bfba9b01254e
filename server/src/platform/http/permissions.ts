/**
 * Permission catalogue. Each module declares its permissions and which roles hold them (its policy);
 * the identity module turns a user's scoped role assignments into grants from this catalogue.
 */
export interface PermissionDefinition {
  code: string;
  description: string;
}

const permissions = new Map<string, PermissionDefinition & { module: string }>();
const roleGrants = new Map<string, Set<string>>();

export function definePolicy(
  module: string,
  policy: { permissions: PermissionDefinition[]; roles: Record<string, string[]> },
): void {
  for (const p of policy.permissions) permissions.set(p.code, { ...p, module });
  for (const [role, codes] of Object.entries(policy.roles)) {
    for (const code of codes) {
      if (!permissions.has(code)) throw new Error(`política ${module}: permiso desconocido ${code}`);
      const set = roleGrants.get(role) ?? new Set<string>();
      set.add(code);
      roleGrants.set(role, set);
    }
  }
}

export function permissionsOfRole(role: string): ReadonlySet<string> {
  return roleGrants.get(role) ?? new Set();
}

export function allPermissions(): (PermissionDefinition & { module: string })[] {
  return [...permissions.values()];
}

export function isKnownPermission(code: string): boolean {
  return permissions.has(code);
}
