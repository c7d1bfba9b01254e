import type { Principal } from '../../platform/http/principal.js';
import { activeAssignments } from './grants.js';
import type { IdentityDeps } from './identity.deps.js';
import type { Me } from './identity.schemas.js';
import { findUserById } from './users.repo.js';

/** The caller, with the roles and permissions in force for this session. */
export async function describeMe(deps: IdentityDeps, principal: Principal): Promise<Me> {
  const user = await findUserById(deps.db, principal.id);
  if (!user) throw new Error(`principal ${principal.id} has no user row`);
  const inForce = new Set(principal.roles);
  const assignments = (await activeAssignments(deps.db, user.id)).filter((a) => inForce.has(a.role_code));
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    roles: assignments.map((a) => ({
      role: a.role_code,
      scope: { level: a.scope_level, code: a.scope_code },
    })),
    permissions: [...principal.grants.keys()].sort(),
    mfaEnabled: user.mfa_enabled_at !== null,
    mustChangePassword: user.must_change_password,
  };
}
