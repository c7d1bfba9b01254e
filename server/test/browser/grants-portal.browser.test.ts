import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import {
  linkStaff,
  makeApprovedPlan,
  makeCall,
  makeOrganisation,
  png,
} from '../grants/execution-fixtures.js';
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
type User = TestUser & { token: string };

/**
 * The NGO portal through its screens: a document uploaded, a plan formulated in the form (objectives,
 * activities, budget lines, indicators…) and submitted, returned by the legal reviewer with
 * observations, corrected as version 2 whose differences are shown, submitted again; a monitoring
 * visit recorded on a phone with a photo and approved by another person; the public page in English.
 */
describe('NGO portal, plan corrections and monitoring visit in Chromium', { timeout: 300_000 }, () => {
  let web: WebApp;
  let browser: Browser;
  const u: Record<string, User> = {};
  let callCode: string;
  let agreementId: string;
  const pages: Page[] = [];
  const pageErrors: string[][] = [];
  let ngo: Page;

  const api = async (method: 'GET' | 'POST', url: string, who: string, payload?: object) => {
    const res = await web.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: bearer(u[who]!.token),
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const open = async (options: { mobile?: boolean; locale?: 'es-SV' | 'en-US' } = {}) => {
    const page = await newPage(browser, web, options);
    pages.push(page);
    pageErrors.push(collectPageErrors(page));
    return page;
  };
  const as = async (who: string, path: string, mobile = false): Promise<Page> => {
    const page = await open({ mobile });
    await loginInBrowser(page, u[who]!, path);
    return page;
  };
  const toast = (page: Page, text: string | RegExp) =>
    expectVisible(page.locator('.toasts').getByText(text), 20_000);
  const settled = (page: Page) =>
    page.locator('.gr .state[role="status"]').first().waitFor({ state: 'detached', timeout: 20_000 });
  const axe = async (page: Page) => expect(await seriousAxeViolations(page)).toEqual([]);

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    for (const [key, role] of [
      ['staff', 'ngo_staff'],
      ['legal', 'ngo_legal_reviewer'],
      ['authority', 'ngo_authority'],
      ['monitoring', 'ngo_monitoring_reviewer'],
      ['monitoring2', 'ngo_monitoring_reviewer'],
    ] as const) {
      u[key] = { ...(await makeUser(web.deps, role)), token: '' };
    }
    const org = await makeOrganisation(web.deps, 'Asociación Mujeres Emprendedoras');
    await linkStaff(web.deps, org.orgId, u.staff!.id);
    for (const user of Object.values(u)) user.token = await loginAs(web.app, user);
    const callId = await makeCall(web.deps, 'Prevención de la violencia de género');
    callCode = (await api('GET', `/grants/calls/${callId}`, 'staff')).code;
    const approved = await makeApprovedPlan(web.deps, org.orgId, callId);
    // The fixture's code (PLAN-2026-X…) is not of the numbered series nextCode continues.
    await web.deps.db
      .updateTable('ngo_plans')
      .set({ code: 'PLAN-2026-00100' })
      .where('id', '=', approved)
      .execute();
    const agreement = await api('POST', `/grants/plans/${approved}/agreement`, 'authority', {
      number: `CONV-MJSP-VIS-${randomUUID().slice(0, 4)}`,
      amountCents: 1_000_000,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      signedOn: '2026-11-01',
      administratorId: u.monitoring!.id,
      tranches: [{ amountCents: 1_000_000 }],
    });
    agreementId = agreement.id;
  });
  afterAll(async () => {
    for (const p of pages) await p.context().close();
    await browser?.close();
    await web?.close();
  });

  browserIt('the NGO uploads a document to its profile', async () => {
    ngo = await as('staff', '/fondos/portal');
    await expectText(ngo.locator('#gr-portal-org'), 'Asociación Mujeres Emprendedoras');
    const form = ngo.getByRole('form', { name: 'Cargar un documento' });
    await form.getByLabel('Tipo de documento').selectOption('legal_rep_credential');
    await form.getByLabel('Vigente hasta').fill('2027-06-30');
    await form.getByLabel(/Archivo \(PDF, JPEG o PNG\)/).setInputFiles({
      name: 'credencial.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png('credencial'), 'base64'),
    });
    await form.getByRole('button', { name: 'Cargar' }).click();
    await toast(ngo, 'Documento cargado.');
    await expectVisible(ngo.getByRole('cell', { name: 'credencial.png' }));
    await settled(ngo);
    await axe(ngo);
    await screenshot(ngo, 'grants-portal-documents');
  });

  browserIt('formulates a plan in the form and submits it', async () => {
    await ngo.getByRole('link', { name: `Formular un plan para ${callCode}` }).click();
    await expectText(ngo.locator('h2').first(), 'Formular un plan de trabajo');
    const rows = (name: string) => ngo.locator(`fieldset[data-rows="${name}"]`);
    await ngo.getByLabel('Título', { exact: false }).first().fill('Emprender sin violencia');
    await rows('objectives').getByLabel('Código (fila 1)').fill('O1');
    await rows('objectives')
      .getByLabel('Objetivo (fila 1)')
      .fill('Autonomía económica de mujeres sobrevivientes');
    await rows('activities').getByLabel('Código (fila 1)').fill('A1');
    await rows('activities').getByLabel('Actividad (fila 1)').fill('Talleres de emprendimiento');
    await rows('activities').getByLabel('Código del objetivo (fila 1)').fill('O1');
    await ngo.getByLabel('Descripción de la población').fill('Mujeres de 18 a 45 años');
    await ngo.getByLabel('Beneficiarios directos').fill('120');
    await ngo.getByLabel('Beneficiarios indirectos').fill('400');
    await rows('territory').getByLabel('Municipio (fila 1)').selectOption({ index: 1 });
    await rows('schedule').getByLabel('Código (fila 1)').fill('H1');
    await rows('schedule').getByLabel('Hito (fila 1)').fill('Primer taller');
    await rows('schedule').getByLabel('Código de la actividad (fila 1)').fill('A1');
    await rows('schedule').getByLabel('Inicio (fila 1)').fill('2027-01-10');
    await rows('schedule').getByLabel('Fin (fila 1)').fill('2027-03-10');
    await rows('indicators').getByLabel('Código (fila 1)').fill('I1');
    await rows('indicators').getByLabel('Indicador (fila 1)').fill('Mujeres con negocio en marcha');
    await rows('indicators').getByLabel('Unidad (fila 1)').fill('personas');
    await rows('indicators').getByLabel('Línea base (fila 1)').fill('0');
    await rows('indicators').getByLabel('Meta (fila 1)').fill('80');
    await rows('risks').getByLabel('Código (fila 1)').fill('R1');
    await rows('risks').getByLabel('Riesgo (fila 1)').fill('Deserción por cuidado de hijos');
    await rows('risks').getByLabel('Probabilidad (fila 1)').selectOption('medium');
    await rows('risks').getByLabel('Mitigación (fila 1)').fill('Guardería durante los talleres');
    await rows('budget').getByLabel('Código (fila 1)').fill('L1');
    await rows('budget').getByLabel('Descripción (fila 1)').fill('Facilitadoras');
    await rows('budget').getByLabel('Monto (US$) (fila 1)').fill('1500.00');
    await rows('budget').getByRole('button', { name: 'Agregar línea' }).click();
    await rows('budget').getByLabel('Código (fila 2)').fill('L2');
    await rows('budget').getByLabel('Descripción (fila 2)').fill('Capital semilla');
    await rows('budget').getByLabel('Fuente (fila 2)').selectOption('mjsp');
    await rows('budget').getByLabel('Monto (US$) (fila 2)').fill('500.50');
    await axe(ngo);
    await screenshot(ngo, 'grants-plan-form');
    await ngo.getByRole('button', { name: 'Guardar el plan' }).click();
    await expectVisible(ngo.getByRole('button', { name: 'Presentar para revisión' }), 20_000);
    await expectText(ngo.locator('.gr-chip').first(), 'Borrador');
    await expectVisible(ngo.getByText('$2,000.50').first());
    await ngo.getByRole('button', { name: 'Presentar para revisión' }).click();
    await toast(ngo, /Plan presentado/);
    await expectText(ngo.locator('.gr-chip').first(), 'En revisión');
  });

  browserIt('the legal reviewer returns it with observations; the NGO sees them', async () => {
    const legal = await as('legal', '/fondos/bandeja');
    await legal.locator('table a').first().click();
    const section = legal.locator('section', {
      has: legal.locator('h2', { hasText: 'Su decisión: Revisión jurídica' }),
    });
    await section.getByLabel('Devolver con observaciones').check();
    // A reason too short is refused by the server, which says why.
    await section.getByLabel(/Motivo u observaciones/).fill('Revisar');
    await section.getByRole('button', { name: 'Registrar la decisión' }).click();
    await expectText(section.getByRole('alert'), /Debe indicar el motivo \(al menos 10 caracteres\)/);
    await section
      .getByLabel(/Motivo u observaciones/)
      .fill('El capital semilla debe justificarse por beneficiaria; ajuste el monto de la línea L2.');
    await section.getByRole('button', { name: 'Registrar la decisión' }).click();
    await toast(legal, 'Decisión registrada.');
    await axe(legal);
    await screenshot(legal, 'grants-plan-returned-by-legal');

    await ngo.reload();
    await expectText(ngo.locator('.gr-chip').first(), 'Devuelto con observaciones');
    await expectVisible(
      ngo.getByText('El capital semilla debe justificarse por beneficiaria', { exact: false }),
    );
    await settled(ngo);
    await axe(ngo);
    await screenshot(ngo, 'grants-plan-observations');
  });

  browserIt('the NGO answers with version 2 and sees the differences; submits again', async () => {
    await ngo.getByRole('link', { name: 'Corregir (nueva versión)' }).click();
    await expectVisible(ngo.getByText(/al guardar se crea una nueva versión/));
    const budget = ngo.locator('fieldset[data-rows="budget"]');
    await budget.getByLabel('Monto (US$) (fila 2)').fill('450.00');
    await ngo.getByRole('button', { name: 'Guardar el plan' }).click();
    const diff = ngo.getByTestId('plan-diff');
    await expectVisible(diff, 20_000);
    const line = diff.locator('tr', { hasText: 'L2' });
    await expectVisible(line.getByText('Modificado'));
    await expectVisible(line.getByText('$500.50'));
    await expectVisible(line.getByText('$450.00'));
    await expectVisible(line.getByText('-$50.50'));
    await settled(ngo);
    await axe(ngo);
    await screenshot(ngo, 'grants-plan-diff');
    await ngo.getByRole('button', { name: 'Presentar para revisión' }).click();
    await toast(ngo, /Plan presentado/);
    await expectText(ngo.locator('.gr-chip').first(), 'En revisión');
  });

  browserIt(
    'a monitoring visit is recorded on a phone with a photo, and approved by someone else',
    async () => {
      // A real name (the test users' "Prueba ngo_monitoring_reviewer" does not wrap in a phone's header).
      await web.deps.db
        .updateTable('users')
        .set({ display_name: 'Carla Mejía' })
        .where('id', '=', u.monitoring!.id)
        .execute();
      const phone = await as('monitoring', `/fondos/convenios/${agreementId}/visita`, true);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expectText(phone.locator('h2').first(), 'Visita de monitoreo');
      await phone.getByLabel('Tipo de visita').selectOption('unannounced');
      await phone.getByLabel('Equipo', { exact: false }).fill('Lic. Carla Mejía\nIng. Óscar Ayala');
      await phone
        .getByLabel('Hallazgos', { exact: false })
        .fill('Listas de asistencia completas\nFalta rotulación del proyecto en el local');
      await phone.getByLabel('Acción 1', { exact: true }).fill('Colocar la rotulación del proyecto');
      await phone.getByLabel('Fecha límite de la acción 1').fill('2026-12-15');
      await phone.getByLabel('Fotos (JPEG o PNG)').setInputFiles({
        name: 'local.png',
        mimeType: 'image/png',
        buffer: Buffer.from(png('visita'), 'base64'),
      });
      await phone.getByLabel('Descripción de las fotos').fill('Fachada del local de talleres');
      await axe(phone);
      await screenshot(phone, 'grants-visit-phone');
      await phone.getByRole('button', { name: 'Guardar la visita' }).click();
      await toast(phone, 'Visita registrada.');
      await expectVisible(phone.getByText('1 foto(s)'));
      await expectVisible(phone.getByText('Falta rotulación del proyecto en el local'));

      const other = await as('monitoring2', `/fondos/convenios/${agreementId}`);
      await other.getByRole('button', { name: 'Aprobar el informe de visita' }).click();
      await toast(other, 'Informe de visita aprobado.');
      await expectVisible(other.locator('.gr-chip', { hasText: 'Aprobada' }));
    },
  );

  browserIt('the public page reads in English', async () => {
    const page = await open({ locale: 'en-US' });
    await page.goto('/transparencia');
    await page
      .getByRole('combobox')
      .first()
      .selectOption('en')
      .catch(() => undefined);
    await expectText(page.locator('h1'), 'Transparency: public funds for NGOs');
    await expectVisible(page.getByRole('link', { name: 'Download CSV' }));
    await axe(page);
  });

  browserIt('no console errors apart from the refused decision without a reason (400)', async () => {
    const all = pageErrors.flat();
    expect(all.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
