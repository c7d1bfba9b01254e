import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneBookkeeping, RETENTION } from '../src/platform/retention.js';
import { buildTestApp, type TestApp } from './build-app.js';

const DAY = 86_400_000;

describe('bookkeeping retention', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  function outboxRow(occurredAt: Date, publishedAt: Date | null, publishSeq: number | null) {
    return {
      id: randomUUID(),
      type: 'test.pruned',
      topic: 'test',
      entity_type: null,
      entity_id: null,
      payload: JSON.stringify({}),
      scope: JSON.stringify({}),
      permission: 'test.read',
      actor_type: 'system',
      actor_id: null,
      occurred_at: occurredAt,
      published_at: publishedAt,
      publish_seq: publishSeq,
    };
  }

  it('deletes only expired idempotency keys, published outbox rows and consumed event ids', async () => {
    const now = new Date();
    const old = new Date(now.getTime() - (RETENTION.publishedOutboxDays + 1) * DAY);
    const keyAt = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000);
    await t.deps.db
      .insertInto('idempotency_keys')
      .values(
        [25, 1].map((hoursAgo) => ({
          principal: 'user:retention',
          key: `retention-${hoursAgo}`,
          method: 'POST',
          route: '/api/v1/x',
          body_hash: 'h',
          status_code: 201,
          response_body: '{}',
          content_type: 'application/json',
          created_at: keyAt(hoursAgo),
          completed_at: keyAt(hoursAgo),
        })),
      )
      .execute();
    const oldPublished = outboxRow(old, old, 900_000_001);
    const oldUnpublished = outboxRow(old, null, null);
    const recentPublished = outboxRow(now, now, 900_000_002);
    await t.deps.db.insertInto('outbox').values([oldPublished, oldUnpublished, recentPublished]).execute();
    const oldConsumed = randomUUID();
    const recentConsumed = randomUUID();
    await t.deps.db
      .insertInto('consumed_events')
      .values([
        { consumer: 'retention-test', event_id: oldConsumed, consumed_at: old },
        { consumer: 'retention-test', event_id: recentConsumed, consumed_at: now },
      ])
      .execute();

    const result = await pruneBookkeeping(t.deps.db, now);
    expect(result.idempotencyKeys).toBeGreaterThanOrEqual(1);
    expect(result.outbox).toBeGreaterThanOrEqual(1);
    expect(result.consumedEvents).toBeGreaterThanOrEqual(1);

    const keys = await t.deps.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('principal', '=', 'user:retention')
      .execute();
    expect(keys.map((k) => k.key)).toEqual(['retention-1']);
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('id', 'in', [oldPublished.id, oldUnpublished.id, recentPublished.id])
      .execute();
    expect(outbox.map((o) => o.id).sort()).toEqual([oldUnpublished.id, recentPublished.id].sort());
    const consumed = await t.deps.db
      .selectFrom('consumed_events')
      .select('event_id')
      .where('consumer', '=', 'retention-test')
      .execute();
    expect(consumed.map((c) => c.event_id)).toEqual([recentConsumed]);

    // Nothing left to prune: a second pass deletes nothing.
    expect(await pruneBookkeeping(t.deps.db, now)).toEqual({
      idempotencyKeys: 0,
      outbox: 0,
      consumedEvents: 0,
    });
  });
});
