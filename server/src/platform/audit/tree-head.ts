import type { Clock } from '../context.js';
import type { Db } from '../db/database.js';
import { type AuditSigningKey, signTreeHeadFields } from './signing.js';
import { currentTreeSize, treeRoot } from './tree.js';

/** A signed tree head as stored in audit_tree_head. */
export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  signedAt: Date;
  keyId: string;
  /** Base64 Ed25519 signature over treeHeadMessage(treeSize, rootHash, signedAt). */
  signature: string;
}

type TreeHeadRow = {
  tree_size: number;
  root_hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
};

export function treeHeadFromRow(row: TreeHeadRow): SignedTreeHead {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    signedAt: new Date(row.signed_at),
    keyId: row.key_id,
    signature: row.signature,
  };
}

export async function latestTreeHead(db: Db): Promise<SignedTreeHead | null> {
  const row = await db
    .selectFrom('audit_tree_head')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? treeHeadFromRow(row) : null;
}

export async function treeHeadAt(db: Db, treeSize: number): Promise<SignedTreeHead | null> {
  const row = await db
    .selectFrom('audit_tree_head')
    .selectAll()
    .where('tree_size', '=', treeSize)
    .executeTakeFirst();
  return row ? treeHeadFromRow(row) : null;
}

export interface TreeHeadSignerDeps {
  db: Db;
  clock: Clock;
  signingKey: AuditSigningKey;
}

/**
 * Signs the current tree head when the log grew since the last signed head, and appends it to
 * audit_tree_head. Returns the new head, or null when there was nothing new to sign. Several
 * servers may run this at once: the tree size is the primary key, so only one head per size is kept.
 */
export async function signTreeHead(deps: TreeHeadSignerDeps): Promise<SignedTreeHead | null> {
  const size = await currentTreeSize(deps.db);
  const latest = await latestTreeHead(deps.db);
  if (size === 0 || (latest && size <= latest.treeSize)) return null;
  const rootHash = (await treeRoot(deps.db, size)).toString('hex');
  // Millisecond precision: what the database stores is exactly what was signed.
  const signedAt = new Date(Math.floor(deps.clock.now().getTime()));
  const head: SignedTreeHead = {
    treeSize: size,
    rootHash,
    signedAt,
    keyId: deps.signingKey.keyId,
    signature: signTreeHeadFields(deps.signingKey, { treeSize: size, rootHash, signedAt }),
  };
  const inserted = await deps.db
    .insertInto('audit_tree_head')
    .values({
      tree_size: head.treeSize,
      root_hash: head.rootHash,
      signed_at: head.signedAt,
      key_id: head.keyId,
      signature: head.signature,
    })
    .onConflict((oc) => oc.column('tree_size').doNothing())
    .returning('tree_size')
    .executeTakeFirst();
  return inserted ? head : null;
}
