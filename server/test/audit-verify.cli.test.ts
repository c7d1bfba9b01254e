import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { auditDeps, signAuditTreeHead } from '../src/modules/audit/index.js';
import { systemContext } from '../src/platform/context.js';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/database.js';
import { createTestDatabase, testConfig, testDatabaseServerUrl } from './build-app.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `npx tsx src/cli/audit-verify.ts` the way `npm run audit:verify` does. */
function runVerifier(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'AUDIT_SIGNING_KEY']) delete childEnv[name];
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/audit-verify.ts'], { cwd: serverDir, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run audit:verify', () => {
  const config = testConfig();
  const serverUrl = testDatabaseServerUrl();
  let shared: (DatabaseHandle & { url?: string }) | undefined;

  afterAll(async () => {
    await shared?.close();
  });

  /** The database the CLI will open: the embedded one in DATA_DIR/pglite, or a PostgreSQL test database. */
  const cliEnv = () => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: config.dataDir,
    ...(shared?.url ? { DATABASE_URL: shared.url } : {}),
  });
  const openForTampering = async () =>
    shared ?? (await openDatabase({ pgliteDir: path.join(config.dataDir, 'pglite') }));
  const doneTampering = async (handle: DatabaseHandle) => {
    if (handle !== shared) await handle.close();
  };

  it('exits 0 on an untouched log and 1 naming the first altered entry', { timeout: 180_000 }, async () => {
    if (serverUrl) shared = await createTestDatabase();
    // A server runs, writes audited changes, signs a tree head and stops (closing the data folder).
    const built = await buildApp({ config, seedDemo: false, ...(shared ? { database: shared } : {}) });
    for (let i = 0; i < 6; i++) {
      await built.deps.tx(systemContext(), async (uow) => {
        uow.audit({ action: 'prueba.cli', entityType: 'prueba', entityId: `cli-${i}`, after: { i } });
      });
    }
    const head = await signAuditTreeHead(auditDeps(built.deps));
    expect(head).not.toBeNull();
    await built.close();

    const clean = await runVerifier(cliEnv());
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toContain('RESULTADO: correcto');
    expect(clean.stdout).toContain(`Entradas: ${head!.treeSize}`);
    expect(clean.code).toBe(0);

    // A superuser changes one entry behind the application's back.
    const handle = await openForTampering();
    const victim = await handle.db
      .selectFrom('audit_log')
      .select(['leaf_index', 'id'])
      .where('entity_id', '=', 'cli-3')
      .executeTakeFirstOrThrow();
    await handle.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await trx
        .updateTable('audit_log')
        .set({ reason: 'borrado por error' })
        .where('id', '=', victim.id)
        .execute();
    });
    await doneTampering(handle);

    const tampered = await runVerifier(cliEnv());
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('RESULTADO: el registro NO es íntegro');
    expect(tampered.stdout).toContain(
      `Primera entrada que no coincide: índice ${victim.leaf_index}, id ${victim.id}.`,
    );
    expect(tampered.stdout).toMatch(/su contenido no coincide con su hash de hoja/);
  });

  it('exits 2 with a clear message when the signing key is unusable', { timeout: 60_000 }, async () => {
    const res = await runVerifier({ ...cliEnv(), AUDIT_SIGNING_KEY: 'x'.repeat(50) });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('No se pudo verificar el registro de auditoría');
    expect(res.stderr).toContain('AUDIT_SIGNING_KEY');
  });
});
