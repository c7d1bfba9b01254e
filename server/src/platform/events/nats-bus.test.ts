import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testConfig } from '../../../test/build-app.js';
import { systemContext } from '../context.js';
import { consume } from './consume.js';
import { eventSubject, NatsJetStreamBus } from './nats-bus.js';
import type { DomainEvent } from './types.js';

/** CI sets TEST_NATS_URL; a local nats-server with JetStream (`nats-server -js`) works too. */
const natsUrl = process.env.TEST_NATS_URL ?? process.env.NATS_URL;

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function event(n: number, overrides: Partial<DomainEvent> = {}): DomainEvent {
  return {
    id: randomUUID(),
    seq: n,
    publishSeq: n,
    type: 'natstest.happened',
    topic: 'natstest',
    entityType: null,
    entityId: null,
    payload: { n },
    scope: {},
    permission: 'natstest.read',
    actor: { type: 'system', id: null },
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

describe.skipIf(!natsUrl)('NATS JetStream bus', () => {
  // Every run gets its own stream and subjects, deleted at the end.
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const stream = `CENTINELA_TEST_${suffix}`;
  const subjectPrefix = `centinela_test.${suffix}.events`;
  const logger = pino({ level: 'silent' });
  const buses: NatsJetStreamBus[] = [];

  async function openBus(): Promise<NatsJetStreamBus> {
    const bus = await NatsJetStreamBus.connect({
      url: natsUrl!,
      logger,
      stream,
      subjectPrefix,
      retryBaseMs: 50,
      maxAgeMs: 3_600_000,
    });
    buses.push(bus);
    return bus;
  }

  let bus: NatsJetStreamBus;
  beforeAll(async () => {
    bus = await openBus();
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(bus.nc);
    await jsm.streams.delete(stream).catch(() => undefined);
    for (const b of buses) await b.close();
  });

  it('builds subjects from topic and type', () => {
    expect(eventSubject('centinela.events', { topic: 'incident', type: 'incident.created' })).toBe(
      'centinela.events.incident.incident.created',
    );
    expect(eventSubject('p', { topic: 'a b', type: 'x.*.>' })).toBe('p.a_b.x._._');
  });

  it('stores published events and a durable consumer receives them in order', async () => {
    const events = [1, 2, 3].map((n) => event(n, { topic: 'ordered', type: 'ordered.step' }));
    for (const e of events) await bus.publish(e);
    const seen: number[] = [];
    const sub = await bus.subscribe(
      'test-ordered',
      async (e) => {
        seen.push(e.payload.n as number);
      },
      { topics: ['ordered'] },
    );
    await waitFor(() => seen.length === 3);
    expect(seen).toEqual([1, 2, 3]);
    await sub.stop();

    // A restarted consumer continues after what it acknowledged.
    await bus.publish(event(4, { topic: 'ordered', type: 'ordered.step' }));
    const resumed: number[] = [];
    const again = await bus.subscribe(
      'test-ordered',
      async (e) => {
        resumed.push(e.payload.n as number);
      },
      { topics: ['ordered'] },
    );
    await waitFor(() => resumed.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(resumed).toEqual([4]);
    await again.stop();
  });

  it('drops a re-published event id (Nats-Msg-Id de-duplication)', async () => {
    const e = event(1, { topic: 'dedupe', type: 'dedupe.once' });
    await bus.publish(e);
    await bus.publish(e);
    await bus.publish({ ...e, publishSeq: 99 });
    const jsm = await jetstreamManager(bus.nc);
    const subject = eventSubject(subjectPrefix, e);
    const info = await jsm.streams.info(stream, { subjects_filter: subject });
    expect(info.state.subjects?.[subject]).toBe(1);
    const seen: string[] = [];
    const sub = await bus.subscribe(
      'test-dedupe',
      async (received) => {
        seen.push(received.id);
      },
      { topics: ['dedupe'] },
    );
    await waitFor(() => seen.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual([e.id]);
    await sub.stop();
  });

  it('redelivers an event whose handler failed', async () => {
    let attempts = 0;
    const done: string[] = [];
    const sub = await bus.subscribe(
      'test-retry',
      async (e) => {
        attempts += 1;
        if (attempts < 3) throw new Error('not yet');
        done.push(e.type);
      },
      { topics: ['retry'] },
    );
    await bus.publish(event(1, { topic: 'retry', type: 'retry.once' }));
    await waitFor(() => done.length === 1);
    expect(attempts).toBe(3);
    await sub.stop();
  });

  it('every instance hears every new event through listen()', async () => {
    const other = await openBus();
    const heardHere: string[] = [];
    const heardThere: string[] = [];
    const a = await bus.listen((e) => heardHere.push(e.id));
    const b = await other.listen((e) => heardThere.push(e.id));
    const e = event(1, { topic: 'broadcast', type: 'broadcast.sent' });
    await other.publish(e);
    await waitFor(() => heardHere.includes(e.id) && heardThere.includes(e.id));
    expect(heardHere.filter((id) => id === e.id)).toHaveLength(1);
    await a.stop();
    await b.stop();
  });

  it('carries outbox events from a transaction to a consumer through NATS', async () => {
    const t = await buildTestApp({
      config: testConfig({ natsUrl }),
      events: { nats: { stream, subjectPrefix, retryBaseMs: 50 } },
    });
    try {
      expect(t.deps.events.bus.kind).toBe('nats');
      const seen: DomainEvent[] = [];
      const sub = await consume(
        t.deps,
        'test-app-pipeline',
        async (e) => {
          seen.push(e);
        },
        { topics: ['pipeline'] },
      );
      await t.deps.tx(systemContext(), async (uow) => {
        uow.emit({ type: 'pipeline.first', payload: { n: 1 } });
        uow.emit({ type: 'pipeline.second', payload: { n: 2 } });
      });
      expect(await t.deps.events.relay.flush()).toBe(2);
      await waitFor(() => seen.length === 2);
      expect(seen.map((e) => e.type)).toEqual(['pipeline.first', 'pipeline.second']);
      expect(seen[1]!.publishSeq).toBe(seen[0]!.publishSeq + 1);

      // The relay publishing the same rows again (a commit that failed after publishing) is harmless.
      await t.deps.events.bus.publish(seen[0]!);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen).toHaveLength(2);
      await sub.stop();
    } finally {
      await t.close();
    }
  }, 120_000);
});
