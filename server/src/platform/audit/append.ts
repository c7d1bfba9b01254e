import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { RequestContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { auditLeafHash, GENESIS_PREV_HASH } from './hashing.js';
import type { AuditInput } from './types.js';

const AUDIT_APPEND_LOCK = 4_911_001;

/** The statement that takes the append lock (held until the transaction ends). */
export const auditAppendLock = sql<unknown>`pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`;

/** Returns only the fields whose values differ, as { field: { before, after } }. */
export function changedFields(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Record<string, { before: unknown; after: unknown }> | null {
  if (!before && !after) return null;
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of keys) {
    const b = normalise(before?.[key]);
    const a = normalise(after?.[key]);
    if (JSON.stringify(b) !== JSON.stringify(a)) out[key] = { before: b, after: a };
  }
  return out;
}

function normalise(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * Appends entries at the end of the log inside the caller's transaction. A transaction-scoped
 * advisory lock serialises appenders so leaf indexes are contiguous and follow commit order.
 * `lockHeld`: the caller already took it (`auditAppendLock`) in an earlier statement of this
 * transaction — never in the statement that reads the last leaf, whose snapshot must postdate it.
 */
export async function appendAuditEntries(
  trx: Transaction<Database>,
  ctx: RequestContext,
  entries: AuditInput[],
  now: Date,
  options: { lockHeld?: boolean } = {},
): Promise<string[]> {
  if (entries.length === 0) return [];
  if (!options.lockHeld) await sql`SELECT ${auditAppendLock}`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select(['leaf_index', 'leaf_hash'])
    .orderBy('leaf_index', 'desc')
    .limit(1)
    .executeTakeFirst();
  let index = last ? Number(last.leaf_index) + 1 : 0;
  let prevHash = last?.leaf_hash ?? GENESIS_PREV_HASH;
  const rows = entries.map((entry) => {
    const actor = entry.actor ?? ctx.actor;
    const changes = entry.changes ?? changedFields(entry.before, entry.after);
    const fields = {
      leafIndex: index,
      id: randomUUID(),
      occurredAt: now,
      actorType: actor.type,
      actorId: actor.id,
      actorName: actor.name,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      changes: changes ? JSON.parse(JSON.stringify(changes)) : null,
      reason: entry.reason ?? null,
      requestId: entry.origin ? entry.origin.requestId : ctx.requestId,
      ip: entry.origin ? entry.origin.ip : ctx.ip,
      prevHash,
    };
    const hash = auditLeafHash(fields);
    prevHash = hash;
    index += 1;
    return {
      leaf_index: fields.leafIndex,
      id: fields.id,
      occurred_at: fields.occurredAt,
      actor_type: fields.actorType,
      actor_id: fields.actorId,
      actor_name: fields.actorName,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      changes: fields.changes === null ? null : JSON.stringify(fields.changes),
      reason: fields.reason,
      request_id: fields.requestId,
      ip: fields.ip,
      prev_hash: fields.prevHash,
      leaf_hash: hash,
    };
  });
  await trx.insertInto('audit_log').values(rows).execute();
  return rows.map((r) => r.id);
}
