import type { Actor } from '../context.js';
import type { CreatedAt, Json } from '../db/schema.js';

/** What a service records about a change (or a sensitive read). */
export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Explicit change set; otherwise computed from before/after (changed fields only). */
  changes?: Record<string, unknown> | null;
  reason?: string | null;
  /** Defaults to the request's actor. */
  actor?: Actor;
  /** Defaults to the request's id and IP (a group commit writes entries of several requests). */
  origin?: { requestId: string | null; ip: string | null };
}

export interface AuditLogTable {
  leaf_index: number;
  id: string;
  occurred_at: CreatedAt;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  changes: Json<unknown> | null;
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  leaf_hash: string;
}

export interface AuditTreeHeadTable {
  tree_size: number;
  root_hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

/** Cached hash of a perfect subtree of the audit log's Merkle tree (see 0002_audit_merkle_cache.sql). */
export interface AuditMerkleNodeTable {
  level: number;
  idx: number;
  hash: string;
}

declare module '../db/schema.js' {
  interface Database {
    audit_log: AuditLogTable;
    audit_tree_head: AuditTreeHeadTable;
    audit_merkle_node: AuditMerkleNodeTable;
  }
}
