import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';
import { MigrationChecksumError, migrate, migrationsUpToDate } from './migrate.js';

describe('migration runner', () => {
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  function folder(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'centinela-migrations-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  }

  it('applies pending migrations in order, once, and records them', async () => {
    handle = await openDatabase({});
    const dir = folder({
      '0002_rows.sql': "INSERT INTO things (name) VALUES ('b');",
      '0001_things.sql': "CREATE TABLE things (name text NOT NULL); INSERT INTO things (name) VALUES ('a');",
      'notes.txt': 'ignored',
    });
    const sources = [{ module: 'demo', dir }];
    expect(await migrate(handle, sources)).toEqual(['demo/0001_things.sql', 'demo/0002_rows.sql']);
    expect(await migrate(handle, sources)).toEqual([]);
    const rows = await sql<{ name: string }>`SELECT name FROM things ORDER BY name`.execute(handle.db);
    expect(rows.rows.map((r) => r.name)).toEqual(['a', 'b']);
    expect(await migrationsUpToDate(handle.db, sources)).toBe(true);
  });

  it('refuses to start when an applied migration was changed, naming it', async () => {
    handle = await openDatabase({});
    const dir = folder({ '0001_things.sql': 'CREATE TABLE things (name text);' });
    await migrate(handle, [{ module: 'demo', dir }]);
    writeFileSync(path.join(dir, '0001_things.sql'), 'CREATE TABLE things (name text, extra int);');
    const attempt = migrate(handle, [{ module: 'demo', dir }]);
    await expect(attempt).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(migrate(handle, [{ module: 'demo', dir }])).rejects.toThrow(/demo\/0001_things\.sql/);
  });

  it('rolls back a failing migration completely and reports pending work', async () => {
    handle = await openDatabase({});
    const dir = folder({ '0001_bad.sql': 'CREATE TABLE half (id int); SELECT * FROM missing_table;' });
    await expect(migrate(handle, [{ module: 'demo', dir }])).rejects.toThrow();
    const exists = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half'`.execute(handle.db);
    expect(exists.rows[0]!.n).toBe(0);
    expect(await migrationsUpToDate(handle.db, [{ module: 'demo', dir }])).toBe(false);
  });
});
