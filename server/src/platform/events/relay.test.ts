import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-app.js';
import { systemContext } from '../context.js';
import type { EventBus, EventSubscription } from './bus.js';
import { createOutboxRelay, RELAY_LOCK } from './relay.js';
import type { DomainEvent, EventInput } from './types.js';

/** A bus that records what it is given and can be told to fail. */
function recordingBus(): EventBus & { published: DomainEvent[]; failAfter: number | null } {
  const bus = {
    kind: 'in-process' as const,
    published: [] as DomainEvent[],
    failAfter: null as number | null,
    async publish(event: DomainEvent) {
      if (bus.failAfter !== null && bus.published.length >= bus.failAfter) throw new Error('bus down');
      await new Promise((resolve) => setImmediate(resolve));
      bus.published.push(event);
    },
    async subscribe(): Promise<EventSubscription> {
      throw new Error('not used');
    },
    async listen(): Promise<EventSubscription> {
      throw new Error('not used');
    },
    available: () => true,
    settled: async () => undefined,
    close: async () => undefined,
  };
  return bus;
}

describe('outbox relay', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    // Each test starts with everything published, so it only sees its own rows.
    await t.deps.events.relay.flush();
  });

  async function emit(...events: EventInput[]): Promise<void> {
    await t.deps.tx(systemContext(), async (uow) => {
      for (const e of events) uow.emit(e);
    });
  }

  function demo(n: number): EventInput {
    return { type: 'relaytest.happened', payload: { n } };
  }

  async function unpublished(): Promise<number> {
    const row = await t.deps.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('publishes committed events in seq order with consecutive publish_seq, each once', async () => {
    const bus = recordingBus();
    const relay = createOutboxRelay({
      db: t.deps.db,
      bus,
      clock: t.deps.clock,
      logger: t.deps.logger,
      batchSize: 7,
    });
    const before = (await relay.lag()).lastPublishSeq;
    await emit(demo(1), demo(2), demo(3));
    for (let n = 4; n <= 25; n += 1) await emit(demo(n));
    expect(await relay.flush()).toBe(25);
    expect(bus.published.map((e) => e.payload.n)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(bus.published.map((e) => e.publishSeq)).toEqual(
      Array.from({ length: 25 }, (_, i) => before + i + 1),
    );
    const seqs = bus.published.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(bus.published[0]).toMatchObject({
      type: 'relaytest.happened',
      topic: 'relaytest',
      permission: 'relaytest.read',
      scope: {},
      actor: { type: 'system', id: null },
    });

    // Stored numbers match what was published; nothing is published twice.
    const rows = await t.deps.db
      .selectFrom('outbox')
      .select(['id', 'publish_seq', 'published_at'])
      .where(
        'id',
        'in',
        bus.published.map((e) => e.id),
      )
      .execute();
    const stored = new Map(rows.map((r) => [r.id, Number(r.publish_seq)]));
    for (const e of bus.published) expect(stored.get(e.id)).toBe(e.publishSeq);
    expect(rows.every((r) => r.published_at !== null)).toBe(true);
    expect(await relay.flush()).toBe(0);
    expect(bus.published).toHaveLength(25);
    expect(await relay.lag()).toMatchObject({
      unpublishedCount: 0,
      oldestUnpublishedAgeSeconds: 0,
      lastPublishSeq: before + 25,
    });
  });

  it('keeps the published prefix when the bus fails and resumes without loss or duplicates', async () => {
    const bus = recordingBus();
    const relay = createOutboxRelay({ db: t.deps.db, bus, clock: t.deps.clock, logger: t.deps.logger });
    await emit(demo(1), demo(2), demo(3), demo(4), demo(5));
    bus.failAfter = 2;
    await expect(relay.flush()).rejects.toThrow('bus down');
    expect(bus.published.map((e) => e.payload.n)).toEqual([1, 2]);
    expect(await unpublished()).toBe(3);
    const lag = await relay.lag();
    expect(lag.unpublishedCount).toBe(3);
    expect(lag.failuresTotal).toBe(1);

    bus.failAfter = bus.published.length; // still down: nothing more goes out
    await expect(relay.flush()).rejects.toThrow('bus down');
    expect(bus.published).toHaveLength(2);

    bus.failAfter = null;
    expect(await relay.flush()).toBe(3);
    expect(bus.published.map((e) => e.payload.n)).toEqual([1, 2, 3, 4, 5]);
    const numbers = bus.published.map((e) => e.publishSeq);
    expect(numbers.slice(1).every((n, i) => n === numbers[i]! + 1)).toBe(true);
    expect(new Set(bus.published.map((e) => e.id)).size).toBe(5);
  });

  it('publishes nothing from a rolled-back transaction', async () => {
    const bus = recordingBus();
    const relay = createOutboxRelay({ db: t.deps.db, bus, clock: t.deps.clock, logger: t.deps.logger });
    await expect(
      t.deps.tx(systemContext(), async (uow) => {
        uow.emit(demo(1));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await relay.flush()).toBe(0);
    expect(bus.published).toHaveLength(0);
  });

  it('two relays on one database publish every event exactly once (advisory lock)', async () => {
    const a = recordingBus();
    const b = recordingBus();
    const relayA = createOutboxRelay({
      db: t.deps.db,
      bus: a,
      clock: t.deps.clock,
      logger: t.deps.logger,
      batchSize: 5,
    });
    const relayB = createOutboxRelay({
      db: t.deps.db,
      bus: b,
      clock: t.deps.clock,
      logger: t.deps.logger,
      batchSize: 5,
    });
    for (let n = 1; n <= 40; n += 1) await emit(demo(n));
    await Promise.all([relayA.flush(), relayB.flush(), relayA.flush(), relayB.flush()]);
    const all = [...a.published, ...b.published].sort((x, y) => x.publishSeq - y.publishSeq);
    expect(all).toHaveLength(40);
    expect(new Set(all.map((e) => e.id)).size).toBe(40);
    expect(new Set(all.map((e) => e.publishSeq)).size).toBe(40);
    // Publication order follows the outbox order.
    expect(all.map((e) => e.payload.n)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await unpublished()).toBe(0);
  });

  it('does not publish while another process holds the relay lock (PostgreSQL)', async (ctx) => {
    // PGlite has one connection: another transaction cannot hold the lock while the relay runs.
    if (t.deps.database.kind !== 'postgres') ctx.skip();
    const bus = recordingBus();
    const relay = createOutboxRelay({ db: t.deps.db, bus, clock: t.deps.clock, logger: t.deps.logger });
    await emit(demo(1));
    await t.deps.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${RELAY_LOCK[0]}, ${RELAY_LOCK[1]})`.execute(trx);
      await expect(relay.flush({ timeoutMs: 300 })).rejects.toThrow('timed out');
      expect(bus.published).toHaveLength(0);
    });
    expect(await relay.flush()).toBe(1);
    expect(bus.published).toHaveLength(1);
  });

  it('reports the age of the oldest unpublished event', async () => {
    const bus = recordingBus();
    let now = new Date('2026-03-01T10:00:00Z');
    const clock = { now: () => now };
    const relay = createOutboxRelay({ db: t.deps.db, bus, clock, logger: t.deps.logger });
    await t.deps.db
      .insertInto('outbox')
      .values({
        id: crypto.randomUUID(),
        type: 'relaytest.old',
        topic: 'relaytest',
        payload: '{}',
        scope: '{}',
        permission: 'relaytest.read',
        actor_type: 'system',
        actor_id: null,
        occurred_at: new Date('2026-03-01T09:59:30Z'),
      })
      .execute();
    expect(await relay.lag()).toMatchObject({ oldestUnpublishedAgeSeconds: 30, unpublishedCount: 1 });
    now = new Date('2026-03-01T10:01:00Z');
    expect((await relay.lag()).oldestUnpublishedAgeSeconds).toBe(90);
    await relay.flush();
    expect(await relay.lag()).toMatchObject({ oldestUnpublishedAgeSeconds: 0, unpublishedCount: 0 });
  });
});
