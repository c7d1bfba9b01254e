/**
 * The field officers' PWA on a phone (390×844, touch): a live assignment, the status buttons, a field
 * report and an evidence photo, the offline outbox (delivered exactly once, also when an answer is
 * lost), GPS positions, and the service worker that lets the app start without network.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRO, makeIncident, makeUnit } from '../emergencies/fixtures.js';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import {
  collectPageErrors,
  expectText,
  expectVisible,
  hasChromium,
  launchBrowser,
  loginInBrowser,
  screenshot,
  seriousAxeViolations,
  startWebApp,
  type WebApp,
} from './harness.js';

const browserIt = it.skipIf(!hasChromium);
const GPS = { latitude: 13.70123, longitude: -89.20456 };

/** A phone context like the harness's newPage, plus GPS, and optionally without service workers. */
async function phone(browser: Browser, web: WebApp, serviceWorkers: 'allow' | 'block'): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    baseURL: web.baseUrl,
    locale: 'es-SV',
    timezoneId: 'America/El_Salvador',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    geolocation: GPS,
    permissions: ['geolocation'],
    serviceWorkers,
  });
  return context.newPage();
}

/**
 * A real JPEG drawn by the browser (2400×1800, so the app has to scale it down). Browser-side code
 * is passed as a string: the server's TypeScript has no DOM types.
 */
async function makeJpeg(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate<string>(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 2400;
    canvas.height = 1800;
    const ctx = canvas.getContext('2d');
    const gradient = ctx.createLinearGradient(0, 0, 2400, 1800);
    gradient.addColorStop(0, '#0b4f8a');
    gradient.addColorStop(1, '#c25e00');
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, 2400, 1800);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(900, 600, 600, 600);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  })()`);
  return Buffer.from(base64, 'base64');
}

/** Items stored in the field app's IndexedDB outbox. */
const OUTBOX_COUNT = `new Promise((resolve, reject) => {
  const open = indexedDB.open('centinela-campo');
  open.onsuccess = () => {
    const count = open.result.transaction('outbox').objectStore('outbox').count();
    count.onsuccess = () => resolve(count.result);
    count.onerror = () => reject(count.error);
  };
  open.onerror = () => reject(open.error);
})`;

/** Paths of everything in the page's Cache Storage. */
const CACHED_PATHS = `(async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
  }
  return paths;
})()`;

/** Network failures are expected while offline (and for the deliberately lost answer). */
const unexpected = (errors: string[]) =>
  errors.filter((e) => !/net::ERR_|Failed to fetch|WebSocket|ERR_INTERNET_DISCONNECTED/.test(e));

describe('field app (PWA) on a phone', () => {
  let web: WebApp;
  let browser: Browser;
  let officer: TestUser;
  let supervisorToken: string;
  let dispatcherToken: string;
  let callTakerToken: string;
  let unitId: string;
  const contexts: BrowserContext[] = [];

  const api = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    web.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) });

  const assign = async (incidentId: string) => {
    const res = await api('POST', `/incidents/${incidentId}/assignments`, dispatcherToken, { unitId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    supervisorToken = await loginAs(web.app, await makeUser(web.deps, 'supervisor'));
    dispatcherToken = await loginAs(web.app, await makeUser(web.deps, 'dispatcher'));
    callTakerToken = await loginAs(web.app, await makeUser(web.deps, 'call_taker'));
    officer = await makeUser(web.deps, 'field_officer');
    unitId = await makeUnit(web, supervisorToken, 'PNC-CAMPO-1', { position: CENTRO });
    const crew = await api('POST', `/units/${unitId}/crew`, supervisorToken, { userId: officer.id });
    expect(crew.statusCode, crew.body).toBe(200);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await web?.close();
  });

  browserIt(
    'works an assignment: live arrival, status buttons, report, photo, offline outbox delivered once, GPS, clear',
    async () => {
      const page = await phone(browser, web, 'block');
      contexts.push(page.context());
      const errors = collectPageErrors(page);
      await loginInBrowser(page, officer, '/campo/');
      await expectVisible(page.getByRole('heading', { name: 'Sin asignación activa' }));
      await expectText(page.locator('.field-header__brand'), /PNC-CAMPO-1/);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'field-idle');

      // On duty: the first GPS fix is sent at once, later ones in 10-second batches.
      await page.getByRole('switch', { name: 'En servicio (compartir mi ubicación)' }).check();
      await expectText(page.locator('.field-duty p'), /Ubicación enviada/);
      await expect
        .poll(
          async () =>
            (
              await web.deps.db
                .selectFrom('unit_positions')
                .select(['lon', 'lat'])
                .where('unit_id', '=', unitId)
                .execute()
            ).map((p) => [Number(p.lon).toFixed(5), Number(p.lat).toFixed(5)]),
          { timeout: 15_000 },
        )
        .toContainEqual([GPS.longitude.toFixed(5), GPS.latitude.toFixed(5)]);

      // A dispatcher assigns the unit through the API: the assignment appears live (WebSocket).
      const incidentId = await makeIncident(web, callTakerToken, { location: CENTRO });
      const assignment = await assign(incidentId);
      const folio = (await api('GET', `/incidents/${incidentId}`, dispatcherToken)).json().folio as string;
      await expectVisible(page.getByRole('heading', { name: `Incidente ${folio}` }), 15_000);
      await expectVisible(page.getByRole('link', { name: /Navegar al lugar/ }));
      await expectText(page.locator('.field-timer'), /^\d+:\d\d$/);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'field-assignment');

      const button = (name: string) => page.getByRole('button', { name: new RegExp(`^${name}`) });
      await button('Acusar recibo').click();
      await expectText(button('Acusar recibo'), /Hecho/);
      await button('En camino').click();
      await expectText(button('En camino'), /Hecho/);
      await button('En el lugar').click();
      await expectText(button('En el lugar'), /Hecho/);
      await expect
        .poll(async () => (await api('GET', `/incidents/${incidentId}`, dispatcherToken)).json().status)
        .toBe('on_scene');
      const state = (await api('GET', `/incidents/${incidentId}/assignments`, dispatcherToken)).json()
        .items[0];
      expect(state.acknowledgedAt && state.enRouteAt && state.onSceneAt).toBeTruthy();

      // Field report built from the incident family's fields (VIDA: persons, injured, weapons…).
      await page.getByRole('link', { name: 'Escribir informe de campo' }).click();
      await expectVisible(page.getByRole('heading', { name: `Informe del incidente ${folio}` }));
      await page.getByRole('button', { name: 'Guardar y enviar informe' }).click();
      await expectVisible(page.getByText('Este dato es obligatorio.'));
      await page.getByLabel('Personas involucradas').fill('2');
      await page.getByLabel('Personas lesionadas').fill('1');
      await page.getByRole('group', { name: 'Escena resguardada' }).getByLabel('Sí').check();
      await page.getByLabel('Remitido a').selectOption('hospital');
      await page
        .getByLabel('Narrativa de los hechos')
        .fill('Riña entre dos personas; una herida trasladada.');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'field-report');
      await page.getByRole('button', { name: 'Guardar y enviar informe' }).click();
      await expectVisible(page.getByRole('heading', { name: `Incidente ${folio}` }));
      const reports = async () =>
        (await api('GET', `/incidents/${incidentId}/field-reports`, dispatcherToken)).json().items as {
          id: string;
          fields: Record<string, unknown>;
          narrative: string;
        }[];
      await expect.poll(async () => (await reports()).length).toBe(1);
      expect((await reports())[0]!.fields).toEqual({
        personsInvolved: 2,
        injured: 1,
        sceneSecured: true,
        referredTo: 'hospital',
      });

      // Evidence photo: scaled down to 1600 px in a canvas, sent with the GPS position.
      await page.getByRole('link', { name: 'Tomar foto de evidencia' }).click();
      await page.getByLabel('Tomar foto').setInputFiles({
        name: 'escena.jpg',
        mimeType: 'image/jpeg',
        buffer: await makeJpeg(page),
      });
      await expectVisible(page.getByText(/1600 × 1200 px/));
      await expectVisible(page.getByText(/Ubicación: 13\.70123, -89\.20456/));
      await page.getByLabel('Descripción de la evidencia').fill('Arma blanca encontrada junto a la acera');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'field-photo');
      await page.getByRole('button', { name: 'Guardar y enviar foto' }).click();
      const evidence = async () =>
        (await api('GET', `/incidents/${incidentId}/evidence`, dispatcherToken)).json().items as {
          mime: string;
          sizeBytes: number;
          custody: { lon: number | null; lat: number | null }[];
        }[];
      await expect.poll(async () => (await evidence()).length, { timeout: 15_000 }).toBe(1);
      const photo = (await evidence())[0]!;
      expect(photo.mime).toBe('image/jpeg');
      expect(photo.custody[0]).toMatchObject({ lon: GPS.longitude, lat: GPS.latitude });
      expect(unexpected(errors)).toEqual([]);

      // Offline: a report and a backup request wait in the outbox (IndexedDB), shown on screen.
      await page.context().setOffline(true);
      await expectText(page.locator('.field-conn'), 'Sin conexión');
      await page.getByRole('link', { name: 'Escribir informe de campo' }).click();
      await page.getByLabel('Personas involucradas').fill('3');
      await page.getByLabel('Narrativa de los hechos').fill('Ampliación: llegó un familiar del herido.');
      await page.getByRole('button', { name: 'Guardar y enviar informe' }).click();
      await expectVisible(page.getByRole('heading', { name: `Incidente ${folio}` }));
      await page.getByRole('button', { name: 'Solicitar refuerzos' }).click();
      await page.getByLabel('Motivo').fill('Se aglomera gente en la escena');
      await page.getByRole('dialog').getByRole('button', { name: 'Solicitar refuerzos' }).click();
      await expectText(page.getByTestId('pending-summary'), '2 pendiente(s) de envío');
      await page.getByTestId('pending-summary').click();
      await expectVisible(page.getByText(`Informe de campo · ${folio}`));
      await expectVisible(page.getByText(`Solicitud de refuerzos · ${folio}`));
      await screenshot(page, 'field-offline-pending');
      expect(await reports()).toHaveLength(1);
      // The queue survives a reload of the page (stored in IndexedDB, not in memory).
      expect(await page.evaluate<number>(OUTBOX_COUNT)).toBe(2);

      // Back online, the first answer to the backup request is lost after the server acted on it:
      // the retry carries the same Idempotency-Key and the server replays its answer.
      const backupKeys: string[] = [];
      const reportBodies: { id: string; key: string | undefined }[] = [];
      await page.route('**/api/v1/incidents/*/field-reports', async (route) => {
        const body = route.request().postDataJSON() as { id: string };
        reportBodies.push({ id: body.id, key: route.request().headers()['idempotency-key'] });
        await route.continue();
      });
      await page.route('**/api/v1/field/backup', async (route) => {
        backupKeys.push(route.request().headers()['idempotency-key'] ?? '');
        if (backupKeys.length === 1) {
          const response = await route.fetch();
          expect(response.status()).toBe(202);
          await route.abort('connectionreset');
          return;
        }
        await route.continue();
      });
      await page.context().setOffline(false);
      await expectText(page.getByTestId('pending-summary'), 'Todo enviado', 20_000);
      expect(backupKeys).toHaveLength(2);
      expect(backupKeys[0]).toBe(backupKeys[1]);
      expect(reportBodies).toHaveLength(1);
      expect(reportBodies[0]!.key).toBe(reportBodies[0]!.id);
      const all = await reports();
      expect(all).toHaveLength(2);
      expect(all.map((r) => r.id)).toContain(reportBodies[0]!.id);
      const timeline = (await api('GET', `/incidents/${incidentId}/timeline`, dispatcherToken)).json();
      const entries = timeline.items as { kind: string }[];
      expect(entries.filter((e) => e.kind === 'backup_requested')).toHaveLength(1);
      await page.unrouteAll();

      // Clear: the unit becomes available, the incident is resolved, the screen goes idle.
      await button('Libre').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Sí, quedar libre' }).click();
      await expectVisible(page.getByRole('heading', { name: 'Sin asignación activa' }), 15_000);
      await expect
        .poll(async () => (await api('GET', `/incidents/${incidentId}`, dispatcherToken)).json().status)
        .toBe('resolved');
      expect((await api('GET', `/units/${unitId}`, dispatcherToken)).json().status).toBe('available');
      void assignment;
      expect(unexpected(errors)).toEqual([]);
    },
    120_000,
  );

  browserIt(
    'is installable and starts offline: manifest, /campo/ service worker caching the shell, never API answers',
    async () => {
      const page = await phone(browser, web, 'allow');
      contexts.push(page.context());
      const errors = collectPageErrors(page);
      await loginInBrowser(page, officer, '/campo/');
      await expectVisible(page.getByRole('heading', { name: 'Sin asignación activa' }));

      const manifestHref = await page.getAttribute('link[rel="manifest"]', 'href');
      expect(manifestHref).toBe('/campo/manifest.webmanifest');
      const manifest = await (await page.request.get(manifestHref!)).json();
      expect(manifest).toMatchObject({ start_url: '/campo/', scope: '/campo/', display: 'standalone' });
      const sizes = (manifest.icons as { sizes: string; type: string }[]).map((i) => `${i.sizes} ${i.type}`);
      expect(sizes).toEqual(expect.arrayContaining(['192x192 image/png', '512x512 image/png']));
      for (const icon of manifest.icons as { src: string }[]) {
        expect((await page.request.get(icon.src)).status()).toBe(200);
      }

      // The worker controls /campo/ only, and its cache holds the shell and built files, no API answer.
      const scope = await page.evaluate<string>('navigator.serviceWorker.ready.then((r) => r.scope)');
      expect(scope).toBe(`${web.baseUrl}/campo/`);
      const registrations = 'navigator.serviceWorker.getRegistrations().then((r) => r.length)';
      expect(await page.evaluate<number>(registrations)).toBe(1);
      await page.reload();
      await expectVisible(page.getByRole('heading', { name: 'Sin asignación activa' }));
      await expect
        .poll(() => page.evaluate<string | null>('navigator.serviceWorker.controller?.scriptURL ?? null'))
        .toBe(`${web.baseUrl}/campo/sw.js`);
      const cached = () => page.evaluate<string[]>(CACHED_PATHS);
      await expect
        .poll(async () => (await cached()).filter((u) => u.endsWith('.js')).length)
        .toBeGreaterThan(1);
      const urls = await cached();
      expect(urls).toContain('/campo/');
      expect(urls.filter((u) => u.startsWith('/api/'))).toEqual([]);

      // Offline start: the shell comes from the cache; the screen says the data could not be loaded.
      await page.context().setOffline(true);
      await page.reload();
      await expectVisible(page.locator('[data-testid="current-user"]'));
      await expectText(page.locator('.field-conn'), 'Sin conexión');
      await expectVisible(
        page.getByText('No hay conexión con el servidor. Revise la red e intente de nuevo.'),
      );
      await screenshot(page, 'field-offline-start');

      // An assignment arrives meanwhile; back online the app reloads it and a status action queued
      // offline is delivered once (also with the worker in place).
      const incidentId = await makeIncident(web, callTakerToken, { location: CENTRO });
      const assignment = await assign(incidentId);
      await page.context().setOffline(false);
      await expectVisible(page.getByRole('button', { name: /^Acusar recibo/ }), 15_000);
      await page.context().setOffline(true);
      await page.getByRole('button', { name: /^Acusar recibo/ }).click();
      await expectText(page.getByRole('button', { name: /^Acusar recibo/ }), /Pendiente de envío/);
      await expectText(page.getByTestId('pending-summary'), '1 pendiente(s) de envío');
      await page.context().setOffline(false);
      await expectText(page.getByTestId('pending-summary'), 'Todo enviado', 20_000);
      await expectText(page.getByRole('button', { name: /^Acusar recibo/ }), /Hecho/);
      const row = await web.deps.db
        .selectFrom('incident_assignments')
        .select('acknowledged_at')
        .where('id', '=', assignment.id)
        .executeTakeFirstOrThrow();
      expect(row.acknowledged_at).not.toBeNull();
      expect(unexpected(errors)).toEqual([]);
    },
    90_000,
  );
});
