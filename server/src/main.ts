import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { MigrationChecksumError } from './platform/db/migrate.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const built = await buildApp({ config });
  const address = await built.app.listen({ port: config.port, host: config.host });
  await built.startBackground();

  const shown = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  const lines = [
    '',
    `Centinela escuchando en ${shown}  (base de datos: ${built.deps.database.kind})`,
    `  Aplicación web: ${shown}/`,
    `  API y documentación: ${shown}/docs`,
  ];
  if (built.demoCredentials.length > 0 && config.env !== 'production') {
    lines.push('', '  Usuarios de demostración (solo desarrollo):');
    for (const c of built.demoCredentials) {
      lines.push(
        `    ${c.username.padEnd(20)} ${c.password.padEnd(16)} ${c.role}${c.note ? `  ${c.note}` : ''}`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    built.app.log.info({ signal }, 'stopping');
    await built.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationChecksumError) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else {
    process.stderr.write(
      `\nNo se pudo iniciar Centinela: ${error instanceof Error ? error.stack : String(error)}\n\n`,
    );
  }
  process.exit(1);
});
