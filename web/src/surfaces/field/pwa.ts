/**
 * Installable field app: the web manifest is linked only while the field app is on screen, and the
 * service worker (web/public/campo/sw.js) is registered only for the /campo/ scope, so the rest of
 * the app (staff consoles, citizen portal) is never served from a cache.
 */
export const FIELD_SCOPE = '/campo/';
export const SW_URL = '/campo/sw.js';
export const MANIFEST_URL = '/campo/manifest.webmanifest';

function ensureLink(rel: string, href: string, attrs: Record<string, string> = {}): HTMLLinkElement {
  let link = document.head.querySelector<HTMLLinkElement>(`link[rel="${rel}"][href="${href}"]`);
  if (!link) {
    link = document.createElement('link');
    link.rel = rel;
    link.href = href;
    for (const [name, value] of Object.entries(attrs)) link.setAttribute(name, value);
    link.dataset.fieldApp = '';
    document.head.appendChild(link);
  }
  return link;
}

/** Links the manifest and the touch icon; returns their removal. */
export function linkManifest(): () => void {
  const manifest = ensureLink('manifest', MANIFEST_URL);
  const icon = ensureLink('apple-touch-icon', '/campo/icons/icon-192.png');
  return () => {
    manifest.remove();
    icon.remove();
  };
}

/** Same-origin built files this page has loaded (entry and lazy chunks, styles). */
function loadedAssets(): string[] {
  const origin = window.location.origin;
  const urls = new Set<string>();
  for (const entry of performance.getEntriesByType('resource')) {
    try {
      const url = new URL(entry.name);
      if (url.origin === origin && url.pathname.startsWith('/assets/')) urls.add(url.pathname);
    } catch {
      // not a URL
    }
  }
  for (const element of document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
    'script[src], link[rel="stylesheet"][href], link[rel="modulepreload"][href]',
  )) {
    const raw = element instanceof HTMLScriptElement ? element.src : element.href;
    const url = new URL(raw, origin);
    if (url.origin === origin && url.pathname.startsWith('/assets/')) urls.add(url.pathname);
  }
  return [...urls];
}

/** The registration's active worker, once there is one (a first install takes a moment). */
function whenActive(registration: ServiceWorkerRegistration): Promise<ServiceWorker | null> {
  if (registration.active) return Promise.resolve(registration.active);
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve(null);
  return new Promise((resolve) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve(worker);
      else if (worker.state === 'redundant') resolve(registration.active);
    });
  });
}

/**
 * Registers the field service worker and hands it the files this page already loaded (those fetched
 * before the worker controlled the page), so the next start works offline. Never throws: without
 * service workers (plain http on a LAN, old browsers) the app simply needs the network to start.
 */
export async function registerFieldServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return null;
  try {
    const registration = await navigator.serviceWorker.register(SW_URL, { scope: FIELD_SCOPE });
    const worker = await whenActive(registration);
    worker?.postMessage({ type: 'cache-assets', urls: loadedAssets() });
    return registration;
  } catch (error) {
    console.warn('field app: service worker not registered', error);
    return null;
  }
}
