import { consistencyProofFrom, inclusionProofFrom, rootFrom } from '../../platform/audit/merkle.js';
import { type AuditSigningKey, loadAuditSigningKey, treeHeadMessage } from '../../platform/audit/signing.js';
import { currentTreeSize, withTree } from '../../platform/audit/tree.js';
import {
  latestTreeHead,
  type SignedTreeHead,
  signTreeHead,
  treeHeadAt,
} from '../../platform/audit/tree-head.js';
import type { AuditLogTable } from '../../platform/audit/types.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import type {
  AuditEntry,
  ConsistencyResponse,
  EntryList,
  EntryListQuery,
  EntryWithProof,
  TreeHead,
  TreeHeadResponse,
} from './audit.schemas.js';

export interface AuditDeps extends AppDeps {
  signingKey: AuditSigningKey;
}

export function auditDeps(deps: AppDeps): AuditDeps {
  return { ...deps, signingKey: loadAuditSigningKey(deps.config.auditSigningKey) };
}

function toTreeHead(head: SignedTreeHead): TreeHead {
  return {
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    signedAt: head.signedAt.toISOString(),
    keyId: head.keyId,
    signature: head.signature,
    signedMessage: treeHeadMessage(head).toString('ascii'),
  };
}

type AuditRow = Omit<AuditLogTable, 'occurred_at' | 'changes'> & { occurred_at: Date; changes: unknown };

function toEntry(row: AuditRow): AuditEntry {
  return {
    leafIndex: Number(row.leaf_index),
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    changes: row.changes ?? null,
    reason: row.reason,
    requestId: row.request_id,
    ip: row.ip,
    prevHash: row.prev_hash,
    leafHash: row.leaf_hash,
  };
}

/** Signs the current tree head if the log grew since the last one (what the periodic signer runs). */
export function signAuditTreeHead(deps: AuditDeps): Promise<SignedTreeHead | null> {
  return signTreeHead({ db: deps.db, clock: deps.clock, signingKey: deps.signingKey });
}

export async function getLatestTreeHead(deps: AuditDeps): Promise<TreeHeadResponse> {
  const head = await latestTreeHead(deps.db);
  if (!head) throw new AppError('AUDIT_NO_TREE_HEAD', 404);
  const key = deps.signingKey;
  return {
    treeHead: toTreeHead(head),
    key: {
      algorithm: 'Ed25519',
      keyId: key.keyId,
      publicKey: key.publicKeyRaw.toString('base64'),
      pem: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    },
    currentTreeSize: await currentTreeSize(deps.db),
  };
}

export async function listEntries(deps: AuditDeps, query: EntryListQuery): Promise<EntryList> {
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from >= to) throw new AppError('AUDIT_TIME_RANGE_INVALID', 400);
  let q = deps.db.selectFrom('audit_log').selectAll();
  if (query.entityType !== undefined) q = q.where('entity_type', '=', query.entityType);
  if (query.entityId !== undefined) q = q.where('entity_id', '=', query.entityId);
  if (query.actorId !== undefined) q = q.where('actor_id', '=', query.actorId);
  if (query.action !== undefined) q = q.where('action', '=', query.action);
  if (from) q = q.where('occurred_at', '>=', from);
  if (to) q = q.where('occurred_at', '<', to);
  if (query.before !== undefined) q = q.where('leaf_index', '<', query.before);
  const rows = (await q
    .orderBy('leaf_index', 'desc')
    .limit(query.limit + 1)
    .execute()) as AuditRow[];
  const page = rows.slice(0, query.limit).map(toEntry);
  return {
    items: page,
    nextBefore: rows.length > query.limit ? (page.at(-1)?.leafIndex ?? null) : null,
  };
}

function sizeOutOfRange(field: string, value: number, min: number, max: number, currentSize: number) {
  return new AppError('AUDIT_TREE_SIZE_INVALID', 400, { field, value, min, max, currentSize });
}

export async function getEntryWithProof(
  deps: AuditDeps,
  leafIndex: number,
  requestedSize: number | undefined,
): Promise<EntryWithProof> {
  const row = (await deps.db
    .selectFrom('audit_log')
    .selectAll()
    .where('leaf_index', '=', leafIndex)
    .executeTakeFirst()) as AuditRow | undefined;
  if (!row) throw new AppError('AUDIT_ENTRY_NOT_FOUND', 404, { leafIndex });
  let size: number;
  let head: SignedTreeHead | null;
  if (requestedSize === undefined) {
    head = await latestTreeHead(deps.db);
    if (!head || head.treeSize <= leafIndex) {
      throw new AppError('AUDIT_ENTRY_NOT_YET_SIGNED', 409, { leafIndex, treeSize: head?.treeSize ?? 0 });
    }
    size = head.treeSize;
  } else {
    const current = await currentTreeSize(deps.db);
    if (requestedSize <= leafIndex || requestedSize > current) {
      throw sizeOutOfRange('treeSize', requestedSize, leafIndex + 1, current, current);
    }
    size = requestedSize;
    head = await treeHeadAt(deps.db, size);
  }
  const { root, proof } = await withTree(deps.db, size, (source) => ({
    root: rootFrom(source, size),
    proof: inclusionProofFrom(source, leafIndex, size),
  }));
  return {
    entry: toEntry(row),
    treeSize: size,
    rootHash: root.toString('hex'),
    inclusionProof: proof.map((h) => h.toString('hex')),
    treeHead: head ? toTreeHead(head) : null,
  };
}

export async function getConsistencyProof(
  deps: AuditDeps,
  first: number,
  second: number,
): Promise<ConsistencyResponse> {
  const current = await currentTreeSize(deps.db);
  if (second > current) throw sizeOutOfRange('second', second, first, current, current);
  if (first > second) throw sizeOutOfRange('first', first, 0, second, current);
  const result = await withTree(deps.db, second, (source) => ({
    firstRoot: rootFrom(source, first),
    secondRoot: rootFrom(source, second),
    proof: consistencyProofFrom(source, first, second),
  }));
  const [firstHead, secondHead] = await Promise.all([
    treeHeadAt(deps.db, first),
    treeHeadAt(deps.db, second),
  ]);
  return {
    first,
    second,
    firstRootHash: result.firstRoot.toString('hex'),
    secondRootHash: result.secondRoot.toString('hex'),
    consistencyProof: result.proof.map((h) => h.toString('hex')),
    firstTreeHead: firstHead ? toTreeHead(firstHead) : null,
    secondTreeHead: secondHead ? toTreeHead(secondHead) : null,
  };
}
