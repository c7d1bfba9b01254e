/**
 * `npm run audit:verify`: recomputes the whole audit log from its rows (leaf hashes, hash chain,
 * contiguous indexes) and checks the root and signature of every signed tree head. Opens the same
 * database as the server (DATABASE_URL, or the embedded one in DATA_DIR/pglite). Exit code 0 when
 * everything matches, 1 when something does not (the report names the first entry that fails),
 * 2 when the check could not run.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { AuditKeyError, loadAuditSigningKey } from '../platform/audit/signing.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const key = loadAuditSigningKey(config.auditSigningKey);
  // Loaded only once the configuration is known to be usable, so a bad setting is reported at once.
  const [
    { migrationSources },
    { allModules },
    { formatVerification, verifyAuditLog },
    { openDatabase },
    { migrate },
  ] = await Promise.all([
    import('../app.js'),
    import('../modules/index.js'),
    import('../platform/audit/verify.js'),
    import('../platform/db/database.js'),
    import('../platform/db/migrate.js'),
  ]);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    poolMax: 2,
  });
  try {
    // Same schema as the server (a no-op on an up-to-date database; creates it on an empty one).
    await migrate(database, migrationSources(allModules()));
    const result = await verifyAuditLog(database.db, { key });
    process.stdout.write(`${formatVerification(result, key)}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof AuditKeyError;
    process.stderr.write(
      `No se pudo verificar el registro de auditoría: ${known ? (error as Error).message : error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
