import { timingSafeEqual } from 'node:crypto';
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';
import type { Config } from '../config.js';
import type { DatabaseHandle } from './db/database.js';
import { definePolicy } from './http/permissions.js';

/**
 * Prometheus metrics. Each app has its own Registry (tests build many apps in one process, and the
 * prom-client global registry would make their metrics collide). Process metrics (CPU, memory, event
 * loop, GC) describe the whole process, so they live in one lazily created process-wide registry that
 * every app's /metrics appends; prom-client's global default registry is never used.
 *
 * Other parts of the server add their own metrics through `deps.metrics`:
 *
 *   deps.metrics.gauge({
 *     name: 'centinela_outbox_lag_events',
 *     help: 'Eventos del outbox aún sin publicar',
 *     collect: async (g) => g.set(await countUnpublished(deps.db)),   // read at scrape time
 *   });
 *   const published = deps.metrics.counter({ name: 'centinela_events_published_total', help: '...',
 *     labelNames: ['topic'] });
 *   published.inc({ topic });
 *
 * Registering the same name again returns the metric already registered (so a module's start() can
 * run twice), as long as it is of the same kind. Names must start with `centinela_`.
 */
export const METRICS_PERMISSION = 'platform.metrics.read';

definePolicy('platform', {
  permissions: [{ code: METRICS_PERMISSION, description: 'Leer las métricas de operación (Prometheus)' }],
  roles: { administrator: [METRICS_PERMISSION] },
});

const NAME_PATTERN = /^centinela_[a-z0-9_]+$/;

type WithoutRegisters<T> = Omit<T, 'registers' | 'collect'>;

export interface Metrics {
  /** This app's registry; pass it in `registers` when creating prom-client metrics by hand. */
  readonly registry: Registry;
  gauge<L extends string = string>(
    config: WithoutRegisters<GaugeConfiguration<L>> & { collect?: (gauge: Gauge<L>) => void | Promise<void> },
  ): Gauge<L>;
  counter<L extends string = string>(config: WithoutRegisters<CounterConfiguration<L>>): Counter<L>;
  histogram<L extends string = string>(config: WithoutRegisters<HistogramConfiguration<L>>): Histogram<L>;
  /** Records one HTTP request (called by the onResponse hook). */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** The whole exposition: this app's metrics followed by the process metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

let processRegistry: Registry | undefined;

function sharedProcessRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'centinela_' });
  }
  return processRegistry;
}

export function createMetrics(database: Pick<DatabaseHandle, 'poolStats' | 'kind'>): Metrics {
  const registry = new Registry();

  function existing<M>(name: string, kind: new (...args: never[]) => M): M | undefined {
    if (!NAME_PATTERN.test(name)) throw new Error(`métrica ${name}: el nombre debe empezar con centinela_`);
    const found = registry.getSingleMetric(name);
    if (!found) return undefined;
    if (!(found instanceof kind)) throw new Error(`métrica ${name}: ya existe con otro tipo`);
    return found as M;
  }

  const metrics: Metrics = {
    registry,
    gauge: (config) => {
      const found = existing(config.name, Gauge);
      if (found) return found;
      const { collect, ...rest } = config;
      return new Gauge({
        ...rest,
        registers: [registry],
        ...(collect
          ? {
              collect: async function (this: Gauge) {
                await collect(this as never);
              },
            }
          : {}),
      }) as never;
    },
    counter: (config) =>
      (existing(config.name, Counter) as never) ?? new Counter({ ...config, registers: [registry] }),
    histogram: (config) =>
      (existing(config.name, Histogram) as never) ?? new Histogram({ ...config, registers: [registry] }),
    observeRequest: (method, route, statusCode, seconds) =>
      httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds),
    render: async () => {
      const own = await registry.metrics();
      const shared = await sharedProcessRegistry().metrics();
      return { contentType: registry.contentType, body: `${own}\n${shared}` };
    },
  };

  const httpDuration = metrics.histogram({
    name: 'centinela_http_request_duration_seconds',
    help: 'Duración de las solicitudes HTTP por método, patrón de ruta y código de estado',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

  const poolLabels = { database: database.kind };
  metrics.gauge({
    name: 'centinela_db_pool_connections',
    help: 'Conexiones del pool de la base de datos (total abiertas)',
    labelNames: ['database'],
    collect: (g) => g.set(poolLabels, database.poolStats().total),
  });
  metrics.gauge({
    name: 'centinela_db_pool_idle_connections',
    help: 'Conexiones del pool de la base de datos libres',
    labelNames: ['database'],
    collect: (g) => g.set(poolLabels, database.poolStats().idle),
  });
  metrics.gauge({
    name: 'centinela_db_pool_waiting_clients',
    help: 'Consultas esperando una conexión libre del pool',
    labelNames: ['database'],
    collect: (g) => g.set(poolLabels, database.poolStats().waiting),
  });
  return metrics;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may scrape /metrics. This is a police system: operational metrics reveal load, routes and
 * activity patterns, so /metrics is not public even on an internal port. Access is granted to
 *   1. a user holding `platform.metrics.read` (administrators), through the normal auth hook;
 *   2. a scraper presenting `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is configured
 *      (compared in constant time; Prometheus supports this with `authorization.credentials`);
 *   3. in development only and only while METRICS_TOKEN is unset, anonymous callers from a loopback
 *      address (a local Prometheus or curl). Never in test or production.
 * Cases 2 and 3 are checked before authentication (the token is not a JWT) by the route's
 * `allowWithoutPrincipal` (see route-config.ts).
 */
export function metricsScraperAllowed(
  config: Pick<Config, 'env' | 'metricsToken'>,
  request: { ip: string; headers: Record<string, string | string[] | undefined> },
): boolean {
  const header = request.headers.authorization;
  if (config.metricsToken) {
    return (
      typeof header === 'string' &&
      header.startsWith('Bearer ') &&
      sameSecret(header.slice(7).trim(), config.metricsToken)
    );
  }
  return config.env === 'development' && header === undefined && LOOPBACK.has(request.ip);
}
