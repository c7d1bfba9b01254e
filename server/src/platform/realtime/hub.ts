/**
 * WebSocket hub: GET /ws. One socket per client carries the live domain events it may see.
 *
 * Protocol (JSON text frames):
 *
 * Authentication — one of
 *   - `Authorization: Bearer <access token>` on the upgrade request (non-browser clients),
 *   - `?access_token=<access token>` on the URL (never logged: URLs are logged without query),
 *   - first message `{ "type": "auth", "accessToken": "..." }` within `authTimeoutMs` (browsers).
 *   Answer: `{ "type": "authenticated", "principal": { "id", "name", "kind" } }`. Sending `auth`
 *   again with a refreshed token of the same user keeps the socket open past the old token's expiry.
 *
 * Client → server
 *   { "type": "subscribe", "topics": ["incident", ...] | ["*"], "since"?: <publishSeq> }
 *       Replaces the topic set. With `since`, first replays the missed events (publishSeq > since, in
 *       order) from the outbox, then streams live; without it, live only.
 *   { "type": "unsubscribe", "topics": [...] }
 *   { "type": "ping" }                                   → { "type": "pong" }
 *
 * Server → client
 *   { "type": "event", "event": DomainEvent }            publishSeq increases; keep the last one and
 *                                                        resume with `since` after a reconnect;
 *                                                        ignore an id already seen.
 *   { "type": "subscribed", "topics": [...], "replayed": n, "lastPublishSeq": n }
 *   { "type": "resync", "lastPublishSeq": n }            more than `maxReplay` events were missed:
 *                                                        reload state over HTTP; live continues.
 *   { "type": "error", "code": "...", "message": "..." } a bad message; the socket stays open.
 *
 * Every event is delivered only to principals holding its `permission` in a scope covering its scope
 * (delivery.ts). The server pings every `heartbeatIntervalMs` and drops sockets that do not answer;
 * it re-checks the credentials every `recheckIntervalMs` (expired token, revoked session, deactivated
 * user, changed roles). Close codes: 4401 not authenticated / credentials no longer valid,
 * 4429 the client reads too slowly (its send buffer stayed above `maxBufferedBytes` for
 * `slowClientGraceMs`, or passed four times it), 1001 server stopping.
 */
import websocket from '@fastify/websocket';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Locale } from '../context.js';
import type { AppDeps, Authentication, Authenticator } from '../deps.js';
import type { EventSubscription } from '../events/bus.js';
import { toDomainEvent } from '../events/relay.js';
import type { DomainEvent } from '../events/types.js';
import { AppError } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import { pickLocale, t } from '../i18n/catalog.js';
import { canReceive, topicMatches } from './delivery.js';
import './realtime.messages.js';

export interface RealtimeOptions {
  authTimeoutMs: number;
  heartbeatIntervalMs: number;
  recheckIntervalMs: number;
  /**
   * Send buffer a client may keep for up to `slowClientGraceMs` (bursts are normal); a client whose
   * buffer stays above it longer, or ever exceeds four times it, is disconnected as too slow.
   */
  maxBufferedBytes: number;
  slowClientGraceMs: number;
  /** Most events replayed for one `subscribe`; beyond it the client gets `resync`. */
  maxReplay: number;
  /** Live events kept in memory to close the gap between a replay query and the live stream. */
  recentEvents: number;
  maxTopics: number;
  maxMessageBytes: number;
}

export const DEFAULT_REALTIME_OPTIONS: RealtimeOptions = {
  authTimeoutMs: 10_000,
  heartbeatIntervalMs: 30_000,
  recheckIntervalMs: 60_000,
  maxBufferedBytes: 1_048_576,
  slowClientGraceMs: 10_000,
  maxReplay: 1_000,
  recentEvents: 1_000,
  maxTopics: 50,
  maxMessageBytes: 16_384,
};

export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_SLOW_CONSUMER = 4429;
const OPEN = 1;

const Topic = Type.String({ pattern: '^(\\*|[A-Za-z0-9_.-]{1,64})$' });
const ClientMessage = Type.Union([
  Type.Object({ type: Type.Literal('auth'), accessToken: Type.String({ minLength: 1, maxLength: 8192 }) }),
  Type.Object({
    type: Type.Literal('subscribe'),
    topics: Type.Array(Topic, { minItems: 1, maxItems: 50 }),
    since: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  Type.Object({
    type: Type.Literal('unsubscribe'),
    topics: Type.Array(Topic, { minItems: 1, maxItems: 50 }),
  }),
  Type.Object({ type: Type.Literal('ping') }),
]);
type ClientMessage = Static<typeof ClientMessage>;

type Credential = { kind: 'request' } | { kind: 'token'; token: string };

interface Client {
  socket: WebSocket;
  request: FastifyRequest;
  locale: Locale;
  principal: Principal | null;
  credential: Credential | null;
  topics: Set<string>;
  /** Highest publishSeq handled for this client (sent or filtered out). */
  cursor: number;
  /** Set while a replay runs: live events wait here. */
  pending: DomainEvent[] | null;
  generation: number;
  alive: boolean;
  closed: boolean;
  /** Since when the send buffer has been above `maxBufferedBytes`. */
  backlogSince: number | null;
  work: Promise<void>;
  timers: NodeJS.Timeout[];
}

/**
 * The upgrade request as if it carried `Authorization: Bearer <token>`: a token received in a message
 * or in the query goes through exactly the checks of the header (the request stays the prototype, so
 * the route config, IP and the rest read as on the real request).
 */
function withBearer(request: FastifyRequest, token: string): FastifyRequest {
  const headers = { ...request.headers, authorization: `Bearer ${token}` };
  return Object.create(request, { headers: { value: headers } }) as FastifyRequest;
}

export interface RealtimeHubOptions {
  deps: Pick<AppDeps, 'db' | 'events' | 'logger' | 'metrics'>;
  authenticator: Authenticator;
  options?: Partial<RealtimeOptions>;
}

/** Registers @fastify/websocket and GET /ws. */
export async function registerRealtimeHub(app: FastifyInstance, hub: RealtimeHubOptions): Promise<void> {
  const { deps, authenticator } = hub;
  const options: RealtimeOptions = { ...DEFAULT_REALTIME_OPTIONS, ...hub.options };
  const clients = new Set<Client>();
  const recent: DomainEvent[] = [];

  await app.register(websocket, { options: { maxPayload: options.maxMessageBytes } });
  deps.metrics.gauge({
    name: 'centinela_realtime_connections',
    help: 'Conexiones WebSocket abiertas en este proceso (autenticadas o no)',
    collect: (g) => g.set(clients.size),
  });

  /** True (and the client is closed) when it has not been reading what it is sent. */
  function tooSlow(client: Client): boolean {
    const buffered = client.socket.bufferedAmount;
    if (buffered <= options.maxBufferedBytes) {
      client.backlogSince = null;
      return false;
    }
    const now = Date.now();
    client.backlogSince ??= now;
    if (buffered <= options.maxBufferedBytes * 4 && now - client.backlogSince < options.slowClientGraceMs) {
      return false;
    }
    close(client, CLOSE_SLOW_CONSUMER, 'WS_SLOW_CONSUMER');
    return true;
  }

  function send(client: Client, message: unknown): void {
    sendFrame(client, JSON.stringify(message));
  }

  function sendFrame(client: Client, frame: string | Buffer): void {
    if (client.closed || client.socket.readyState !== OPEN || tooSlow(client)) return;
    client.socket.send(frame, { binary: false });
  }

  /** An event's frame is serialised and encoded once, however many clients receive it. */
  const frames = new WeakMap<DomainEvent, Buffer>();
  function eventFrame(event: DomainEvent): Buffer {
    let frame = frames.get(event);
    if (frame === undefined) {
      frame = Buffer.from(JSON.stringify({ type: 'event', event }));
      frames.set(event, frame);
    }
    return frame;
  }

  function sendError(client: Client, code: string, params: Record<string, unknown> = {}): void {
    send(client, { type: 'error', code, message: t(client.locale, `errors.${code}`, params) });
  }

  function close(client: Client, code: number, reason: string): void {
    if (client.closed) return;
    client.closed = true;
    for (const timer of client.timers) clearTimeout(timer);
    clients.delete(client);
    client.socket.close(code, reason);
    // A client that stopped reading may never complete the closing handshake.
    setTimeout(() => client.socket.terminate(), 2_000).unref();
  }

  function refuse(client: Client, code: string): void {
    sendError(client, code);
    close(client, CLOSE_UNAUTHENTICATED, code);
  }

  /** Delivers one live event; events at or below the client's cursor were already handled. */
  function deliver(client: Client, event: DomainEvent): void {
    if (!client.principal || !topicMatches(client.topics, event.topic)) return;
    if (client.pending) {
      client.pending.push(event);
      if (client.pending.length > options.maxReplay + options.recentEvents) {
        close(client, CLOSE_SLOW_CONSUMER, 'WS_SLOW_CONSUMER');
      }
      return;
    }
    if (event.publishSeq <= client.cursor) return;
    client.cursor = event.publishSeq;
    if (canReceive(client.principal, event)) sendFrame(client, eventFrame(event));
  }

  const subscription: EventSubscription = await deps.events.listen((event) => {
    recent.push(event);
    if (recent.length > options.recentEvents) recent.splice(0, recent.length - options.recentEvents);
    for (const client of clients) deliver(client, event);
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (tooSlow(client)) continue;
      if (!client.alive) {
        client.closed = true;
        clients.delete(client);
        for (const timer of client.timers) clearTimeout(timer);
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      if (client.socket.readyState === OPEN) client.socket.ping();
    }
  }, options.heartbeatIntervalMs);
  heartbeat.unref();

  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    await subscription.stop();
    for (const client of clients) close(client, 1001, 'SERVER_STOPPING');
  });

  async function authenticateCredential(client: Client, credential: Credential): Promise<Authentication> {
    if (credential.kind === 'request') return authenticator.authenticate(client.request);
    return authenticator.authenticate(withBearer(client.request, credential.token));
  }

  async function signIn(client: Client, credential: Credential): Promise<void> {
    let auth: Authentication;
    try {
      auth = await authenticateCredential(client, credential);
    } catch {
      refuse(client, 'TOKEN_INVALID');
      return;
    }
    if (!auth.principal) {
      refuse(client, 'WS_AUTH_REQUIRED');
      return;
    }
    if (client.principal && client.principal.id !== auth.principal.id) {
      refuse(client, 'WS_PRINCIPAL_CHANGED');
      return;
    }
    const first = !client.principal;
    client.principal = auth.principal;
    client.credential = credential;
    if (first) {
      const recheck = setInterval(() => {
        client.work = client.work.then(() => recheckCredential(client));
      }, options.recheckIntervalMs);
      recheck.unref();
      client.timers.push(recheck);
    }
    const { id, name, kind } = auth.principal;
    send(client, { type: 'authenticated', principal: { id, name, kind } });
  }

  async function recheckCredential(client: Client): Promise<void> {
    if (client.closed || !client.credential) return;
    try {
      const auth = await authenticateCredential(client, client.credential);
      if (!auth.principal || auth.principal.id !== client.principal?.id) throw new Error('principal');
      client.principal = auth.principal;
    } catch {
      refuse(client, 'WS_SESSION_ENDED');
    }
  }

  async function replay(
    client: Client,
    since: number,
  ): Promise<{ events: DomainEvent[]; overflow: boolean }> {
    const topics = [...client.topics];
    let query = deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('publish_seq', '>', since)
      .orderBy('publish_seq')
      .limit(options.maxReplay + 1);
    if (!client.topics.has('*')) query = query.where('topic', 'in', topics);
    const [rows, oldest] = await Promise.all([
      query.execute(),
      // Published events older than the retention are pruned (platform/retention.ts): a client whose
      // cursor is before the oldest kept one has missed events and must resynchronise.
      deps.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min('publish_seq').as('min'))
        .executeTakeFirst(),
    ]);
    if (rows.length > options.maxReplay) return { events: [], overflow: true };
    const oldestKept = oldest?.min === null || oldest?.min === undefined ? null : Number(oldest.min);
    if (oldestKept !== null && oldestKept > since + 1) return { events: [], overflow: true };
    const bySeq = new Map<number, DomainEvent>();
    for (const row of rows) {
      const publishSeq = Number(row.publish_seq);
      bySeq.set(publishSeq, toDomainEvent(row, publishSeq));
    }
    // Events already published live but whose relay transaction had not committed at query time.
    for (const event of recent) {
      if (event.publishSeq > since && topicMatches(client.topics, event.topic)) {
        if (!bySeq.has(event.publishSeq)) bySeq.set(event.publishSeq, event);
      }
    }
    return { events: [...bySeq.values()].sort((a, b) => a.publishSeq - b.publishSeq), overflow: false };
  }

  async function lastPublishSeq(): Promise<number> {
    const top = await deps.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('publish_seq').as('max'))
      .executeTakeFirst();
    return Math.max(Number(top?.max ?? 0), recent.at(-1)?.publishSeq ?? 0);
  }

  async function subscribe(client: Client, topics: string[], since: number | undefined): Promise<void> {
    client.topics = new Set(topics);
    const generation = ++client.generation;
    if (since === undefined) {
      client.pending = null;
      send(client, { type: 'subscribed', topics, replayed: 0, lastPublishSeq: client.cursor });
      return;
    }
    client.pending = [];
    const { events, overflow } = await replay(client, since);
    if (client.closed || generation !== client.generation) return;
    let replayed = 0;
    if (overflow) {
      client.cursor = await lastPublishSeq();
      send(client, { type: 'resync', lastPublishSeq: client.cursor });
    } else {
      client.cursor = since;
      for (const event of events) {
        client.cursor = event.publishSeq;
        if (canReceive(client.principal, event)) {
          sendFrame(client, eventFrame(event));
          replayed += 1;
        }
      }
    }
    const waiting = client.pending ?? [];
    client.pending = null;
    send(client, { type: 'subscribed', topics, replayed, lastPublishSeq: client.cursor });
    for (const event of waiting) deliver(client, event);
  }

  async function handleMessage(client: Client, raw: string): Promise<void> {
    if (client.closed) return;
    let message: ClientMessage;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!Value.Check(ClientMessage, parsed)) throw new Error('invalid');
      message = parsed;
    } catch {
      if (!client.principal) refuse(client, 'WS_AUTH_REQUIRED');
      else sendError(client, 'WS_MESSAGE_INVALID');
      return;
    }
    if (message.type === 'auth') {
      await signIn(client, { kind: 'token', token: message.accessToken });
      return;
    }
    if (!client.principal) {
      refuse(client, 'WS_AUTH_REQUIRED');
      return;
    }
    switch (message.type) {
      case 'subscribe':
        if (message.topics.length > options.maxTopics) {
          sendError(client, 'WS_MESSAGE_INVALID');
          return;
        }
        await subscribe(client, message.topics, message.since);
        return;
      case 'unsubscribe':
        for (const topic of message.topics) client.topics.delete(topic);
        send(client, {
          type: 'subscribed',
          topics: [...client.topics],
          replayed: 0,
          lastPublishSeq: client.cursor,
        });
        return;
      case 'ping':
        send(client, { type: 'pong' });
        return;
    }
  }

  function credentialFromRequest(request: FastifyRequest): Credential | 'invalid' | null {
    if (request.principal) return { kind: 'request' };
    // The route is public, so the auth hook ignored bad credentials: refuse them here.
    if (request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined) {
      return 'invalid';
    }
    const query = request.query as Record<string, unknown> | undefined;
    const token = query?.access_token;
    if (typeof token === 'string' && token.length > 0) return { kind: 'token', token };
    return null;
  }

  app.route({
    method: 'GET',
    url: '/ws',
    config: { public: true },
    schema: {
      tags: ['plataforma'],
      summary: 'Eventos en tiempo real por WebSocket',
      description:
        'Conexión WebSocket. Autenticación con el primer mensaje {"type":"auth","accessToken":"..."}, ' +
        'el encabezado Authorization o el parámetro access_token. Luego {"type":"subscribe","topics":[...],' +
        '"since"?: n}. Solo se entregan los eventos cuyo permiso y ámbito tiene el usuario.',
    },
    handler: async () => {
      throw new AppError('WS_UPGRADE_REQUIRED', 426);
    },
    wsHandler: (socket, request) => {
      const client: Client = {
        socket,
        request,
        locale: pickLocale(request.headers['accept-language']),
        principal: null,
        credential: null,
        topics: new Set(),
        cursor: 0,
        pending: null,
        generation: 0,
        alive: true,
        closed: false,
        backlogSince: null,
        work: Promise.resolve(),
        timers: [],
      };
      clients.add(client);
      const enqueue = (job: () => Promise<void>) => {
        client.work = client.work.then(job).catch((error: unknown) => {
          deps.logger.error({ err: error }, 'websocket message handling failed');
          sendError(client, 'INTERNAL', { requestId: request.id });
        });
      };
      let authTimer: NodeJS.Timeout | null = null;
      socket.on('message', (data, isBinary) => {
        client.alive = true;
        // The first message decides (auth, or refusal); it may take longer than the timeout to check.
        if (authTimer) clearTimeout(authTimer);
        authTimer = null;
        const text = isBinary ? '' : Array.isArray(data) ? Buffer.concat(data).toString() : data.toString();
        enqueue(() => handleMessage(client, text));
      });
      socket.on('pong', () => {
        client.alive = true;
      });
      socket.on('close', () => {
        client.closed = true;
        for (const timer of client.timers) clearTimeout(timer);
        clients.delete(client);
      });
      socket.on('error', () => {
        // 'close' follows.
      });

      const credential = credentialFromRequest(request);
      if (credential === 'invalid') {
        refuse(client, 'TOKEN_INVALID');
        return;
      }
      if (credential) {
        enqueue(() => signIn(client, credential));
        return;
      }
      authTimer = setTimeout(() => {
        if (!client.principal) refuse(client, 'WS_AUTH_TIMEOUT');
      }, options.authTimeoutMs);
      authTimer.unref();
      client.timers.push(authTimer);
    },
  });
}
