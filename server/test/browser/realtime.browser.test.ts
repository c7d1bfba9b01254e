import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, loginAs, makeUser } from '../factories.js';
import {
  collectPageErrors,
  expectText,
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

/** The tab's WebSocket: live events on the home page, reconnect with back-off and resume from the last one. */
describe('live events in Chromium', { timeout: 90_000 }, () => {
  let web: WebApp;
  let browser: Browser;
  let page: Page;

  const createIncident = async (token: string, narrative: string) => {
    const res = await web.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: bearer(token),
      payload: {
        typeCode: 'PATRIMONIO.ROBO',
        narrative,
        location: { lon: -89.1907, lat: 13.6989, text: 'Frente al Mercado Central' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; folio: string };
  };
  const activityItems = (folio: string) => page.locator('[data-testid="activity"] li', { hasText: folio });
  const dropServerSockets = () => {
    const server = (web.app as unknown as { websocketServer: { clients: Set<{ terminate(): void }> } })
      .websocketServer;
    for (const client of server.clients) client.terminate();
    return server.clients.size;
  };

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

  browserIt('shows events as they happen, then resumes after losing the connection', async () => {
    const user = await makeUser(web.deps, 'call_taker');
    const token = await loginAs(web.app, user);
    page = await newPage(browser, web);
    const errors = collectPageErrors(page);
    await loginInBrowser(page, user);
    await expectText(page.locator('.live-badge'), 'En vivo');

    const first = await createIncident(token, 'Asalto a mano armada en la parada de buses.');
    await activityItems(first.folio).waitFor({ timeout: 10_000 });
    await expectText(activityItems(first.folio), new RegExp(`Incidente registrado.*${first.folio}`, 's'));

    // Connection lost while the browser is offline: an event published meanwhile must still arrive.
    await page.context().setOffline(true);
    expect(dropServerSockets()).toBeGreaterThanOrEqual(0);
    await expectText(page.locator('.live-badge'), 'Reconectando…');
    const missed = await createIncident(token, 'Robo de celular durante la desconexión.');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await activityItems(missed.folio).count()).toBe(0);
    await page.context().setOffline(false);
    await activityItems(missed.folio).waitFor({ timeout: 20_000 });
    await expectText(page.locator('.live-badge'), 'En vivo');

    // Each event once: the resume replays only what was missed.
    expect(await activityItems(first.folio).count()).toBe(1);
    expect(await activityItems(missed.folio).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'shell-live-activity');
    expect(
      errors.filter((e) => !e.includes('WebSocket') && !e.includes('ERR_INTERNET_DISCONNECTED')),
    ).toEqual([]);
  });

  browserIt('does not show events outside the permissions of the user', async () => {
    const officer = await makeUser(web.deps, 'asset_custodian');
    const callTaker = await loginAs(web.app, await makeUser(web.deps, 'call_taker'));
    const other = await newPage(browser, web);
    await loginInBrowser(other, officer);
    await expectText(other.locator('.live-badge'), 'En vivo');
    const incident = await createIncident(callTaker, 'Robo en la zona rosa, el custodio no lo ve.');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await other.locator('[data-testid="activity"] li', { hasText: incident.folio }).count()).toBe(0);
    await other.context().close();
  });
});
