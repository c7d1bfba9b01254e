import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Clock, RequestContext } from './context.js';
import type { DatabaseHandle, Db } from './db/database.js';
import type { UnitOfWork } from './db/transaction.js';
import type { EventsRuntime } from './events/runtime.js';
import type { Principal } from './http/principal.js';
import type { MqttHub } from './mqtt.js';
import type { Metrics } from './metrics.js';

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
  /** Set by the events runtime: wakes the outbox relay after a commit that wrote events. */
  onEventsCommitted?: () => void;
  /** Shared MQTT connection when MQTT_URL is set (AVL positions, Frigate events); null otherwise. */
  mqtt: MqttHub | null;
}
