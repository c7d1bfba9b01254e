import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { UnitOfWork } from '../../platform/db/transaction.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import { isKnownPermission } from '../../platform/http/permissions.js';
import type { Principal, Scope } from '../../platform/http/principal.js';
import type { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyList, ApiKeyListQuery } from './api-keys.schemas.js';
import type { IdentityDeps } from './identity.deps.js';
import { IDENTITY_PERMISSIONS } from './identity.policy.js';
import type { ApiKeysTable } from './identity.tables.js';
import { assertValidScope } from './roles.service.js';
import { scopesCover } from './scopes.js';
import { randomSecret, sha256Hex } from './tokens.js';

/** Keys look like `cnt_<12 hex prefix>_<43 base64url secret>`; only their SHA-256 is stored. */
const KEY_FORMAT = /^cnt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** last_used_at is written at most this often per key, to keep authentication cheap. */
const LAST_USED_RESOLUTION_MS = 60_000;

type ApiKeyRow = Selectable<ApiKeysTable>;

function statusOf(row: ApiKeyRow, now: Date): ApiKey['status'] {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at && row.expires_at <= now) return 'expired';
  return 'active';
}

function permissionsOf(row: ApiKeyRow): string[] {
  const value: unknown = typeof row.permissions === 'string' ? JSON.parse(row.permissions) : row.permissions;
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
}

function toApiKey(row: ApiKeyRow, now: Date): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: permissionsOf(row),
    scope: { level: row.scope_level, code: row.scope_code },
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    status: statusOf(row, now),
  };
}

/**
 * Issues an API key for a device or an integration. Its permissions must be known ones that the
 * creator holds in a scope covering the key's scope (nobody hands out more than they have).
 * The key is returned once; only its hash is kept.
 */
export async function createApiKey(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  input: ApiKeyCreate,
): Promise<ApiKeyCreated> {
  const scope: Scope = { level: input.scope.level, code: input.scope.code };
  assertValidScope(scope);
  for (const permission of input.permissions) {
    if (!isKnownPermission(permission)) throw new AppError('API_KEY_PERMISSION_UNKNOWN', 400, { permission });
  }
  for (const permission of input.permissions) {
    if (!scopesCover(principal.grants.get(permission), scope)) {
      throw new AppError('API_KEY_PERMISSION_NOT_HELD', 403, { permission });
    }
  }
  const now = deps.clock.now();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= now) throw new AppError('API_KEY_EXPIRY_IN_PAST', 400);

  const prefix = randomBytes(6).toString('hex');
  const key = `cnt_${prefix}_${randomSecret()}`;
  const row = await deps.tx(ctx, async (uow) => {
    const inserted = await uow.db
      .insertInto('api_keys')
      .values({
        id: randomUUID(),
        name: input.name.trim(),
        prefix,
        key_hash: sha256Hex(key),
        permissions: JSON.stringify([...input.permissions].sort()),
        scope_level: scope.level,
        scope_code: scope.code,
        created_by: principal.id,
        created_at: uow.now,
        expires_at: expiresAt,
        revoked_at: null,
        revoked_by: null,
        last_used_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.audit({
      action: 'identity.apikey.created',
      entityType: 'api_key',
      entityId: inserted.id,
      after: {
        name: inserted.name,
        prefix,
        permissions: [...input.permissions].sort(),
        scope,
        expiresAt: expiresAt?.toISOString() ?? null,
      },
    });
    return inserted;
  });
  return { ...toApiKey(row, now), key };
}

export async function listApiKeys(deps: IdentityDeps, query: ApiKeyListQuery): Promise<ApiKeyList> {
  const now = deps.clock.now();
  let q = deps.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc');
  if (!query.includeInactive) {
    q = q
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
  }
  return { items: (await q.execute()).map((r) => toApiKey(r, now)) };
}

export async function revokeApiKey(
  deps: IdentityDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  reason: string | null,
): Promise<ApiKey> {
  const row = await deps.tx(ctx, async (uow) => {
    const current = await uow.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('API_KEY_NOT_FOUND', 404);
    if (current.revoked_at) throw new AppError('API_KEY_ALREADY_REVOKED', 409);
    const updated = await uow.db
      .updateTable('api_keys')
      .set({ revoked_at: uow.now, revoked_by: principal.kind === 'user' ? principal.id : null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.audit({
      action: 'identity.apikey.revoked',
      entityType: 'api_key',
      entityId: id,
      reason,
      changes: { name: current.name, prefix: current.prefix },
    });
    uow.emit({
      type: 'identity.apikey.revoked',
      entityType: 'api_key',
      entityId: id,
      payload: { apiKeyId: id },
      permission: IDENTITY_PERMISSIONS.apiKeysManage,
    });
    return updated;
  });
  return toApiKey(row, deps.clock.now());
}

/**
 * Revokes every still-active key issued by `userId`, inside the caller's transaction (used when the
 * user is deactivated: a person who left must not keep devices or integrations talking in their name).
 * Each key gets its own audit entry and event, like a manual revocation. Returns the revoked ids.
 */
export async function revokeApiKeysIssuedBy(
  uow: UnitOfWork,
  userId: string,
  reason: string,
): Promise<string[]> {
  const keys = await uow.db
    .updateTable('api_keys')
    .set({ revoked_at: uow.now, revoked_by: uow.ctx.actor.type === 'user' ? uow.ctx.actor.id : null })
    .where('created_by', '=', userId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name', 'prefix'])
    .execute();
  for (const key of keys) {
    uow.audit({
      action: 'identity.apikey.revoked',
      entityType: 'api_key',
      entityId: key.id,
      reason,
      changes: { name: key.name, prefix: key.prefix, issuerDeactivated: userId },
    });
    uow.emit({
      type: 'identity.apikey.revoked',
      entityType: 'api_key',
      entityId: key.id,
      payload: { apiKeyId: key.id },
      permission: IDENTITY_PERMISSIONS.apiKeysManage,
    });
  }
  return keys.map((k) => k.id);
}

/**
 * Resolves a presented key into a principal whose grants are exactly the key's permissions in its
 * scope. Unknown, malformed, revoked and expired keys are all 401 API_KEY_INVALID.
 */
export async function authenticateApiKey(deps: AppDeps, presented: string): Promise<Principal> {
  const match = KEY_FORMAT.exec(presented);
  if (!match) throw new AppError('API_KEY_INVALID', 401);
  const row = await deps.db
    .selectFrom('api_keys')
    .selectAll()
    .where('prefix', '=', match[1]!)
    .executeTakeFirst();
  const expected = Buffer.from(row?.key_hash ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(sha256Hex(presented), 'hex');
  const now = deps.clock.now();
  if (!row || !timingSafeEqual(expected, actual) || statusOf(row, now) !== 'active') {
    throw new AppError('API_KEY_INVALID', 401);
  }
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    await deps.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const scope: Scope = { level: row.scope_level, code: row.scope_code };
  const grants = new Map<string, Scope[]>();
  for (const permission of permissionsOf(row))
    if (isKnownPermission(permission)) grants.set(permission, [scope]);
  return { kind: 'api_key', id: row.id, name: row.name, sessionId: null, roles: [], grants };
}
