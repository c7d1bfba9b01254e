import { createHash, createPublicKey, randomBytes, randomUUID, verify as verifySignature } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDeps, signAuditTreeHead } from '../src/modules/audit/index.js';
import { auditLeafHash } from '../src/platform/audit/hashing.js';
import { verifyConsistency, verifyInclusion } from '../src/platform/audit/merkle.js';
import { currentTreeSize } from '../src/platform/audit/tree.js';
import { systemContext } from '../src/platform/context.js';
import { buildTestApp, type TestApp } from './build-app.js';
import { bearer, loginAs, makeUser } from './factories.js';

const hex = (s: string) => Buffer.from(s, 'hex');

interface Entry {
  leafIndex: number;
  id: string;
  occurredAt: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  changes: unknown;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  prevHash: string;
  leafHash: string;
}

/** What an outside auditor does with an entry from the API: recompute its leaf hash from its fields. */
function leafHashOf(e: Entry): string {
  return auditLeafHash({
    leafIndex: e.leafIndex,
    id: e.id,
    occurredAt: new Date(e.occurredAt),
    actorType: e.actor.type,
    actorId: e.actor.id,
    actorName: e.actor.name,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    changes: e.changes,
    reason: e.reason,
    requestId: e.requestId,
    ip: e.ip,
    prevHash: e.prevHash,
  });
}

describe('audit API', () => {
  let t: TestApp;
  let auditorToken: string;
  let dispatcherToken: string;
  let firstHead: { treeSize: number; rootHash: string };
  const get = (url: string, token = auditorToken) => t.app.inject({ url, headers: bearer(token) });

  const addEntries = async (entityId: string, n: number) => {
    for (let i = 0; i < n; i++) {
      await t.deps.tx(systemContext(), async (uow) => {
        uow.audit({ action: 'prueba.creada', entityType: 'prueba', entityId, after: { i, nota: 'ñandú' } });
      });
    }
  };

  beforeAll(async () => {
    t = await buildTestApp();
    const auditor = await makeUser(t.deps, 'auditor');
    const dispatcher = await makeUser(t.deps, 'dispatcher');
    auditorToken = await loginAs(t.app, auditor);
    dispatcherToken = await loginAs(t.app, dispatcher);
    await addEntries('p-1', 5);
    firstHead = (await signAuditTreeHead(auditDeps(t.deps)))!;
    await addEntries('p-2', 13);
    await signAuditTreeHead(auditDeps(t.deps));
    await addEntries('p-3', 2); // not yet covered by a signed head
  });
  afterAll(async () => {
    await t?.close();
  });

  it('requires a session (401) and audit.read / audit.verify (403)', async () => {
    const urls = [
      '/api/v1/audit/tree-head',
      '/api/v1/audit/entries',
      '/api/v1/audit/entries/0',
      '/api/v1/audit/consistency?first=1&second=2',
    ];
    for (const url of urls) {
      const anonymous = await t.app.inject({ url });
      expect(anonymous.statusCode, url).toBe(401);
      expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
      const forbidden = await get(url, dispatcherToken);
      expect(forbidden.statusCode, url).toBe(403);
      expect(forbidden.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('lets a witness API key holding audit.verify fetch tree heads and consistency proofs, nothing else', async () => {
    const auditor = await t.deps.db
      .selectFrom('users')
      .select('id')
      .where('username', 'like', 'auditor.%')
      .executeTakeFirstOrThrow();
    const issue = async (permissions: string[]) => {
      const prefix = randomBytes(6).toString('hex');
      const key = `cnt_${prefix}_${randomBytes(32).toString('base64url')}`;
      await t.deps.db
        .insertInto('api_keys')
        .values({
          id: randomUUID(),
          name: 'Testigo externo',
          prefix,
          key_hash: createHash('sha256').update(key).digest('hex'),
          permissions: JSON.stringify(permissions),
          scope_level: 'national',
          scope_code: null,
          created_by: auditor.id,
          created_at: new Date(),
          expires_at: null,
          revoked_at: null,
          revoked_by: null,
          last_used_at: null,
        })
        .execute();
      return { 'x-api-key': key };
    };
    const witness = await issue(['audit.verify']);
    expect((await t.app.inject({ url: '/api/v1/audit/tree-head', headers: witness })).statusCode).toBe(200);
    const consistency = await t.app.inject({
      url: '/api/v1/audit/consistency?first=1&second=2',
      headers: witness,
    });
    expect(consistency.statusCode).toBe(200);
    const entries = await t.app.inject({ url: '/api/v1/audit/entries', headers: witness });
    expect(entries.statusCode).toBe(403);
    const other = await issue(['identity.users.read']);
    expect((await t.app.inject({ url: '/api/v1/audit/tree-head', headers: other })).statusCode).toBe(403);
  });

  it('serves the latest signed tree head with a signature that verifies with the published key', async () => {
    const res = await get('/api/v1/audit/tree-head');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const size = await currentTreeSize(t.deps.db);
    expect(body.currentTreeSize).toBe(size);
    expect(body.treeHead.treeSize).toBe(size - 2);
    expect(body.key.algorithm).toBe('Ed25519');
    expect(body.treeHead.keyId).toBe(body.key.keyId);
    expect(body.treeHead.signedMessage).toBe(
      `centinela.sth.v1\n${body.treeHead.treeSize}\n${body.treeHead.rootHash}\n${Date.parse(body.treeHead.signedAt)}\n`,
    );
    const publicKey = createPublicKey(body.key.pem);
    const signature = Buffer.from(body.treeHead.signature, 'base64');
    expect(verifySignature(null, Buffer.from(body.treeHead.signedMessage), publicKey, signature)).toBe(true);
    const raw = Buffer.from(body.key.publicKey, 'base64');
    expect(raw.length).toBe(32);
    expect(publicKey.export({ format: 'jwk' }).x).toBe(raw.toString('base64url'));
    // Any change to the signed message breaks the signature.
    const altered = body.treeHead.signedMessage.replace(`\n${body.treeHead.treeSize}\n`, '\n1\n');
    expect(verifySignature(null, Buffer.from(altered), publicKey, signature)).toBe(false);
  });

  it('lists entries newest first with filters and a cursor', async () => {
    const page1 = await get('/api/v1/audit/entries?entityType=prueba&entityId=p-2&limit=5');
    expect(page1.statusCode).toBe(200);
    const body1 = page1.json();
    expect(body1.items).toHaveLength(5);
    expect(body1.items.every((e: Entry) => e.entityId === 'p-2' && e.action === 'prueba.creada')).toBe(true);
    const indexes1 = body1.items.map((e: Entry) => e.leafIndex);
    expect(indexes1).toEqual([...indexes1].sort((a, b) => b - a));
    expect(body1.nextBefore).toBe(indexes1.at(-1));

    const all: Entry[] = [...body1.items];
    let cursor = body1.nextBefore;
    while (cursor !== null) {
      const page = (
        await get(`/api/v1/audit/entries?entityType=prueba&entityId=p-2&limit=5&before=${cursor}`)
      ).json();
      all.push(...page.items);
      cursor = page.nextBefore;
    }
    expect(all).toHaveLength(13);
    expect(new Set(all.map((e) => e.id)).size).toBe(13);
    expect(all.every((e) => leafHashOf(e) === e.leafHash)).toBe(true);
    expect(all[0]!.changes).toEqual({
      i: { before: null, after: 12 },
      nota: { before: null, after: 'ñandú' },
    });

    const byActor = (await get(`/api/v1/audit/entries?action=identity.user.created&limit=200`)).json();
    expect(byActor.items.length).toBeGreaterThanOrEqual(2);
    const none = (await get('/api/v1/audit/entries?actorId=nadie')).json();
    expect(none).toEqual({ items: [], nextBefore: null });

    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await get(`/api/v1/audit/entries?from=${future}`)).json().items).toEqual([]);
    expect((await get(`/api/v1/audit/entries?from=${past}&to=${future}&limit=1`)).json().items).toHaveLength(
      1,
    );
  });

  it('refuses bad list filters with 400', async () => {
    for (const query of ['limit=0', 'limit=201', 'from=ayer', 'before=-1', 'desconocido=1', 'limit=abc']) {
      const res = await get(`/api/v1/audit/entries?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const now = new Date().toISOString();
    const inverted = await get(`/api/v1/audit/entries?from=${now}&to=${now}`);
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json().error.code).toBe('AUDIT_TIME_RANGE_INVALID');
  });

  it('gives an entry with an inclusion proof that verifies against the signed head', async () => {
    const head = (await get('/api/v1/audit/tree-head')).json().treeHead;
    for (let index = 0; index < head.treeSize; index++) {
      const res = await get(`/api/v1/audit/entries/${index}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.treeSize).toBe(head.treeSize);
      expect(body.rootHash).toBe(head.rootHash);
      expect(body.treeHead).toEqual(head);
      expect(leafHashOf(body.entry)).toBe(body.entry.leafHash);
      const proof = body.inclusionProof.map(hex);
      expect(verifyInclusion(hex(body.entry.leafHash), index, head.treeSize, proof, hex(head.rootHash))).toBe(
        true,
      );
      // The same proof does not vouch for another entry.
      expect(verifyInclusion(hex(body.entry.prevHash), index, head.treeSize, proof, hex(head.rootHash))).toBe(
        false,
      );
    }
  });

  it('proves inclusion in an earlier or the current tree size on request', async () => {
    const size = await currentTreeSize(t.deps.db);
    const atFirst = (await get(`/api/v1/audit/entries/2?treeSize=${firstHead.treeSize}`)).json();
    expect(atFirst.rootHash).toBe(firstHead.rootHash);
    expect(atFirst.treeHead.treeSize).toBe(firstHead.treeSize);
    expect(
      verifyInclusion(
        hex(atFirst.entry.leafHash),
        2,
        firstHead.treeSize,
        atFirst.inclusionProof.map(hex),
        hex(firstHead.rootHash),
      ),
    ).toBe(true);

    const newest = (await get(`/api/v1/audit/entries/${size - 1}?treeSize=${size}`)).json();
    expect(newest.treeHead).toBeNull();
    expect(
      verifyInclusion(
        hex(newest.entry.leafHash),
        size - 1,
        size,
        newest.inclusionProof.map(hex),
        hex(newest.rootHash),
      ),
    ).toBe(true);
  });

  it('answers clearly for unknown entries, unsigned entries and impossible tree sizes', async () => {
    const size = await currentTreeSize(t.deps.db);
    const missing = await get(`/api/v1/audit/entries/${size + 10}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('AUDIT_ENTRY_NOT_FOUND');

    const unsigned = await get(`/api/v1/audit/entries/${size - 1}`);
    expect(unsigned.statusCode).toBe(409);
    expect(unsigned.json().error.code).toBe('AUDIT_ENTRY_NOT_YET_SIGNED');
    expect(unsigned.json().error.message).toMatch(/cabeza firmada/);

    for (const treeSize of [3, size + 1]) {
      const res = await get(`/api/v1/audit/entries/3?treeSize=${treeSize}`);
      expect(res.statusCode, String(treeSize)).toBe(400);
      expect(res.json().error.code).toBe('AUDIT_TREE_SIZE_INVALID');
    }
    for (const url of [
      '/api/v1/audit/entries/-1',
      '/api/v1/audit/entries/x',
      '/api/v1/audit/entries/1?treeSize=0',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('gives consistency proofs between tree sizes that verify against both signed roots', async () => {
    const latest = (await get('/api/v1/audit/tree-head')).json().treeHead;
    const res = await get(`/api/v1/audit/consistency?first=${firstHead.treeSize}&second=${latest.treeSize}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.firstRootHash).toBe(firstHead.rootHash);
    expect(body.secondRootHash).toBe(latest.rootHash);
    expect(body.firstTreeHead.treeSize).toBe(firstHead.treeSize);
    expect(body.secondTreeHead).toEqual(latest);
    const proof = body.consistencyProof.map(hex);
    expect(proof.length).toBeGreaterThan(0);
    expect(
      verifyConsistency(
        firstHead.treeSize,
        latest.treeSize,
        hex(firstHead.rootHash),
        hex(latest.rootHash),
        proof,
      ),
    ).toBe(true);
    expect(
      verifyConsistency(
        firstHead.treeSize,
        latest.treeSize,
        hex(latest.rootHash),
        hex(firstHead.rootHash),
        proof,
      ),
    ).toBe(false);

    // Every pair of sizes, signed or not.
    const size = await currentTreeSize(t.deps.db);
    for (let second = 1; second <= size; second += 3) {
      for (let first = 0; first <= second; first += 2) {
        const pair = (await get(`/api/v1/audit/consistency?first=${first}&second=${second}`)).json();
        expect(
          verifyConsistency(
            first,
            second,
            hex(pair.firstRootHash),
            hex(pair.secondRootHash),
            pair.consistencyProof.map(hex),
          ),
          `${first}→${second}`,
        ).toBe(true);
      }
    }
  });

  it('refuses impossible consistency requests with 400', async () => {
    const size = await currentTreeSize(t.deps.db);
    const cases: [string, string][] = [
      [`first=3&second=2`, 'AUDIT_TREE_SIZE_INVALID'],
      [`first=1&second=${size + 1}`, 'AUDIT_TREE_SIZE_INVALID'],
      ['first=1', 'VALIDATION_FAILED'],
      ['first=-1&second=2', 'VALIDATION_FAILED'],
      ['first=1&second=2&x=3', 'VALIDATION_FAILED'],
    ];
    for (const [query, code] of cases) {
      const res = await get(`/api/v1/audit/consistency?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe(code);
    }
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject('/docs/openapi.json')).json();
    for (const path of [
      '/api/v1/audit/tree-head',
      '/api/v1/audit/entries',
      '/api/v1/audit/entries/{leafIndex}',
      '/api/v1/audit/consistency',
    ]) {
      expect(doc.paths[path]?.get?.tags, path).toEqual(['auditoría']);
    }
  });
});

describe('audit API before any head is signed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('says there is no signed tree head yet, then the background signer signs one', async () => {
    const auditor = await makeUser(t.deps, 'auditor');
    const token = await loginAs(t.app, auditor);
    const none = await t.app.inject({ url: '/api/v1/audit/tree-head', headers: bearer(token) });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('AUDIT_NO_TREE_HEAD');

    await t.startBackground();
    let res = none;
    for (let i = 0; i < 100 && res.statusCode !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      res = await t.app.inject({ url: '/api/v1/audit/tree-head', headers: bearer(token) });
    }
    expect(res.statusCode).toBe(200);
    expect(res.json().treeHead.treeSize).toBeGreaterThan(0);
  });
});
