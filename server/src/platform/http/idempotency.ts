import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { AppError } from './errors.js';

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  method: string;
  route: string;
  body_hash: string;
  status_code: number | null;
  response_body: string | null;
  content_type: string | null;
  created_at: import('kysely').Generated<Date>;
  completed_at: Date | null;
}

declare module '../db/schema.js' {
  interface Database {
    idempotency_keys: IdempotencyKeysTable;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { principal: string; key: string } | null;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{8,200}$/;
/** A pending key older than this is considered abandoned (crashed request) and may be retried. */
const PENDING_TIMEOUT_SECONDS = 60;

function principalKey(request: FastifyRequest): string {
  if (request.principal) return `${request.principal.kind}:${request.principal.id}`;
  return `ip:${request.ip}`;
}

/** Hash of what the request asks for: method, concrete URL (path params and query) and body. */
function bodyHash(request: FastifyRequest): string {
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its response is stored; the same
 * key with the same body replays the stored response; with another body it is a 409.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.config.noIdempotency) return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw new AppError('IDEMPOTENCY_KEY_INVALID', 400);
    const principal = principalKey(request);
    const hash = bodyHash(request);
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        principal,
        key,
        method: request.method,
        route: request.routeOptions.url ?? request.url,
        body_hash: hash,
      })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      request.idempotency = { principal, key };
      return;
    }
    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (existing.body_hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED', 409);
    if (existing.completed_at === null) {
      // Take over an abandoned key atomically (database clock), so two retries cannot both run.
      const reclaimed = await db
        .updateTable('idempotency_keys')
        .set({ created_at: sql<Date>`now()` })
        .where('principal', '=', principal)
        .where('key', '=', key)
        .where('completed_at', 'is', null)
        .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${PENDING_TIMEOUT_SECONDS})`)
        .returning('key')
        .executeTakeFirst();
      if (!reclaimed) throw new AppError('IDEMPOTENCY_IN_PROGRESS', 409);
      request.idempotency = { principal, key };
      return;
    }
    reply.header('idempotent-replayed', 'true');
    reply.status(existing.status_code ?? 200);
    if (existing.content_type) reply.type(existing.content_type);
    return reply.send(existing.response_body ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = null;
    if (reply.statusCode >= 500 || reply.statusCode === 429) {
      // Server-side failures are not final: let the client retry with the same key.
      await db
        .deleteFrom('idempotency_keys')
        .where('principal', '=', idem.principal)
        .where('key', '=', idem.key)
        .execute();
      return payload;
    }
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    await db
      .updateTable('idempotency_keys')
      .set({
        status_code: reply.statusCode,
        response_body: body,
        content_type: String(reply.getHeader('content-type') ?? 'application/json'),
        completed_at: sql<Date>`now()`,
      })
      .where('principal', '=', idem.principal)
      .where('key', '=', idem.key)
      .execute();
    return payload;
  });
}
