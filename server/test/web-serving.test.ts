import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServerPath } from '../src/platform/http/web.js';
import { buildTestApp, type TestApp } from './build-app.js';

/** The web app at `/` with SPA fallback, on a stand-in build so the test does not need vite. */
describe('web app serving', () => {
  let t: TestApp;
  const root = mkdtempSync(path.join(tmpdir(), 'centinela-web-'));

  beforeAll(async () => {
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(
      path.join(root, 'index.html'),
      '<!doctype html><title>Centinela</title><div id="root"></div>',
    );
    writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log("app");');
    writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(path.join(tmpdir(), 'centinela-secret.txt'), 'fuera de la raíz');
    t = await buildTestApp({ webRoot: root });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves index.html at / and for client-side routes, not cached', async () => {
    for (const url of ['/', '/login', '/despacho/incidentes/123', '/ciudadano?folio=ABC']) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves built files, hashed assets cached as immutable', async () => {
    const asset = await t.app.inject('/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    const icon = await t.app.inject('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
  });

  it('answers a missing asset with a JSON 404, never the HTML page', async () => {
    const res = await t.app.inject('/assets/index-missing.js');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('keeps API, docs and Open311 404s as JSON', async () => {
    for (const url of ['/api/v1/no-existe', '/api', '/docs/no-existe.json', '/ws/x']) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('application/json');
      expect(res.json().error.code, url).toBe('ROUTE_NOT_FOUND');
    }
    // Open311 answers in its own GeoReport v2 error format, still JSON and never the web page.
    const open311 = await t.app.inject('/open311/v2/no-existe.json');
    expect(open311.statusCode).toBe(404);
    expect(open311.headers['content-type']).toContain('application/json');
    expect(open311.body).not.toContain('<div id="root">');
  });

  it('does not serve files outside its folder', async () => {
    for (const url of [
      '/../centinela-secret.txt',
      '/%2e%2e/centinela-secret.txt',
      '/assets/..%2f..%2fcentinela-secret.txt',
    ]) {
      const res = await t.app.inject(url);
      expect(res.body, url).not.toContain('fuera de la raíz');
    }
  });

  it('sends a CSP that allows the app: its WebSocket, MapLibre workers and data images', async () => {
    const csp = String((await t.app.inject('/')).headers['content-security-policy']);
    expect(csp).toMatch(/connect-src 'self' ws: wss:/);
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toMatch(/img-src 'self' data: blob:/);
    expect(csp).toMatch(/script-src 'self'/);
  });

  it('recognises the server prefixes', () => {
    expect(isServerPath('/api/v1/x')).toBe(true);
    expect(isServerPath('/ws')).toBe(true);
    expect(isServerPath('/docs')).toBe(true);
    expect(isServerPath('/wsx')).toBe(false);
    expect(isServerPath('/despacho')).toBe(false);
  });
});
