import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { systemContext } from '../src/platform/context.js';
import type { DomainEvent, EventInput, EventScope } from '../src/platform/events/types.js';
import { definePolicy } from '../src/platform/http/permissions.js';
import { CLOSE_SLOW_CONSUMER, CLOSE_UNAUTHENTICATED } from '../src/platform/realtime/hub.js';
import { buildTestApp, type TestApp } from './build-app.js';
import { bearer, loginAs, makeUser } from './factories.js';

// Test-only permission (definePolicy is global: the name is unique to this file).
const READ = 'rtdemo.read';
definePolicy('realtime-e2e', {
  permissions: [{ code: READ, description: 'Ver eventos de demostración (prueba de tiempo real)' }],
  roles: { dispatcher: [READ] },
});

type ServerMessage = { type: string; [key: string]: unknown };

/** A `ws` client that records every message and its close code. */
class TestSocket {
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as ServerMessage));
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, { headers });
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  async waitFor(predicate: (m: ServerMessage) => boolean, timeoutMs = 5_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`message not received; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Round trip: every message the server sent before the pong has arrived. */
  async barrier(): Promise<void> {
    const pongs = this.messages.filter((m) => m.type === 'pong').length;
    this.send({ type: 'ping' });
    const deadline = Date.now() + 5_000;
    while (this.messages.filter((m) => m.type === 'pong').length === pongs) {
      if (Date.now() > deadline) throw new Error('no pong');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  events(): DomainEvent[] {
    return this.messages.filter((m) => m.type === 'event').map((m) => m.event as DomainEvent);
  }

  async authenticate(token: string): Promise<void> {
    this.send({ type: 'auth', accessToken: token });
    await this.waitFor((m) => m.type === 'authenticated');
  }

  async subscribe(topics: string[], since?: number): Promise<ServerMessage> {
    const count = this.messages.filter((m) => m.type === 'subscribed').length;
    this.send({ type: 'subscribe', topics, ...(since === undefined ? {} : { since }) });
    const deadline = Date.now() + 5_000;
    for (;;) {
      const subscribed = this.messages.filter((m) => m.type === 'subscribed');
      if (subscribed.length > count) return subscribed[count]!;
      if (Date.now() > deadline) throw new Error('not subscribed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.ws.close();
  }
}

describe('WebSocket hub /ws', () => {
  let t: TestApp;
  let url: string;
  let nationalToken: string;
  let sanSalvadorToken: string;
  let noPermissionToken: string;
  const sockets: TestSocket[] = [];

  async function connect(path = '/ws', headers: Record<string, string> = {}): Promise<TestSocket> {
    const socket = await TestSocket.open(`${url}${path}`, headers);
    sockets.push(socket);
    return socket;
  }

  async function publish(...inputs: { n: number; scope?: EventScope; topic?: string; payload?: object }[]) {
    const events: EventInput[] = inputs.map(({ n, scope, topic, payload }) => ({
      type: `${topic ?? 'rtdemo'}.happened`,
      topic: topic ?? 'rtdemo',
      permission: READ,
      payload: { n, ...payload },
      ...(scope ? { scope } : {}),
    }));
    await t.deps.tx(systemContext(), async (uow) => {
      for (const e of events) uow.emit(e);
    });
    await t.deps.events.relay.flush();
  }

  beforeAll(async () => {
    t = await buildTestApp({
      realtime: {
        authTimeoutMs: 400,
        recheckIntervalMs: 150,
        maxReplay: 20,
        maxBufferedBytes: 64 * 1024,
        slowClientGraceMs: 1_000,
      },
    });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = address.replace(/^http/, 'ws');
    const national = await makeUser(t.deps, 'dispatcher');
    const sanSalvador = await makeUser(t.deps, 'dispatcher', {
      scope: { level: 'department', code: 'SV-SS' },
    });
    const callTaker = await makeUser(t.deps, 'call_taker');
    nationalToken = await loginAs(t.app, national);
    sanSalvadorToken = await loginAs(t.app, sanSalvador);
    noPermissionToken = await loginAs(t.app, callTaker);
  });
  afterEach(() => {
    // Open sockets re-check their session every recheckIntervalMs: do not let them pile up.
    for (const s of sockets.splice(0)) s.ws.terminate();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a plain HTTP GET with 426', async () => {
    const res = await t.app.inject({ url: '/ws' });
    expect(res.statusCode).toBe(426);
    expect(res.json().error.code).toBe('WS_UPGRADE_REQUIRED');
  });

  it('closes a socket that sends anything before authenticating', async () => {
    const socket = await connect();
    socket.send({ type: 'subscribe', topics: ['rtdemo'] });
    const closed = await socket.closed;
    expect(closed).toEqual({ code: CLOSE_UNAUTHENTICATED, reason: 'WS_AUTH_REQUIRED' });
    expect(socket.messages[0]).toMatchObject({ type: 'error', code: 'WS_AUTH_REQUIRED' });
  });

  it('closes a socket that never authenticates', async () => {
    const socket = await connect();
    expect(await socket.closed).toEqual({ code: CLOSE_UNAUTHENTICATED, reason: 'WS_AUTH_TIMEOUT' });
  });

  it('closes a socket with a forged token, in a message or in the header', async () => {
    const socket = await connect();
    socket.send({ type: 'auth', accessToken: `${nationalToken}x` });
    expect((await socket.closed).code).toBe(CLOSE_UNAUTHENTICATED);
    const viaHeader = await connect('/ws', bearer(`${nationalToken}x`));
    expect((await viaHeader.closed).code).toBe(CLOSE_UNAUTHENTICATED);
  });

  it('authenticates by message, header or query and answers bad messages without closing', async () => {
    const byMessage = await connect();
    await byMessage.authenticate(nationalToken);
    const byHeader = await connect('/ws', bearer(nationalToken));
    await byHeader.waitFor((m) => m.type === 'authenticated');
    const byQuery = await connect(`/ws?access_token=${encodeURIComponent(nationalToken)}`);
    const ok = await byQuery.waitFor((m) => m.type === 'authenticated');
    expect(ok.principal).toMatchObject({ kind: 'user', name: 'Prueba dispatcher' });

    byMessage.send({ type: 'subscribe', topics: 'rtdemo' });
    const error = await byMessage.waitFor((m) => m.type === 'error');
    expect(error).toMatchObject({ code: 'WS_MESSAGE_INVALID' });
    expect(error.message).toMatch(/Mensaje no válido/);
    byMessage.ws.send('not json');
    await byMessage.barrier();
    expect(byMessage.messages.filter((m) => m.type === 'error')).toHaveLength(2);
    expect(byMessage.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('delivers events by topic, permission and territorial scope', async () => {
    const national = await connect();
    await national.authenticate(nationalToken);
    await national.subscribe(['rtdemo']);
    const department = await connect();
    await department.authenticate(sanSalvadorToken);
    await department.subscribe(['rtdemo']);
    const noPermission = await connect();
    await noPermission.authenticate(noPermissionToken);
    await noPermission.subscribe(['*']);
    const otherTopic = await connect();
    await otherTopic.authenticate(nationalToken);
    await otherTopic.subscribe(['othertopic']);

    await publish(
      { n: 1, scope: { department: 'SV-SS' } },
      { n: 2, scope: { department: 'SV-SA' } },
      { n: 3 },
      { n: 4, scope: { department: 'SV-SS', municipality: 'SV0614' } },
    );
    for (const s of [national, department, noPermission, otherTopic]) await s.barrier();

    expect(national.events().map((e) => e.payload.n)).toEqual([1, 2, 3, 4]);
    expect(department.events().map((e) => e.payload.n)).toEqual([1, 3, 4]);
    expect(noPermission.events()).toEqual([]);
    expect(otherTopic.events()).toEqual([]);
    const first = national.events()[0]!;
    expect(first).toMatchObject({ type: 'rtdemo.happened', topic: 'rtdemo', scope: { department: 'SV-SS' } });
    const seqs = national.events().map((e) => e.publishSeq);
    expect(seqs.slice(1).every((s, i) => s === seqs[i]! + 1)).toBe(true);
  });

  it('resumes after a reconnect with exactly the missed events, then streams live', async () => {
    const first = await connect();
    await first.authenticate(sanSalvadorToken);
    await first.subscribe(['rtdemo']);
    await publish({ n: 10, scope: { department: 'SV-SS' } });
    const seen = await first.waitFor((m) => m.type === 'event');
    const lastSeen = (seen.event as DomainEvent).publishSeq;
    first.close();
    await first.closed;

    // Missed while disconnected: two visible, one of another department, one of another topic.
    await publish(
      { n: 11, scope: { department: 'SV-SS' } },
      { n: 12, scope: { department: 'SV-SA' } },
      { n: 13, topic: 'othertopic' },
      { n: 14 },
    );

    const second = await connect();
    await second.authenticate(sanSalvadorToken);
    const subscribed = await second.subscribe(['rtdemo'], lastSeen);
    expect(second.events().map((e) => e.payload.n)).toEqual([11, 14]);
    expect(subscribed).toMatchObject({ replayed: 2 });
    expect(subscribed.lastPublishSeq).toBe(lastSeen + 4);

    await publish({ n: 15, scope: { department: 'SV-SS' } });
    await second.barrier();
    expect(second.events().map((e) => e.payload.n)).toEqual([11, 14, 15]);
    expect(new Set(second.events().map((e) => e.id)).size).toBe(3);
  });

  it('asks for a resync when more events were missed than it replays', async () => {
    const before = (await t.deps.events.relay.lag()).lastPublishSeq;
    await publish(...Array.from({ length: 25 }, (_, i) => ({ n: 100 + i })));
    const socket = await connect();
    await socket.authenticate(nationalToken);
    const subscribed = await socket.subscribe(['rtdemo'], before);
    expect(socket.messages.find((m) => m.type === 'resync')).toMatchObject({ lastPublishSeq: before + 25 });
    expect(socket.events()).toEqual([]);
    expect(subscribed).toMatchObject({ replayed: 0, lastPublishSeq: before + 25 });
  });

  it('closes the socket when its session is revoked', async () => {
    const user = await makeUser(t.deps, 'dispatcher');
    const token = await loginAs(t.app, user);
    const socket = await connect();
    await socket.authenticate(token);
    await socket.subscribe(['rtdemo']);
    const logout = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) });
    expect(logout.statusCode).toBe(200);
    expect(await socket.closed).toEqual({ code: CLOSE_UNAUTHENTICATED, reason: 'WS_SESSION_ENDED' });
    expect(socket.messages.at(-1)).toMatchObject({ type: 'error', code: 'WS_SESSION_ENDED' });
  });

  it('disconnects a client that stops reading, not the others', async () => {
    const slow = await connect();
    await slow.authenticate(nationalToken);
    await slow.subscribe(['bulk']);
    const healthy = await connect();
    await healthy.authenticate(nationalToken);
    await healthy.subscribe(['bulk']);
    // A paused client cannot see its own close: watch the server's side of the connections.
    const serverSockets = t.app.websocketServer.clients;
    // Sockets of earlier tests (terminated by afterEach) must be gone on the server side first.
    while (serverSockets.size > 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const open = serverSockets.size;
    // Stop reading: once the kernel buffers are full, the server's send buffer grows and stays up.
    const raw = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    const blob = 'x'.repeat(16 * 1024);
    let published = 0;
    const deadline = Date.now() + 25_000;
    while (serverSockets.size === open && Date.now() < deadline) {
      await publish(
        ...Array.from({ length: 10 }, (_, i) => ({ n: published + i, topic: 'bulk', payload: { blob } })),
      );
      published += 10;
      // Client and server share this process: let the sockets do their I/O.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    raw.resume();
    const closed = await slow.closed;
    // The close frame (4429) queues behind the unread data; if that takes too long the server drops
    // the connection (1006 on this side).
    expect([CLOSE_SLOW_CONSUMER, 1006]).toContain(closed.code);
    expect(serverSockets.size).toBe(open - 1);
    await healthy.barrier();
    expect(healthy.events()).toHaveLength(published);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
  }, 60_000);
});
