import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { Clock } from '../context.js';
import type { Db } from '../db/database.js';
import type { EventBus, EventHandler, EventListener, EventSubscription, SubscribeOptions } from './bus.js';
import { InProcessBus } from './in-process-bus.js';
import { type NatsBusOptions, NatsJetStreamBus } from './nats-bus.js';
import { createOutboxRelay, type OutboxRelay, type RelayLag, type RelayOptions } from './relay.js';
import type { CommittedEvent } from './types.js';

export type CommittedListener = (event: CommittedEvent) => void;

export interface EventsOptions {
  /** Use this bus instead of choosing one from the config (tests). */
  bus?: EventBus;
  /** NATS settings besides the URL (stream and subject prefix: tests use their own). */
  nats?: Partial<Omit<NatsBusOptions, 'url' | 'logger'>>;
  relay?: Partial<Pick<RelayOptions, 'batchSize' | 'pollIntervalMs' | 'maxBackoffMs'>>;
  /** First retry delay of a failed in-process handler. */
  retryBaseMs?: number;
}

/**
 * `deps.events`: the bus, the outbox relay and the subscriptions of this process.
 * Services never publish directly: they `uow.emit(...)` inside `deps.tx` and the relay publishes after
 * commit. Consumers subscribe with `consume(deps, name, handler)` (consume.ts), which adds
 * idempotency; `subscribe` here is the raw, at-least-once subscription.
 */
export interface EventsRuntime {
  readonly bus: EventBus;
  readonly relay: OutboxRelay;
  subscribe(consumer: string, handler: EventHandler, options?: SubscribeOptions): Promise<EventSubscription>;
  /** Every event published from now on, on every server instance (the WebSocket hub). */
  listen(listener: EventListener): Promise<EventSubscription>;
  /**
   * The events this process commits, synchronously right after each commit (before `deps.tx`
   * returns), for in-memory read models that must read their own writes. Each of them also reaches
   * `listen` later, once published, as do other instances' events: listeners must be idempotent
   * and tolerate seeing an event twice or out of order.
   */
  listenCommitted(listener: CommittedListener): EventSubscription;
  /** Hands events just committed by this process to the `listenCommitted` listeners. */
  committed(events: readonly CommittedEvent[]): void;
  /** Starts the relay (after the modules subscribed their consumers). */
  start(): Promise<void>;
  /** Stops the relay and every subscription, then closes the bus. */
  close(): Promise<void>;
  /** Adds the relay gauges (lag, backlog, last publish_seq) to the app's Prometheus registry. */
  registerMetrics(metrics: MetricsRegistry): void;
}

/** The part of platform/metrics.ts `Metrics` this file uses. */
export interface MetricsRegistry {
  gauge(config: {
    name: string;
    help: string;
    collect?: (gauge: { set(value: number): void }) => void | Promise<void>;
  }): unknown;
}

export interface EventsRuntimeDeps {
  config: Pick<Config, 'natsUrl'>;
  db: Db;
  clock: Clock;
  logger: FastifyBaseLogger;
}

export async function createEventsBus(
  deps: EventsRuntimeDeps,
  options: EventsOptions = {},
): Promise<EventBus> {
  if (options.bus) return options.bus;
  const logger = deps.logger.child({ component: 'events' });
  if (deps.config.natsUrl) {
    return NatsJetStreamBus.connect({ ...options.nats, url: deps.config.natsUrl, logger });
  }
  return new InProcessBus({ logger, ...(options.retryBaseMs ? { retryBaseMs: options.retryBaseMs } : {}) });
}

export async function createEventsRuntime(
  deps: EventsRuntimeDeps,
  options: EventsOptions = {},
): Promise<EventsRuntime> {
  const bus = await createEventsBus(deps, options);
  const relay = createOutboxRelay({
    db: deps.db,
    bus,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'outbox-relay' }),
    ...options.relay,
  });
  const subscriptions = new Set<EventSubscription>();
  const committedListeners = new Set<CommittedListener>();
  let closed = false;

  function tracked(subscription: EventSubscription): EventSubscription {
    const wrapper: EventSubscription = {
      stop: async () => {
        subscriptions.delete(wrapper);
        await subscription.stop();
      },
    };
    subscriptions.add(wrapper);
    return wrapper;
  }

  let lagCache: { at: number; value: Promise<RelayLag> } | null = null;
  function cachedLag(): Promise<RelayLag> {
    // One query per scrape, shared by the gauges below.
    if (!lagCache || Date.now() - lagCache.at > 500) lagCache = { at: Date.now(), value: relay.lag() };
    return lagCache.value;
  }

  return {
    bus,
    relay,
    subscribe: async (consumer, handler, subscribeOptions) =>
      tracked(await bus.subscribe(consumer, handler, subscribeOptions)),
    listen: async (listener) => tracked(await bus.listen(listener)),
    listenCommitted: (listener) => {
      const own: CommittedListener = (event) => listener(event);
      committedListeners.add(own);
      return tracked({
        stop: async () => {
          committedListeners.delete(own);
        },
      });
    },
    committed: (events) => {
      for (const listener of committedListeners) {
        for (const event of events) {
          try {
            listener(event);
          } catch (error) {
            deps.logger.error({ err: error, eventId: event.id }, 'committed-event listener failed');
          }
        }
      }
    },
    start: async () => {
      relay.start();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await relay.stop();
      await Promise.all([...subscriptions].map((s) => s.stop().catch(() => undefined)));
      await bus.close();
    },
    registerMetrics(metrics) {
      metrics.gauge({
        name: 'centinela_outbox_oldest_unpublished_age_seconds',
        help: 'Antigüedad del evento confirmado más antiguo que el relay aún no publicó (0 si ninguno)',
        collect: async (g) => g.set((await cachedLag()).oldestUnpublishedAgeSeconds),
      });
      metrics.gauge({
        name: 'centinela_outbox_unpublished_events',
        help: 'Eventos confirmados en el outbox que aún no se publicaron',
        collect: async (g) => g.set((await cachedLag()).unpublishedCount),
      });
      metrics.gauge({
        name: 'centinela_outbox_last_publish_seq',
        help: 'Último número de publicación (publish_seq) asignado por el relay',
        collect: async (g) => g.set((await cachedLag()).lastPublishSeq),
      });
      metrics.gauge({
        name: 'centinela_outbox_relay_failures',
        help: 'Ciclos del relay de este proceso que fallaron desde el arranque',
        collect: async (g) => g.set((await cachedLag()).failuresTotal),
      });
    },
  };
}
