import type { FastifyBaseLogger } from 'fastify';
import { type Selectable, sql } from 'kysely';
import type { Clock } from '../context.js';
import type { Db } from '../db/database.js';
import type { EventBus } from './bus.js';
import type { DomainEvent, OutboxTable } from './types.js';

/**
 * The outbox relay: publishes committed outbox rows to the bus, in `seq` order, and numbers them
 * with `publish_seq` in the order they were published.
 *
 * One cycle is one transaction that
 *   1. takes `pg_try_advisory_xact_lock(RELAY_LOCK)`, so that among several server processes only
 *      one publishes at a time (the others skip the cycle; the lock ends with the transaction);
 *   2. reads up to `batchSize` unpublished rows (only committed rows are visible) in `seq` order;
 *   3. publishes them one by one, each numbered `max(publish_seq) + n`, stopping at the first failure;
 *   4. stores `publish_seq` and `published_at` for the rows that were published, and commits.
 * A bus failure keeps the published prefix and leaves the rest for a later cycle (with back-off).
 * Should the commit itself fail after publishing, the rows are published again later: JetStream
 * drops the repeated message id, and consumers are idempotent anyway. Clients dedupe by id too.
 *
 * Cycles run when woken (after a commit that wrote events, see `deps.onEventsCommitted`), every
 * `pollIntervalMs` (rows written by other processes) and on `flush()` (tests, shutdown).
 */
/**
 * The two-key form (namespace, id) lives apart from the single-key advisory locks that migrations,
 * the audit log, geo seeding and `hashtext()` callers take, so it cannot collide with them.
 */
export const RELAY_LOCK: readonly [number, number] = [4_911, 1_001];

export interface RelayOptions {
  db: Db;
  bus: EventBus;
  clock: Clock;
  logger: Pick<FastifyBaseLogger, 'error' | 'warn'>;
  batchSize?: number;
  pollIntervalMs?: number;
  /** Longest wait after repeated bus failures. */
  maxBackoffMs?: number;
}

export interface RelayLag {
  /** Age of the oldest committed event not yet published (0 when none). */
  oldestUnpublishedAgeSeconds: number;
  unpublishedCount: number;
  /** Highest publish_seq stored (0 when nothing was published yet). */
  lastPublishSeq: number;
  /** Events this process published since it started. */
  publishedTotal: number;
  /** Failed relay cycles of this process since it started. */
  failuresTotal: number;
}

interface CycleResult {
  /** false when another process held the relay lock. */
  locked: boolean;
  published: number;
  error?: unknown;
}

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /** Schedules a cycle soon (coalesced); ignored until `start()`. */
  wake(): void;
  /**
   * Publishes everything committed so far, then waits until in-process handlers are done. Throws
   * if the bus fails. Deterministic for tests: call it after the transactions that emitted events.
   */
  flush(options?: { timeoutMs?: number }): Promise<number>;
  lag(): Promise<RelayLag>;
}

type OutboxRow = Selectable<OutboxTable>;

export function toDomainEvent(row: OutboxRow, publishSeq: number): DomainEvent {
  return {
    id: row.id,
    seq: Number(row.seq),
    publishSeq,
    type: row.type,
    topic: row.topic,
    entityType: row.entity_type,
    entityId: row.entity_id,
    payload: parseJson(row.payload) as Record<string, unknown>,
    scope: (parseJson(row.scope) ?? {}) as DomainEvent['scope'],
    permission: row.permission ?? `${row.topic}.read`,
    actor: { type: row.actor_type, id: row.actor_id },
    occurredAt: new Date(row.occurred_at).toISOString(),
  };
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export function createOutboxRelay(options: RelayOptions): OutboxRelay {
  const { db, bus, clock, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;

  let started = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeTimer: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let consecutiveFailures = 0;
  let retryAt = 0;
  let publishedTotal = 0;
  let failuresTotal = 0;

  async function cycle(): Promise<CycleResult> {
    return db.transaction().execute(async (trx) => {
      const lock = await sql<{
        locked: boolean;
      }>`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK[0]}, ${RELAY_LOCK[1]}) AS locked`.execute(trx);
      if (!lock.rows[0]?.locked) return { locked: false, published: 0 };
      // The rows and the last publish_seq in one round trip (both read after the lock was taken).
      const rows = await trx
        .selectFrom('outbox')
        .selectAll()
        .select(sql<number | string | null>`(SELECT max(publish_seq) FROM outbox)`.as('last_publish_seq'))
        .where('published_at', 'is', null)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return { locked: true, published: 0 };
      const base = Number(rows[0]!.last_publish_seq ?? 0);
      let published = 0;
      let error: unknown;
      for (const row of rows) {
        try {
          await bus.publish(toDomainEvent(row, base + published + 1));
          published += 1;
        } catch (e) {
          error = e;
          break;
        }
      }
      if (published > 0) {
        const seqs = rows.slice(0, published).map((r) => Number(r.seq));
        await sql`
          UPDATE outbox AS o
          SET publish_seq = v.rn + ${base}, published_at = ${clock.now()}
          FROM (
            SELECT seq, row_number() OVER (ORDER BY seq) AS rn
            FROM outbox WHERE seq IN (${sql.join(seqs)})
          ) AS v
          WHERE o.seq = v.seq`.execute(trx);
      }
      return error === undefined ? { locked: true, published } : { locked: true, published, error };
    });
  }

  /** Runs cycles until the backlog is empty; serialised so two runs never overlap in one process. */
  function run(throwOnError: boolean): Promise<number> {
    const next = chain.then(async () => {
      let total = 0;
      for (;;) {
        let result: CycleResult;
        try {
          result = await cycle();
        } catch (error) {
          result = { locked: true, published: 0, error };
        }
        total += result.published;
        publishedTotal += result.published;
        if (result.error !== undefined) {
          consecutiveFailures += 1;
          failuresTotal += 1;
          retryAt = Date.now() + Math.min(maxBackoffMs, 500 * 2 ** Math.min(consecutiveFailures - 1, 10));
          if (throwOnError) throw result.error;
          logger.error(
            { err: result.error, consecutiveFailures },
            'outbox relay: publishing failed; will retry',
          );
          return total;
        }
        consecutiveFailures = 0;
        retryAt = 0;
        // Only a full batch means more may be waiting.
        if (!result.locked || result.published < batchSize) return total;
      }
    });
    chain = next.catch(() => undefined);
    return next;
  }

  function background(): void {
    if (!started || Date.now() < retryAt || !bus.available()) return;
    void run(false).catch(() => undefined);
  }

  return {
    start() {
      if (started) return;
      started = true;
      timer = setInterval(background, pollIntervalMs);
      timer.unref();
      background();
    },
    async stop() {
      started = false;
      if (timer) clearInterval(timer);
      if (wakeTimer) clearTimeout(wakeTimer);
      timer = null;
      wakeTimer = null;
      await chain;
    },
    wake() {
      if (!started || wakeTimer) return;
      // Coalesce the commits of one tick into one cycle.
      wakeTimer = setTimeout(() => {
        wakeTimer = null;
        background();
      }, 0);
    },
    async flush(flushOptions = {}) {
      const deadline = Date.now() + (flushOptions.timeoutMs ?? 10_000);
      let total = 0;
      for (;;) {
        const published = await run(true);
        total += published;
        // In-process handlers may emit events of their own: wait for them, then look again.
        await bus.settled();
        const pending = await db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('published_at', 'is', null)
          .executeTakeFirst();
        if (Number(pending?.n ?? 0) === 0) return total;
        if (Date.now() > deadline) throw new Error('outbox relay: flush timed out');
        // Nothing published although rows wait: another process holds the relay lock.
        if (published === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async lag() {
      const result = await sql<{ last: number | null; unpublished: number; oldest: Date | null }>`
        SELECT
          (SELECT max(publish_seq) FROM outbox) AS last,
          (SELECT count(*) FROM outbox WHERE published_at IS NULL) AS unpublished,
          (SELECT occurred_at FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT 1) AS oldest
      `.execute(db);
      const row = result.rows[0];
      const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
      return {
        oldestUnpublishedAgeSeconds:
          oldest === null ? 0 : Math.max(0, (clock.now().getTime() - oldest) / 1000),
        unpublishedCount: Number(row?.unpublished ?? 0),
        lastPublishSeq: Number(row?.last ?? 0),
        publishedTotal,
        failuresTotal,
      };
    },
  };
}
