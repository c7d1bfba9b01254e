/**
 * The incident detail screen in Chromium: header and times, timeline, append-only notes with a
 * correction, caller data only after the audited "show" action (and no button for a role without
 * incident.caller.read), live refresh on a change made elsewhere, closing with a required closure
 * code, and the incident's audit trail for an auditor.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTRO, makeIncident, makeUnit } from '../emergencies/fixtures.js';
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
const SLOW = 120_000;

describe('incident detail screen in Chromium', () => {
  let web: WebApp;
  let browser: Browser;
  const pages: Page[] = [];
  let callTaker: string;
  let incident: { id: string; folio: string };

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    callTaker = await loginAs(web.app, await makeUser(web.deps, 'call_taker'));
    const res = await web.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: bearer(callTaker),
      payload: {
        typeCode: 'PATRIMONIO.ROBO',
        answers: { weapons: true },
        narrative: 'Asaltaron a un joven en la parada de buses; le quitaron el teléfono.',
        location: { ...CENTRO, text: 'Parada frente a Catedral Metropolitana' },
        caller: { phone: '7000-1111', name: 'Juan Pérez' },
        callReceivedAt: new Date(Date.now() - 90_000).toISOString(),
        callAnsweredAt: new Date(Date.now() - 80_000).toISOString(),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    incident = res.json();
  });
  afterAll(async () => {
    for (const page of pages) await page.context().close();
    await browser?.close();
    await web?.close();
  });

  const open = async () => {
    const page = await newPage(browser, web);
    pages.push(page);
    return page;
  };

  browserIt(
    'shows header, times and timeline; adds a note and a correction; reveals caller data only on demand (audited)',
    async () => {
      const page = await open();
      const errors = collectPageErrors(page);
      const dispatcher = await makeUser(web.deps, 'dispatcher');
      await loginInBrowser(page, dispatcher, `/incidentes/${incident.id}`);
      await page.getByRole('heading', { level: 1, name: `Incidente ${incident.folio}` }).waitFor();
      const header = page.locator('header.inc__header');
      expect(await header.innerText()).toContain('Delitos contra el patrimonio › Robo');
      expect(await header.innerText()).toContain('P1 · Vida en riesgo');
      expect(await header.innerText()).toContain('Clasificado');
      await expect.poll(() => header.innerText()).toContain('San Salvador');
      const times = page.getByTestId('incident-times');
      expect(await times.innerText()).toContain('T0 · Llamada recibida');
      expect(await times.innerText()).toContain('+0:10 desde T0');
      const timeline = page.getByTestId('timeline');
      await timeline.waitFor();
      expect(await timeline.innerText()).toContain('Incidente registrado');
      expect(await timeline.innerText()).toContain('Prueba call_taker');

      // Caller data: not on the page until the audited read is asked for.
      expect(await page.content()).not.toContain('7000-1111');
      const callers = page.getByTestId('incident-callers');
      expect(await callers.innerText()).toContain('queda registrada en la auditoría');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'incident-detail');
      const readsBefore = await personalDataReads();
      await callers.getByRole('button', { name: 'Mostrar datos del llamante' }).click();
      await callers.getByRole('cell', { name: '7000-1111' }).waitFor();
      expect(await callers.innerText()).toContain('Juan Pérez');
      await callers.getByText('Consulta registrada en la auditoría.').waitFor();
      expect(await personalDataReads()).toBe(readsBefore + 1);

      // A note, then a correction that references it; the original stays, struck through.
      const notes = page.getByTestId('incident-notes');
      await notes.getByLabel(/Nueva nota/).fill('Se comunicó el hermano de la víctima.');
      await notes.getByRole('button', { name: 'Agregar nota' }).click();
      const noteList = page.getByTestId('notes');
      await noteList.getByText('Se comunicó el hermano de la víctima.').waitFor();
      await expect.poll(() => timeline.innerText()).toContain('Nota agregada');
      await noteList
        .getByRole('button', { name: /^Corregir/ })
        .last()
        .click();
      const corrected = notes.getByLabel(/Texto corregido/);
      await expect.poll(() => corrected.inputValue()).toBe('Se comunicó el hermano de la víctima.');
      await corrected.fill('Se comunicó la hermana de la víctima.');
      await notes.getByRole('button', { name: 'Agregar corrección' }).click();
      await noteList.getByText('Se comunicó la hermana de la víctima.').waitFor();
      const struck = noteList.locator('del', { hasText: 'Se comunicó el hermano de la víctima.' });
      await struck.waitFor();
      await noteList.getByRole('link', { name: 'Corregida: ver la corrección' }).waitFor();
      await noteList.getByRole('link', { name: 'Corrige una nota anterior' }).waitFor();
      await expect.poll(() => timeline.innerText()).toContain('Nota corregida');
      const stored = (
        await web.app.inject({ url: `/api/v1/incidents/${incident.id}/notes`, headers: bearer(callTaker) })
      ).json().items as { id: string; text: string; corrects: string | null }[];
      const original = stored.find((n) => n.text === 'Se comunicó el hermano de la víctima.')!;
      expect(stored.find((n) => n.text === 'Se comunicó la hermana de la víctima.')?.corrects).toBe(
        original.id,
      );

      // A change made elsewhere (another user's note) appears without reloading.
      const added = await web.app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${incident.id}/notes`,
        headers: bearer(callTaker),
        payload: { text: 'Nota desde otra consola.' },
      });
      expect(added.statusCode).toBe(201);
      await noteList.getByText('Nota desde otra consola.').waitFor({ timeout: 30_000 });
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'incident-notes');

      // Closing requires a closure code (and a summary).
      await page.getByRole('button', { name: 'Cerrar incidente' }).click();
      const dialog = page.getByRole('dialog', { name: 'Cerrar incidente' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Cerrar incidente' }).click();
      await dialog.getByText('Elija el código de cierre.').waitFor();
      await dialog.getByText('Escriba el resumen del cierre (al menos 3 caracteres).').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'incident-close-dialog');
      await dialog.getByLabel(/Código de cierre/).selectOption('ATENDIDO');
      await dialog
        .getByLabel(/Resumen del cierre/)
        .fill('Se atendió a la víctima; el sospechoso no fue ubicado.');
      await dialog.getByRole('button', { name: 'Cerrar incidente' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => header.innerText()).toContain('Cerrado');
      await expect.poll(() => header.innerText()).toContain('ATENDIDO');
      await expect.poll(() => times.innerText()).toContain('Cerrado');
      await expect.poll(() => timeline.innerText()).toContain('Código de cierre ATENDIDO');
      const closed = (
        await web.app.inject({ url: `/api/v1/incidents/${incident.id}`, headers: bearer(callTaker) })
      ).json();
      expect(closed).toMatchObject({ status: 'closed', closureCode: 'ATENDIDO' });
      // A dispatcher may not reopen: the action is not offered.
      expect(await page.getByRole('button', { name: 'Reabrir' }).count()).toBe(0);
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  browserIt(
    'an auditor sees no caller-data button but sees the audit trail of the incident',
    async () => {
      const page = await open();
      const errors = collectPageErrors(page);
      await loginInBrowser(page, await makeUser(web.deps, 'auditor'), `/incidentes/${incident.id}`);
      await page.getByRole('heading', { level: 1, name: `Incidente ${incident.folio}` }).waitFor();
      await page.getByTestId('timeline').waitFor();
      const trail = page.getByTestId('audit-trail');
      await trail.waitFor();
      await trail.getByText('incident.created').waitFor();
      expect(await trail.innerText()).toContain('personal_data.read');
      expect(await trail.innerText()).toContain('incident.close');
      expect(await page.getByRole('button', { name: 'Mostrar datos del llamante' }).count()).toBe(0);
      expect(await page.getByTestId('incident-callers').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Agregar nota' }).count()).toBe(0);
      expect(await page.getByTestId('incident-actions').innerText()).toContain(
        'No hay acciones disponibles para usted en este estado.',
      );
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'incident-detail-auditor');
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  browserIt(
    'shows a unit assigned elsewhere live, with its call sign, and the new status',
    async () => {
      const supervisor = await loginAs(web.app, await makeUser(web.deps, 'supervisor'));
      const unitId = await makeUnit(web, supervisor, 'PNC-SS-77', { position: CENTRO });
      const other = await makeIncident(web, callTaker, { typeCode: 'ORDEN.RINA', location: CENTRO });
      const page = await open();
      const errors = collectPageErrors(page);
      const dispatcher = await makeUser(web.deps, 'dispatcher');
      await loginInBrowser(page, dispatcher, `/incidentes/${other}`);
      const units = page.getByRole('region', { name: 'Unidades asignadas' });
      await units.getByText('Sin unidades asignadas.').waitFor();

      const assigned = await web.app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${other}/assignments`,
        headers: bearer(await loginAs(web.app, dispatcher)),
        payload: { unitId },
      });
      expect(assigned.statusCode, assigned.body).toBe(201);
      await units.getByText('PNC-SS-77', { exact: true }).waitFor({ timeout: 30_000 });
      const header = page.locator('header.inc__header');
      await expect.poll(() => header.innerText()).toContain('Despachado');
      await expect
        .poll(() => page.getByTestId('incident-times').innerText())
        .not.toMatch(/T3 · Primera unidad asignada\s*pendiente/);
      await expect.poll(() => page.getByTestId('timeline').innerText()).toContain('Unidad PNC-SS-77');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'incident-detail-units');
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  async function personalDataReads(): Promise<number> {
    const rows = await web.deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('entity_id', '=', incident.id)
      .where('action', '=', 'personal_data.read')
      .execute();
    return rows.length;
  }
});
