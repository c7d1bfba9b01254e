import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDeps, signAuditTreeHead } from '../src/modules/audit/index.js';
import { auditLeafHash } from '../src/platform/audit/hashing.js';
import { merkleRoot } from '../src/platform/audit/merkle.js';
import { auditPersonalDataRead, PERSONAL_DATA_READ } from '../src/platform/audit/personal-data.js';
import {
  loadAuditSigningKey,
  signTreeHeadFields,
  verifyTreeHeadSignature,
} from '../src/platform/audit/signing.js';
import { currentTreeSize, treeRoot } from '../src/platform/audit/tree.js';
import { latestTreeHead } from '../src/platform/audit/tree-head.js';
import { formatVerification, leafFieldsOfRow, verifyAuditLog } from '../src/platform/audit/verify.js';
import { systemContext } from '../src/platform/context.js';
import type { Database } from '../src/platform/db/schema.js';
import { AppError } from '../src/platform/http/errors.js';
import { buildTestApp, type TestApp } from './build-app.js';

type AuditRow = Awaited<ReturnType<typeof readRow>>;

let t: TestApp;
/** Entries written while the app started (seeds), before the tests add their own. */
let base = 0;
const key = () => loadAuditSigningKey(t.deps.config.auditSigningKey);
const verify = () => verifyAuditLog(t.deps.db, { key: key() });

function readRow(leafIndex: number) {
  return t.deps.db
    .selectFrom('audit_log')
    .selectAll()
    .where('leaf_index', '=', leafIndex)
    .executeTakeFirstOrThrow();
}

/** What a database superuser can do: bypass the append-only triggers for one transaction. */
async function asSuperuser(work: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  await t.deps.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await work(trx);
  });
}

function insertable(row: AuditRow, leafIndex = Number(row.leaf_index)) {
  return {
    ...row,
    leaf_index: leafIndex,
    changes: row.changes === null ? null : JSON.stringify(row.changes),
  };
}

async function appendSomeEntries(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await t.deps.tx(systemContext(), async (uow) => {
      uow.audit({ action: 'test.entry', entityType: 'test', entityId: String(i), after: { n: i } });
    });
  }
}

/** Tampers, checks, and always undoes the tampering so each test starts from a clean log. */
async function whileTampered(
  tamper: () => Promise<void>,
  restore: () => Promise<void>,
  check: () => Promise<void>,
) {
  await tamper();
  try {
    await check();
  } finally {
    await restore();
  }
  expect((await verify()).problems).toEqual([]);
}

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('tamper-evident audit log', () => {
  beforeAll(async () => {
    base = await currentTreeSize(t.deps.db);
    await appendSomeEntries(4);
    await signAuditTreeHead(auditDeps(t.deps));
    await appendSomeEntries(3);
    await signAuditTreeHead(auditDeps(t.deps));
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on audit_log and changes to signed heads', async () => {
    await expect(
      sql`UPDATE audit_log SET reason = 'x' WHERE leaf_index = 0`.execute(t.deps.db),
    ).rejects.toThrow(/solo inserción/);
    await expect(sql`DELETE FROM audit_log WHERE leaf_index = 0`.execute(t.deps.db)).rejects.toThrow(
      /solo inserción/,
    );
    await expect(sql`TRUNCATE audit_log`.execute(t.deps.db)).rejects.toThrow(/solo inserción/);
    await expect(sql`UPDATE audit_tree_head SET root_hash = 'x'`.execute(t.deps.db)).rejects.toThrow(
      /solo inserción/,
    );
    await expect(sql`DELETE FROM audit_tree_head`.execute(t.deps.db)).rejects.toThrow(/solo inserción/);
    expect(await currentTreeSize(t.deps.db)).toBe(base + 7);
  });

  it('a fresh log verifies clean', async () => {
    const result = await verify();
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, entries: base + 7, treeHeads: 2 });
    expect(formatVerification(result, key())).toMatch(/RESULTADO: correcto/);
  });

  it('signs a tree head only when the log grew, with a valid signature over the real root', async () => {
    const deps = auditDeps(t.deps);
    expect(await signAuditTreeHead(deps)).toBeNull();
    await appendSomeEntries(1);
    const head = await signAuditTreeHead(deps);
    expect(head).not.toBeNull();
    expect(head!.treeSize).toBe(base + 8);
    expect(head!.keyId).toBe(key().keyId);
    expect(head!.keyId).toMatch(/^[0-9a-f]{16}$/);
    const rows = await t.deps.db.selectFrom('audit_log').select('leaf_hash').orderBy('leaf_index').execute();
    expect(head!.rootHash).toBe(merkleRoot(rows.map((r) => Buffer.from(r.leaf_hash, 'hex'))).toString('hex'));
    expect(verifyTreeHeadSignature(key(), head!, head!.signature)).toBe(true);
    expect(verifyTreeHeadSignature(key(), { ...head!, treeSize: base + 7 }, head!.signature)).toBe(false);
    expect(await latestTreeHead(t.deps.db)).toEqual(head);
    expect(await signAuditTreeHead(deps)).toBeNull();
    expect((await verify()).ok).toBe(true);
  });

  it('detects a changed field and names the entry', async () => {
    const original = await readRow(3);
    await whileTampered(
      () =>
        asSuperuser(async (trx) => {
          await trx
            .updateTable('audit_log')
            .set({ actor_name: 'otra persona' })
            .where('leaf_index', '=', 3)
            .execute();
        }),
      () =>
        asSuperuser(async (trx) => {
          await trx
            .updateTable('audit_log')
            .set({ actor_name: original.actor_name })
            .where('leaf_index', '=', 3)
            .execute();
        }),
      async () => {
        const result = await verify();
        expect(result.ok).toBe(false);
        expect(result.problems[0]).toMatchObject({
          kind: 'leaf_hash_mismatch',
          leafIndex: 3,
          entryId: original.id,
        });
        // The signed heads that cover the entry no longer match the recomputed roots either.
        expect(
          result.problems.filter((p) => p.kind === 'tree_head_root_mismatch').map((p) => p.treeSize),
        ).toEqual([base + 4, base + 7, base + 8]);
        expect(formatVerification(result, key())).toContain(
          `Primera entrada que no coincide: índice 3, id ${original.id}`,
        );
      },
    );
  });

  it('detects a change to the before/after data even when the stored leaf hash is rewritten to match', async () => {
    const original = await readRow(2);
    const next = await readRow(3);
    const forged = {
      ...leafFieldsOfRow(original),
      changes: { username: { before: null, after: 'intruso' } },
    };
    await whileTampered(
      () =>
        asSuperuser(async (trx) => {
          await trx
            .updateTable('audit_log')
            .set({ changes: JSON.stringify(forged.changes), leaf_hash: auditLeafHash(forged) })
            .where('leaf_index', '=', 2)
            .execute();
        }),
      () =>
        asSuperuser(async (trx) => {
          await trx
            .updateTable('audit_log')
            .set({ changes: JSON.stringify(original.changes), leaf_hash: original.leaf_hash })
            .where('leaf_index', '=', 2)
            .execute();
        }),
      async () => {
        const result = await verify();
        expect(result.ok).toBe(false);
        // Entry 2 is self-consistent now; the chain breaks at entry 3, which names entry 2.
        expect(result.problems[0]).toMatchObject({ kind: 'chain_broken', leafIndex: 3, entryId: next.id });
        expect(result.problems[0]!.message).toContain(`entrada 2 (id ${original.id}`);
        expect(result.problems.some((p) => p.kind === 'tree_head_root_mismatch')).toBe(true);
      },
    );
  });

  it('detects a deleted entry and names where the log breaks', async () => {
    const deleted = await readRow(2);
    const following = await readRow(3);
    await whileTampered(
      () =>
        asSuperuser(async (trx) => {
          await trx.deleteFrom('audit_log').where('leaf_index', '=', 2).execute();
        }),
      () =>
        asSuperuser(async (trx) => {
          await trx.insertInto('audit_log').values(insertable(deleted)).execute();
        }),
      async () => {
        const result = await verify();
        expect(result.ok).toBe(false);
        expect(result.problems[0]).toMatchObject({
          kind: 'entry_missing',
          leafIndex: 3,
          entryId: following.id,
        });
        expect(result.problems[0]!.message).toContain('falta la entrada 2');
        expect(formatVerification(result, key())).toContain(`índice 3, id ${following.id}`);
      },
    );
  });

  it('detects the deletion of the newest signed entry', async () => {
    const size = await currentTreeSize(t.deps.db);
    const last = await readRow(size - 1);
    await whileTampered(
      () =>
        asSuperuser(async (trx) => {
          await trx
            .deleteFrom('audit_log')
            .where('leaf_index', '=', size - 1)
            .execute();
        }),
      () =>
        asSuperuser(async (trx) => {
          await trx.insertInto('audit_log').values(insertable(last)).execute();
        }),
      async () => {
        const result = await verify();
        expect(result.ok).toBe(false);
        expect(result.problems[0]).toMatchObject({
          kind: 'tree_head_beyond_log',
          leafIndex: size - 1,
          treeSize: size,
        });
        expect(formatVerification(result, key())).toContain(`índice ${size - 1} (ya no existe`);
      },
    );
  });

  it('detects two entries swapped, naming the first', async () => {
    const a = await readRow(1);
    const b = await readRow(4);
    const put = (first: AuditRow, second: AuditRow) =>
      asSuperuser(async (trx) => {
        await trx.deleteFrom('audit_log').where('leaf_index', 'in', [1, 4]).execute();
        await trx
          .insertInto('audit_log')
          .values([insertable(first, 1), insertable(second, 4)])
          .execute();
      });
    await whileTampered(
      () => put(b, a),
      () => put(a, b),
      async () => {
        const result = await verify();
        expect(result.ok).toBe(false);
        expect(result.problems[0]).toMatchObject({ kind: 'leaf_hash_mismatch', leafIndex: 1, entryId: b.id });
        expect(formatVerification(result, key())).toContain(`índice 1, id ${b.id}`);
      },
    );
  });

  it('detects swapped entries even when their leaf hashes are recomputed for their new places', async () => {
    const a = await readRow(1);
    const b = await readRow(4);
    const moved = (row: AuditRow, to: number) => {
      const fields = { ...leafFieldsOfRow(row), leafIndex: to };
      return { ...insertable(row, to), leaf_hash: auditLeafHash(fields) };
    };
    await whileTampered(
      () =>
        asSuperuser(async (trx) => {
          await trx.deleteFrom('audit_log').where('leaf_index', 'in', [1, 4]).execute();
          await trx
            .insertInto('audit_log')
            .values([moved(b, 1), moved(a, 4)])
            .execute();
        }),
      () =>
        asSuperuser(async (trx) => {
          await trx.deleteFrom('audit_log').where('leaf_index', 'in', [1, 4]).execute();
          await trx
            .insertInto('audit_log')
            .values([insertable(a), insertable(b)])
            .execute();
        }),
      async () => {
        const result = await verify();
        expect(result.ok).toBe(false);
        expect(result.problems[0]).toMatchObject({ kind: 'chain_broken', leafIndex: 1, entryId: b.id });
      },
    );
  });

  it('detects a forged tree head signature and a head re-signed by another key', async () => {
    const heads = await t.deps.db.selectFrom('audit_tree_head').selectAll().orderBy('tree_size').execute();
    const [first, second] = heads;
    const restore = () =>
      asSuperuser(async (trx) => {
        await trx.deleteFrom('audit_tree_head').execute();
        await trx.insertInto('audit_tree_head').values(heads).execute();
      });
    const forged = randomBytes(64).toString('base64');
    await whileTampered(
      () =>
        asSuperuser(async (trx) => {
          await trx
            .updateTable('audit_tree_head')
            .set({ signature: forged })
            .where('tree_size', '=', first!.tree_size)
            .execute();
        }),
      restore,
      async () => {
        const result = await verify();
        expect(result.ok).toBe(false);
        expect(result.problems).toEqual([
          expect.objectContaining({
            kind: 'tree_head_signature_invalid',
            treeSize: base + 4,
            leafIndex: null,
          }),
        ]);
        expect(formatVerification(result, key())).toContain(
          `Primera cabeza firmada que no coincide: tamaño ${base + 4}`,
        );
      },
    );

    // A head whose root was rewritten and re-signed with a key that is not the configured one.
    const other = loadAuditSigningKey(randomBytes(32).toString('base64url'));
    const fakeRoot = 'ab'.repeat(32);
    await whileTampered(
      () =>
        asSuperuser(async (trx) => {
          await trx
            .updateTable('audit_tree_head')
            .set({
              root_hash: fakeRoot,
              key_id: other.keyId,
              signature: signTreeHeadFields(other, {
                treeSize: Number(second!.tree_size),
                rootHash: fakeRoot,
                signedAt: second!.signed_at,
              }),
            })
            .where('tree_size', '=', second!.tree_size)
            .execute();
        }),
      restore,
      async () => {
        const result = await verify();
        expect(result.problems.map((p) => [p.kind, p.treeSize])).toEqual([
          ['tree_head_root_mismatch', base + 7],
          ['tree_head_unknown_key', base + 7],
        ]);
      },
    );
  });

  it('the cached tree agrees with a full recomputation at every size', async () => {
    await appendSomeEntries(40 - (await currentTreeSize(t.deps.db))); // two cached blocks of 16 leaves
    const rows = await t.deps.db.selectFrom('audit_log').select('leaf_hash').orderBy('leaf_index').execute();
    const leaves = rows.map((r) => Buffer.from(r.leaf_hash, 'hex'));
    for (let size = 0; size <= leaves.length; size++) {
      expect((await treeRoot(t.deps.db, size)).toString('hex'), `size ${size}`).toBe(
        merkleRoot(leaves.slice(0, size)).toString('hex'),
      );
    }
    const cached = await t.deps.db.selectFrom('audit_merkle_node').selectAll().execute();
    expect(cached.map((n) => [Number(n.level), Number(n.idx)]).sort()).toEqual([
      [4, 0],
      [4, 1],
      [5, 0],
    ]);
  });
});

describe('personal data reads', () => {
  it('records who read which personal fields of which record, and why', async () => {
    const ctx = {
      actor: { type: 'user' as const, id: 'u-1', name: 'Olga Operadora' },
      requestId: 'req-12345678',
      ip: '10.0.0.7',
      locale: 'es' as const,
    };
    const before = await currentTreeSize(t.deps.db);
    await auditPersonalDataRead(t.deps, ctx, {
      entityType: 'emergency_call',
      entityId: 'call-42',
      fields: ['callerPhone', 'callerName', 'callerPhone'],
      purpose: 'devolver la llamada cortada',
    });
    expect(await currentTreeSize(t.deps.db)).toBe(before + 1);
    const row = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('leaf_index', '=', before)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      action: PERSONAL_DATA_READ,
      entity_type: 'emergency_call',
      entity_id: 'call-42',
      actor_type: 'user',
      actor_id: 'u-1',
      actor_name: 'Olga Operadora',
      reason: 'devolver la llamada cortada',
      request_id: 'req-12345678',
      ip: '10.0.0.7',
      changes: { fields: ['callerName', 'callerPhone'] },
    });
    expect(
      (await verifyAuditLog(t.deps.db, { key: loadAuditSigningKey(t.deps.config.auditSigningKey) })).ok,
    ).toBe(true);
  });

  it('refuses a read without a purpose or without fields, writing nothing', async () => {
    const before = await currentTreeSize(t.deps.db);
    const read = {
      entityType: 'emergency_call',
      entityId: 'call-42',
      fields: ['callerPhone'],
      purpose: '  ',
    };
    const error = await auditPersonalDataRead(t.deps, systemContext(), read).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'PERSONAL_DATA_PURPOSE_REQUIRED', status: 400 });
    await expect(
      auditPersonalDataRead(t.deps, systemContext(), { ...read, purpose: 'x', fields: [' '] }),
    ).rejects.toThrow(TypeError);
    expect(await currentTreeSize(t.deps.db)).toBe(before);
  });

  it('fails the read when the audit entry cannot be written', async () => {
    const failing = {
      tx: () => Promise.reject(new Error('base de datos caída')),
    };
    await expect(
      auditPersonalDataRead(failing, systemContext(), {
        entityType: 'emergency_call',
        entityId: 'c',
        fields: ['callerPhone'],
        purpose: 'seguimiento',
      }),
    ).rejects.toThrow('base de datos caída');
  });
});
