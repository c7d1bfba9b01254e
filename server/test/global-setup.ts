import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/platform/db/database.js';
import { testConfig, testDatabaseServerUrl } from './build-app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: tarball of a database with every migration and reference seed applied. */
    pgliteTemplateFile: string | null;
    /** PostgreSQL: name of a template database with every migration and reference seed applied. */
    pgTemplateName: string | null;
  }
}

/**
 * Prepares ONE database with all migrations and reference data (roles, territorial data, catalogues)
 * per test run; each test file then clones it instead of migrating and seeding from scratch.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = testDatabaseServerUrl();
  if (serverUrl) {
    const name = `centinela_tpl_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolMax: 2 });
    const built = await buildApp({ config: testConfig(), database, seedDemo: false });
    await built.close();
    await database.close();
    project.provide('pgTemplateName', name);
    project.provide('pgliteTemplateFile', null);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  const database = await openDatabase({});
  const built = await buildApp({ config: testConfig(), database, seedDemo: false });
  await built.close();
  const tarball = Buffer.from(await (await database.dumpDataDir!()).arrayBuffer());
  await database.close();
  const dir = mkdtempSync(path.join(tmpdir(), 'centinela-template-'));
  const file = path.join(dir, 'template.tar');
  writeFileSync(file, tarball);
  project.provide('pgliteTemplateFile', file);
  project.provide('pgTemplateName', null);
  return async () => {
    rmSync(dir, { recursive: true, force: true });
  };
}
