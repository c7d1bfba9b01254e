/*
 * Centinela field app service worker. Registered only for the /campo/ scope (web/src/surfaces/field/
 * pwa.ts). It keeps the app shell so the app starts without network:
 *   - pages of /campo/… : network first, the cached shell (index.html) when offline;
 *   - /assets/… (content-hashed build files): cache first, stored on first use;
 *   - the manifest and icons: cache, refreshed in the background.
 * API calls, the WebSocket and everything else go straight to the network and are NEVER cached:
 * answers of /api/ carry personal data. Writes made offline live in the page's IndexedDB outbox.
 * Bump VERSION when this file's caching rules change: the old caches are deleted on activation.
 */
const VERSION = 'v1';
const CACHE = `centinela-campo-${VERSION}`;
const SHELL_URL = '/campo/';
const STATIC_FILES = [
  '/campo/manifest.webmanifest',
  '/campo/icons/icon.svg',
  '/campo/icons/icon-192.png',
  '/campo/icons/icon-512.png',
  '/campo/icons/icon-maskable-512.png',
  '/favicon.svg',
];
const NETWORK_ONLY = ['/api/', '/ws', '/docs', '/open311', '/metrics', '/health', '/ready'];
const NAVIGATION_TIMEOUT_MS = 6000;

/** Built files referenced by the shell HTML (entry script, styles, preloads). */
function assetsIn(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"?#]+)"/g)) found.add(match[1]);
  return [...found];
}

async function storeShell(cache, response) {
  const html = await response.clone().text();
  const previous = await cache.match(SHELL_URL);
  const before = previous
    ? assetsIn(await previous.text())
        .sort()
        .join('|')
    : null;
  const after = assetsIn(html);
  await cache.put(SHELL_URL, response.clone());
  if (before !== null && before !== after.sort().join('|')) {
    // A new build: drop the old hashed files (the page fetches, and so re-caches, what it uses now).
    const keep = new Set(after);
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith('/assets/') && !keep.has(path)) await cache.delete(request);
    }
  }
  return after;
}

async function cacheAssets(cache, urls) {
  await Promise.all(
    urls
      .filter((url) => typeof url === 'string' && url.startsWith('/assets/'))
      .map(async (url) => {
        if (await cache.match(url)) return;
        try {
          const response = await fetch(url, { credentials: 'same-origin' });
          if (response.ok) await cache.put(url, response);
        } catch {
          // offline: cached the next time the page loads it
        }
      }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch(SHELL_URL, { cache: 'no-store', credentials: 'same-origin' });
      if (!response.ok) throw new Error(`shell answered ${response.status}`);
      const assets = await storeShell(cache, response);
      await cacheAssets(cache, assets);
      await Promise.all(
        STATIC_FILES.map((url) => cache.add(new Request(url, { cache: 'no-cache' })).catch(() => undefined)),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('centinela-campo-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data;
  if (data && data.type === 'cache-assets' && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(CACHE).then((cache) => cacheAssets(cache, data.urls)));
  }
});

async function navigation(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(SHELL_URL);
  const controller = new AbortController();
  const timer = cached ? setTimeout(() => controller.abort(), NAVIGATION_TIMEOUT_MS) : null;
  try {
    const response = await fetch(request, { signal: controller.signal });
    const type = response.headers.get('content-type') || '';
    if (response.ok && type.includes('text/html')) await storeShell(cache, response);
    return response;
  } catch (error) {
    if (cached) return cached;
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request, { ignoreSearch: true });
  const refresh = fetch(event.request)
    .then(async (response) => {
      if (response.ok) await cache.put(event.request, response.clone());
      return response;
    })
    .catch(() => cached);
  if (cached) {
    event.waitUntil(refresh);
    return cached;
  }
  return refresh;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname === prefix || url.pathname.startsWith(prefix))) return;
  if (request.mode === 'navigate') {
    if (url.pathname.startsWith(SHELL_URL)) event.respondWith(navigation(request));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (STATIC_FILES.includes(url.pathname)) event.respondWith(staleWhileRevalidate(event));
});
