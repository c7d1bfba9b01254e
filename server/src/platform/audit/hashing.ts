import { createHash } from 'node:crypto';

/** RFC 6962 §2.1: leaf hash = SHA-256(0x00 || data), node hash = SHA-256(0x01 || left || right). */
export function leafHash(data: Buffer | string): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0x00]))
    .update(data)
    .digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0x01]))
    .update(left)
    .update(right)
    .digest();
}

export const EMPTY_ROOT = createHash('sha256').update(Buffer.alloc(0)).digest();

/** JSON with object keys sorted at every level, so the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The fields of an audit entry that its leaf hash covers, in a fixed order. */
export interface AuditLeafFields {
  leafIndex: number;
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: unknown;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  prevHash: string;
}

export function auditLeafData(e: AuditLeafFields): string {
  return canonicalJson([
    'centinela.audit.v1',
    e.leafIndex,
    e.id,
    e.occurredAt.toISOString(),
    e.actorType,
    e.actorId,
    e.actorName,
    e.action,
    e.entityType,
    e.entityId,
    e.changes ?? null,
    e.reason,
    e.requestId,
    e.ip,
    e.prevHash,
  ]);
}

export function auditLeafHash(e: AuditLeafFields): string {
  return leafHash(auditLeafData(e)).toString('hex');
}

/** The chain starts from 64 zeros; each entry names the leaf hash of the one before it. */
export const GENESIS_PREV_HASH = '0'.repeat(64);
