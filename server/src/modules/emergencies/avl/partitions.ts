import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';

const PARENT = 'unit_positions';
const DEFAULT_PARTITION = 'unit_positions_default';

export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

/** The UTC month containing `at`, shifted by `offset` months, as a partition of unit_positions. */
export function monthPartition(at: Date, offset = 0): MonthPartition {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + offset;
  const from = new Date(Date.UTC(year, month, 1));
  const to = new Date(Date.UTC(year, month + 1, 1));
  const mm = String(from.getUTCMonth() + 1).padStart(2, '0');
  return { name: `${PARENT}_y${from.getUTCFullYear()}m${mm}`, from, to };
}

async function exists(db: Db, name: string): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`SELECT to_regclass(${name})::text AS found`.execute(
    db,
  );
  return rows[0]?.found != null;
}

/**
 * Creates the monthly partitions of the position history for the current month and the next
 * `monthsAhead` (UTC), so fixes never pile up in the default partition, which stays as the safety
 * net for anything outside them (old fixes, a server that was down at a month change).
 *
 * If the default partition already holds rows of a month being created, they are moved into the
 * new partition in the same transaction (PostgreSQL refuses a partition whose rows sit in the
 * default one). The history table is locked while a partition is created — a few milliseconds,
 * once a month; the check that nothing is missing takes no lock. Several servers may run this at
 * once: the lock serialises them and the existence check is repeated under it.
 * Same SQL on PostgreSQL 15 and PGlite. Returns the partitions it created.
 */
export async function ensurePositionPartitions(db: Db, now: Date, monthsAhead = 1): Promise<string[]> {
  const wanted = Array.from({ length: monthsAhead + 1 }, (_, i) => monthPartition(now, i));
  const missing: MonthPartition[] = [];
  for (const p of wanted) if (!(await exists(db, p.name))) missing.push(p);
  if (missing.length === 0) return [];

  return db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE ${sql.table(PARENT)} IN ACCESS EXCLUSIVE MODE`.execute(trx);
    const created: string[] = [];
    for (const p of missing) {
      if (await exists(trx, p.name)) continue;
      // Bounds come from Date objects, never from input: safe to inline into DDL.
      const from = sql.lit(p.from.toISOString());
      const to = sql.lit(p.to.toISOString());
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(DEFAULT_PARTITION)}
        WHERE recorded_at >= ${p.from} AND recorded_at < ${p.to}`.execute(trx);
      if ((rows[0]?.n ?? 0) === 0) {
        await sql`CREATE TABLE ${sql.table(p.name)} PARTITION OF ${sql.table(PARENT)}
          FOR VALUES FROM (${from}) TO (${to})`.execute(trx);
      } else {
        await sql`CREATE TABLE ${sql.table(p.name)} (LIKE ${sql.table(PARENT)} INCLUDING DEFAULTS)`.execute(
          trx,
        );
        await sql`
          WITH moved AS (
            DELETE FROM ${sql.table(DEFAULT_PARTITION)}
            WHERE recorded_at >= ${p.from} AND recorded_at < ${p.to}
            RETURNING *
          )
          INSERT INTO ${sql.table(p.name)} SELECT * FROM moved`.execute(trx);
        await sql`ALTER TABLE ${sql.table(PARENT)} ATTACH PARTITION ${sql.table(p.name)}
          FOR VALUES FROM (${from}) TO (${to})`.execute(trx);
      }
      created.push(p.name);
    }
    return created;
  });
}

/** Partitions of unit_positions with their row counts (operations and tests). */
export async function listPositionPartitions(db: Db): Promise<{ name: string; rows: number }[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = ${PARENT}
    ORDER BY c.relname`.execute(db);
  const result: { name: string; rows: number }[] = [];
  for (const r of rows) {
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(r.name)}`.execute(db);
    result.push({ name: r.name, rows: count.rows[0]?.n ?? 0 });
  }
  return result;
}
