import { sql } from 'kysely';
import type { Db } from './db/database.js';

/**
 * How long the platform's bookkeeping rows are kept. None of them is a record of what happened
 * (that is the audit log, never pruned): they only serve retries and reconnections.
 * - idempotency keys: a client retries a write within minutes, never after a day;
 * - published outbox rows: WebSocket clients resume from them; a client away for longer than this
 *   is told to resynchronise (realtime hub: `overflow`);
 * - consumed event ids: redeliveries come within the bus's own retention, far shorter than this.
 */
export const RETENTION = {
  idempotencyKeysHours: 24,
  publishedOutboxDays: 7,
  consumedEventsDays: 7,
} as const;

/** Rows deleted per statement, so a large backlog never holds long locks. */
const BATCH = 5_000;
const HOUR_MS = 3_600_000;

export interface PruneResult {
  idempotencyKeys: number;
  outbox: number;
  consumedEvents: number;
}

async function deleteInBatches(run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await run();
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/** Deletes bookkeeping rows older than their retention (see RETENTION). */
export async function pruneBookkeeping(db: Db, now: Date): Promise<PruneResult> {
  const before = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
  const idempotencyKeys = await deleteInBatches(async () => {
    const r = await sql`DELETE FROM idempotency_keys WHERE ctid IN (
      SELECT ctid FROM idempotency_keys WHERE created_at < ${before(RETENTION.idempotencyKeysHours)} LIMIT ${BATCH})`.execute(
      db,
    );
    return Number(r.numAffectedRows ?? 0);
  });
  const outbox = await deleteInBatches(async () => {
    const r = await sql`DELETE FROM outbox WHERE seq IN (
      SELECT seq FROM outbox WHERE published_at IS NOT NULL
        AND published_at < ${before(RETENTION.publishedOutboxDays * 24)} ORDER BY seq LIMIT ${BATCH})`.execute(
      db,
    );
    return Number(r.numAffectedRows ?? 0);
  });
  const consumedEvents = await deleteInBatches(async () => {
    const r = await sql`DELETE FROM consumed_events WHERE ctid IN (
      SELECT ctid FROM consumed_events WHERE consumed_at < ${before(RETENTION.consumedEventsDays * 24)}
      LIMIT ${BATCH})`.execute(db);
    return Number(r.numAffectedRows ?? 0);
  });
  return { idempotencyKeys, outbox, consumedEvents };
}

export interface RetentionJob {
  stop(): void;
}

/** Prunes once an hour (and once shortly after start); failures are logged and retried next time. */
export function startRetentionJob(
  db: Db,
  clock: { now(): Date },
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void },
  everyMs = HOUR_MS,
): RetentionJob {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const result = await pruneBookkeeping(db, clock.now());
      if (result.idempotencyKeys + result.outbox + result.consumedEvents > 0) {
        log.info({ pruned: result }, 'bookkeeping pruned');
      }
    } catch (error) {
      log.warn({ err: error }, 'bookkeeping prune failed');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
