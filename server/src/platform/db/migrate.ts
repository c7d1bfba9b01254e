import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle, Db } from './database.js';

export interface MigrationSource {
  /** Module that owns the migrations, e.g. `identity`. */
  module: string;
  /** Folder with `NNNN_name.sql` files. */
  dir: string;
}

export interface MigrationFile {
  module: string;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationChecksumError extends Error {
  constructor(
    readonly module: string,
    readonly migration: string,
  ) {
    super(
      `La migración ${module}/${migration} ya aplicada fue modificada (la suma de verificación no coincide). ` +
        'Las migraciones son de solo avance: restaure el archivo original y agregue una migración nueva.',
    );
  }
}

export function readMigrations(sources: MigrationSource[]): MigrationFile[] {
  return sources.flatMap(({ module, dir }) =>
    readdirSync(dir)
      .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
      .sort()
      .map((name) => {
        const text = readFileSync(path.join(dir, name), 'utf8');
        return { module, name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
      }),
  );
}

const MIGRATION_LOCK_ID = 4_911_911;

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so that
 * several servers starting together do not race. Refuses to start if an applied file changed.
 */
export async function migrate(handle: DatabaseHandle, sources: MigrationSource[]): Promise<string[]> {
  const { db } = handle;
  const files = readMigrations(sources);
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    module text NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (module, name)
  )`.execute(db);
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(conn);
    try {
      const applied = await conn.selectFrom('schema_migrations').selectAll().execute();
      const byKey = new Map(applied.map((m) => [`${m.module}/${m.name}`, m.checksum]));
      const done: string[] = [];
      for (const file of files) {
        const key = `${file.module}/${file.name}`;
        const checksum = byKey.get(key);
        if (checksum !== undefined) {
          if (checksum !== file.checksum) throw new MigrationChecksumError(file.module, file.name);
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await handle.execScript(trx, file.sql);
          await trx
            .insertInto('schema_migrations')
            .values({ module: file.module, name: file.name, checksum: file.checksum })
            .execute();
        });
        done.push(key);
      }
      return done;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(conn);
    }
  });
}

/** True when every known migration is recorded as applied (used by /ready). */
export async function migrationsUpToDate(db: Db, sources: MigrationSource[]): Promise<boolean> {
  const files = readMigrations(sources);
  const applied = await db.selectFrom('schema_migrations').select(['module', 'name']).execute();
  const keys = new Set(applied.map((m) => `${m.module}/${m.name}`));
  return files.every((f) => keys.has(`${f.module}/${f.name}`));
}
