/**
 * Builds web/dist when it is missing or older than the web sources, so `npm start` and the browser
 * tests always serve the current app. Concurrent callers (parallel test files, two terminals) are
 * serialised by a lock directory; the second one finds the build fresh and returns.
 *
 *   npx tsx web/scripts/ensure-build.ts [--keep-going]   (exit code 0 when dist is fresh)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_INDEX = path.join(WEB_DIR, 'dist', 'index.html');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];
const LOCK = path.join(WEB_DIR, 'node_modules', '.centinela-build.lock');
const LOCK_STALE_MS = 10 * 60_000;

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Whether dist/index.html exists and is newer than every source file. */
export function webBuildIsFresh(): boolean {
  if (!existsSync(DIST_INDEX)) return false;
  const built = statSync(DIST_INDEX).mtimeMs;
  return SOURCES.every((s) => newestMtime(path.join(WEB_DIR, s)) <= built);
}

function acquireLock(): boolean {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // removed meanwhile by its owner
    }
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the web app if needed; resolves once dist is fresh. Throws when the build fails. */
export async function ensureWebBuild(log: (line: string) => void = () => {}): Promise<void> {
  for (;;) {
    if (webBuildIsFresh()) return;
    if (acquireLock()) break;
    await sleep(500);
  }
  try {
    if (webBuildIsFresh()) return;
    log('Construyendo la aplicación web (web/dist)…');
    const vite = path.join(WEB_DIR, 'node_modules', '.bin', 'vite');
    const result = spawnSync(
      existsSync(vite) ? vite : 'npx',
      existsSync(vite) ? ['build'] : ['vite', 'build'],
      {
        cwd: WEB_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
        // Callers may run with NODE_ENV=test (vitest): Vite would then bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (result.status !== 0) {
      throw new Error(`web build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --keep-going (npm start): a failed build is reported but the server still starts, serving the
  // previous build if there is one, or the API alone.
  const keepGoing = process.argv.includes('--keep-going');
  ensureWebBuild((line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    if (keepGoing) {
      process.stderr.write(
        existsSync(DIST_INDEX)
          ? 'No se pudo construir la web: se sirve la versión construida anteriormente.\n'
          : 'No se pudo construir la web: el servidor arranca solo con la API.\n',
      );
      return;
    }
    process.exit(1);
  });
}
