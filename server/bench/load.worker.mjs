/**
 * Load generator of `npm run bench`, run in a worker thread so that the client does not share the
 * server's event loop. Plain JavaScript (worker threads do not go through tsx).
 *
 * Modes (workerData.mode):
 *   http-closed  `concurrency` workers each send the next request as soon as the previous one
 *                answered, for `durationMs` (sustained throughput).
 *   http-open    requests fired on a fixed schedule of `rate` per second for `durationMs`; latency
 *                is measured from the scheduled time, so queueing is not hidden (no coordinated
 *                omission).
 *   ws-listen    opens `clients` WebSocket connections, optionally authenticates and subscribes,
 *                reports `ready`, then records when each message carrying an id arrives; on
 *                `{ type: 'stop' }` it reports every arrival and closes.
 * Times are absolute high-resolution milliseconds (performance.timeOrigin + performance.now()), which
 * are comparable across threads.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Request bodies: a fixed list cycled through, or AVL batches built on the fly. */
function bodySource(spec) {
  if (spec.kind === 'list') {
    let i = 0;
    return () => spec.bodies[i++ % spec.bodies.length];
  }
  // AVL: each batch carries one fix for `batch` units of this worker's slice, later each round.
  const { unitIds, batch, baseTime, lon, lat } = spec;
  let cursor = 0;
  let round = 0;
  return () => {
    const positions = [];
    for (let k = 0; k < batch; k++) {
      const index = cursor % unitIds.length;
      if (index === 0 && cursor > 0) round++;
      cursor++;
      positions.push({
        unitId: unitIds[index],
        lon: lon + (index % 100) * 0.001,
        lat: lat + Math.floor(index / 100) * 0.001,
        speedKmh: 30,
        heading: 90,
        accuracyM: 5,
        recordedAt: new Date(baseTime + round * 1000).toISOString(),
      });
    }
    return JSON.stringify({ positions });
  };
}

let sentCount = 0;

// node:http with keep-alive rather than fetch: fetch (undici) spends about a millisecond of CPU per
// request, which this machine's server and database would otherwise lose to the load generator.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
const urls = new Map();

/** Sends one request; `target.headerSets` (several users' headers) are taken in turn. */
function send(target, body) {
  const headers = target.headerSets
    ? target.headerSets[sentCount++ % target.headerSets.length]
    : target.headers;
  let url = urls.get(target.url);
  if (!url) {
    url = new URL(target.url);
    urls.set(target.url, url);
  }
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: target.method,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        agent,
      },
      (response) => {
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode));
        response.resume();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function httpClosed({ target, body, concurrency, durationMs, expectStatus }) {
  const next = bodySource(body);
  const latencies = [];
  const statuses = {};
  let ok = 0;
  const started = clock();
  const end = started + durationMs;
  async function loop() {
    while (clock() < end) {
      const t0 = clock();
      let status;
      try {
        status = await send(target, next());
      } catch {
        status = 'network';
      }
      const t1 = clock();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === expectStatus) {
        ok++;
        latencies.push(t1 - t0);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { ok, statuses, elapsedMs: clock() - started, latencies };
}

async function httpOpen({ target, body, rate, durationMs, expectStatus }) {
  const next = bodySource(body);
  const latencies = [];
  const statuses = {};
  const inFlight = new Set();
  let ok = 0;
  const interval = 1000 / rate;
  const started = clock();
  const end = started + durationMs;
  let sent = 0;
  while (true) {
    const due = started + sent * interval;
    if (due >= end) break;
    const now = clock();
    if (due > now) {
      await sleep(due - now);
      continue;
    }
    sent++;
    const request = send(target, next())
      .catch(() => 'network')
      .then((status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === expectStatus) {
          ok++;
          latencies.push(clock() - due);
        }
      });
    inFlight.add(request);
    request.finally(() => inFlight.delete(request));
  }
  await Promise.all([...inFlight]);
  return { ok, sent, statuses, elapsedMs: clock() - started, latencies };
}

async function wsListen({ url, clients, tokens, topics, idOf }) {
  const arrivals = [];
  const sockets = [];
  const ready = [];
  for (let i = 0; i < clients; i++) {
    const headers = tokens ? { authorization: `Bearer ${tokens[i % tokens.length]}` } : {};
    const socket = new WebSocket(url, { headers });
    sockets.push(socket);
    ready.push(
      new Promise((resolve, reject) => {
        socket.once('error', reject);
        if (!topics) socket.once('open', resolve);
        socket.on('message', (data) => {
          const at = clock();
          const message = JSON.parse(data.toString());
          if (topics && message.type === 'authenticated') {
            socket.send(JSON.stringify({ type: 'subscribe', topics }));
            return;
          }
          if (topics && message.type === 'subscribed') {
            resolve();
            return;
          }
          const id = idOf === 'event' ? message.event?.entityId : message.id;
          if (id) arrivals.push([id, at]);
        });
      }),
    );
  }
  await Promise.all(ready);
  parentPort.postMessage({ type: 'ready' });
  await new Promise((resolve) => {
    parentPort.on('message', (m) => {
      if (m.type === 'stop') resolve();
    });
  });
  for (const socket of sockets) socket.close();
  return { arrivals };
}

const modes = { 'http-closed': httpClosed, 'http-open': httpOpen, 'ws-listen': wsListen };
modes[workerData.mode](workerData)
  .then((result) => parentPort.postMessage({ type: 'done', result }))
  .catch((error) => parentPort.postMessage({ type: 'error', message: String(error?.stack ?? error) }));
