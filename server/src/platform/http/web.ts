import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { setNotFoundFallback } from './error-handler.js';

/** The built web app (npm run build -w web). */
export const DEFAULT_WEB_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../web/dist',
);

/** Paths the server itself owns: unknown URLs below them stay JSON 404s, never the web app. */
const SERVER_PREFIXES = ['/api', '/ws', '/docs', '/open311', '/metrics', '/health', '/ready'];

/** Extensions of built files; a missing one is a 404, not the app's HTML (which would break as a script). */
const FILE_EXTENSION =
  /\.(js|mjs|css|map|svg|png|jpe?g|gif|webp|ico|json|webmanifest|txt|woff2?|ttf|wasm|html)$/i;

export function isServerPath(urlPath: string): boolean {
  return SERVER_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/** A regular file inside `root` (no traversal out of it), or null. */
function fileInside(root: string, relative: string): string | null {
  const resolved = path.resolve(root, relative);
  if (!resolved.startsWith(`${root}${path.sep}`)) return null;
  try {
    return statSync(resolved).isFile() ? path.relative(root, resolved) : null;
  } catch {
    return null;
  }
}

/**
 * Serves the web app at `/`: built files from `root` (hashed assets cached for a year), and
 * index.html for any other GET outside the server's own prefixes so client-side routes survive a
 * reload (SPA fallback). Does nothing when the app is not built (the API works without it).
 */
export async function registerWebApp(
  app: FastifyInstance,
  root: string = DEFAULT_WEB_ROOT,
): Promise<boolean> {
  const webRoot = path.resolve(root);
  if (!existsSync(path.join(webRoot, 'index.html'))) {
    app.log.warn({ webRoot }, 'web app not built (npm run build -w web): only the API is served');
    return false;
  }
  await app.register(fastifyStatic, { root: webRoot, serve: false });

  setNotFoundFallback(app, async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const rawPath = request.url.split('?')[0] ?? '/';
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(rawPath);
    } catch {
      return false;
    }
    if (isServerPath(urlPath) || urlPath.includes('\0')) return false;
    const relative = urlPath.replace(/^\/+/, '');
    const file = relative ? fileInside(webRoot, relative) : null;
    if (file && file !== 'index.html') {
      const hashed = file.startsWith(`assets${path.sep}`);
      await reply.status(200).sendFile(file, { maxAge: hashed ? '365d' : '1h', immutable: hashed });
      return true;
    }
    if (FILE_EXTENSION.test(relative) && file !== 'index.html') return false;
    reply.header('cache-control', 'no-cache');
    await reply.status(200).sendFile('index.html', { cacheControl: false });
    return true;
  });
  return true;
}
