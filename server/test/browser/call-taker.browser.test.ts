/**
 * The call-taker screen in Chromium: answering a call, place search and map point, type autocomplete,
 * guided answers raising the suggested priority, an override that demands a reason, the folio after
 * creation; then a second call nearby shows the duplicate warning and is attached to the first
 * incident instead of creating a new one.
 */

import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, loginAs, makeUser } from '../factories.js';
import {
  collectPageErrors,
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
/** Chromium renders the map in software (swiftshader): generous per-test time on a shared machine. */
const SLOW = 120_000;

describe('call-taker screen in Chromium', () => {
  let web: WebApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let token: string;
  let firstIncident: { id: string; folio: string };

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    const user = await makeUser(web.deps, 'call_taker');
    token = await loginAs(web.app, user);
    page = await newPage(browser, web);
    errors = collectPageErrors(page);
    await loginInBrowser(page, user, '/llamadas');
    await page.getByRole('heading', { level: 1, name: 'Recepción de llamadas 911' }).waitFor();
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await web?.close();
  });

  const incidentCount = async () =>
    (
      await web.deps.db
        .selectFrom('incidents')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  /** Searches a place, picks the first result with the keyboard, then marks the map's centre. */
  async function locate(query: string, via: 'keyboard' | 'click') {
    const place = page.getByRole('combobox', { name: 'Buscar lugar' });
    await place.fill(query);
    const options = page.getByRole('listbox', { name: 'Buscar lugar' }).getByRole('option');
    await options.first().waitFor();
    await place.press('Enter');
    await page.getByText(/^Lugar elegido:/).waitFor();
    await page.locator('section.map[data-map-status="ready"]').waitFor({ timeout: 30_000 });
    const canvas = page.locator('.maplibregl-canvas');
    if (via === 'keyboard') {
      await canvas.focus();
      await canvas.press('Enter');
    } else {
      await canvas.click();
    }
    await page.getByText(/^Punto marcado en .+/).waitFor();
  }

  browserIt(
    'creates an incident: place, map point, type, guided answer, overridden priority with reason',
    async () => {
      await page.getByRole('button', { name: 'Atender llamada (F2)' }).click();
      await page.getByTestId('call-timer').waitFor();
      // F2 put the focus on the phone; Enter moves on to the caller's name.
      const phone = page.getByLabel('Teléfono (opcional)');
      await expect.poll(() => phone.evaluate((el) => el === document.activeElement)).toBe(true);
      await phone.fill('7777-1234');
      await phone.press('Enter');
      const callerName = page.getByLabel('Nombre del llamante (opcional)');
      await expect.poll(() => callerName.evaluate((el) => el === document.activeElement)).toBe(true);
      await callerName.fill('María López');

      // Place search: a listbox navigable with the arrows.
      const place = page.getByRole('combobox', { name: 'Buscar lugar' });
      await place.fill('San Salvador');
      const listbox = page.getByRole('listbox', { name: 'Buscar lugar' });
      await listbox.getByRole('option').first().waitFor();
      expect(await listbox.getByRole('option').count()).toBeGreaterThan(1);
      await place.press('ArrowDown');
      expect(await listbox.getByRole('option', { selected: true }).innerText()).not.toBe(
        await listbox.getByRole('option').first().innerText(),
      );
      expect(await place.getAttribute('aria-activedescendant')).toBeTruthy();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'call-taker-place-search');
      await place.press('ArrowUp');
      await place.press('Enter');
      await page.getByText(/^Lugar elegido:/).waitFor();
      // Enter picked the place and moved on to the address.
      const address = page.getByLabel('Dirección o punto de referencia');
      await expect.poll(() => address.evaluate((el) => el === document.activeElement)).toBe(true);
      await address.fill('Parada de buses frente al Mercado Central');

      await page.locator('section.map[data-map-status="ready"]').waitFor({ timeout: 30_000 });
      const canvas = page.locator('.maplibregl-canvas');
      await canvas.focus();
      await canvas.press('Enter');
      await page.getByText(/^Punto marcado en .*San Salvador/).waitFor();

      // Type autocomplete by keyword ("asalto" is a keyword of Robo), hierarchical label.
      const type = page.getByRole('combobox', { name: /Tipo de incidente/ });
      await type.fill('asalto');
      const typeOption = page.getByRole('listbox', { name: 'Tipo de incidente' }).getByRole('option').first();
      await typeOption.waitFor();
      expect(await typeOption.innerText()).toContain('Delitos contra el patrimonio › Robo');
      await type.press('Enter');
      await expect.poll(() => type.inputValue()).toBe('Delitos contra el patrimonio › Robo');
      const suggested = page.getByTestId('suggested-priority');
      await expect.poll(() => suggested.innerText()).toContain('P2 · Urgente');

      // A guided "yes" raises the suggestion to P1, live.
      await page
        .getByRole('group', { name: /¿Hay armas involucradas\?/ })
        .getByRole('radio', { name: 'Sí' })
        .check();
      await expect.poll(() => suggested.innerText()).toContain('P1 · Vida en riesgo');
      const priority = page.getByLabel('Prioridad', { exact: true });
      expect(await priority.inputValue()).toBe('1');

      // Overriding the suggestion asks for a reason, required before submitting.
      await priority.selectOption('3');
      const reason = page.getByLabel(/Motivo del cambio de prioridad/);
      await reason.waitFor();
      const narrative = page.getByLabel(/Relato de la llamada/);
      await narrative.fill('Asaltaron a una señora con un cuchillo; el asaltante huyó hacia el mercado.');
      await narrative.press('Control+Enter');
      await page.getByText('Escriba el motivo (al menos 3 caracteres).').waitFor();
      await expect.poll(() => reason.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await incidentCount()).toBe(0);
      await reason.fill('El arma era un cuchillo y el asaltante ya huyó');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'call-taker-form');

      await page.getByRole('button', { name: 'Registrar incidente (Ctrl+Enter)' }).click();
      const outcome = page.getByTestId('call-outcome');
      await outcome.waitFor();
      const text = await outcome.innerText();
      const folio = /Incidente (\d{4}-\d{6}) registrado/.exec(text)?.[1];
      expect(folio).toBeTruthy();
      expect(text).toContain('P3 · Prioritario');
      const link = outcome.getByRole('link', { name: `Ver incidente ${folio}` });
      const href = await link.getAttribute('href');
      expect(href).toMatch(/^\/incidentes\/[0-9a-f-]{36}$/);
      firstIncident = { id: href!.split('/').pop()!, folio: folio! };
      await screenshot(page, 'call-taker-created');

      // The server got what the form showed: type, answers, override with its reason, call times, point.
      const created = (
        await web.app.inject({ url: `/api/v1/incidents/${firstIncident.id}`, headers: bearer(token) })
      ).json();
      expect(created).toMatchObject({
        typeCode: 'PATRIMONIO.ROBO',
        priority: 3,
        suggestedPriority: 1,
        answers: { weapons: true },
        location: { departmentCode: 'SV-SS', text: 'Parada de buses frente al Mercado Central' },
      });
      expect(created.location.lat).not.toBeNull();
      expect(created.times.callAnsweredAt).not.toBeNull();
      const timeline = (
        await web.app.inject({
          url: `/api/v1/incidents/${firstIncident.id}/timeline`,
          headers: bearer(token),
        })
      ).json();
      expect(timeline.items[0]).toMatchObject({
        kind: 'created',
        reason: 'El arma era un cuchillo y el asaltante ya huyó',
      });
      const callers = await web.deps.db
        .selectFrom('incident_callers')
        .selectAll()
        .where('incident_id', '=', firstIncident.id)
        .execute();
      expect(callers).toMatchObject([{ phone: '7777-1234', name: 'María López', anonymous: false }]);
      expect(await incidentCount()).toBe(1);

      // The form is empty again for the next call, with the focus on "Atender llamada".
      expect(await page.getByRole('combobox', { name: 'Buscar lugar' }).inputValue()).toBe('');
      expect(await narrative.inputValue()).toBe('');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
        .toContain('Atender llamada');
    },
    SLOW,
  );

  browserIt(
    'warns of a nearby open incident of the same family and attaches the second call to it',
    async () => {
      await page.keyboard.press('F2');
      await page.getByTestId('call-timer').waitFor();
      await page.getByLabel('Llamada anónima (no se guardan teléfono ni nombre)').check();
      await locate('San Salvador', 'click');
      const type = page.getByRole('combobox', { name: /Tipo de incidente/ });
      await type.fill('hurto');
      await page.getByRole('listbox', { name: 'Tipo de incidente' }).getByRole('option').first().waitFor();
      await type.press('Enter');
      await expect.poll(() => type.inputValue()).toBe('Delitos contra el patrimonio › Hurto');

      const warning = page.getByTestId('duplicate-warning');
      await warning.waitFor();
      expect(await warning.innerText()).toContain(firstIncident.folio);
      const attach = warning.getByRole('button', {
        name: `Agregar a este incidente: ${firstIncident.folio}`,
      });

      // Attaching needs this call's narrative first.
      await attach.click();
      await page.getByText('Escriba el relato de esta llamada antes de agregarla al incidente.').waitFor();
      await page
        .getByLabel(/Relato de la llamada/)
        .fill('Otra persona confirma el asalto frente al mercado.');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'call-taker-duplicate-warning');
      await attach.click();

      const outcome = page.getByTestId('call-outcome');
      await page.getByText(`Llamada agregada al incidente ${firstIncident.folio}.`).waitFor();
      expect(
        await outcome
          .getByRole('link', { name: `Ver incidente ${firstIncident.folio}` })
          .getAttribute('href'),
      ).toBe(`/incidentes/${firstIncident.id}`);
      // No new incident: the call, its narrative and the anonymous caller went to the first one.
      expect(await incidentCount()).toBe(1);
      const notes = (
        await web.app.inject({ url: `/api/v1/incidents/${firstIncident.id}/notes`, headers: bearer(token) })
      ).json();
      expect(notes.items.map((n: { text: string }) => n.text)).toContain(
        'Otra persona confirma el asalto frente al mercado.',
      );
      const timeline = (
        await web.app.inject({
          url: `/api/v1/incidents/${firstIncident.id}/timeline`,
          headers: bearer(token),
        })
      ).json();
      expect(timeline.items.map((e: { kind: string }) => e.kind)).toContain('call_attached');
      const callers = await web.deps.db
        .selectFrom('incident_callers')
        .select(['anonymous', 'phone'])
        .where('incident_id', '=', firstIncident.id)
        .orderBy('received_at')
        .execute();
      expect(callers).toEqual([
        { anonymous: false, phone: '7777-1234' },
        { anonymous: true, phone: null },
      ]);
    },
    SLOW,
  );

  browserIt(
    'Esc twice clears; missing data is pointed out; a text-only location and a double submit create one incident',
    async () => {
      await page.keyboard.press('F2');
      const narrative = page.getByLabel(/Relato de la llamada/);
      await narrative.fill('Texto que se va a descartar');
      await narrative.press('Escape');
      await page.getByText('Presione Esc otra vez para limpiar el formulario.').waitFor();
      await narrative.press('Escape');
      await page.getByText('Formulario limpio.').waitFor();
      expect(await narrative.inputValue()).toBe('');

      await narrative.press('Control+Enter');
      await page.getByText('Elija el tipo de incidente de la lista.').waitFor();
      await page.getByText('Escriba el relato de la llamada.').waitFor();
      await page
        .getByText(
          'Indique la ubicación: marque el punto en el mapa, elija un municipio o distrito, o escriba la dirección.',
        )
        .waitFor();
      expect(await incidentCount()).toBe(1);

      // A text-only location is accepted (flagged "unlocated"), and a double submit creates one incident.
      await page.getByLabel('Dirección o punto de referencia').fill('Colonia Escalón, pasaje 3, casa 14');
      const type = page.getByRole('combobox', { name: /Tipo de incidente/ });
      await type.fill('bulla');
      await page.getByRole('listbox', { name: 'Tipo de incidente' }).getByRole('option').first().waitFor();
      await type.press('Enter');
      await expect.poll(() => type.inputValue()).toBe('Orden público › Escándalo en vía pública');
      await narrative.fill('Fiesta con música muy alta desde hace tres horas.');
      await page.evaluate(() => {
        const form = document.querySelector('form.ct__form') as HTMLFormElement;
        form.requestSubmit();
        form.requestSubmit();
      });
      await page.getByText(/Incidente \d{4}-\d{6} registrado con prioridad P4 · Sin urgencia\./).waitFor();
      expect(await incidentCount()).toBe(2);
      const latest = await web.deps.db
        .selectFrom('incidents')
        .select(['type_code', 'location_flag', 'location_text', 'priority'])
        .where('type_code', '=', 'ORDEN.ESCANDALO')
        .execute();
      expect(latest).toEqual([
        {
          type_code: 'ORDEN.ESCANDALO',
          location_flag: 'unlocated',
          location_text: 'Colonia Escalón, pasaje 3, casa 14',
          priority: 4,
        },
      ]);
      expect(errors).toEqual([]);
    },
    SLOW,
  );
});
