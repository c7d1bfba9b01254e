import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModules } from '../src/modules/index.js';
import type { AppDeps } from '../src/platform/deps.js';
import { requestContext } from '../src/platform/http/request-context.js';
import { metricsScraperAllowed } from '../src/platform/metrics.js';
import type { ModuleDefinition } from '../src/platform/module.js';
import { buildTestApp, type TestApp, testConfig } from './build-app.js';
import { bearer, loginAs, makeUser } from './factories.js';

/** Test-only hooks into the probe route: hold a request inside its handler, or make it fail once. */
const probe = {
  holds: [] as { entered: () => void; release: Promise<void> }[],
  failNext: false,
};

const NoteBody = Type.Object({ text: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const Note = Type.Object({ id: Type.String(), folder: Type.String(), text: Type.String() });

/** A state-changing route written like a real one: access declared, schemas, deps.tx with audit. */
const probeModule: ModuleDefinition = {
  name: 'probe',
  routes: async (app: FastifyInstance, deps: AppDeps) => {
    app.post<{ Params: { folder: string }; Body: { text: string } }>(
      '/probe/folders/:folder/notes',
      {
        config: { authenticated: true },
        schema: {
          tags: ['prueba'],
          summary: 'Ruta de prueba',
          params: Type.Object({ folder: Type.String() }),
          body: NoteBody,
          response: { 201: Note },
        },
      },
      async (request, reply) => {
        const hold = probe.holds.shift();
        if (hold) {
          hold.entered();
          await hold.release;
        }
        if (probe.failNext) {
          probe.failNext = false;
          throw new Error('probe failure');
        }
        const note = { id: randomUUID(), folder: request.params.folder, text: request.body.text };
        await deps.tx(requestContext(request), async (uow) => {
          await sql`INSERT INTO probe_notes (id, folder, text) VALUES (${note.id}, ${note.folder}, ${note.text})`.execute(
            uow.db,
          );
          uow.audit({
            action: 'probe.note.created',
            entityType: 'probe_note',
            entityId: note.id,
            after: note,
          });
        });
        return reply.status(201).send(note);
      },
    );
  },
};

/** Makes the next probe request wait inside its handler until released. */
function holdNextRequest(): { inside: Promise<void>; release: () => void } {
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => {
    entered = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  probe.holds.push({ entered, release: released });
  return { inside, release };
}

async function countNotes(t: TestApp, text: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM probe_notes WHERE text = ${text}`.execute(t.deps.db);
  return rows[0]!.n;
}

async function countAudit(t: TestApp, entityId: string): Promise<number> {
  const row = await t.deps.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('entity_type', '=', 'probe_note')
    .where('entity_id', '=', entityId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('Idempotency-Key', () => {
  let t: TestApp;
  let tokenA: string;
  let tokenB: string;
  const post = (token: string, key: string | undefined, text: string, folder = 'general') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/probe/folders/${folder}/notes`,
      headers: { ...bearer(token), ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: { text },
    });

  beforeAll(async () => {
    t = await buildTestApp({ modules: [...allModules(), probeModule] });
    await sql`CREATE TABLE probe_notes (id uuid PRIMARY KEY, folder text NOT NULL, text text NOT NULL)`.execute(
      t.deps.db,
    );
    tokenA = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    tokenB = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs once and replays the stored response for the same key and body', async () => {
    const key = `k-${randomUUID()}`;
    const first = await post(tokenA, key, 'replay me');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const second = await post(tokenA, key, 'replay me');
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toContain('application/json');
    expect(second.json()).toEqual(first.json());

    expect(await countNotes(t, 'replay me')).toBe(1);
    expect(await countAudit(t, first.json().id)).toBe(1);
  });

  it('without a key every request runs', async () => {
    expect((await post(tokenA, undefined, 'no key')).statusCode).toBe(201);
    expect((await post(tokenA, undefined, 'no key')).statusCode).toBe(201);
    expect(await countNotes(t, 'no key')).toBe(2);
  });

  it('refuses the same key with another body, or for another resource, with 409', async () => {
    const key = `k-${randomUUID()}`;
    expect((await post(tokenA, key, 'original')).statusCode).toBe(201);

    const otherBody = await post(tokenA, key, 'different');
    expect(otherBody.statusCode).toBe(409);
    expect(otherBody.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(otherBody.json().error.message).toMatch(/clave de idempotencia ya se usó/);

    // Same body, same route pattern, other path parameter: another operation, not a replay.
    const otherFolder = await post(tokenA, key, 'original', 'archivo');
    expect(otherFolder.statusCode).toBe(409);
    expect(otherFolder.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countNotes(t, 'different')).toBe(0);
    expect(await countNotes(t, 'original')).toBe(1);
  });

  it('refuses malformed keys with 400', async () => {
    for (const key of ['short', 'x'.repeat(201), 'con espacios adentro', 'ñandú-ñandú-ñandú']) {
      const res = await post(tokenA, key, 'bad key');
      expect(res.statusCode, key).toBe(400);
      expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_INVALID');
    }
    expect(await countNotes(t, 'bad key')).toBe(0);
  });

  it('keeps keys per principal', async () => {
    const key = `k-${randomUUID()}`;
    const a = await post(tokenA, key, 'per principal');
    const b = await post(tokenB, key, 'per principal');
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().id).not.toBe(a.json().id);
    expect(await countNotes(t, 'per principal')).toBe(2);
  });

  it('lets only one of two concurrent requests with the same key run', async () => {
    const key = `k-${randomUUID()}`;
    const held = holdNextRequest();
    try {
      const first = post(tokenA, key, 'concurrent');
      await held.inside; // the first request holds the key and waits inside its handler
      const second = await post(tokenA, key, 'concurrent');
      expect(second.statusCode).toBe(409);
      expect(second.json().error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      held.release();
      expect((await first).statusCode).toBe(201);
    } finally {
      held.release();
    }
    const after = await post(tokenA, key, 'concurrent');
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(await countNotes(t, 'concurrent')).toBe(1);
  });

  it('forgets a key whose request failed on the server, so the client can retry', async () => {
    const key = `k-${randomUUID()}`;
    probe.failNext = true;
    const failed = await post(tokenA, key, 'retry after 500');
    expect(failed.statusCode).toBe(500);
    expect(failed.json().error.code).toBe('INTERNAL');
    const retried = await post(tokenA, key, 'retry after 500');
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await countNotes(t, 'retry after 500')).toBe(1);
  });

  it('lets one retry take over a key abandoned by a crashed request', async () => {
    const key = `k-${randomUUID()}`;
    const crashed = holdNextRequest();
    const retry = holdNextRequest();
    try {
      const first = post(tokenA, key, 'abandoned');
      await crashed.inside;
      // As if the first request's process had died minutes ago, leaving its key pending.
      await t.deps.db
        .updateTable('idempotency_keys')
        .set({ created_at: new Date(Date.now() - 5 * 60_000) })
        .where('key', '=', key)
        .execute();
      const second = post(tokenA, key, 'abandoned');
      await retry.inside; // the retry took the key over and runs
      const third = await post(tokenA, key, 'abandoned');
      expect(third.statusCode).toBe(409);
      expect(third.json().error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      retry.release();
      expect((await second).statusCode).toBe(201);
      crashed.release();
      await first;
    } finally {
      crashed.release();
      retry.release();
    }
  });
});

const ALLOWED_ORIGIN = 'https://centinela.seguridad.gob.sv';
const METRICS_TOKEN = 'mt_9f2Kq7ZxP4vLw8Rb3Nc6Hd1Jy5Ts0Ge';

describe('HTTP hardening (production settings)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      config: testConfig({
        env: 'production',
        rateLimitLoginMax: 3,
        corsOrigins: [ALLOWED_ORIGIN],
        metricsToken: METRICS_TOKEN,
      }),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('limits a route with rateLimitPerMinute and answers 429 in Spanish with Retry-After', async () => {
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '203.0.113.7', // its own rate-limit bucket (limits are per IP)
        payload: { username: 'nadie', password: 'Incorrecta#2026' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).not.toBe(429);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json().error.message).toBe(
      `Demasiadas solicitudes. Intente de nuevo en ${retryAfter} segundos.`,
    );
    // The login limit is its own bucket: other routes keep the global limit, other IPs their own.
    expect((await t.app.inject({ url: '/health', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} })).statusCode).toBe(
      400,
    );
  });

  it('sends the security headers', async () => {
    const res = await t.app.inject('/health');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Errors carry them too.
    const missing = await t.app.inject('/api/v1/no-existe');
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect(String(missing.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('allows CORS only for the configured origins', async () => {
    const allowed = await t.app.inject({ url: '/health', headers: { origin: ALLOWED_ORIGIN } });
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await t.app.inject({ url: '/health', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/auth/login',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const okPreflight = await preflight(ALLOWED_ORIGIN);
    expect(okPreflight.statusCode).toBe(204);
    expect(okPreflight.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves /metrics to a scraper with METRICS_TOKEN and to nobody else', async () => {
    await t.app.inject('/health');
    const res = await t.app.inject({ url: '/metrics', headers: bearer(METRICS_TOKEN) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      /centinela_http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} \d+/,
    );
    expect(res.body).toContain('centinela_process_cpu_user_seconds_total');
    expect(res.body).toMatch(/centinela_db_pool_connections\{database="(pglite|postgres)"\} \d+/);

    expect((await t.app.inject('/metrics')).statusCode).toBe(401);
    const wrong = await t.app.inject({ url: '/metrics', headers: bearer(`${METRICS_TOKEN.slice(0, -1)}x`) });
    expect(wrong.statusCode).toBe(401);
    const dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    const forbidden = await t.app.inject({ url: '/metrics', headers: bearer(dispatcher) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    const admin = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
    const asAdmin = await t.app.inject({ url: '/metrics', headers: bearer(admin) });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.body).toContain('centinela_http_request_duration_seconds_bucket');
  });
});

describe('metricsScraperAllowed', () => {
  const token = 'mt_9f2Kq7ZxP4vLw8Rb3Nc6Hd1Jy5Ts0Ge';
  it.each<
    [string, 'development' | 'test' | 'production', string | undefined, string, string | undefined, boolean]
  >([
    ['development, no token, loopback', 'development', undefined, '127.0.0.1', undefined, true],
    ['development, no token, IPv6 loopback', 'development', undefined, '::1', undefined, true],
    ['development, no token, LAN address', 'development', undefined, '192.168.1.20', undefined, false],
    [
      'development, no token, loopback with a user token',
      'development',
      undefined,
      '127.0.0.1',
      'Bearer x',
      false,
    ],
    ['development with a token, loopback without it', 'development', token, '127.0.0.1', undefined, false],
    ['test, no token, loopback', 'test', undefined, '127.0.0.1', undefined, false],
    ['production, no token, loopback', 'production', undefined, '127.0.0.1', undefined, false],
    ['production, right token', 'production', token, '10.0.0.5', `Bearer ${token}`, true],
    ['production, wrong token', 'production', token, '10.0.0.5', `Bearer ${token}x`, false],
    ['production, token without Bearer', 'production', token, '10.0.0.5', token, false],
  ])('%s', (_name, env, metricsToken, ip, authorization, expected) => {
    const headers = authorization === undefined ? {} : { authorization };
    expect(metricsScraperAllowed({ env, metricsToken }, { ip, headers })).toBe(expected);
  });
});
