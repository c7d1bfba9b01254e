import type { DomainEvent } from './types.js';

/**
 * The message bus between the outbox relay and the event consumers.
 *
 * Two kinds of subscription:
 * - `subscribe(consumer, handler)`: a durable, named consumer. Each event reaches the consumer group
 *   once (one server instance handles it), in publication order, at least once: a handler that
 *   throws gets the event again later (with back-off, up to `maxDeliveries` attempts). Handlers
 *   must therefore be idempotent; `consume()` in consume.ts does that with the `consumed_events` table.
 * - `listen(listener)`: every server instance receives every event published from now on (live only,
 *   no history, no retries). The WebSocket hub uses it and replays history from the outbox itself.
 *
 * Implementations: InProcessBus (one process, nothing survives a restart; events already marked
 * published but not yet handled are lost on a crash) and NatsJetStreamBus (durable; what a
 * deployment with several server instances must use).
 */
export interface EventBus {
  readonly kind: 'in-process' | 'nats';
  /** Publishes one event; resolves once the bus has accepted it (JetStream: stored). */
  publish(event: DomainEvent): Promise<void>;
  subscribe(consumer: string, handler: EventHandler, options?: SubscribeOptions): Promise<EventSubscription>;
  listen(listener: EventListener): Promise<EventSubscription>;
  /** False while the bus cannot accept events (e.g. NATS disconnected): the relay waits instead. */
  available(): boolean;
  /** Resolves when every event handed to local handlers so far has been handled (in-process only). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export type EventHandler = (event: DomainEvent) => Promise<void>;
export type EventListener = (event: DomainEvent) => void;

export interface SubscribeOptions {
  /** Only events of these topics (default: all). */
  topics?: readonly string[];
  /**
   * Where a consumer that does not exist yet starts: `all` (default) also processes the events the
   * bus still retains; `new` only events published after it was created. In-process: always `new`.
   */
  startFrom?: 'all' | 'new';
}

export interface EventSubscription {
  stop(): Promise<void>;
}

/** Delivery attempts before an event is given up for a consumer (logged as an error). */
export const DEFAULT_MAX_DELIVERIES = 10;

/** Back-off before delivery attempt `attempt + 1` (attempt counts from 1). */
export function retryDelayMs(attempt: number, baseMs: number, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

const CONSUMER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Consumer names become JetStream durable names: letters, digits, `_` and `-` only. */
export function assertConsumerName(name: string): void {
  if (!CONSUMER_NAME.test(name)) {
    throw new Error(`nombre de consumidor inválido "${name}": use letras, dígitos, _ o - (máximo 64)`);
  }
}

export function topicSelected(topics: readonly string[] | undefined, topic: string): boolean {
  return !topics || topics.length === 0 || topics.includes(topic);
}
