import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Pool statistics for /metrics (PGlite has a single serialised connection). */
  poolStats(): { total: number; idle: number; waiting: number };
  /** PGlite only: the whole database as a tarball (used to clone a prepared test database). */
  dumpDataDir?(): Promise<Blob>;
  /** Runs a multi-statement SQL script (migrations) on the connection that `conn` holds. */
  execScript(conn: Db, script: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; `undefined` keeps it in memory (tests). */
  pgliteDir?: string | undefined;
  /** Start the embedded database from a tarball made by `dumpDataDir` (tests). */
  pgliteLoadDataDir?: Blob | undefined;
  poolMax?: number;
}

// Return bigint/numeric as strings only where precision matters; int8 counts come back as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 10 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Queries report their own errors.
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      execScript: async (conn, script) => {
        await sql.raw(script).execute(conn);
      },
      close: () => db.destroy(),
    };
  }
  let dataDir: string | undefined;
  if (options.pgliteDir) {
    dataDir = path.resolve(options.pgliteDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.pgliteLoadDataDir ? { loadDataDir: options.pgliteLoadDataDir } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    dumpDataDir: () => pglite.dumpDataDir('none'),
    // PGlite runs multi-statement scripts only through exec(); the caller holds the single
    // connection, so this runs inside the caller's transaction.
    execScript: async (_conn, script) => {
      await pglite.exec(script);
    },
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
