import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Counter } from 'prom-client';
import type { Clock } from '../../../platform/context.js';
import type { Metrics } from '../../../platform/metrics.js';
import { BatcherOverloadedError } from './batcher.js';
import type { IngestOutcome, PositionInput } from './ingest.service.js';
import { decodeOsmAndJson, decodeOsmAndParams, type OsmAndDecoded } from './osmand.decode.js';

/** One position per request: a Traccar Client body is a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

export interface OsmAndServer {
  port: number;
  close(): Promise<void>;
}

export interface OsmAndServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  clock: Clock;
  logger: FastifyBaseLogger;
  metrics: Metrics;
  submit: (position: PositionInput) => Promise<IngestOutcome>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Traccar answers with a bare status and an empty body (`Content-Length: 0`). */
function reply(res: ServerResponse, status: number): number {
  res.writeHead(status, { 'content-length': '0' });
  res.end();
  return status;
}

/**
 * Decodes one request the way Traccar's OsmAndProtocolDecoder does: JSON when the Content-Type is
 * application/json; otherwise the query string, or — only when the URL has no parameters — the
 * body as form parameters. The path is ignored.
 */
export function decodeRequest(url: string, contentType: string, body: Buffer, now: Date): OsmAndDecoded {
  if (contentType.toLowerCase().startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { ok: false, format: 'json', problem: 'JSON inválido' };
    }
    return decodeOsmAndJson(parsed);
  }
  const q = url.indexOf('?');
  let params = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
  if (params.size === 0) params = new URLSearchParams(body.toString('latin1'));
  return decodeOsmAndParams(params, now);
}

/**
 * The OsmAnd listener (Traccar's port 5055): a plain node:http server, separate from the API, for
 * the Traccar Client apps and other OsmAnd devices. The protocol has no credentials: a request is
 * accepted when its device id is the `device_id` of an active unit (unknown → 400 for the query
 * form, 404 for JSON, as Traccar does). Expose it only on the network the devices use (APN/VPN).
 *
 * Responses follow Traccar: 200 with an empty body once the fix is stored (or ignored as a
 * duplicate), 400 for a malformed request. A fix refused by the plausibility checks (clock far in
 * the future, before 2000) is also acknowledged with 200: Traccar Client re-sends its buffer in
 * order until the oldest fix is accepted, so refusing it would block every later fix of that
 * device; the refusal is counted in centinela_avl_positions_total{outcome="rejected"}.
 * Database trouble answers 503, which the client retries.
 */
export async function startOsmAndServer(options: OsmAndServerOptions): Promise<OsmAndServer> {
  const { clock, logger, submit } = options;
  const requests: Counter<'status'> = options.metrics.counter({
    name: 'centinela_avl_osmand_requests_total',
    help: 'Solicitudes recibidas en el puerto OsmAnd (Traccar Client), por estado HTTP de la respuesta',
    labelNames: ['status'],
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      return reply(res, error instanceof BodyTooLarge ? 413 : 400);
    }
    const decoded = decodeRequest(req.url ?? '/', req.headers['content-type'] ?? '', body, clock.now());
    if (!decoded.ok) {
      logger.debug({ problem: decoded.problem }, 'osmand: solicitud rechazada');
      return reply(res, 400);
    }
    const { fix } = decoded;
    let outcome: IngestOutcome;
    try {
      outcome = await submit({
        deviceId: fix.deviceId,
        lat: fix.lat,
        lon: fix.lon,
        speedKmh: fix.speedKmh,
        heading: fix.heading,
        accuracyM: fix.accuracyM,
        recordedAt: fix.recordedAt,
        valid: fix.valid,
        source: 'osmand',
        attributes: fix.attributes,
      });
    } catch (error) {
      if (!(error instanceof BatcherOverloadedError))
        logger.error({ err: error }, 'osmand: no se pudo guardar');
      return reply(res, 503);
    }
    if (
      outcome.status === 'rejected' &&
      (outcome.code === 'AVL_UNKNOWN_DEVICE' || outcome.code === 'AVL_UNKNOWN_UNIT')
    )
      return reply(res, decoded.format === 'json' ? 404 : 400);
    return reply(res, 200);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res)
      .catch((error: unknown) => {
        logger.error({ err: error }, 'osmand: error inesperado');
        return res.headersSent ? res.statusCode : reply(res, 503);
      })
      .then((status) => requests.inc({ status: String(status) }));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 30_000;
  server.maxHeadersCount = 100;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'osmand: error del servidor'));
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'AVL: puerto OsmAnd (Traccar Client) escuchando');

  return {
    port,
    // Requests in flight get their answer (their fixes are written); idle keep-alive connections
    // are dropped at once, and anything still open after a grace period is cut.
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
