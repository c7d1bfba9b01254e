import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { nodeHash } from './hashing.js';
import {
  CompactRange,
  consistencyProofFrom,
  inclusionProofFrom,
  neededSubtrees,
  prefixSubtrees,
  rootFrom,
  type SubtreeSource,
} from './merkle.js';

/**
 * The audit log's Merkle tree as served by the database. Perfect subtrees of 2^CACHE_MIN_LEVEL
 * leaves or more are cached in audit_merkle_node (filled from the stored leaf hashes as the log
 * grows); smaller ones are hashed from the few leaves they cover. A root or a proof therefore reads
 * O(log n) cached nodes plus a handful of leaves, whatever the size of the log.
 */
export const CACHE_MIN_LEVEL = 4;
const CACHE_BLOCK = 2 ** CACHE_MIN_LEVEL;
/** Leaves hashed per transaction while the cache catches up. */
const EXTEND_CHUNK = 8192;
const CACHE_LOCK = 4_911_002;

/** Number of leaves in the log (leaf indexes are contiguous from 0). */
export async function currentTreeSize(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('leaf_index').as('last'))
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

async function cachedPrefix(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_merkle_node')
    .select((eb) => eb.fn.max('idx').as('last'))
    .where('level', '=', CACHE_MIN_LEVEL)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : (Number(row.last) + 1) * CACHE_BLOCK;
}

async function readNodes(db: Db, nodes: { level: number; index: number }[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (nodes.length === 0) return out;
  const rows = await db
    .selectFrom('audit_merkle_node')
    .select(['level', 'idx', 'hash'])
    .where((eb) => eb.or(nodes.map((n) => eb.and([eb('level', '=', n.level), eb('idx', '=', n.index)]))))
    .execute();
  for (const r of rows) out.set(`${Number(r.level)}:${Number(r.idx)}`, Buffer.from(r.hash, 'hex'));
  return out;
}

/**
 * Brings the subtree cache up to the largest multiple of 2^CACHE_MIN_LEVEL not above `size`.
 * Safe to run from several processes at once (an advisory lock serialises them; values are
 * deterministic anyway).
 */
export async function extendSubtreeCache(db: Db, size: number): Promise<void> {
  const target = Math.floor(size / CACHE_BLOCK) * CACHE_BLOCK;
  if ((await cachedPrefix(db)) >= target) return;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${CACHE_LOCK})`.execute(trx);
      const covered = await cachedPrefix(trx);
      if (covered >= target) return true;
      const end = Math.min(target, covered + EXTEND_CHUNK);
      const frontier = prefixSubtrees(covered);
      const known = await readNodes(trx, frontier);
      const range = CompactRange.resume(
        covered,
        frontier.map((n) => {
          const hash = known.get(`${n.level}:${n.index}`);
          if (!hash) throw new Error(`caché Merkle incompleta: falta el nodo ${n.level}:${n.index}`);
          return hash;
        }),
      );
      const leaves = await trx
        .selectFrom('audit_log')
        .select(['leaf_index', 'leaf_hash'])
        .where('leaf_index', '>=', covered)
        .where('leaf_index', '<', end)
        .orderBy('leaf_index')
        .execute();
      const rows: { level: number; idx: number; hash: string }[] = [];
      for (const leaf of leaves) {
        if (Number(leaf.leaf_index) !== range.size) {
          throw new Error(
            `audit_log no es contiguo: se esperaba la hoja ${range.size}, vino ${leaf.leaf_index}`,
          );
        }
        range.append(Buffer.from(leaf.leaf_hash, 'hex'), (level, idx, hash) => {
          if (level >= CACHE_MIN_LEVEL) rows.push({ level, idx, hash: hash.toString('hex') });
        });
      }
      if (range.size !== end) throw new Error(`audit_log no tiene las hojas ${range.size}..${end - 1}`);
      for (let i = 0; i < rows.length; i += 1000) {
        await trx
          .insertInto('audit_merkle_node')
          .values(rows.slice(i, i + 1000))
          .onConflict((oc) => oc.columns(['level', 'idx']).doNothing())
          .execute();
      }
      return end >= target;
    });
    if (done) return;
  }
}

function hashFromLeaves(level: number, index: number, leaves: Map<number, Buffer>): Buffer {
  if (level === 0) {
    const leaf = leaves.get(index);
    if (!leaf) throw new Error(`no existe la hoja ${index}`);
    return leaf;
  }
  return nodeHash(
    hashFromLeaves(level - 1, 2 * index, leaves),
    hashFromLeaves(level - 1, 2 * index + 1, leaves),
  );
}

/**
 * Runs a proof or root computation for a tree of `size` leaves: first records which perfect subtrees
 * it needs, loads exactly those (cached nodes and small leaf ranges), then runs it for real.
 */
export async function withTree<T>(db: Db, size: number, build: (source: SubtreeSource) => T): Promise<T> {
  await extendSubtreeCache(db, size);
  const needed = neededSubtrees(build);
  const cached = await readNodes(
    db,
    needed.filter((n) => n.level >= CACHE_MIN_LEVEL),
  );
  const small = needed.filter((n) => n.level < CACHE_MIN_LEVEL);
  const leaves = new Map<number, Buffer>();
  if (small.length > 0) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['leaf_index', 'leaf_hash'])
      .where((eb) =>
        eb.or(
          small.map((n) =>
            eb.and([
              eb('leaf_index', '>=', n.index * 2 ** n.level),
              eb('leaf_index', '<', (n.index + 1) * 2 ** n.level),
            ]),
          ),
        ),
      )
      .execute();
    for (const r of rows) leaves.set(Number(r.leaf_index), Buffer.from(r.leaf_hash, 'hex'));
  }
  return build((level, index) => {
    if (level < CACHE_MIN_LEVEL) return hashFromLeaves(level, index, leaves);
    const hash = cached.get(`${level}:${index}`);
    if (!hash) throw new Error(`caché Merkle incompleta: falta el nodo ${level}:${index}`);
    return hash;
  });
}

export function treeRoot(db: Db, size: number): Promise<Buffer> {
  return withTree(db, size, (source) => rootFrom(source, size));
}

export function treeInclusionProof(db: Db, index: number, size: number): Promise<Buffer[]> {
  return withTree(db, size, (source) => inclusionProofFrom(source, index, size));
}

export function treeConsistencyProof(db: Db, first: number, second: number): Promise<Buffer[]> {
  return withTree(db, second, (source) => consistencyProofFrom(source, first, second));
}
