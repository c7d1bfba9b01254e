import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/http/errors.js';
import { permissionsOfRole } from '../../platform/http/permissions.js';
import type { Principal, Scope } from '../../platform/http/principal.js';
import type { IdentityDeps } from './identity.deps.js';
import { IDENTITY_PERMISSIONS } from './identity.policy.js';
import { ROLES } from './roles.js';
import { scopeProblem, scopesCover } from './scopes.js';
import { lockUserById } from './users.repo.js';
import type { RoleAssign, RoleCatalogue, RoleScopeChange, UserRole } from './users.schemas.js';

export function listRoles(): RoleCatalogue {
  return {
    items: ROLES.map((r) => ({
      code: r.code,
      nameEs: r.nameEs,
      nameEn: r.nameEn,
      mfaRequired: r.mfaRequired,
      permissions: [...permissionsOfRole(r.code)].sort(),
    })),
  };
}

export function assertValidScope(scope: Scope): void {
  const problem = scopeProblem(scope);
  if (problem)
    throw new AppError(problem, 400, { code: scope.code ?? '' }, [{ field: 'scope', code: problem }]);
}

/** The granter must hold identity.roles.assign in a scope that covers the assignment's scope. */
function assertGranterCovers(principal: Principal, scope: Scope): void {
  if (!scopesCover(principal.grants.get(IDENTITY_PERMISSIONS.rolesAssign), scope)) {
    throw new AppError('OUT_OF_SCOPE', 403);
  }
}

/**
 * Grants a role in a scope. Segregation of duties: nobody grants a role to themselves. Granting a
 * role that requires MFA takes effect in the user's sessions only after an MFA-verified login.
 */
export async function assignRole(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  userId: string,
  input: RoleAssign,
): Promise<UserRole> {
  if (principal.id === userId) throw new AppError('SELF_ROLE_GRANT_FORBIDDEN', 403);
  if (!ROLES.some((r) => r.code === input.role))
    throw new AppError('ROLE_UNKNOWN', 400, { role: input.role });
  const scope: Scope = { level: input.scope.level, code: input.scope.code };
  assertValidScope(scope);
  assertGranterCovers(principal, scope);
  return deps.tx(ctx, async (uow) => {
    const user = await lockUserById(uow.db, userId);
    if (!user) throw new AppError('USER_NOT_FOUND', 404);
    if (!user.active) throw new AppError('USER_INACTIVE', 409);
    let duplicate = uow.db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', userId)
      .where('role_code', '=', input.role)
      .where('scope_level', '=', scope.level)
      .where('revoked_at', 'is', null);
    duplicate =
      scope.code === null
        ? duplicate.where('scope_code', 'is', null)
        : duplicate.where('scope_code', '=', scope.code);
    if (await duplicate.executeTakeFirst()) throw new AppError('ROLE_ALREADY_ASSIGNED', 409);
    const id = randomUUID();
    await uow.db
      .insertInto('role_assignments')
      .values({
        id,
        user_id: userId,
        role_code: input.role,
        scope_level: scope.level,
        scope_code: scope.code,
        granted_by: principal.kind === 'user' ? principal.id : null,
        granted_at: uow.now,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    uow.audit({
      action: 'identity.role.assigned',
      entityType: 'user',
      entityId: userId,
      changes: { assignmentId: id, username: user.username, role: input.role, scope },
      reason: input.reason ?? null,
    });
    uow.emit({
      type: 'identity.role.assigned',
      entityType: 'user',
      entityId: userId,
      payload: { userId, assignmentId: id, role: input.role, scope },
      permission: IDENTITY_PERMISSIONS.usersRead,
    });
    return {
      id,
      role: input.role,
      scope,
      grantedAt: uow.now.toISOString(),
      grantedBy: principal.kind === 'user' ? principal.id : null,
    };
  });
}

/** Revokes one assignment (with a reason). It stops granting anything on the next request. */
export async function revokeRole(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  userId: string,
  assignmentId: string,
  reason: string,
): Promise<void> {
  await deps.tx(ctx, async (uow) => {
    const row = await uow.db
      .selectFrom('role_assignments')
      .selectAll()
      .where('id', '=', assignmentId)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('ROLE_ASSIGNMENT_NOT_FOUND', 404);
    if (row.revoked_at) throw new AppError('ROLE_ASSIGNMENT_ALREADY_REVOKED', 409);
    const scope: Scope = { level: row.scope_level, code: row.scope_code };
    assertGranterCovers(principal, scope);
    await uow.db
      .updateTable('role_assignments')
      .set({ revoked_at: uow.now, revoked_by: principal.kind === 'user' ? principal.id : null })
      .where('id', '=', assignmentId)
      .execute();
    uow.audit({
      action: 'identity.role.revoked',
      entityType: 'user',
      entityId: userId,
      reason,
      changes: { assignmentId, role: row.role_code, scope },
    });
    uow.emit({
      type: 'identity.role.revoked',
      entityType: 'user',
      entityId: userId,
      payload: { userId, assignmentId, role: row.role_code, scope },
      permission: IDENTITY_PERMISSIONS.usersRead,
    });
  });
}

/**
 * Moves one assignment to another scope (e.g. a dispatcher transferred to another department), in one
 * transaction: the old assignment is revoked and a new one granted, both audited with the reason.
 * The granter must cover both scopes; nobody changes their own assignments.
 */
export async function changeRoleScope(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  userId: string,
  assignmentId: string,
  input: RoleScopeChange,
): Promise<UserRole> {
  if (principal.id === userId) throw new AppError('SELF_ROLE_GRANT_FORBIDDEN', 403);
  const scope: Scope = { level: input.scope.level, code: input.scope.code };
  assertValidScope(scope);
  assertGranterCovers(principal, scope);
  return deps.tx(ctx, async (uow) => {
    const user = await lockUserById(uow.db, userId);
    if (!user) throw new AppError('USER_NOT_FOUND', 404);
    if (!user.active) throw new AppError('USER_INACTIVE', 409);
    const row = await uow.db
      .selectFrom('role_assignments')
      .selectAll()
      .where('id', '=', assignmentId)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('ROLE_ASSIGNMENT_NOT_FOUND', 404);
    if (row.revoked_at) throw new AppError('ROLE_ASSIGNMENT_ALREADY_REVOKED', 409);
    const before: Scope = { level: row.scope_level, code: row.scope_code };
    assertGranterCovers(principal, before);
    if (before.level === scope.level && before.code === scope.code)
      throw new AppError('ROLE_SCOPE_UNCHANGED', 409);
    let duplicate = uow.db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', userId)
      .where('role_code', '=', row.role_code)
      .where('scope_level', '=', scope.level)
      .where('revoked_at', 'is', null);
    duplicate =
      scope.code === null
        ? duplicate.where('scope_code', 'is', null)
        : duplicate.where('scope_code', '=', scope.code);
    if (await duplicate.executeTakeFirst()) throw new AppError('ROLE_ALREADY_ASSIGNED', 409);
    const granter = principal.kind === 'user' ? principal.id : null;
    await uow.db
      .updateTable('role_assignments')
      .set({ revoked_at: uow.now, revoked_by: granter })
      .where('id', '=', assignmentId)
      .execute();
    const id = randomUUID();
    await uow.db
      .insertInto('role_assignments')
      .values({
        id,
        user_id: userId,
        role_code: row.role_code,
        scope_level: scope.level,
        scope_code: scope.code,
        granted_by: granter,
        granted_at: uow.now,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    uow.audit({
      action: 'identity.role.scope_changed',
      entityType: 'user',
      entityId: userId,
      reason: input.reason,
      changes: {
        username: user.username,
        role: row.role_code,
        assignmentId: { before: assignmentId, after: id },
        scope: { before, after: scope },
      },
    });
    uow.emit({
      type: 'identity.role.revoked',
      entityType: 'user',
      entityId: userId,
      payload: { userId, assignmentId, role: row.role_code, scope: before },
      permission: IDENTITY_PERMISSIONS.usersRead,
    });
    uow.emit({
      type: 'identity.role.assigned',
      entityType: 'user',
      entityId: userId,
      payload: { userId, assignmentId: id, role: row.role_code, scope },
      permission: IDENTITY_PERMISSIONS.usersRead,
    });
    return { id, role: row.role_code, scope, grantedAt: uow.now.toISOString(), grantedBy: granter };
  });
}
