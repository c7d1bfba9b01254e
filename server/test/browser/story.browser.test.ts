/**
 * The end-to-end story, one person per browser context: a call-taker registers an incident, it shows
 * up live on the dispatch board and on the supervisor's command-centre map, the dispatcher assigns
 * the recommended unit, the officer on that unit's crew works it from the field app on a phone (en
 * route, on scene, report, photo, clear); a citizen's web report with a tracking code is dispatched,
 * worked and closed and the citizen follows its progress on the tracking page; finally the
 * supervisor sees the times in the indicators surface.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRO, makeUnit } from '../emergencies/fixtures.js';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import {
  collectPageErrors,
  expectText,
  expectVisible,
  hasChromium,
  launchBrowser,
  loginInBrowser,
  newPage,
  screenshot,
  seriousAxeViolations,
  startWebApp,
  type WebApp,
} from './harness.js';

const browserIt = it.skipIf(!hasChromium);
const GPS = { latitude: CENTRO.lat, longitude: CENTRO.lon };

/** A small real JPEG drawn by the browser (code as a string: the server's TypeScript has no DOM types). */
async function makeJpeg(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate<string>(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#0b4f8a';
    ctx.fillRect(0, 0, 640, 480);
    return canvas.toDataURL('image/jpeg', 0.8).split(',')[1];
  })()`);
  return Buffer.from(base64, 'base64');
}

describe('end-to-end story in Chromium', () => {
  let web: WebApp;
  let browser: Browser;
  let callTaker: TestUser;
  let dispatcher: TestUser;
  let officer: TestUser;
  let supervisor: TestUser;
  let supervisorToken: string;
  let dispatcherToken: string;
  let unitId: string;
  const contexts: BrowserContext[] = [];

  const api = (method: 'GET' | 'POST', url: string, token: string | null, payload?: object) =>
    web.app.inject({
      method,
      url: `/api/v1${url}`,
      ...(token ? { headers: bearer(token) } : {}),
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    callTaker = await makeUser(web.deps, 'call_taker');
    dispatcher = await makeUser(web.deps, 'dispatcher');
    officer = await makeUser(web.deps, 'field_officer');
    supervisor = await makeUser(web.deps, 'supervisor');
    supervisorToken = await loginAs(web.app, supervisor);
    dispatcherToken = await loginAs(web.app, dispatcher);
    unitId = await makeUnit(web, supervisorToken, 'PNC-STORY-1', { position: CENTRO });
    const crew = await api('POST', `/units/${unitId}/crew`, supervisorToken, { userId: officer.id });
    expect(crew.statusCode, crew.body).toBe(200);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await web?.close();
  });

  browserIt(
    'call → live board → assignment → field work → citizen tracking → supervisor indicators',
    async () => {
      // Everyone signs in first, so the live screens are listening when things happen.
      const board = await newPage(browser, web);
      contexts.push(board.context());
      const boardErrors = collectPageErrors(board);
      await loginInBrowser(board, dispatcher, '/despacho');
      await expectText(board.locator('h1'), 'Tablero de despacho');

      // The supervisor watches the command-centre wall (later the same tab opens the indicators).
      const wall = await newPage(browser, web);
      contexts.push(wall.context());
      await wall.setViewportSize({ width: 1600, height: 1000 });
      const wallErrors = collectPageErrors(wall);
      await loginInBrowser(wall, supervisor, '/centro-de-mando');
      await expectText(wall.locator('h1'), 'Centro de mando 911');
      await wall.locator('.cc-map[data-map-status="ready"]').waitFor({ timeout: 30_000 });
      const wallMap = wall.locator('.cc-map .map__canvas');
      await wallMap.and(wall.locator('[data-unit-points="1"]')).waitFor({ timeout: 15_000 });
      await wallMap.and(wall.locator('[data-incident-points="0"]')).waitFor({ timeout: 15_000 });

      const fieldContext = await browser.newContext({
        baseURL: web.baseUrl,
        locale: 'es-SV',
        timezoneId: 'America/El_Salvador',
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
        geolocation: GPS,
        permissions: ['geolocation'],
        serviceWorkers: 'block',
      });
      contexts.push(fieldContext);
      const field = await fieldContext.newPage();
      const fieldErrors = collectPageErrors(field);
      await loginInBrowser(field, officer, '/campo/');
      await expectVisible(field.getByRole('heading', { name: 'Sin asignación activa' }));
      await expectText(field.locator('.field-header__brand'), /PNC-STORY-1/);

      // 1. The call-taker registers the incident.
      const intake = await newPage(browser, web);
      contexts.push(intake.context());
      const intakeErrors = collectPageErrors(intake);
      await loginInBrowser(intake, callTaker, '/llamadas');
      await intake.getByRole('heading', { level: 1, name: 'Recepción de llamadas 911' }).waitFor();
      await intake.getByRole('button', { name: 'Atender llamada (F2)' }).click();
      await intake.getByTestId('call-timer').waitFor();
      const place = intake.getByRole('combobox', { name: 'Buscar lugar' });
      await place.fill('San Salvador');
      await intake.getByRole('listbox', { name: 'Buscar lugar' }).getByRole('option').first().waitFor();
      await place.press('Enter');
      await intake.getByText(/^Lugar elegido:/).waitFor();
      await intake.getByLabel('Dirección o punto de referencia').fill('Frente al Mercado Central');
      await intake.locator('section.map[data-map-status="ready"]').waitFor({ timeout: 30_000 });
      const canvas = intake.locator('.maplibregl-canvas');
      await canvas.focus();
      await canvas.press('Enter');
      await intake.getByText(/^Punto marcado en .+/).waitFor();
      const type = intake.getByRole('combobox', { name: /Tipo de incidente/ });
      await type.fill('asalto');
      await intake.getByRole('listbox', { name: 'Tipo de incidente' }).getByRole('option').first().waitFor();
      await type.press('Enter');
      await intake
        .getByLabel(/Relato de la llamada/)
        .fill('Asaltaron a un vendedor; el asaltante huyó a pie.');
      await screenshot(intake, 'story-1-call-taker');
      await intake.getByRole('button', { name: 'Registrar incidente (Ctrl+Enter)' }).click();
      const outcome = intake.getByTestId('call-outcome');
      await outcome.waitFor();
      const folio = /Incidente (\d{4}-\d{6}) registrado/.exec(await outcome.innerText())?.[1];
      expect(folio).toBeTruthy();
      const href = await outcome.getByRole('link', { name: `Ver incidente ${folio}` }).getAttribute('href');
      const incidentId = href!.split('/').pop()!;
      await screenshot(intake, 'story-2-call-taker-created');

      // 2. Live on the command-centre map (next batched flush) and on the dispatch board; the
      // dispatcher assigns the top recommendation.
      await wallMap.and(wall.locator('[data-incident-points="1"]')).waitFor({ timeout: 15_000 });
      await expectText(wall.getByTestId('tile-open').locator('.cc-tile__value'), '1');
      await screenshot(wall, 'story-3-command-center');
      const option = board
        .getByRole('listbox', { name: /Incidentes abiertos/ })
        .getByRole('option')
        .filter({
          hasText: folio!,
        });
      await expectVisible(option, 15_000);
      await option.click();
      const panel = board.getByTestId('incident-panel');
      await expectText(panel.locator('h2').first(), new RegExp(folio!));
      await expectText(panel.getByTestId('recommendation').first().locator('strong'), 'PNC-STORY-1');
      expect(await seriousAxeViolations(board)).toEqual([]);
      await screenshot(board, 'story-4-dispatch-board');
      await board.getByRole('listbox', { name: /Incidentes abiertos/ }).focus();
      await board.keyboard.press('a');
      const confirm = board.getByRole('dialog', { name: 'Confirmar asignación' });
      await expectVisible(confirm);
      await confirm.getByRole('button', { name: 'Asignar', exact: true }).click();
      await expectVisible(board.getByText(`PNC-STORY-1 asignada a ${folio}.`));
      await expectText(option.locator('.dx-queue__status'), 'Despachado');
      await screenshot(board, 'story-5-dispatch-assigned');

      // 3. The officer's phone receives it live and works it.
      await expectVisible(field.getByRole('heading', { name: `Incidente ${folio}` }), 15_000);
      await screenshot(field, 'story-6-field-assignment');
      const button = (name: string) => field.getByRole('button', { name: new RegExp(`^${name}`) });
      await button('Acusar recibo').click();
      await expectText(button('Acusar recibo'), /Hecho/);
      await button('En camino').click();
      await expectText(button('En camino'), /Hecho/);
      await button('En el lugar').click();
      await expectText(button('En el lugar'), /Hecho/);
      // The board follows live.
      await expectText(option.locator('.dx-queue__status'), 'En el lugar', 15_000);

      await field.getByRole('link', { name: 'Escribir informe de campo' }).click();
      await expectVisible(field.getByRole('heading', { name: `Informe del incidente ${folio}` }));
      await field.getByLabel('Personas involucradas').fill('2');
      await field
        .getByLabel('Narrativa de los hechos')
        .fill('Se entrevistó a la víctima; el sospechoso huyó.');
      await screenshot(field, 'story-7-field-report');
      await field.getByRole('button', { name: 'Guardar y enviar informe' }).click();
      await expectVisible(field.getByRole('heading', { name: `Incidente ${folio}` }));
      await expect
        .poll(
          async () =>
            (await api('GET', `/incidents/${incidentId}/field-reports`, dispatcherToken)).json().items.length,
          {
            timeout: 15_000,
          },
        )
        .toBe(1);

      await field.getByRole('link', { name: 'Tomar foto de evidencia' }).click();
      await field.getByLabel('Tomar foto').setInputFiles({
        name: 'escena.jpg',
        mimeType: 'image/jpeg',
        buffer: await makeJpeg(field),
      });
      await field.getByLabel('Descripción de la evidencia').fill('Lugar del asalto');
      await screenshot(field, 'story-8-field-photo');
      await field.getByRole('button', { name: 'Guardar y enviar foto' }).click();
      await expect
        .poll(
          async () =>
            (await api('GET', `/incidents/${incidentId}/evidence`, dispatcherToken)).json().items.length,
          {
            timeout: 15_000,
          },
        )
        .toBe(1);

      await expectVisible(field.getByRole('heading', { name: `Incidente ${folio}` }));
      await button('Libre').click();
      await field.getByRole('dialog').getByRole('button', { name: 'Sí, quedar libre' }).click();
      await expectVisible(field.getByRole('heading', { name: 'Sin asignación activa' }), 15_000);
      await screenshot(field, 'story-9-field-cleared');

      // The dispatcher opens the incident: the field work is on its timeline and the photo in the
      // evidence; the dispatcher closes it there, then goes back to the board.
      await board.goto(`/incidentes/${incidentId}`);
      const timeline = board.getByTestId('timeline');
      await expectVisible(timeline.getByText('Informe de campo'), 15_000);
      await expectVisible(timeline.getByText('Evidencia registrada'));
      await expectVisible(board.getByText('Cadena de custodia íntegra'));
      await screenshot(board, 'story-10-incident-detail');
      await board.getByRole('button', { name: 'Cerrar incidente' }).click();
      const closeDialog = board.getByRole('dialog', { name: 'Cerrar incidente' });
      await closeDialog.getByLabel(/Código de cierre/).selectOption('ATENDIDO');
      await closeDialog
        .getByLabel(/Resumen del cierre/)
        .fill('Víctima atendida; denuncia remitida a la FGR.');
      await closeDialog.getByRole('button', { name: 'Cerrar incidente' }).click();
      await closeDialog.waitFor({ state: 'hidden' });
      await expectText(board.locator('header.inc__header'), /Cerrado/);
      expect((await api('GET', `/incidents/${incidentId}`, dispatcherToken)).json()).toMatchObject({
        status: 'closed',
        closureCode: 'ATENDIDO',
      });
      await board.goto('/despacho');
      await expectText(board.locator('h1'), 'Tablero de despacho');

      // 4. A citizen's web report (public API), dispatched and closed; the tracking page shows it.
      const report = await api('POST', '/public/reports', null, {
        typeCode: 'PATRIMONIO.ROBO',
        anonymous: true,
        description: 'Me robaron el celular en la parada de buses.',
        location: { lon: CENTRO.lon + 0.002, lat: CENTRO.lat, text: 'Parada de buses' },
      });
      expect(report.statusCode, report.body).toBe(201);
      const {
        trackingCode,
        trackingSecret,
        folio: citizenFolio,
      } = report.json() as {
        trackingCode: string;
        trackingSecret: string;
        folio: string;
      };
      await expectVisible(
        board
          .getByRole('listbox', { name: /Incidentes abiertos/ })
          .getByRole('option')
          .filter({ hasText: citizenFolio }),
        15_000,
      );
      const citizenIncident = (
        await web.deps.db
          .selectFrom('incidents')
          .select('id')
          .where('tracking_code', '=', trackingCode)
          .executeTakeFirstOrThrow()
      ).id;
      const assigned = await api('POST', `/incidents/${citizenIncident}/assignments`, dispatcherToken, {
        unitId,
      });
      expect(assigned.statusCode, assigned.body).toBe(201);
      // Progress reported by radio, recorded by the dispatcher.
      const assignmentId = (assigned.json() as { id: string }).id;
      for (const action of ['en_route', 'on_scene', 'clear'] as const) {
        const progress = await api('POST', `/assignments/${assignmentId}/status`, dispatcherToken, {
          action,
        });
        expect(progress.statusCode, progress.body).toBe(200);
      }

      const citizen = await newPage(browser, web, { mobile: true });
      contexts.push(citizen.context());
      const citizenErrors = collectPageErrors(citizen);
      await citizen.goto('/reportar/seguimiento');
      await citizen.getByLabel('Código de seguimiento').fill(trackingCode);
      await citizen.getByLabel('Clave de seguimiento').fill(trackingSecret);
      await citizen.getByRole('button', { name: 'Consultar' }).click();
      await expectVisible(citizen.getByRole('heading', { name: `Reporte ${trackingCode}` }));
      const history = citizen.getByTestId('tracking-history');
      // The progress in plain language: assigned, on the way, arrived (no unit names or officers).
      await expectVisible(history.getByText('Se asignó una unidad policial.'));
      await expectVisible(history.getByText('La unidad va en camino.'));
      await expectVisible(history.getByText('La unidad llegó al lugar.'));
      expect(await history.textContent()).not.toContain('PNC-STORY-1');
      await screenshot(citizen, 'story-11-citizen-dispatched');
      const closedCitizen = await api('POST', `/incidents/${citizenIncident}/close`, dispatcherToken, {
        closureCode: 'ATENDIDO',
        summary: 'Se orientó al denunciante.',
      });
      expect(closedCitizen.statusCode, closedCitizen.body).toBe(200);
      await citizen.getByRole('button', { name: 'Actualizar' }).click();
      await expectText(citizen.locator('.citizen-status'), /El caso fue cerrado\./);
      await screenshot(citizen, 'story-12-citizen-closed');

      // 5. The supervisor sees today's times in the indicators.
      // Both incidents are closed: the wall's map is empty again.
      await wallMap.and(wall.locator('[data-incident-points="0"]')).waitFor({ timeout: 15_000 });
      const analytics = wall;
      await analytics.goto('/indicadores');
      await expectVisible(analytics.getByRole('heading', { level: 1, name: 'Indicadores del 911' }));
      await analytics.getByLabel('Periodo', { exact: true }).selectOption('today');
      const rtSection = analytics.getByRole('region', {
        name: 'Tiempos de respuesta por departamento (p50 / p90)',
      });
      const row = rtSection.getByRole('row').filter({ hasText: 'San Salvador' });
      await expectVisible(row, 15_000);
      // Two incidents today in San Salvador, both dispatched and closed: times are measured.
      await expectText(row.locator('td').nth(1), '2');
      expect(await row.locator('td').nth(3).innerText()).toMatch(/\d+:\d\d \/ \d+:\d\d/);
      expect(await row.locator('td').nth(5).innerText()).toMatch(/\d+:\d\d \/ \d+:\d\d/);
      await expectVisible(analytics.getByRole('region', { name: 'Cumplimiento NENA de atención' }));
      expect(await seriousAxeViolations(analytics)).toEqual([]);
      await screenshot(analytics, 'story-13-supervisor-analytics');

      // A CSV download carries the same table, fetched with the session's token.
      const download = analytics.waitForEvent('download');
      await rtSection.getByRole('button', { name: /^Descargar CSV/ }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/\.csv$/);
      const csv = readFileSync((await file.path())!, 'utf8');
      expect(csv.split(/\r?\n/).find((line) => line.includes('San Salvador'))).toMatch(/\b2\b/);

      const quiet = (errors: string[]) => errors.filter((e) => !/WebSocket|net::ERR_/.test(e));
      expect(quiet(boardErrors)).toEqual([]);
      expect(quiet(intakeErrors)).toEqual([]);
      expect(quiet(citizenErrors)).toEqual([]);
      expect(quiet(wallErrors)).toEqual([]);
      expect(quiet(fieldErrors)).toEqual([]);
    },
    180_000,
  );
});
