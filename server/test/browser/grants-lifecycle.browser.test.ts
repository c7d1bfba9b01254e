import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import {
  linkStaff,
  makeCall,
  makeOrganisation,
  nit,
  type OrgFixture,
  pdf,
} from '../grants/execution-fixtures.js';
import { budgetLines, completeContent } from '../grants/grants-helpers.js';
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
 * An NGO plan through the screens: the NGO submits it, the legal, financial and monitoring reviewers
 * and the authority decide in their inbox, finance authorises and another person pays the
 * disbursement, a receipt already used is flagged and rejected, the liquidation is submitted and
 * approved, the agreement is closed with its closing act; the public page shows it. Steps that are
 * not the point (organisation, call, agreement signature, the first receipt) go through the API.
 */
describe('NGO funds lifecycle in Chromium', { timeout: 600_000 }, () => {
  let web: WebApp;
  let browser: Browser;
  const u: Record<string, User> = {};
  let org: OrgFixture;
  let planId: string;
  let agreementId: string;
  const pages: Page[] = [];
  const pageErrors = new Map<Page, string[]>();
  const supplier = nit('0614010190101');
  const duplicateNumber = `DTE-01-${randomUUID().slice(0, 8)}`;
  const generationCode = randomUUID().toUpperCase();

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

  /** A page signed in as `who` at `path`. */
  const as = async (who: string, path: string): Promise<Page> => {
    const page = await newPage(browser, web);
    pages.push(page);
    pageErrors.set(page, collectPageErrors(page));
    await loginInBrowser(page, u[who]!, path);
    return page;
  };
  const settled = async (page: Page) => {
    await page.locator('.gr .state[role="status"]').first().waitFor({ state: 'detached', timeout: 20_000 });
  };
  const checkAxe = async (page: Page) => expect(await seriousAxeViolations(page)).toEqual([]);
  const toast = (page: Page, text: string | RegExp) =>
    expectVisible(page.locator('.toasts').getByText(text), 20_000);

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    for (const [key, role] of [
      ['staff', 'ngo_staff'],
      ['legal', 'ngo_legal_reviewer'],
      ['financial', 'ngo_financial_reviewer'],
      ['monitoring', 'ngo_monitoring_reviewer'],
      ['monitoring2', 'ngo_monitoring_reviewer'],
      ['authority', 'ngo_authority'],
      ['finance1', 'ngo_finance'],
      ['finance2', 'ngo_finance'],
    ] as const) {
      u[key] = { ...(await makeUser(web.deps, role)), token: '' };
    }
    org = await makeOrganisation(web.deps, 'Asociación Jóvenes con Futuro');
    await linkStaff(web.deps, org.orgId, u.staff!.id);
    for (const user of Object.values(u)) user.token = await loginAs(web.app, user);
    const callId = await makeCall(web.deps, 'Prevención de la violencia juvenil');
    const plan = await api('POST', '/grants/plans', 'staff', {
      callId,
      title: 'Escuelas seguras en Mejicanos',
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    planId = plan.id;
  });
  afterAll(async () => {
    for (const p of pages) await p.context().close();
    await browser?.close();
    await web?.close();
  });

  browserIt('the NGO sees its organisation and submits its plan from the plan page', async () => {
    const page = await as('staff', '/fondos/portal');
    await expectText(page.locator('#gr-portal-org'), 'Asociación Jóvenes con Futuro');
    await settled(page);
    await checkAxe(page);
    await screenshot(page, 'grants-ngo-portal');
    await page.goto(`/fondos/planes/${planId}`);
    await expectVisible(page.getByRole('button', { name: 'Presentar para revisión' }));
    await expectVisible(page.getByText('$15,000.00').or(page.getByText('US$15,000.00')));
    await page.getByRole('button', { name: 'Presentar para revisión' }).click();
    await toast(page, /Plan presentado/);
    await expectText(page.locator('.gr-chip').first(), 'En revisión');
    await settled(page);
    await checkAxe(page);
    await screenshot(page, 'grants-plan-submitted');
  });

  /** Opens the reviewer's inbox, the case, ticks every checklist item, attaches the documents, approves. */
  const review = async (who: string, stepName: string, shot: string) => {
    const page = await as(who, '/fondos/bandeja');
    await expectVisible(page.getByRole('cell', { name: stepName }));
    await checkAxe(page);
    await screenshot(page, `${shot}-inbox`);
    await page.locator('table a').first().click();
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Registrar la decisión' }) });
    await expectText(page.locator(`h2:has-text("Su decisión")`), `Su decisión: ${stepName}`);
    await expectVisible(
      page.getByTestId('red-flags').getByRole('heading', { name: 'Alertas de la organización' }),
    );
    for (const box of await form.locator('input[type="checkbox"]').all()) await box.check();
    for (const file of await form.locator('input[type="file"]').all()) {
      await file.setInputFiles({
        name: 'dictamen.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from(`%PDF-1.4\n% dictamen ${who} ${randomUUID()}\n%%EOF\n`),
      });
    }
    await expectVisible(form.getByText(/SHA-256 [0-9a-f]{64}/));
    await settled(page);
    await checkAxe(page);
    await screenshot(page, `${shot}-review`);
    await form.getByRole('button', { name: 'Registrar la decisión' }).click();
    await toast(page, 'Decisión registrada.');
    return page;
  };

  browserIt(
    'legal, financial and monitoring reviewers approve, each in their inbox, then the authority',
    async () => {
      await review('legal', 'Revisión jurídica', 'grants-legal');
      await review('financial', 'Revisión financiera (UFI)', 'grants-financial');
      await review('monitoring', 'Revisión técnica, de monitoreo y control interno', 'grants-monitoring');
      const page = await review('authority', 'Aprobación de la autoridad', 'grants-authority');
      await page.goto(`/fondos/planes/${planId}`);
      await expectText(page.locator('.gr-chip').first(), 'Aprobado');
      await screenshot(page, 'grants-plan-approved');
      // The authority signs the agreement on the plan's page (one tranche; the monitoring officer administers it).
      const sign = page.getByRole('form', { name: 'Firmar el convenio' });
      await sign.getByLabel('Número del convenio').fill('CONV-MJSP-2026-0107');
      await sign.getByLabel('Inicio del período').fill('2026-01-01');
      await sign.getByLabel('Fin del período').fill('2026-12-31');
      await sign.getByLabel('Fecha de firma').fill('2026-11-01');
      await sign.getByLabel(/Administrador del convenio/).fill(u.monitoring2!.id);
      await checkAxe(page);
      await screenshot(page, 'grants-agreement-sign');
      await sign.getByRole('button', { name: 'Firmar el convenio' }).click();
      await toast(page, 'Convenio CONV-MJSP-2026-0107 firmado.');
      await page.waitForURL('**/fondos/convenios/*');
      agreementId = page.url().split('/').pop() as string;
      await expectText(
        page.locator('section[aria-labelledby="gr-agreement"] h2'),
        'Convenio CONV-MJSP-2026-0107',
      );
    },
  );

  browserIt('finance authorises the disbursement and another person pays it', async () => {
    const ngo = await as('staff', `/fondos/convenios/${agreementId}`);
    await ngo.getByRole('button', { name: 'Solicitar el desembolso del tramo 1' }).click();
    await toast(ngo, /Desembolso solicitado/);
    await screenshot(ngo, 'grants-agreement-requested');

    const f1 = await as('finance1', '/fondos/desembolsos');
    await f1.getByRole('button', { name: /^Autorizar / }).click();
    const decision = f1.getByRole('form', { name: 'Autorización (UFI)' });
    await decision.getByRole('button', { name: 'Registrar la decisión' }).click();
    await toast(f1, 'Desembolso autorizado.');
    await checkAxe(f1);
    await screenshot(f1, 'grants-finance-authorised');

    const f2 = await as('finance2', '/fondos/desembolsos');
    await f2.getByRole('button', { name: /^Pagar / }).click();
    const payment = f2.getByRole('form', { name: 'Pago (Tesorería)' });
    await payment.getByLabel('Referencia de pago').fill('TRF-2026-000123');
    await payment.getByRole('button', { name: 'Registrar el pago' }).click();
    await toast(f2, 'Pago registrado.');
    await expectVisible(f2.getByRole('cell', { name: 'TRF-2026-000123' }));
    await checkAxe(f2);
    await screenshot(f2, 'grants-finance-paid');

    // The NGO reports progress on an indicator.
    await ngo.reload();
    const progress = ngo.getByRole('form', { name: 'Informar el avance de un indicador' });
    await progress.getByLabel('Indicador', { exact: false }).first().selectOption('I1');
    await progress.getByLabel('Período desde').fill('2026-11-01');
    await progress.getByLabel('Período hasta').fill('2026-11-20');
    await progress.getByLabel('Valor alcanzado').fill('85');
    await progress.getByRole('button', { name: 'Informar el avance' }).click();
    await toast(ngo, 'Avance informado.');
    await expectVisible(ngo.getByRole('cell', { name: /: 85$/ }));
  });

  browserIt('a receipt already used is flagged on upload and finance rejects it', async () => {
    const report = await api('POST', `/grants/agreements/${agreementId}/expense-reports`, 'staff', {
      description: 'Gastos de noviembre',
    });
    await api('POST', `/grants/expense-reports/${report.id}/receipts`, 'staff', {
      supplierNit: supplier,
      supplierName: 'Librería El Estudiante S.A. de C.V.',
      documentType: '01',
      documentNumber: duplicateNumber,
      generationCode,
      issuedOn: '2026-11-10',
      amountCents: 1_500_000,
      budgetLineCode: 'L1',
      description: 'Facilitadores de talleres',
      file: { data: pdf('r1'), fileName: 'factura.pdf', mime: 'application/pdf' },
    });
    const ngo = await as('staff', `/fondos/convenios/${agreementId}`);
    const form = ngo.getByRole('form', { name: 'Cargar un comprobante de gasto' });
    await form.getByLabel('NIT del proveedor').fill(supplier);
    await form.getByLabel('Nombre del proveedor').fill('Librería El Estudiante S.A. de C.V.');
    await form.getByLabel('Número de control o del documento').fill(duplicateNumber);
    await form.getByLabel('Código de generación (DTE)').fill(generationCode);
    await form.getByLabel('Fecha de emisión').fill('2026-11-10');
    await form.getByLabel('Monto (US$)').fill('15000.00');
    await form.getByLabel('Línea presupuestaria').selectOption('L1');
    await form.getByLabel('Concepto').fill('Facilitadores de talleres (copia)');
    await form.getByLabel('Archivo del comprobante').setInputFiles({
      name: 'factura-copia.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(`%PDF-1.4\n% copia ${randomUUID()}\n%%EOF\n`),
    });
    await form.getByRole('button', { name: 'Cargar el comprobante' }).click();
    await expectVisible(form.getByText(/Comprobante ya utilizado/));
    await checkAxe(ngo);
    await screenshot(ngo, 'grants-receipt-duplicate');
    await ngo.getByRole('button', { name: /Presentar el informe/ }).click();
    await toast(ngo, /Informe de gastos presentado/);

    const f1 = await as('finance1', `/fondos/convenios/${agreementId}`);
    const flagged = f1.locator('tr', { has: f1.locator('[data-check="duplicate_receipt"]') });
    await expect.poll(() => flagged.count(), { timeout: 20_000 }).toBe(1);
    await f1
      .locator('tr', { hasText: '(copia)' })
      .getByRole('button', { name: `Revisar ${duplicateNumber}` })
      .click();
    const review = f1.getByRole('form', { name: `Revisión del comprobante ${duplicateNumber}` });
    await review.getByLabel('Rechazar').check();
    await review
      .getByLabel(/Motivo u observaciones/)
      .fill('Comprobante duplicado: ya fue presentado en este convenio.');
    await review.getByRole('button', { name: 'Registrar la revisión' }).click();
    await toast(f1, 'Revisión registrada.');
    const after = await api('GET', `/grants/receipts?agreementId=${agreementId}`, 'finance1');
    const copy = after.items.find((r: { description: string }) => r.description.includes('(copia)'));
    const original = after.items.find((r: { description: string }) => !r.description.includes('(copia)'));
    expect(copy.status).toBe('rejected');
    expect(original.status).toBe('pending');
    await api('POST', `/grants/receipts/${original.id}/review`, 'finance1', { decision: 'approve' });
    await f1.reload();
    await expectVisible(f1.getByText('Comprobante duplicado: ya fue presentado en este convenio.'));
    await checkAxe(f1);
    await screenshot(f1, 'grants-receipt-rejected');
  });

  browserIt(
    'liquidation: refund, final report, finance and monitoring approve, the agreement is closed',
    async () => {
      await api('POST', `/grants/agreements/${agreementId}/refunds`, 'staff', {
        amountCents: 500_000,
        reference: 'DEP-FG-2026-0042',
        paidOn: '2026-11-20',
        budgetLineCode: 'L2',
      });
      const ngo = await as('staff', `/fondos/convenios/${agreementId}`);
      const form = ngo.getByRole('form', { name: 'Presentar la liquidación' });
      await form
        .getByLabel(/Informe final técnico y financiero/)
        .fill('Se realizaron los talleres previstos; se reintegró el saldo no ejecutado de materiales.');
      await form.getByRole('button', { name: 'Presentar la liquidación' }).click();
      await toast(ngo, /Liquidación presentada/);
      await screenshot(ngo, 'grants-liquidation-submitted');

      const f1 = await as('finance1', `/fondos/convenios/${agreementId}`);
      await f1.getByRole('link', { name: 'Abrir la aprobación' }).click();
      await expectText(f1.locator('h2:has-text("Su decisión")'), /Aprobación financiera de la liquidación/);
      const decision = f1.locator('form', { has: f1.getByRole('button', { name: 'Registrar la decisión' }) });
      for (const box of await decision.locator('input[type="checkbox"]').all()) await box.check();
      await settled(f1);
      await checkAxe(f1);
      await screenshot(f1, 'grants-liquidation-finance');
      await decision.getByRole('button', { name: 'Registrar la decisión' }).click();
      await toast(f1, 'Decisión registrada.');

      const mon = await as('monitoring2', `/fondos/convenios/${agreementId}`);
      await mon.getByRole('link', { name: 'Abrir la aprobación' }).click();
      await expectText(mon.locator('h2:has-text("Su decisión")'), /Aprobación técnica de la liquidación/);
      const monForm = mon.locator('form', {
        has: mon.getByRole('button', { name: 'Registrar la decisión' }),
      });
      for (const box of await monForm.locator('input[type="checkbox"]').all()) await box.check();
      await monForm.getByRole('button', { name: 'Registrar la decisión' }).click();
      await toast(mon, 'Decisión registrada.');

      await f1.goto(`/fondos/convenios/${agreementId}`);
      await f1.getByRole('button', { name: 'Cerrar el convenio y emitir el acta de cierre' }).click();
      await toast(f1, /Convenio cerrado/);
      await expectVisible(f1.getByRole('button', { name: 'Acta de cierre (PDF)' }));
      await expectText(f1.locator('section[aria-labelledby="gr-agreement"] .gr-chip').first(), 'Cerrado');
      const download = f1.waitForEvent('download');
      await f1.getByRole('button', { name: 'Acta de cierre (PDF)' }).click();
      expect((await download).suggestedFilename()).toMatch(/^acta-cierre-.*\.pdf$/);
      await settled(f1);
      await checkAxe(f1);
      await screenshot(f1, 'grants-agreement-closed');
    },
  );

  browserIt(
    'the internal dashboard shows funds by status and the flagged receipt, and downloads XLSX',
    async () => {
      const page = await as('finance1', '/fondos/tablero');
      await expectVisible(page.getByRole('heading', { name: 'Fondos por estado del plan' }));
      await expectVisible(page.getByRole('cell', { name: 'Cerrado' }));
      await expectText(
        page.locator('.gr-facts div', { hasText: 'Comprobantes ya utilizados' }).locator('dd'),
        '1',
      );
      await settled(page);
      await checkAxe(page);
      await screenshot(page, 'grants-dashboard');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: /^Descargar XLSX.*Fondos por programa$/ }).click();
      expect((await download).suggestedFilename()).toBe('tablero-byProgramme.xlsx');
      await page.getByRole('link', { name: 'Planes' }).click();
      await expectVisible(page.getByRole('heading', { name: 'Planes de trabajo' }));
      const plans = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Descargar XLSX', exact: true }).click();
      expect((await plans).suggestedFilename()).toBe('planes.xlsx');
    },
  );

  browserIt('the public transparency page shows the agreement without signing in', async () => {
    const page = await newPage(browser, web);
    pages.push(page);
    pageErrors.set(page, collectPageErrors(page));
    await page.goto('/transparencia');
    await expectText(page.locator('h1'), 'Transparencia: fondos públicos a ONG');
    await expectVisible(page.getByText('Asociación Jóvenes con Futuro').first());
    await expectVisible(page.getByRole('link', { name: 'Descargar CSV' }));
    await expectVisible(page.getByRole('link', { name: 'Descargar actividades IATI (XML)' }));
    await checkAxe(page);
    await screenshot(page, 'grants-transparency');
  });

  browserIt('no console errors on any page', async () => {
    expect([...pageErrors.values()].flat()).toEqual([]);
  });
});
