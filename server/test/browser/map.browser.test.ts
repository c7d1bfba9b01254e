import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPageErrors,
  expectText,
  hasChromium,
  launchBrowser,
  newPage,
  screenshot,
  startWebApp,
  type WebApp,
  waitForMap,
} from './harness.js';

const browserIt = it.skipIf(!hasChromium);

/**
 * The shared map component (web/src/ui/map) on a public page that uses it (the citizen report form):
 * offline basemap from the server's boundaries, licence attribution, Spanish controls, pick mode.
 */
describe('map component in Chromium', { timeout: 90_000 }, () => {
  let web: WebApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await web?.close();
  });

  browserIt(
    'draws the offline basemap with its attribution and picks a location by click and by Enter',
    async () => {
      page = await newPage(browser, web);
      const errors = collectPageErrors(page);
      const boundaries: number[] = [];
      page.on('response', (response) => {
        if (response.url().includes('/api/v1/geo/boundaries/')) boundaries.push(response.status());
      });
      await page.goto('/reportar');
      await waitForMap(page);
      // Both boundary layers came from this server (no tile server involved).
      expect(boundaries.sort()).toEqual([200, 200]);
      expect(await page.getByRole('button', { name: 'Acercar' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Alejar' }).count()).toBe(1);

      const map = page.locator('section.map').first();
      await map.scrollIntoViewIfNeeded();
      const box = await map.boundingBox();
      if (!box) throw new Error('map has no box');
      expect(await map.evaluate((el) => el.classList.contains('map--picking'))).toBe(true);
      // A click left of the centre (western El Salvador)…
      await page.mouse.click(box.x + box.width * 0.35, box.y + box.height / 2);
      await expectText(map.locator('.map__overlay'), /Ubicación elegida: 13[.,]\d+, -(89|90)[.,]\d+/);
      expect(await map.locator('.maplibregl-marker').count()).toBe(1);
      const byClick = await map.locator('.map__overlay').textContent();
      // …then Enter on the focused map picks its centre instead: another position, still one marker.
      await map.locator('canvas').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => map.locator('.map__overlay').textContent()).not.toBe(byClick);
      await expectText(map.locator('.map__overlay'), /Ubicación elegida: 13[.,]\d+, -(88|89)[.,]\d+/);
      expect(await map.locator('.maplibregl-marker').count()).toBe(1);
      await screenshot(page, 'map-basemap');
      expect(errors).toEqual([]);
    },
  );
});
