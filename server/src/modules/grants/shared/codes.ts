import { sql } from 'kysely';
import type { UnitOfWork } from '../../../platform/db/transaction.js';

/**
 * Next human-readable code of a series (`CONV-2026-0001`, `PLAN-2026-00001`): the series is locked
 * for the rest of the transaction (advisory lock), so two requests never take the same number.
 */
export async function nextCode(
  uow: UnitOfWork,
  table: 'ngo_calls' | 'ngo_plans',
  prefix: string,
  year: number,
  width: number,
): Promise<string> {
  const series = `${prefix}-${year}-`;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`grants:${table}:${series}`}))`.execute(uow.db);
  // Only codes whose number part is all digits count (codes typed by other means are ignored);
  // the highest number wins, whatever its width.
  const last = await sql<{ n: string | null }>`
    SELECT max(substring(code FROM ${series.length + 1}::int)::bigint) AS n FROM ${sql.table(table)}
    WHERE starts_with(code, ${series}) AND substring(code FROM ${series.length + 1}::int) ~ '^[0-9]{1,15}$'`.execute(
    uow.db,
  );
  const n = Number(last.rows[0]?.n ?? 0) + 1;
  return `${series}${String(n).padStart(width, '0')}`;
}
