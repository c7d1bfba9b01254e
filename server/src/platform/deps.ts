import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Clock, RequestContext } from './context.js';
import type { DatabaseHandle, Db } from './db/database.js';
import type { UnitOfWork } from './db/transaction.js';
import type { EventsRuntime } from './events/runtime.js';
import type { CommittedEvent } from './events/types.js';
import type { Principal } from './http/principal.js';
import type { Metrics } from './metrics.js';
import type { MqttHub } from './mqtt.js';

export interface Authentication {
  principal: Principal | null;
  mfaPendingUserId: string | null;
}

/** Turns request credentials into a principal. Implemented by the identity module. */
export interface Authenticator {
  /** Returns null principal when no credentials were sent; throws AppError(401) when they are invalid. */
  authenticate(request: FastifyRequest): Promise<Authentication>;
}

/** Everything a module's services may depend on. Built once per app (and per test file). */
export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  db: Db;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** This app's Prometheus registry: modules add gauges/counters here (see platform/metrics.ts). */
  metrics: Metrics;
  /** Runs work in a transaction with its audit entries and outbox events. */
  tx<T>(ctx: RequestContext, work: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  /** Outbox relay, bus and subscriptions (platform/events/runtime.ts); consume with events/consume.ts. */
  events: EventsRuntime;
  /**
   * Set by the events runtime: after a commit that wrote events, wakes the outbox relay and hands the
   * events to this process's `events.listenCommitted` listeners.
   */
  onEventsCommitted?: (events: readonly CommittedEvent[]) => void;
  /** Shared MQTT connection when MQTT_URL is set (AVL positions, Frigate events); null otherwise. */
  mqtt: MqttHub | null;
}
