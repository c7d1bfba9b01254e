import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

/**
 * MapLibre 6 runs its tile/GeoJSON work in a module worker. Vite ships the worker as a same-origin
 * asset, so the CSP needs only worker-src 'self' (blob: is allowed too for MapLibre's fallback).
 */
let configured = false;
export function configureMapWorker(): void {
  if (configured) return;
  setWorkerUrl(workerUrl);
  configured = true;
}
