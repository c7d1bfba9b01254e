import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../src/modules/emergencies/video/alerts.service.js';
import { systemContext } from '../../src/platform/context.js';
import { CENTRO, makeUnit } from '../emergencies/fixtures.js';
import { bearer, loginAs, makeUser } from '../factories.js';
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
const SLOW = 120_000;

describe('command centre wall in Chromium', () => {
  let web: WebApp;
  let browser: Browser;
  let callTaker: string;
  let supervisorToken: string;
  let page: Page;
  let errors: string[];

  const mapCanvas = (p: Page) => p.locator('.cc-map .map__canvas');

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    callTaker = await loginAs(web.app, await makeUser(web.deps, 'call_taker'));
    supervisorToken = await loginAs(web.app, await makeUser(web.deps, 'supervisor'));
    await makeUnit(web, supervisorToken, 'PNC-W-01', {
      position: { lon: CENTRO.lon + 0.01, lat: CENTRO.lat },
    });
    await makeUnit(web, supervisorToken, 'PNC-W-02', {
      position: { lon: -89.5597, lat: 13.9946 },
      department: 'SV-SA',
    });
    page = await newPage(browser, web, {});
    await page.setViewportSize({ width: 1600, height: 1000 });
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await web?.close();
  });

  browserIt(
    'shows a new incident live on the map and in the tiles, filters by department, and the alert feed',
    async () => {
      const analyst = await makeUser(web.deps, 'analyst');
      await loginInBrowser(page, analyst, '/centro-de-mando');
      await expectText(page.locator('h1'), 'Centro de mando 911');
      // The basemap and the live layers are up: two units drawn, no incidents yet.
      await page.locator('.cc-map[data-map-status="ready"]').waitFor({ timeout: 30_000 });
      await mapCanvas(page).and(page.locator('[data-unit-points="2"]')).waitFor({ timeout: 15_000 });
      await expectText(page.getByTestId('tile-open').locator('.cc-tile__value'), '0');
      await expectVisible(page.getByText('No hay alertas recientes.'));

      const res = await web.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: bearer(callTaker),
        payload: {
          typeCode: 'VIDA.LESIONES',
          narrative: 'Persona herida frente al mercado.',
          location: CENTRO,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      // Without reloading: the marker is drawn in the next batched flush and the tiles follow.
      await mapCanvas(page).and(page.locator('[data-incident-points="1"]')).waitFor({ timeout: 15_000 });
      await expectText(page.getByTestId('tile-open').locator('.cc-tile__value'), '1');
      await expectText(page.getByTestId('map-summary'), 'En el mapa: incidentes abiertos 1 · unidades 2.');
      // KPIs refresh after the live event (debounced), including this incident in the 24 h volume.
      await expectText(page.getByTestId('tile-volume').locator('.cc-tile__value'), '1', 20_000);

      // A video/ALPR alert arrives on the live feed.
      await web.deps.tx(systemContext(), (uow) =>
        raiseAlert(uow, {
          source: 'alpr',
          title: 'Placa en lista de vigilancia: P123-456',
          plate: 'P123456',
          priority: 2,
          lon: CENTRO.lon,
          lat: CENTRO.lat,
          departmentCode: 'SV-SS',
          occurredAt: new Date(),
          explanation: { watchlist: 'robo de vehículo' },
        }),
      );
      await expectVisible(page.getByText('Placa en lista de vigilancia: P123-456'));
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'command-center');

      // Filters: another department hides the incident and the San Salvador unit.
      await page.getByLabel('Departamento', { exact: true }).selectOption('SV-SA');
      await mapCanvas(page).and(page.locator('[data-incident-points="0"]')).waitFor({ timeout: 15_000 });
      await mapCanvas(page).and(page.locator('[data-unit-points="1"]')).waitFor({ timeout: 15_000 });
      await expectText(page.getByTestId('tile-open').locator('.cc-tile__value'), '0');
      await page.getByRole('button', { name: 'Quitar filtros' }).click();
      await mapCanvas(page).and(page.locator('[data-incident-points="1"]')).waitFor({ timeout: 15_000 });

      // Heat layer over 7 days, and units hidden.
      await page.getByLabel('Mapa de calor', { exact: true }).selectOption('7d');
      await expectText(
        page.getByRole('figure', { name: 'Incidentes por día (7 días)' }).locator('figcaption'),
        'Incidentes por día (7 días)',
      );
      await page.getByLabel('Mostrar unidades', { exact: true }).uncheck();
      await mapCanvas(page).and(page.locator('[data-unit-points="0"]')).waitFor({ timeout: 15_000 });
      await screenshot(page, 'command-center-heat-7d');
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  browserIt(
    'tells a dispatcher the response-time figures are for supervision, and shows escalations',
    async () => {
      const dispatcher = await makeUser(web.deps, 'dispatcher');
      const other = await newPage(browser, web);
      try {
        await loginInBrowser(other, dispatcher, '/centro-de-mando');
        await expectVisible(
          other.getByText(/Los tiempos de respuesta y volúmenes se muestran a supervisión/),
        );
        await expectVisible(other.getByText(/Escalamientos por demora/));
        await mapCanvas(other).and(other.locator('[data-incident-points]')).waitFor({ timeout: 30_000 });
        expect(await seriousAxeViolations(other)).toEqual([]);
        await screenshot(other, 'command-center-dispatcher');
      } finally {
        await other.context().close();
      }
    },
    SLOW,
  );
});
