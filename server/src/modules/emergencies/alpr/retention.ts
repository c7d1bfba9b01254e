import { sql } from 'kysely';
import { type RequestContext, systemContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';

/**
 * Retention of plate reads. Reads that raised no alert (no watchlist match, or a match below the
 * confidence threshold) are kept ALPR_UNALERTED_RETENTION_DAYS for analysis and then deleted; reads
 * that raised an alert stay with their alert and incident. The table refuses every other deletion and
 * every update (see migration 0005): this purge is the only way rows leave it.
 */
export const ALPR_UNALERTED_RETENTION_DAYS = 90;
const PURGE_INTERVAL_MS = 6 * 3600_000;
const BATCH = 5000;

export async function purgeExpiredPlateReads(
  deps: Pick<AppDeps, 'tx'>,
  ctx: RequestContext = systemContext(),
  days = ALPR_UNALERTED_RETENTION_DAYS,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deps.tx(ctx, async (uow) => {
      const cutoff = new Date(uow.now.getTime() - days * 86_400_000);
      await sql`SELECT set_config('centinela.alpr_retention_purge', 'on', true)`.execute(uow.db);
      const result = await sql<{ n: number }>`
        WITH gone AS (
          DELETE FROM alpr_reads WHERE id IN (
            SELECT id FROM alpr_reads
            WHERE outcome IN ('no_match', 'below_threshold') AND read_at < ${cutoff}
            LIMIT ${BATCH}
          ) RETURNING 1
        ) SELECT count(*)::int AS n FROM gone`.execute(uow.db);
      const n = result.rows[0]?.n ?? 0;
      if (n > 0) {
        uow.audit({
          action: 'alpr.reads.purged',
          entityType: 'alpr_reads',
          changes: { deleted: n, olderThan: cutoff.toISOString(), retentionDays: days },
          reason: `Retención: lecturas sin alerta se conservan ${days} días`,
        });
      }
      return n;
    });
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/** The first purge runs soon after start, so servers restarted more often than the interval still purge. */
const FIRST_PURGE_DELAY_MS = 60_000;
let first: NodeJS.Timeout | undefined;
let timer: NodeJS.Timeout | undefined;

export function startPlateReadRetention(deps: AppDeps): void {
  if (timer) return;
  const run = () => {
    purgeExpiredPlateReads(deps).catch((error: unknown) =>
      deps.logger.error({ err: error }, 'alpr retention purge failed'),
    );
  };
  first = setTimeout(run, FIRST_PURGE_DELAY_MS);
  first.unref();
  timer = setInterval(run, PURGE_INTERVAL_MS);
  timer.unref();
}

export function stopPlateReadRetention(): void {
  if (first) clearTimeout(first);
  if (timer) clearInterval(timer);
  first = undefined;
  timer = undefined;
}
