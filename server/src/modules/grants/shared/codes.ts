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
  const last = await uow.db
    .selectFrom(table)
    .select('code')
    .where('code', 'like', `${series}%`)
    .orderBy('code', 'desc')
    .limit(1)
    .executeTakeFirst();
  const n = last ? Number(last.code.slice(series.length)) + 1 : 1;
  return `${series}${String(n).padStart(width, '0')}`;
}
