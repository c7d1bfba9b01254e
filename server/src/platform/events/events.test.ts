import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-app.js';
import { systemContext } from '../context.js';
import { consume } from './consume.js';
import type { DomainEvent, EventInput } from './types.js';

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('events runtime (in-process bus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ events: { retryBaseMs: 5 } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function emit(...events: EventInput[]): Promise<void> {
    await t.deps.tx(systemContext(), async (uow) => {
      for (const e of events) uow.emit(e);
    });
  }

  it('delivers events emitted in transactions to a consumer in order, exactly once', async () => {
    const seen: DomainEvent[] = [];
    const sub = await consume(t.deps, 'test-order', async (event) => {
      seen.push(event);
    });
    await emit(
      { type: 'ordertest.opened', payload: { n: 1 } },
      { type: 'ordertest.updated', payload: { n: 2 } },
    );
    await emit({ type: 'ordertest.closed', payload: { n: 3 }, scope: { department: 'SV-SS' } });
    await t.deps.events.relay.flush();
    expect(seen.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    expect(seen.map((e) => e.type)).toEqual(['ordertest.opened', 'ordertest.updated', 'ordertest.closed']);
    expect(seen[2]?.scope).toEqual({ department: 'SV-SS' });
    expect(seen[1]!.publishSeq).toBe(seen[0]!.publishSeq + 1);

    await t.deps.events.relay.flush();
    expect(seen).toHaveLength(3);
    await sub.stop();
  });

  it('handles a redelivered event once and commits the handler writes with the claim', async () => {
    let calls = 0;
    const sub = await consume(
      t.deps,
      'test-dedupe',
      async (event, uow) => {
        calls += 1;
        uow.emit({ type: 'dedupefollowup.created', payload: { of: event.id } });
      },
      { topics: ['dedupetest'] },
    );
    await emit({ type: 'dedupetest.source', payload: {} });
    await t.deps.events.relay.flush();
    expect(calls).toBe(1);
    const source = await t.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'dedupetest.source')
      .executeTakeFirstOrThrow();

    // The bus delivers the same event again (e.g. a NATS redelivery after a crash before the ack).
    const again: DomainEvent = {
      id: source.id,
      seq: Number(source.seq),
      publishSeq: Number(source.publish_seq),
      type: source.type,
      topic: source.topic,
      entityType: null,
      entityId: null,
      payload: {},
      scope: {},
      permission: 'dedupetest.read',
      actor: { type: 'system', id: null },
      occurredAt: source.occurred_at.toISOString(),
    };
    await t.deps.events.bus.publish(again);
    await t.deps.events.bus.publish(again);
    await t.deps.events.relay.flush();
    expect(calls).toBe(1);

    const followups = await t.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'dedupefollowup.created')
      .execute();
    expect(followups).toHaveLength(1);
    const claims = await t.deps.db
      .selectFrom('consumed_events')
      .selectAll()
      .where('consumer', '=', 'test-dedupe')
      .execute();
    expect(claims.map((c) => c.event_id)).toEqual([source.id]);
    await sub.stop();
  });

  it('retries a failing handler and rolls back the failed attempt', async () => {
    let calls = 0;
    const sub = await consume(
      t.deps,
      'test-retry',
      async (event, uow) => {
        calls += 1;
        uow.emit({ type: 'retryfollowup.created', payload: { of: event.id, attempt: calls } });
        if (calls < 3) throw new Error('temporarily broken');
      },
      { topics: ['retrytest'] },
    );
    await emit({ type: 'retrytest.source', payload: {} });
    await t.deps.events.relay.flush();
    expect(calls).toBe(3);
    const followups = await t.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'retryfollowup.created')
      .execute();
    expect(followups.map((f) => (f.payload as unknown as { attempt: number }).attempt)).toEqual([3]);
    await sub.stop();
  });

  it('filters a subscription by topic', async () => {
    const seen: string[] = [];
    const sub = await t.deps.events.subscribe(
      'test-topics',
      async (event) => {
        seen.push(event.type);
      },
      { topics: ['alpha'] },
    );
    await emit(
      { type: 'alpha.one', payload: {} },
      { type: 'beta.one', payload: {} },
      { type: 'alpha.two', payload: {} },
    );
    await t.deps.events.relay.flush();
    expect(seen).toEqual(['alpha.one', 'alpha.two']);
    await sub.stop();
  });

  it('refuses consumer names that cannot be durable names', async () => {
    await expect(consume(t.deps, 'bad name.with dots', async () => undefined)).rejects.toThrow(
      'nombre de consumidor inválido',
    );
  });

  it('once started, publishes on commit without an explicit flush', async () => {
    const seen: string[] = [];
    const sub = await consume(t.deps, 'test-background', async (event) => {
      seen.push(event.type);
    });
    await t.startBackground();
    await emit({ type: 'backgroundtest.happened', payload: {} });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(['backgroundtest.happened']);
    // The handler may run before the relay's own transaction has committed: wait for it.
    await waitFor(async () => (await t.deps.events.relay.lag()).unpublishedCount === 0);
    const lag = await t.deps.events.relay.lag();
    expect(lag.publishedTotal).toBeGreaterThan(0);
    await sub.stop();
  });
});
