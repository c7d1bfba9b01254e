import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConsistencyProof, getEntryWithProof } from '../src/modules/audit/audit.service.js';
import { auditDeps, signAuditTreeHead } from '../src/modules/audit/index.js';
import { CompactRange, verifyConsistency, verifyInclusion } from '../src/platform/audit/merkle.js';
import { CACHE_MIN_LEVEL, currentTreeSize } from '../src/platform/audit/tree.js';
import { latestTreeHead } from '../src/platform/audit/tree-head.js';
import { buildTestApp, type TestApp } from './build-app.js';

/**
 * The audit tree at ~100k entries: proofs and tree heads come from cached perfect subtrees, not
 * from rehashing every leaf. The rows are synthetic (bulk-inserted leaf hashes, no valid chain):
 * this file is about the Merkle tree, the verifier has its own tests.
 */
const N = 100_000;
const hex = (s: string) => Buffer.from(s, 'hex');

describe('audit tree at 100k entries', () => {
  let t: TestApp;
  let leaves: Buffer[];
  const rootAt = new Map<number, Buffer>();
  const deps = () => auditDeps(t.deps);

  async function appendSynthetic(count: number): Promise<void> {
    const from = await currentTreeSize(t.deps.db);
    for (let start = from; start < from + count; start += 25_000) {
      const end = Math.min(from + count, start + 25_000);
      await sql`
        INSERT INTO audit_log (leaf_index, id, occurred_at, actor_type, action, entity_type, prev_hash, leaf_hash)
        SELECT i, gen_random_uuid(), now(), 'system', 'prueba.carga', 'prueba', repeat('0', 64),
               encode(sha256(convert_to('hoja ' || i, 'UTF8')), 'hex')
        FROM generate_series(${start}::bigint, ${end - 1}::bigint) AS i`.execute(t.deps.db);
    }
  }

  async function loadLeavesAndRoots(sizes: number[]): Promise<void> {
    const rows = await t.deps.db.selectFrom('audit_log').select('leaf_hash').orderBy('leaf_index').execute();
    leaves = rows.map((r) => hex(r.leaf_hash));
    const range = new CompactRange();
    const wanted = new Set(sizes);
    for (const leaf of leaves) {
      range.append(leaf);
      if (wanted.has(range.size)) rootAt.set(range.size, range.root());
    }
  }

  beforeAll(async () => {
    t = await buildTestApp();
    await appendSynthetic(N - (await currentTreeSize(t.deps.db)));
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('signs the head with the right root and serves proofs that verify', { timeout: 300_000 }, async () => {
    await loadLeavesAndRoots([1000, 65_536, N - 37, N]);
    let started = performance.now();
    const head = await signAuditTreeHead(deps());
    const coldMs = performance.now() - started;
    expect(head!.treeSize).toBe(N);
    expect(head!.rootHash).toBe(rootAt.get(N)!.toString('hex'));

    // Every perfect subtree of 16 leaves or more is cached, and nothing else.
    let expectedNodes = 0;
    for (let level = CACHE_MIN_LEVEL; 2 ** level <= N; level++) expectedNodes += Math.floor(N / 2 ** level);
    const { n } = await t.deps.db
      .selectFrom('audit_merkle_node')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(expectedNodes);

    started = performance.now();
    for (const index of [0, 1, 15, 16, 12_345, 65_535, 65_536, N - 2, N - 1]) {
      const res = await getEntryWithProof(deps(), index, undefined);
      expect(res.rootHash).toBe(head!.rootHash);
      expect(
        verifyInclusion(leaves[index]!, index, N, res.inclusionProof.map(hex), rootAt.get(N)!),
        `${index}`,
      ).toBe(true);
    }
    for (const first of [1000, 65_536, N - 37]) {
      const res = await getConsistencyProof(deps(), first, N);
      expect(
        verifyConsistency(first, N, rootAt.get(first)!, rootAt.get(N)!, res.consistencyProof.map(hex)),
        `${first}`,
      ).toBe(true);
    }
    const warmMs = (performance.now() - started) / 12;
    console.info(
      `árbol de auditoría con ${N} hojas: primera firma (caché fría) ${coldMs.toFixed(0)} ms; ` +
        `prueba con caché ${warmMs.toFixed(1)} ms en promedio`,
    );
  });

  it('uses the cached subtrees instead of rehashing old leaves', { timeout: 120_000 }, async () => {
    const original = await t.deps.db
      .selectFrom('audit_log')
      .select('leaf_hash')
      .where('leaf_index', '=', 500)
      .executeTakeFirstOrThrow();
    await t.deps.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await trx
        .updateTable('audit_log')
        .set({ leaf_hash: 'ff'.repeat(32) })
        .where('leaf_index', '=', 500)
        .execute();
    });
    try {
      // Leaf 500 sits inside the cached subtree of leaves 0..65535: a proof for a leaf far away
      // must not read it, so it still verifies against the signed root.
      const res = await getEntryWithProof(deps(), 90_000, undefined);
      expect(verifyInclusion(leaves[90_000]!, 90_000, N, res.inclusionProof.map(hex), rootAt.get(N)!)).toBe(
        true,
      );
    } finally {
      await t.deps.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await trx
          .updateTable('audit_log')
          .set({ leaf_hash: original.leaf_hash })
          .where('leaf_index', '=', 500)
          .execute();
      });
    }
  });

  it('extends the cache incrementally as the log grows', { timeout: 120_000 }, async () => {
    const first = (await latestTreeHead(t.deps.db))!;
    expect(first.treeSize).toBe(N);
    await appendSynthetic(37);
    const second = await signAuditTreeHead(deps());
    expect(second!.treeSize).toBe(N + 37);
    await loadLeavesAndRoots([N + 37]);
    expect(second!.rootHash).toBe(rootAt.get(N + 37)!.toString('hex'));
    const res = await getConsistencyProof(deps(), first.treeSize, N + 37);
    expect(
      verifyConsistency(
        first.treeSize,
        N + 37,
        hex(first.rootHash),
        hex(second!.rootHash),
        res.consistencyProof.map(hex),
      ),
    ).toBe(true);
  });
});
