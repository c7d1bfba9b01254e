import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type BuildAppOptions, type BuiltApp, buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/database.js';

/**
 * Test databases: a fresh in-memory PGlite per call by default; when TEST_DATABASE_URL (or
 * DATABASE_URL) points at PostgreSQL, a fresh database is created on that server and dropped at close.
 */
export function testDatabaseServerUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
}

let templateBlob: Blob | undefined;

/** The prepared template (see global-setup.ts), when the run has one. */
function template(): { pgliteFile: string | null; pgName: string | null } {
  try {
    return { pgliteFile: inject('pgliteTemplateFile'), pgName: inject('pgTemplateName') };
  } catch {
    return { pgliteFile: null, pgName: null }; // outside a vitest worker (e.g. global setup itself)
  }
}

export async function createTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const serverUrl = testDatabaseServerUrl();
  const { pgliteFile, pgName } = template();
  if (!serverUrl) {
    if (pgliteFile) templateBlob ??= new Blob([readFileSync(pgliteFile)]);
    return openDatabase({ pgliteLoadDataDir: templateBlob });
  }
  const name = `centinela_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(pgName ? `CREATE DATABASE ${name} TEMPLATE ${pgName}` : `CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolMax: 10 });
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'centinela-test-'));
  const base = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  return { ...base, rateLimitMax: 100_000, rateLimitLoginMax: 100_000, seedDemo: false, ...overrides };
}

export interface TestApp extends BuiltApp {
  database: DatabaseHandle;
}

/** A whole app on a fresh database. Call `close()` in afterAll. */
export async function buildTestApp(options: Partial<BuildAppOptions> = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const built = await buildApp({ config: options.config ?? testConfig(), ...options, database });
  return {
    ...built,
    database,
    close: async () => {
      await built.close();
      await database.close();
    },
  };
}
