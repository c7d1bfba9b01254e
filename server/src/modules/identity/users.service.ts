import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { auditPersonalDataRead } from '../../platform/audit/personal-data.js';
import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/database.js';
import type { UnitOfWork } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import { revokeApiKeysIssuedBy } from './api-keys.service.js';
import { normalizeDui } from './dui.js';
import type { IdentityDeps } from './identity.deps.js';
import { IDENTITY_PERMISSIONS } from './identity.policy.js';
import { passwordPolicyError } from './password.service.js';
import { hashPassword, passwordPolicyViolations } from './passwords.js';
import { revokeSessions } from './sessions.service.js';
import { findUserById, findUserByUsername, lockUserById, type UserRow } from './users.repo.js';
import type {
  User,
  UserCreate,
  UserDetail,
  UserList,
  UserListQuery,
  UserRole,
  UserUpdate,
} from './users.schemas.js';

async function rolesOf(db: Db, userIds: string[]): Promise<Map<string, UserRole[]>> {
  const byUser = new Map<string, UserRole[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('role_assignments')
    .selectAll()
    .where('user_id', 'in', userIds)
    .where('revoked_at', 'is', null)
    .orderBy('granted_at')
    .execute();
  for (const r of rows) {
    const list = byUser.get(r.user_id) ?? [];
    list.push({
      id: r.id,
      role: r.role_code,
      scope: { level: r.scope_level, code: r.scope_code },
      grantedAt: r.granted_at.toISOString(),
      grantedBy: r.granted_by,
    });
    byUser.set(r.user_id, list);
  }
  return byUser;
}

function toUser(row: UserRow, roles: UserRole[]): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    active: row.active,
    mustChangePassword: row.must_change_password,
    mfaEnabled: row.mfa_enabled_at !== null,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deactivatedAt: row.deactivated_at?.toISOString() ?? null,
    roles,
  };
}

async function detailOf(db: Db, row: UserRow): Promise<UserDetail> {
  const roles = (await rolesOf(db, [row.id])).get(row.id) ?? [];
  return { ...toUser(row, roles), dui: row.dui };
}

/** Personal data (the DUI) is never copied into the immutable audit log; only whether it is set. */
function auditView(row: Pick<UserRow, 'username' | 'display_name' | 'email' | 'dui' | 'active'>) {
  return {
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    duiSet: row.dui !== null,
    active: row.active,
  };
}

function parseDui(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const dui = normalizeDui(value);
  if (!dui) throw new AppError('DUI_INVALID', 400, {}, [{ field: 'dui', code: 'DUI_INVALID' }]);
  return dui;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listUsers(deps: IdentityDeps, query: UserListQuery): Promise<UserList> {
  let base = deps.db.selectFrom('users');
  if (query.active !== undefined) base = base.where('active', '=', query.active);
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    base = base.where((eb) =>
      eb.or([
        eb('username', 'ilike', pattern),
        eb('display_name', 'ilike', pattern),
        eb('email', 'ilike', pattern),
      ]),
    );
  }
  if (query.role) {
    const role = query.role;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('role_assignments')
          .select(sql`1`.as('one'))
          .whereRef('role_assignments.user_id', '=', 'users.id')
          .where('role_assignments.role_code', '=', role)
          .where('role_assignments.revoked_at', 'is', null),
      ),
    );
  }
  const [rows, count] = await Promise.all([
    base.selectAll('users').orderBy('username').limit(query.limit).offset(query.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const roles = await rolesOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toUser(r, roles.get(r.id) ?? [])), total: Number(count.n) };
}

/** One user with personal data (DUI, e-mail); reading them is audited before they are returned. */
export async function getUser(deps: IdentityDeps, ctx: RequestContext, userId: string): Promise<UserDetail> {
  const row = await findUserById(deps.db, userId);
  if (!row) throw new AppError('USER_NOT_FOUND', 404);
  const fields = [row.dui !== null && 'dui', row.email !== null && 'email'].filter((f): f is string => !!f);
  if (fields.length > 0) {
    await auditPersonalDataRead(deps, ctx, {
      entityType: 'user',
      entityId: userId,
      fields,
      purpose: 'identity.user.read',
    });
  }
  return detailOf(deps.db, row);
}

async function assertUnique(
  db: Db,
  fields: { username?: string; dui?: string | null },
  exceptId: string | null,
): Promise<void> {
  if (fields.username) {
    const taken = await findUserByUsername(db, fields.username);
    if (taken && taken.id !== exceptId) throw new AppError('USERNAME_TAKEN', 409);
  }
  if (fields.dui) {
    const taken = await db.selectFrom('users').select('id').where('dui', '=', fields.dui).executeTakeFirst();
    if (taken && taken.id !== exceptId) throw new AppError('DUI_TAKEN', 409);
  }
}

/** A unique index can still fire when two requests race past assertUnique. */
function mapUniqueViolation(error: unknown): never {
  const e = error as { code?: string; message?: string; constraint?: string };
  if (e.code === '23505') {
    const what = `${e.constraint ?? ''} ${e.message ?? ''}`;
    if (what.includes('users_dui_key')) throw new AppError('DUI_TAKEN', 409);
    if (what.includes('users_username_key')) throw new AppError('USERNAME_TAKEN', 409);
  }
  throw error;
}

/** Creates a user with an initial password that must be changed at first login. No roles yet. */
export async function createUser(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: UserCreate,
): Promise<UserDetail> {
  const dui = parseDui(input.dui);
  const violations = passwordPolicyViolations(input.password, input.username);
  if (violations.length > 0) throw passwordPolicyError(violations, 'password', ctx.locale);
  await assertUnique(deps.db, { username: input.username, dui }, null);
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  try {
    await deps.tx(ctx, async (uow) => {
      const values = {
        id,
        username: input.username,
        display_name: input.displayName.trim(),
        email: input.email ?? null,
        dui,
        active: true,
        password_hash: passwordHash,
        password_changed_at: uow.now,
        must_change_password: true,
        locked_until: null,
        mfa_secret_enc: null,
        mfa_enabled_at: null,
        created_at: uow.now,
        updated_at: uow.now,
        deactivated_at: null,
      };
      await uow.db.insertInto('users').values(values).execute();
      uow.audit({
        action: 'identity.user.created',
        entityType: 'user',
        entityId: id,
        after: auditView(values),
      });
      uow.emit({
        type: 'identity.user.created',
        entityType: 'user',
        entityId: id,
        payload: { userId: id, username: input.username },
        permission: IDENTITY_PERMISSIONS.usersRead,
      });
    });
  } catch (error) {
    mapUniqueViolation(error);
  }
  return detailOf(deps.db, (await findUserById(deps.db, id))!);
}

export async function updateUser(
  deps: IdentityDeps,
  ctx: RequestContext,
  userId: string,
  input: UserUpdate,
): Promise<UserDetail> {
  const patch: { display_name?: string; email?: string | null; dui?: string | null } = {};
  if (input.displayName !== undefined) patch.display_name = input.displayName.trim();
  if (input.email !== undefined) patch.email = input.email;
  if (input.dui !== undefined) patch.dui = parseDui(input.dui);
  await assertUnique(deps.db, { dui: patch.dui ?? null }, userId);
  try {
    await deps.tx(ctx, async (uow) => {
      const before = await lockUserById(uow.db, userId);
      if (!before) throw new AppError('USER_NOT_FOUND', 404);
      const after = await uow.db
        .updateTable('users')
        .set({ ...patch, updated_at: uow.now })
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow();
      uow.audit({
        action: 'identity.user.updated',
        entityType: 'user',
        entityId: userId,
        before: auditView(before),
        after: { ...auditView(after), duiChanged: before.dui !== after.dui },
      });
      uow.emit({
        type: 'identity.user.updated',
        entityType: 'user',
        entityId: userId,
        payload: { userId },
        permission: IDENTITY_PERMISSIONS.usersRead,
      });
    });
  } catch (error) {
    mapUniqueViolation(error);
  }
  return detailOf(deps.db, (await findUserById(deps.db, userId))!);
}

async function setActive(
  uow: UnitOfWork,
  userId: string,
  active: boolean,
  reason: string | null,
): Promise<UserRow> {
  const before = await lockUserById(uow.db, userId);
  if (!before) throw new AppError('USER_NOT_FOUND', 404);
  if (before.active === active)
    throw new AppError(active ? 'USER_ALREADY_ACTIVE' : 'USER_ALREADY_INACTIVE', 409);
  const after = await uow.db
    .updateTable('users')
    .set(
      active
        ? { active, deactivated_at: null, failed_logins: 0, locked_until: null, updated_at: uow.now }
        : { active, deactivated_at: uow.now, updated_at: uow.now },
    )
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const action = active ? 'identity.user.reactivated' : 'identity.user.deactivated';
  uow.audit({
    action,
    entityType: 'user',
    entityId: userId,
    reason,
    changes: { username: before.username, active },
  });
  uow.emit({
    type: action,
    entityType: 'user',
    entityId: userId,
    payload: { userId, active },
    permission: IDENTITY_PERMISSIONS.usersRead,
  });
  return after;
}

/**
 * Users are never deleted: deactivation blocks login and ends every session at once (one
 * transaction). The API keys the user issued belong to devices and integrations that keep working
 * after their issuer leaves, so they are revoked only when asked (`revokeApiKeys`), e.g. when the
 * person may have kept copies of the secrets.
 */
export async function deactivateUser(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  userId: string,
  reason: string,
  options: { revokeApiKeys?: boolean } = {},
): Promise<UserDetail> {
  if (principal.id === userId) throw new AppError('CANNOT_DEACTIVATE_SELF', 409);
  const row = await deps.tx(ctx, async (uow) => {
    const after = await setActive(uow, userId, false, reason);
    await revokeSessions(uow, { userId }, 'user_deactivated');
    if (options.revokeApiKeys) await revokeApiKeysIssuedBy(uow, userId, reason);
    return after;
  });
  return detailOf(deps.db, row);
}

export async function reactivateUser(
  deps: IdentityDeps,
  ctx: RequestContext,
  userId: string,
  reason: string | null,
): Promise<UserDetail> {
  const row = await deps.tx(ctx, (uow) => setActive(uow, userId, true, reason));
  return detailOf(deps.db, row);
}
