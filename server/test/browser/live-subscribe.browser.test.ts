/**
 * A screen loads its data over HTTP while the tab's WebSocket is still opening. What is committed
 * after that load and before the first subscription is not replayed by the hub (a first subscription
 * starts from "now"), so the live client asks every screen to reload once its first subscription is
 * active. Here the socket's messages to the server are held back (auth and subscribe) until an
 * incident created in that gap has been published: the dispatch board must still show it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, loginAs, makeUser } from '../factories.js';
import {
  collectPageErrors,
  expectText,
  expectVisible,
  hasChromium,
  launchBrowser,
  loginInBrowser,
  newPage,
  startWebApp,
  type WebApp,
} from './harness.js';

const browserIt = it.skipIf(!hasChromium);

describe('first live subscription in Chromium', { timeout: 90_000 }, () => {
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

  browserIt('shows an incident committed between the board’s HTTP load and its subscription', async () => {
    const dispatcher = await makeUser(web.deps, 'dispatcher');
    const callTaker = await loginAs(web.app, await makeUser(web.deps, 'call_taker'));
    page = await newPage(browser, web);
    const errors = collectPageErrors(page);

    // Every socket of the page reaches the server, but what the page sends waits for `open`.
    let open = false;
    const held: (() => void)[] = [];
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        if (open) server.send(message);
        else held.push(() => server.send(message));
      });
      server.onMessage((message) => ws.send(message));
    });

    await loginInBrowser(page, dispatcher, '/despacho');
    await expectText(page.locator('h1'), 'Tablero de despacho');
    await expectVisible(page.getByText('No hay incidentes abiertos en su ámbito.'), 20_000);
    expect(await page.locator('.live-badge').textContent()).not.toBe('En vivo');

    const res = await web.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: bearer(callTaker),
      payload: {
        typeCode: 'PATRIMONIO.ROBO',
        narrative: 'Robo en la parada de buses.',
        location: { lon: -89.1907, lat: 13.6989, text: 'Frente al Mercado Central' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id, folio } = res.json() as { id: string; folio: string };
    // Published before the page subscribes: a fresh subscription will not carry it.
    await expect
      .poll(
        async () =>
          (
            await web.deps.db
              .selectFrom('outbox')
              .select('published_at')
              .where('entity_id', '=', id)
              .where('type', '=', 'incident.created')
              .executeTakeFirst()
          )?.published_at ?? null,
        { timeout: 15_000 },
      )
      .not.toBeNull();

    open = true;
    for (const send of held.splice(0)) send();
    await expectText(page.locator('.live-badge'), 'En vivo', 15_000);
    await expectVisible(
      page
        .getByRole('listbox', { name: /Incidentes abiertos/ })
        .getByRole('option')
        .filter({ hasText: folio }),
      15_000,
    );
    expect(errors.filter((e) => !/WebSocket|net::ERR_/.test(e))).toEqual([]);
  });
});
