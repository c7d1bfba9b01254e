import type { FastifyBaseLogger } from 'fastify';
import {
  assertConsumerName,
  DEFAULT_MAX_DELIVERIES,
  type EventBus,
  type EventHandler,
  type EventListener,
  type EventSubscription,
  retryDelayMs,
  type SubscribeOptions,
  topicSelected,
} from './bus.js';
import type { DomainEvent } from './types.js';

export interface InProcessBusOptions {
  logger: Pick<FastifyBaseLogger, 'error' | 'warn'>;
  maxDeliveries?: number;
  /** First retry delay; doubles on every failed attempt (capped at 30 s). */
  retryBaseMs?: number;
}

type QueueOptions = Required<InProcessBusOptions>;

/**
 * One queue per durable consumer, handled one event at a time so each consumer sees events in
 * publication order. A failing event is retried (blocking the queue behind it, to keep the order)
 * and dropped with an error log after `maxDeliveries` attempts.
 */
class ConsumerQueue {
  private readonly queue: DomainEvent[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;
  private wakeRetry: (() => void) | null = null;

  constructor(
    readonly name: string,
    private readonly handler: EventHandler,
    private readonly topics: readonly string[] | undefined,
    private readonly options: QueueOptions,
  ) {}

  offer(event: DomainEvent): void {
    if (this.stopped || !topicSelected(this.topics, event.topic)) return;
    this.queue.push(event);
    this.kick();
  }

  private kick(): void {
    if (this.running) return;
    this.running = (async () => {
      try {
        await this.drain();
      } finally {
        this.running = null;
        // An event offered while the loop was finishing would otherwise wait for the next offer.
        if (!this.stopped && this.queue.length > 0) this.kick();
      }
    })();
  }

  busy(): boolean {
    return this.running !== null;
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    this.wakeRetry?.();
    await this.idle();
  }

  private async drain(): Promise<void> {
    let attempt = 0;
    while (!this.stopped && this.queue.length > 0) {
      const event = this.queue[0]!;
      attempt += 1;
      try {
        await this.handler(event);
      } catch (error) {
        if (attempt < this.options.maxDeliveries) {
          this.options.logger.warn(
            { err: error, consumer: this.name, eventId: event.id, type: event.type, attempt },
            'event handler failed; will retry',
          );
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, retryDelayMs(attempt, this.options.retryBaseMs));
            this.wakeRetry = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wakeRetry = null;
          continue;
        }
        this.options.logger.error(
          { err: error, consumer: this.name, eventId: event.id, type: event.type, attempt },
          'event handler failed too many times; event dropped for this consumer',
        );
      }
      this.queue.shift();
      attempt = 0;
    }
  }
}

/** The bus of a single server process (the default when NATS_URL is not set). */
export class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly consumers = new Map<string, ConsumerQueue>();
  private readonly listeners = new Set<EventListener>();
  private readonly options: QueueOptions;
  private closed = false;

  constructor(options: InProcessBusOptions) {
    this.options = {
      logger: options.logger,
      maxDeliveries: options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
      retryBaseMs: options.retryBaseMs ?? 250,
    };
  }

  async publish(event: DomainEvent): Promise<void> {
    if (this.closed) throw new Error('el bus de eventos está cerrado');
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.error({ err: error, eventId: event.id }, 'event listener failed');
      }
    }
    for (const consumer of this.consumers.values()) consumer.offer(event);
  }

  async subscribe(
    consumer: string,
    handler: EventHandler,
    options: SubscribeOptions = {},
  ): Promise<EventSubscription> {
    assertConsumerName(consumer);
    if (this.consumers.has(consumer)) throw new Error(`el consumidor ${consumer} ya está suscrito`);
    const queue = new ConsumerQueue(consumer, handler, options.topics, this.options);
    this.consumers.set(consumer, queue);
    return {
      stop: async () => {
        if (this.consumers.get(consumer) === queue) this.consumers.delete(consumer);
        await queue.stop();
      },
    };
  }

  async listen(listener: EventListener): Promise<EventSubscription> {
    const own: EventListener = (event) => listener(event);
    this.listeners.add(own);
    return {
      stop: async () => {
        this.listeners.delete(own);
      },
    };
  }

  available(): boolean {
    return !this.closed;
  }

  async settled(): Promise<void> {
    // Handling one consumer's event may hand more events to others: wait until all are quiet.
    for (;;) {
      const busy = [...this.consumers.values()].filter((c) => c.busy());
      if (busy.length === 0) return;
      await Promise.all(busy.map((c) => c.idle()));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await Promise.all([...this.consumers.values()].map((c) => c.stop()));
    this.consumers.clear();
  }
}
