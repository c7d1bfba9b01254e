import { Writable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModules } from '../src/modules/index.js';
import type { AppDeps } from '../src/platform/deps.js';
import { requestContext } from '../src/platform/http/request-context.js';
import { REDACTED, scrubSensitive, serializeError } from '../src/platform/logging.js';
import type { ModuleDefinition } from '../src/platform/module.js';
import { buildTestApp, type TestApp, testConfig } from './build-app.js';
import { bearer, makeUser } from './factories.js';

const PASSWORD = 'Contraseña#Secreta-4417';
const PHONE = '+503 7012-3456';
const DUI = '04567890-1';
const API_KEY = 'ck_live_Zq81mWv0pXe3LrT6';
const QUERY_TOKEN = 'qtok_Hs72LmQp0Zr4Wx9';

/** A careless route: logs its whole input and lets a raw database error escape (a 500). */
const carelessModule: ModuleDefinition = {
  name: 'careless',
  routes: async (app: FastifyInstance, deps: AppDeps) => {
    app.post<{ Body: { name: string; phone: string; dui: string } }>(
      '/careless/callers',
      {
        config: { public: true },
        schema: {
          tags: ['prueba'],
          summary: 'Ruta de prueba',
          body: Type.Object({ name: Type.String(), phone: Type.String(), dui: Type.String() }),
        },
      },
      async (request, reply) => {
        request.log.info({ input: request.body, nested: { caller: { ...request.body } } }, 'careless input');
        await deps.tx(requestContext(request), async (uow) => {
          // Unique on dui: the second call fails with a database error carrying the values.
          await sql`INSERT INTO careless_callers (name, phone, dui)
                    VALUES (${request.body.name}, ${request.body.phone}, ${request.body.dui})`.execute(
            uow.db,
          );
        });
        return reply.status(201).send({ ok: true });
      },
    );
  },
};

describe('logging', () => {
  let t: TestApp;
  const lines: string[] = [];
  const secrets: Record<string, string> = {
    password: PASSWORD,
    phone: PHONE,
    phoneDigits: '70123456',
    dui: DUI,
    duiDigits: '045678901',
    apiKey: API_KEY,
    queryToken: QUERY_TOKEN,
  };

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    });
    t = await buildTestApp({
      config: testConfig({ logLevel: 'trace' }),
      modules: [...allModules(), carelessModule],
      logStream,
    });
    await sql`CREATE TABLE careless_callers (name text, phone text, dui text UNIQUE)`.execute(t.deps.db);

    const user = await makeUser(t.deps, 'dispatcher', { password: PASSWORD });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: `${PASSWORD}x` },
    });
    expect(wrong.statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-request-id': 'req-login-0001' },
      payload: { username: user.username, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const { accessToken, refreshToken } = login.json() as { accessToken: string; refreshToken: string };
    secrets.accessToken = accessToken;
    secrets.accessTokenSignature = accessToken.split('.')[2]!;
    secrets.refreshToken = refreshToken;

    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(accessToken) })).statusCode).toBe(
      200,
    );
    await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(`${accessToken}x`) });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
    await t.app.inject({ url: '/api/v1/auth/me', headers: { 'x-api-key': API_KEY } });
    await t.app.inject({ url: `/api/v1/auth/me?access_token=${QUERY_TOKEN}` });
    await t.app.inject({ url: `/health?access_token=${QUERY_TOKEN}&x=1` });
    await t.app.inject({ url: `/api/v1/no-existe?token=${QUERY_TOKEN}` });

    const caller = { name: 'Ana Pérez', phone: PHONE, dui: DUI };
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/careless/callers', payload: caller });
    expect(first.statusCode).toBe(201);
    const second = await t.app.inject({ method: 'POST', url: '/api/v1/careless/callers', payload: caller });
    expect(second.statusCode).toBe(500);
    expect(second.body).not.toContain(DUI);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('captured the traffic', () => {
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((l) => l.includes('"msg":"careless input"'))).toBe(true);
    expect(lines.some((l) => l.includes('"msg":"unhandled error"'))).toBe(true);
  });

  it('never writes passwords, tokens, API keys, phone numbers or DUIs', () => {
    const output = lines.join('\n');
    for (const [name, value] of Object.entries(secrets)) {
      expect(output.includes(value), `${name} leaked into the logs`).toBe(false);
    }
    expect(output).toContain(REDACTED);
  });

  it('logs request lines as JSON with the request id, method and path only', () => {
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLines = entries.filter((e) => e.req !== undefined || e.res !== undefined);
    expect(requestLines.length).toBeGreaterThan(10);
    for (const entry of requestLines) {
      expect(typeof entry.reqId, JSON.stringify(entry)).toBe('string');
      if (entry.req) {
        const req = entry.req as Record<string, unknown>;
        expect(Object.keys(req).every((k) => ['id', 'method', 'route', 'url'].includes(k))).toBe(true);
        expect(req.url).not.toContain('?');
      }
    }
    const login = entries.filter((e) => e.reqId === 'req-login-0001');
    expect(login.map((e) => e.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    const health = entries.find(
      (e) => e.msg === 'incoming request' && (e.req as { url: string }).url === '/health',
    );
    expect(health).toBeDefined();
  });

  it('reduces errors to type, message, stack and codes', () => {
    const dbError = Object.assign(new Error('duplicate key value violates unique constraint "x_dui_key"'), {
      code: '23505',
      constraint: 'x_dui_key',
      detail: `Key (dui)=(${DUI}) already exists.`,
      params: ['Ana', PHONE, DUI],
      query: 'INSERT INTO x VALUES ($1, $2, $3)',
    });
    const out = serializeError(new Error('wrapped', { cause: dbError })) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain(DUI);
    expect(out).toMatchObject({
      type: 'Error',
      message: 'wrapped',
      cause: { code: '23505', constraint: 'x_dui_key' },
    });
  });

  it('censors sensitive keys at any depth without touching the original object', () => {
    const original = { a: [{ b: { callerPhone: PHONE, note: 'ok' } }], apiKey: API_KEY, count: 2 };
    expect(scrubSensitive(original)).toEqual({
      a: [{ b: { callerPhone: REDACTED, note: 'ok' } }],
      apiKey: REDACTED,
      count: 2,
    });
    expect(original.a[0]!.b.callerPhone).toBe(PHONE);
  });
});
