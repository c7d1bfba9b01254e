import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createIdentityAuthenticator } from './modules/identity/index.js';
import { allModules } from './modules/index.js';
import { type Clock, type RequestContext, systemClock } from './platform/context.js';
import { type DatabaseHandle, openDatabase } from './platform/db/database.js';
import { type MigrationSource, migrate } from './platform/db/migrate.js';
import { runInTransaction } from './platform/db/transaction.js';
import type { AppDeps } from './platform/deps.js';
import { createEventsRuntime, type EventsOptions } from './platform/events/runtime.js';
import { registerAuthHook } from './platform/http/auth-hook.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { AppError } from './platform/http/errors.js';
import { registerHealthRoutes } from './platform/http/health.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { registerMetricsRoutes } from './platform/http/metrics-route.js';
import type { RouteAccess } from './platform/http/route-config.js';
import { registerWebApp } from './platform/http/web.js';
import { createLogger } from './platform/logging.js';
import { createMetrics } from './platform/metrics.js';
import type { DemoCredential, ModuleDefinition } from './platform/module.js';
import { createMqttHub } from './platform/mqtt.js';
import { type RealtimeOptions, registerRealtimeHub } from './platform/realtime/hub.js';
import { type RetentionJob, startRetentionJob } from './platform/retention.js';
import './platform/i18n/platform-messages.js';

export interface BuildAppOptions {
  config: Config;
  /** Use an existing database (tests share one per file); otherwise one is opened from config. */
  database?: DatabaseHandle;
  clock?: Clock;
  modules?: ModuleDefinition[];
  /** Seed demo data (defaults to config.seedDemo). */
  seedDemo?: boolean;
  /** Logger destination (tests capture logs to check that no secrets leak). */
  logStream?: NodeJS.WritableStream;
  /** Bus and relay settings (tests inject a bus or shorten intervals). */
  events?: EventsOptions;
  /** WebSocket hub settings (tests shorten the timers). */
  realtime?: Partial<RealtimeOptions>;
  /** Folder of the built web app served at `/` (default web/dist); false serves the API only. */
  webRoot?: string | false;
}

/** A registered route, one per method (the authorization test enumerates these). */
export interface RegisteredRoute {
  method: string;
  url: string;
  config: RouteAccess;
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: AppDeps;
  demoCredentials: DemoCredential[];
  /** Every route registered on the app, with its access declaration. */
  routes: RegisteredRoute[];
  /** Starts background work (outbox relay, audit signer, consumers). */
  startBackground(): Promise<void>;
  close(): Promise<void>;
}

const platformDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'platform');

export function migrationSources(modules: ModuleDefinition[]): MigrationSource[] {
  return [
    { module: 'platform', dir: path.join(platformDir, 'migrations') },
    ...modules.filter((m) => m.migrationsDir).map((m) => ({ module: m.name, dir: m.migrationsDir! })),
  ];
}

export async function buildApp(options: BuildAppOptions): Promise<BuiltApp> {
  const { config } = options;
  const modules = options.modules ?? allModules();
  const clock = options.clock ?? systemClock;
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: path.join(config.dataDir, 'pglite'),
      poolMax: config.databasePoolMax,
    }));
  const sources = migrationSources(modules);
  await migrate(database, sources);

  const logger = createLogger(config, options.logStream);
  const app = Fastify({
    loggerInstance: logger,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const events = await createEventsRuntime(
    { config, db: database.db, clock, logger: app.log },
    options.events,
  );
  const deps: AppDeps = {
    config,
    database,
    db: database.db,
    clock,
    logger: app.log,
    metrics: createMetrics(database),
    tx: <T>(ctx: RequestContext, work: Parameters<AppDeps['tx']>[1]) =>
      runInTransaction(
        { db: database.db, clock, onEventsCommitted: (committed) => deps.onEventsCommitted?.(committed) },
        ctx,
        work as never,
      ) as Promise<T>,
    events,
    onEventsCommitted: (committed) => {
      events.relay.wake();
      events.committed(committed);
    },
    mqtt: config.mqttUrl ? createMqttHub(config.mqttUrl, app.log) : null,
  };
  events.registerMetrics(deps.metrics);

  const routes: RegisteredRoute[] = [];
  // Registered before the plugins so that every route (theirs included) passes through it, and before
  // @fastify/rate-limit, whose own onRoute hook reads `config.rateLimit` set here.
  app.addHook('onRoute', (route) => {
    const perMinute = route.config?.rateLimitPerMinute;
    if (perMinute) route.config = { ...route.config, rateLimit: { max: perMinute, timeWindow: '1 minute' } };
    if (route.url.startsWith('/docs')) route.config = { ...route.config, public: true };
    // @fastify/cors answers preflights in its hook; this catch-all only sees non-preflight OPTIONS (404).
    if (route.method === 'OPTIONS' && route.url === '*') route.config = { ...route.config, public: true };
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, config: (route.config ?? {}) as RouteAccess });
    }
  });

  registerErrorHandling(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const production = config.env === 'production';
  await app.register(helmet, {
    global: true,
    // HTTPS-only directives would break plain-http development (e.g. a phone testing on the LAN).
    hsts: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    contentSecurityPolicy: {
      directives: {
        'upgrade-insecure-requests': production ? [] : null,
        // The web app: its WebSocket (/ws), MapLibre's worker and generated images (QR codes, map sprites).
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'worker-src': ["'self'", 'blob:'],
        'img-src': ["'self'", 'data:', 'blob:'],
      },
    },
  });
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
  });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitMax,
    timeWindow: '1 minute',
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', 429, { retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Centinela API',
        version: '0.1.0',
        description:
          'API de Centinela (MJSP El Salvador): sistema de emergencias 911, fondos a ONG y controles internos.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/docs/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const authenticator = createIdentityAuthenticator(deps);
  registerAuthHook(app, authenticator);
  registerIdempotency(app, database.db);
  registerHealthRoutes(app, deps, sources);
  registerMetricsRoutes(app, deps);
  await registerRealtimeHub(app, { deps, authenticator, options: options.realtime });

  for (const module of modules) {
    if (!module.routes) continue;
    const routes = module.routes;
    await app.register(async (scope) => routes(scope, deps), { prefix: module.routePrefix ?? '/api/v1' });
  }
  if (options.webRoot !== false) await registerWebApp(app, options.webRoot);

  for (const module of modules) await module.seed?.(deps);
  const demoCredentials: DemoCredential[] = [];
  if (options.seedDemo ?? config.seedDemo) {
    for (const module of modules) demoCredentials.push(...((await module.seedDemo?.(deps)) ?? []));
  }
  await app.ready();

  let closed = false;
  let retention: RetentionJob | null = null;
  return {
    app,
    deps,
    demoCredentials,
    routes,
    startBackground: async () => {
      for (const module of modules) await module.start?.(deps);
      await events.start();
      retention = startRetentionJob(database.db, clock, logger);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      retention?.stop();
      for (const module of [...modules].reverse()) await module.stop?.(deps);
      await app.close();
      await events.close();
      await deps.mqtt?.close();
      if (ownsDatabase) await database.close();
    },
  };
}
