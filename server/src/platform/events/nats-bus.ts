import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
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

export interface NatsBusOptions {
  url: string;
  logger: Pick<FastifyBaseLogger, 'error' | 'warn' | 'info'>;
  /** JetStream stream holding the events. */
  stream?: string;
  /** Subject prefix; each event goes to `<prefix>.<topic>.<type>`. */
  subjectPrefix?: string;
  /** How long the stream keeps events (durable consumers that were down catch up within it). */
  maxAgeMs?: number;
  /** Window in which a re-published event id is recognised and dropped. */
  duplicateWindowMs?: number;
  maxDeliveries?: number;
  retryBaseMs?: number;
  /** How long a handler may run before JetStream redelivers its event. */
  ackWaitMs?: number;
  publishTimeoutMs?: number;
  connectionName?: string;
}

export const DEFAULT_STREAM = 'CENTINELA_EVENTS';
export const DEFAULT_SUBJECT_PREFIX = 'centinela.events';

/** One subject token: NATS forbids `.`, `*`, `>` and whitespace inside a token. */
function token(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_-]/g, '_');
  return cleaned.length > 0 ? cleaned : '_';
}

/** `<prefix>.<topic>.<type tokens>`, e.g. `centinela.events.incident.incident.created`. */
export function eventSubject(prefix: string, event: Pick<DomainEvent, 'topic' | 'type'>): string {
  return [prefix, token(event.topic), ...event.type.split('.').map(token)].join('.');
}

export function topicFilter(prefix: string, topic: string): string {
  return `${prefix}.${token(topic)}.>`;
}

function isNotFound(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/**
 * NATS JetStream bus. Events are stored in one stream; the event id is the message id
 * (`Nats-Msg-Id`), so a relay that publishes the same event twice (after a crash or a failed commit)
 * stores it once. Durable consumers are JetStream pull consumers shared by all server instances:
 * each event is handled by one instance, one at a time per consumer (max_ack_pending 1) so the order
 * is kept. `listen` uses one ordered (ephemeral) consumer per instance that starts at the end of the
 * stream, so every instance's WebSocket hub sees every new event.
 */
export class NatsJetStreamBus implements EventBus {
  readonly kind = 'nats' as const;
  private connected = true;
  private closed = false;
  private readonly subscriptions = new Set<EventSubscription>();
  private readonly listeners = new Set<EventListener>();
  private broadcast: Promise<EventSubscription> | null = null;
  readonly stream: string;
  readonly subjectPrefix: string;

  private constructor(
    readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: NatsBusOptions,
  ) {
    this.stream = options.stream ?? DEFAULT_STREAM;
    this.subjectPrefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
    void this.watchStatus();
  }

  static async connect(options: NatsBusOptions): Promise<NatsJetStreamBus> {
    const nc = await connect({
      servers: options.url,
      name: options.connectionName ?? 'centinela',
      maxReconnectAttempts: -1,
    });
    try {
      const jsm = await jetstreamManager(nc);
      const bus = new NatsJetStreamBus(nc, jetstream(nc), jsm, options);
      await bus.ensureStream();
      return bus;
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect') {
        this.connected = false;
        this.options.logger.warn({ server: status.server }, 'NATS disconnected');
      } else if (status.type === 'reconnect') {
        this.connected = true;
        this.options.logger.info({ server: status.server }, 'NATS reconnected');
      }
    }
  }

  private async ensureStream(): Promise<void> {
    const subjects = [`${this.subjectPrefix}.>`];
    const config = {
      subjects,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(this.options.maxAgeMs ?? 7 * 24 * 3600 * 1000),
      duplicate_window: nanos(this.options.duplicateWindowMs ?? 2 * 60 * 1000),
    };
    try {
      const info = await this.jsm.streams.info(this.stream);
      const missing = subjects.filter((s) => !info.config.subjects?.includes(s));
      if (missing.length > 0) {
        await this.jsm.streams.update(this.stream, {
          ...config,
          subjects: [...(info.config.subjects ?? []), ...missing],
        });
      }
    } catch (error) {
      if (!isNotFound(error, JetStreamApiCodes.StreamNotFound)) throw error;
      await this.jsm.streams.add({ name: this.stream, ...config });
    }
  }

  async publish(event: DomainEvent): Promise<void> {
    if (this.closed) throw new Error('el bus de eventos está cerrado');
    await this.js.publish(eventSubject(this.subjectPrefix, event), JSON.stringify(event), {
      msgID: event.id,
      timeout: this.options.publishTimeoutMs ?? 5_000,
    });
  }

  async subscribe(
    consumer: string,
    handler: EventHandler,
    options: SubscribeOptions = {},
  ): Promise<EventSubscription> {
    assertConsumerName(consumer);
    const topics = options.topics && options.topics.length > 0 ? options.topics : undefined;
    const maxDeliveries = this.options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
    const retryBaseMs = this.options.retryBaseMs ?? 1_000;
    // One topic is filtered by the server; several are filtered here (filter_subjects needs
    // nats-server 2.10, and the Debian package ships 2.9).
    const filter =
      topics?.length === 1 ? topicFilter(this.subjectPrefix, topics[0]!) : `${this.subjectPrefix}.>`;
    const wanted: Partial<ConsumerConfig> = {
      durable_name: consumer,
      ack_policy: AckPolicy.Explicit,
      filter_subject: filter,
      max_ack_pending: 1,
      max_deliver: maxDeliveries,
      ack_wait: nanos(this.options.ackWaitMs ?? 60_000),
    };
    try {
      const info = await this.jsm.consumers.info(this.stream, consumer);
      if (info.config.filter_subject !== filter || info.config.max_deliver !== maxDeliveries) {
        await this.jsm.consumers.update(this.stream, consumer, {
          filter_subject: filter,
          max_deliver: maxDeliveries,
        });
      }
    } catch (error) {
      if (!isNotFound(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
      await this.jsm.consumers.add(this.stream, {
        ...wanted,
        deliver_policy: options.startFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      });
    }
    const messages = await (await this.js.consumers.get(this.stream, consumer)).consume({ max_messages: 16 });
    const loop = (async () => {
      for await (const msg of messages) {
        await this.handle(consumer, msg, handler, topics, maxDeliveries, retryBaseMs);
      }
    })().catch((error: unknown) => {
      if (!this.closed) this.options.logger.error({ err: error, consumer }, 'NATS consumer stopped');
    });
    return this.track(messages, loop);
  }

  private async handle(
    consumer: string,
    msg: JsMsg,
    handler: EventHandler,
    topics: readonly string[] | undefined,
    maxDeliveries: number,
    retryBaseMs: number,
  ): Promise<void> {
    let event: DomainEvent;
    try {
      event = msg.json<DomainEvent>();
    } catch (error) {
      this.options.logger.error({ err: error, consumer, subject: msg.subject }, 'unreadable event dropped');
      msg.term('unreadable');
      return;
    }
    if (!topicSelected(topics, event.topic)) {
      msg.ack();
      return;
    }
    const attempt = msg.info.deliveryCount;
    try {
      await handler(event);
      msg.ack();
    } catch (error) {
      if (attempt < maxDeliveries) {
        this.options.logger.warn(
          { err: error, consumer, eventId: event.id, type: event.type, attempt },
          'event handler failed; will retry',
        );
        msg.nak(retryDelayMs(attempt, retryBaseMs));
      } else {
        this.options.logger.error(
          { err: error, consumer, eventId: event.id, type: event.type, attempt },
          'event handler failed too many times; event dropped for this consumer',
        );
        msg.term('handler failed');
      }
    }
  }

  async listen(listener: EventListener): Promise<EventSubscription> {
    this.listeners.add(listener);
    try {
      if (!this.broadcast) this.broadcast = this.startBroadcast();
      await this.broadcast;
    } catch (error) {
      this.broadcast = null;
      this.listeners.delete(listener);
      throw error;
    }
    return {
      stop: async () => {
        this.listeners.delete(listener);
      },
    };
  }

  /** One ordered consumer per process, starting after the last event stored now. */
  private async startBroadcast(): Promise<EventSubscription> {
    const info = await this.jsm.streams.info(this.stream);
    const consumer = await this.js.consumers.get(this.stream, {
      filter_subjects: `${this.subjectPrefix}.>`,
      opt_start_seq: info.state.last_seq + 1,
    });
    const messages = await consumer.consume();
    const loop = (async () => {
      for await (const msg of messages) {
        let event: DomainEvent;
        try {
          event = msg.json<DomainEvent>();
        } catch {
          continue;
        }
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch (error) {
            this.options.logger.error({ err: error, eventId: event.id }, 'event listener failed');
          }
        }
      }
    })().catch((error: unknown) => {
      if (!this.closed) this.options.logger.error({ err: error }, 'NATS broadcast consumer stopped');
    });
    return this.track(messages, loop);
  }

  private track(messages: ConsumerMessages, loop: Promise<void>): EventSubscription {
    const subscription: EventSubscription = {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await messages.close();
        await loop;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  available(): boolean {
    return !this.closed && this.connected && !this.nc.isClosed();
  }

  async settled(): Promise<void> {
    // Deliveries happen in JetStream; there is nothing local to wait for.
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop().catch(() => undefined)));
    this.listeners.clear();
    await this.nc.drain().catch(() => this.nc.close());
  }
}
