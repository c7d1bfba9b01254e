import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emergenciesDeps, raiseEscalations } from '../../src/modules/emergencies/index.js';
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
/** Browser steps on a shared 2-core machine: generous per-test budget (every wait is on a selector). */
const SLOW = 120_000;

describe('dispatch board in Chromium', () => {
  let web: WebApp;
  let browser: Browser;
  let callTaker: string;
  let supervisor: string;
  let dispatcher: TestUser;
  let page: Page;
  let errors: string[];

  const createIncident = async (narrative: string, location = CENTRO) => {
    const res = await web.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: bearer(callTaker),
      payload: { typeCode: 'VIDA.LESIONES', narrative, location },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; folio: string; priority: number };
  };
  /** The incident queue (a listbox; the page's <select> elements have options too). */
  const queue = (p: Page) => p.getByRole('listbox', { name: /Incidentes abiertos/ });
  const option = (folio: string) => queue(page).getByRole('option').filter({ hasText: folio });

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    callTaker = await loginAs(web.app, await makeUser(web.deps, 'call_taker'));
    supervisor = await loginAs(web.app, await makeUser(web.deps, 'supervisor'));
    await makeUnit(web, supervisor, 'PNC-T-01', { position: { lon: CENTRO.lon + 0.004, lat: CENTRO.lat } });
    await makeUnit(web, supervisor, 'PNC-T-02', {
      position: { lon: CENTRO.lon + 0.05, lat: CENTRO.lat + 0.03 },
    });
    dispatcher = await makeUser(web.deps, 'dispatcher');
    page = await newPage(browser, web);
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await web?.close();
  });

  browserIt(
    'shows a new incident live, assigns the recommended unit with the keyboard, records progress',
    async () => {
      await loginInBrowser(page, dispatcher, '/despacho');
      await expectText(page.locator('h1'), 'Tablero de despacho');
      await expectVisible(page.getByText('No hay incidentes abiertos en su ámbito.'));
      // The unit board lists the units with their status.
      const unitRow = page.locator('tr[data-unit="PNC-T-01"]');
      await expectText(unitRow.locator('td').first(), 'Disponible');

      // Created through the API by a call-taker: appears without reloading.
      const incident = await createIncident('Riña con una persona herida en el parque.');
      await expectVisible(option(incident.folio));
      await expectText(
        page.getByRole('heading', { level: 2, name: /Cola de incidentes/ }),
        'Cola de incidentes abiertos (1)',
      );
      // The response timer runs against the time-to-dispatch target.
      await expectText(option(incident.folio).locator('.dx-timer'), /^Despacho \d+:\d\d/);
      // …and on the map (points drawn in the next batched repaint).
      await page.locator('.dx-map .map__canvas[data-incident-points="1"]').waitFor({ timeout: 15_000 });

      // Keyboard: focus the queue, Enter opens the incident with its recommended units and reasons.
      await page.getByRole('listbox').focus();
      await page.keyboard.press('Enter');
      const panel = page.getByTestId('incident-panel');
      await expectText(panel.locator('h2').first(), new RegExp(incident.folio));
      const first = panel.getByTestId('recommendation').first();
      await expectText(first.locator('strong'), 'PNC-T-01');
      expect(await first.locator('.dx-recs__reasons li').count()).toBeGreaterThan(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'dispatch-board');

      // A assigns the top recommendation after a confirmation.
      await page.getByRole('listbox').focus();
      await page.keyboard.press('a');
      const dialog = page.getByRole('dialog', { name: 'Confirmar asignación' });
      await expectVisible(dialog);
      await expectText(dialog.locator('p').first(), new RegExp(`¿Asignar PNC-T-01 a ${incident.folio}\\?`));
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'dispatch-assign-confirm');
      await dialog.getByRole('button', { name: 'Asignar', exact: true }).click();
      await expectVisible(page.getByText(`PNC-T-01 asignada a ${incident.folio}.`));

      // The board follows: incident dispatched, unit assigned with the incident, assignment listed.
      await expectText(option(incident.folio).locator('.dx-queue__status'), 'Despachado');
      await expectText(unitRow.locator('td').first(), 'Asignada');
      await expectText(unitRow.locator('td').nth(2), incident.folio);
      const assignment = panel.getByTestId('assignment');
      await expectText(assignment.locator('strong'), 'PNC-T-01');
      await expectText(option(incident.folio).locator('.dx-timer'), /^Llegada \d+:\d\d/);

      // Progress reported by radio is recorded from the console.
      await assignment
        .getByRole('button', { name: 'Registrar que PNC-T-01 va en camino (por radio)' })
        .click();
      await expectText(option(incident.folio).locator('.dx-queue__status'), 'En camino');
      await expectText(unitRow.locator('td').first(), 'En camino');
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  browserIt(
    'releases a unit only with a reason; the incident goes back to the queue',
    async () => {
      const panel = page.getByTestId('incident-panel');
      const assignment = panel.getByTestId('assignment');
      await assignment.getByRole('button', { name: 'Liberar PNC-T-01' }).click();
      const dialog = page.getByRole('dialog', { name: /Liberar PNC-T-01 de/ });
      await expectVisible(dialog);
      await dialog.getByRole('button', { name: 'Liberar unidad' }).click();
      await expectText(dialog.getByRole('alert'), 'Escriba el motivo (al menos 3 caracteres).');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'dispatch-release-reason');
      await dialog
        .getByLabel(/Motivo de la liberación/)
        .fill('Se necesita en un accidente de tránsito cercano.');
      await dialog.getByRole('button', { name: 'Liberar unidad' }).click();
      await expectVisible(page.getByText(/PNC-T-01 liberada de/));
      await expectVisible(panel.getByText('Todavía no hay unidades asignadas.'));
      await expectText(page.locator('tr[data-unit="PNC-T-01"] td').first(), 'Disponible');
      // No unit left: the incident is waiting in the queue again.
      await expectText(queue(page).getByRole('option').first().locator('.dx-queue__status'), 'Clasificado');
      // The released assignment stays in the history with its reason.
      await panel.getByText('Asignaciones anteriores (1)').click();
      await expectVisible(panel.getByText(/Se necesita en un accidente de tránsito cercano\./));
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  browserIt(
    'turns the timer amber then red against the target, and shows the escalation live',
    async () => {
      // A very short time-to-dispatch target for this priority.
      const targets = await web.app.inject({
        method: 'PUT',
        url: '/api/v1/response-targets',
        headers: bearer(supervisor),
        payload: {
          items: [{ priority: 2, answerSeconds: 20, dispatchSeconds: 12, onSceneSeconds: 900 }],
          reason: 'Prueba del tablero de despacho',
        },
      });
      expect(targets.statusCode, targets.body).toBe(200);
      await page.reload();
      const incident = await createIncident('Persona herida en la vía pública.', {
        lon: CENTRO.lon - 0.01,
        lat: CENTRO.lat + 0.01,
      });
      const timer = option(incident.folio).locator('.dx-timer');
      await timer.and(page.locator('[data-level="warn"]')).waitFor({ timeout: 15_000 });
      await expectText(timer, /por vencer/);
      await timer.and(page.locator('[data-level="late"]')).waitFor({ timeout: 10_000 });
      await expectText(timer, /atrasado/);
      // The escalation check (normally every 15 s) raises it; the banner updates without reload.
      await raiseEscalations(emergenciesDeps(web.deps));
      await expectVisible(page.getByText(new RegExp(`${incident.folio}: despacho atrasado por`)));
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'dispatch-late-escalation');
    },
    SLOW,
  );

  browserIt(
    'puts a unit out of service only with a reason',
    async () => {
      const row = page.locator('tr[data-unit="PNC-T-02"]');
      await row.getByRole('button', { name: 'Poner PNC-T-02 fuera de servicio' }).click();
      const dialog = page.getByRole('dialog', { name: 'Poner PNC-T-02 fuera de servicio' });
      await dialog.getByRole('button', { name: 'Poner fuera de servicio' }).click();
      await expectText(dialog.getByRole('alert'), 'Escriba el motivo (al menos 3 caracteres).');
      await dialog.getByLabel(/^Motivo/).fill('Cambio de llanta');
      await dialog.getByRole('button', { name: 'Poner fuera de servicio' }).click();
      await expectText(row.locator('td').first(), 'Fuera de servicio');
      await row.getByRole('button', { name: 'Poner PNC-T-02 en servicio' }).click();
      await expectText(row.locator('td').first(), 'Disponible');
    },
    SLOW,
  );

  browserIt(
    'is read-only for an analyst, and the server refuses a forced assignment',
    async () => {
      const analyst = await makeUser(web.deps, 'analyst');
      const other = await newPage(browser, web);
      try {
        const otherErrors = collectPageErrors(other);
        await loginInBrowser(other, analyst, '/despacho');
        await expectVisible(other.getByText(/Vista de solo lectura/));
        const first = queue(other).getByRole('option').first();
        await first.click();
        const panel = other.getByTestId('incident-panel');
        await expectVisible(panel.getByText('Las recomendaciones de unidades son para quienes despachan.'));
        expect(await panel.getByRole('button', { name: /^Asignar/ }).count()).toBe(0);
        expect(await other.getByRole('button', { name: /fuera de servicio/ }).count()).toBe(0);
        expect(await seriousAxeViolations(other)).toEqual([]);
        await screenshot(other, 'dispatch-read-only');

        // The read-only board itself made no refused calls.
        expect(otherErrors).toEqual([]);
        // Forcing the action with the analyst's own session gets the server's 403 message.
        const incidentId = await first.getAttribute('data-incident-id');
        const unitId = (
          await web.deps.db
            .selectFrom('units')
            .select('id')
            .where('call_sign', '=', 'PNC-T-01')
            .executeTakeFirstOrThrow()
        ).id;
        const answer = await other.evaluate(
          async ([id, unit]) => {
            const session = JSON.parse(sessionStorage.getItem('centinela.session') ?? '{}') as {
              accessToken?: string;
            };
            const res = await fetch(`/api/v1/incidents/${id}/assignments`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'accept-language': 'es-SV',
                authorization: `Bearer ${session.accessToken}`,
              },
              body: JSON.stringify({ unitId: unit, recommended: true }),
            });
            return {
              status: res.status,
              body: (await res.json()) as { error: { code: string; message: string } },
            };
          },
          [incidentId, unitId] as const,
        );
        expect(answer.status).toBe(403);
        expect(answer.body.error.code).toBe('FORBIDDEN');
        expect(answer.body.error.message).toBe(
          'No tiene permiso para realizar esta acción (dispatch.assign).',
        );
      } finally {
        await other.context().close();
      }
    },
    SLOW,
  );
});
