/**
 * The public citizen portal on a phone (390×844, touch; layout checked at 360 px): an anonymous
 * report with a photo and the "use my location" pin, the receipt with code and secret, the tracking
 * page with its plain-language history, a status change made by dispatch, more information, and the
 * satisfaction survey after closure.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, loginAs, makeUser } from '../factories.js';
import {
  collectPageErrors,
  expectText,
  expectVisible,
  hasChromium,
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  startWebApp,
  type WebApp,
} from './harness.js';

const browserIt = it.skipIf(!hasChromium);
const GPS = { latitude: 13.69512, longitude: -89.21987 };

async function phone(browser: Browser, web: WebApp, locale: 'es-SV' | 'en-US' = 'es-SV'): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    baseURL: web.baseUrl,
    locale,
    timezoneId: 'America/El_Salvador',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    geolocation: GPS,
    permissions: ['geolocation', 'clipboard-read', 'clipboard-write'],
  });
  return context.newPage();
}

/** A real JPEG drawn by the browser (browser code as a string: the server has no DOM types). */
async function makeJpeg(page: Page, width: number, height: number): Promise<Buffer> {
  const base64 = await page.evaluate<string>(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = ${width};
    canvas.height = ${height};
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#2b6a3a';
    ctx.fillRect(0, 0, ${width}, ${height});
    ctx.fillStyle = '#f0c419';
    ctx.beginPath();
    ctx.arc(${width / 2}, ${height / 2}, ${Math.min(width, height) / 4}, 0, Math.PI * 2);
    ctx.fill();
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  })()`);
  return Buffer.from(base64, 'base64');
}

/** No horizontal scrolling on a 360 px wide phone. */
async function fitsNarrowPhone(page: Page): Promise<boolean> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 780 });
  const fits = await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360');
  if (size) await page.setViewportSize(size);
  return fits;
}

describe('citizen portal on a phone', () => {
  let web: WebApp;
  let browser: Browser;
  let dispatcherToken: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    dispatcherToken = await loginAs(web.app, await makeUser(web.deps, 'dispatcher'));
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await web?.close();
  });

  browserIt(
    'files an anonymous report with a photo, tracks it, sees a status change, adds information and rates the service',
    async () => {
      const page = await phone(browser, web);
      contexts.push(page.context());
      const errors = collectPageErrors(page);
      await page.goto('/reportar');
      await expectVisible(page.getByRole('heading', { level: 1, name: 'Reportar un hecho' }));
      await expectVisible(page.getByRole('link', { name: 'Llame al 911' }));
      await expectVisible(page.locator('.citizen-map[data-map-status="ready"]'), 20_000);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(await fitsNarrowPhone(page)).toBe(true);
      await screenshot(page, 'citizen-report-form');

      // The anti-spam field exists for bots only: not in the accessibility tree, not in the tab order.
      const trap = page.locator('input[name="website"]');
      expect(await trap.count()).toBe(1);
      expect(await trap.getAttribute('tabindex')).toBe('-1');
      expect(await page.getByRole('textbox', { name: /No escriba nada/ }).count()).toBe(0);

      // Client-side checks before anything is sent.
      await page.getByRole('button', { name: 'Enviar reporte' }).click();
      await expectVisible(page.getByText('Escriba al menos 10 caracteres sobre lo ocurrido.'));
      await expectVisible(
        page.getByText('Marque el lugar en el mapa o escriba una dirección o punto de referencia.'),
      );

      await page.getByLabel('Tipo de hecho').selectOption('PATRIMONIO.HURTO');
      await expectVisible(page.getByText(/Hurto: le quitaron algo sin violencia/));
      await page
        .getByLabel('Describa lo ocurrido')
        .fill('Me quitaron el celular en la parada de buses sin que me diera cuenta.');
      await page.getByRole('button', { name: 'Usar mi ubicación actual' }).click();
      await expectVisible(page.getByText('Lugar marcado: 13.69512, -89.21987'));
      await page.getByLabel('Dirección o punto de referencia').fill('Parada frente al parque Cuscatlán');
      await page.getByLabel('Agregar fotos').setInputFiles({
        name: 'parada.jpg',
        mimeType: 'image/jpeg',
        buffer: await makeJpeg(page, 3000, 2000),
      });
      await expectVisible(page.getByRole('img', { name: 'Foto 1 adjunta' }));
      const previewWidth = `document.querySelector('.citizen-photos img').naturalWidth`;
      expect(await page.evaluate<number>(previewWidth)).toBe(1600);

      // Contact typed, then "anonymous": the fields disappear and what was typed is cleared.
      await page.getByLabel('Nombre').fill('Juana Pérez');
      await page.getByLabel('Teléfono').fill('7123 4567');
      const anonymous = page.getByRole('checkbox', { name: /Quiero reportar de forma anónima/ });
      await anonymous.check();
      expect(await page.getByLabel('Nombre').count()).toBe(0);
      expect(await page.getByLabel('Teléfono').count()).toBe(0);
      await anonymous.uncheck();
      expect(await page.getByLabel('Nombre').inputValue()).toBe('');
      expect(await page.getByLabel('Teléfono').inputValue()).toBe('');
      await anonymous.check();
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Enviar reporte' }).click();

      // Receipt: code and secret, prominently, with copy buttons and the warning to keep the secret.
      await expectVisible(page.getByRole('heading', { name: 'Recibimos su reporte' }), 15_000);
      const code = ((await page.locator('.citizen-credential__value').nth(0).textContent()) ?? '').trim();
      const secret = ((await page.locator('.citizen-credential__value').nth(1).textContent()) ?? '').trim();
      expect(code).toMatch(/^CEN-/);
      expect(secret.length).toBeGreaterThan(8);
      await expectVisible(page.getByText('Guarde la clave ahora.'));
      await page.getByRole('button', { name: 'Copiar clave' }).click();
      await expectVisible(page.getByText('Copiado: Clave de seguimiento.'));
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'citizen-receipt');

      // The server kept no contact at all, and the photo.
      const incident = await web.deps.db
        .selectFrom('incidents')
        .select(['id', 'status'])
        .where('tracking_code', '=', code)
        .executeTakeFirstOrThrow();
      const callers = await web.deps.db
        .selectFrom('incident_callers')
        .select(['anonymous', 'name', 'phone'])
        .where('incident_id', '=', incident.id)
        .execute();
      expect(callers).toEqual([{ anonymous: true, name: null, phone: null }]);
      const attachments = await web.deps.db
        .selectFrom('incident_attachments')
        .select(['mime'])
        .where('incident_id', '=', incident.id)
        .execute();
      expect(attachments).toEqual([{ mime: 'image/jpeg' }]);

      // Tracking page (the secret goes in the X-Tracking-Secret header, never in the URL).
      const lookup = page.waitForRequest((r) => r.url().includes(`/api/v1/public/tracking/${code}`));
      await page.getByRole('button', { name: 'Ver el seguimiento' }).click();
      const request = await lookup;
      expect(request.headers()['x-tracking-secret']).toBe(secret);
      expect(request.url()).not.toContain(secret);
      expect(page.url()).not.toContain(secret);
      await expectVisible(page.getByRole('heading', { name: `Reporte ${code}` }));
      const history = page.getByTestId('tracking-history');
      await expectText(history.locator('li').first(), /Recibimos su reporte\.|Su reporte fue revisado/);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(await fitsNarrowPhone(page)).toBe(true);
      await screenshot(page, 'citizen-tracking');

      // More information with a photo while the case is open.
      await page
        .getByLabel('Información adicional')
        .fill('El ladrón llevaba gorra roja y huyó hacia el sur.');
      await page.getByLabel('Agregar fotos').setInputFiles({
        name: 'gorra.jpg',
        mimeType: 'image/jpeg',
        buffer: await makeJpeg(page, 800, 600),
      });
      await expectVisible(page.getByRole('img', { name: 'Foto 1 adjunta' }));
      await page.getByRole('button', { name: 'Enviar información' }).click();
      await expectVisible(page.getByText('Usted agregó información al reporte.'), 15_000);
      expect(
        await web.deps.db
          .selectFrom('incident_attachments')
          .select('id')
          .where('incident_id', '=', incident.id)
          .execute(),
      ).toHaveLength(2);

      // Dispatch closes the case through the API: the tracking page shows it, then the survey.
      const closed = await web.app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${incident.id}/close`,
        headers: bearer(dispatcherToken),
        payload: { closureCode: 'ATENDIDO', summary: 'Se orientó a la denunciante; caso remitido a la FGR.' },
      });
      expect(closed.statusCode, closed.body).toBe(200);
      await page.getByRole('button', { name: 'Actualizar' }).click();
      await expectText(history.locator('li').last(), /El caso fue cerrado\./);
      await expectText(page.locator('.citizen-status'), /El caso fue cerrado\./);
      expect(await page.getByRole('button', { name: 'Enviar información' }).count()).toBe(0);

      // Satisfaction survey: 1–5 stars as radio buttons, operable with the keyboard.
      await expectVisible(page.getByRole('group', { name: '¿Cómo califica la atención recibida?' }));
      await page.getByRole('button', { name: 'Enviar evaluación' }).click();
      await expectVisible(page.getByText('Elija una calificación de 1 a 5 estrellas.'));
      await page.getByRole('radio', { name: '3 de 5 estrellas: regular' }).check();
      await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('radio', { name: '4 de 5 estrellas: satisfecho' }).isChecked()).toBe(true);
      await page.getByLabel('Comentario (opcional)').fill('Me atendieron rápido.');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'citizen-survey');
      await page.getByRole('button', { name: 'Enviar evaluación' }).click();
      await expectVisible(page.getByText(/Usted calificó la atención con 4 de 5 estrellas/), 15_000);
      const survey = await web.deps.db
        .selectFrom('citizen_surveys')
        .select(['rating', 'comment'])
        .where('incident_id', '=', incident.id)
        .executeTakeFirstOrThrow();
      expect(survey).toEqual({ rating: 4, comment: 'Me atendieron rápido.' });
      expect(errors).toEqual([]);
    },
    120_000,
  );

  browserIt(
    'works in English, shows the server message for a wrong secret, and a bot filling the trap is refused',
    async () => {
      const page = await phone(browser, web, 'en-US');
      contexts.push(page.context());
      await page.goto('/reportar/seguimiento');
      await page.getByLabel('Idioma').selectOption('en');
      await expectVisible(page.getByRole('heading', { level: 1, name: 'Track my report' }));
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.getByLabel('Tracking code').fill('CEN-AAAA-BBBB');
      await page.getByLabel('Tracking secret').fill('not-the-secret');
      await page.getByRole('button', { name: 'Look up' }).click();
      await expectVisible(page.getByText('We found no report with that code and secret.'));
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'citizen-tracking-error-en');

      // A bot that fills every input (the trap included) is refused with the server's message.
      await page.getByRole('link', { name: 'Make a report' }).click();
      await page.getByLabel('Describe what happened').fill('Automated text about a robbery at the market.');
      await page.getByLabel('Address or landmark').fill('Mercado central');
      await page.locator('input[name="website"]').fill('http://spam.example');
      await page.getByRole('button', { name: 'Send report' }).click();
      await expectVisible(page.getByText('The submission was refused because it looks automated.'));
    },
  );
});
