import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import { linkStaff, makeApprovedPlan, makeCall, makeOrganisation } from '../grants/execution-fixtures.js';
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
 * Segregation of duties as the screens show it: a person holding both the legal and the financial
 * reviewer roles approves the legal review, then is refused the financial review of the same plan;
 * the finance officer who authorised a disbursement is refused its payment. Each time the server's
 * message is shown and nothing is recorded.
 */
describe('NGO funds segregation of duties in Chromium', { timeout: 300_000 }, () => {
  let web: WebApp;
  let browser: Browser;
  const u: Record<string, User> = {};
  let planId: string;
  let disbursementId: string;
  const pages: Page[] = [];
  const pageErrors: string[][] = [];

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
  const as = async (who: string, path: string): Promise<Page> => {
    const page = await newPage(browser, web);
    pages.push(page);
    pageErrors.push(collectPageErrors(page));
    await loginInBrowser(page, u[who]!, path);
    return page;
  };

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    for (const [key, role] of [
      ['staff', 'ngo_staff'],
      ['dual', 'ngo_legal_reviewer'],
      ['authority', 'ngo_authority'],
      ['monitoring', 'ngo_monitoring_reviewer'],
      ['finance', 'ngo_finance'],
    ] as const) {
      u[key] = { ...(await makeUser(web.deps, role)), token: '' };
    }
    // The same person also holds the financial reviewer's role (nationwide).
    await web.deps.db
      .insertInto('role_assignments')
      .values({
        id: randomUUID(),
        user_id: u.dual!.id,
        role_code: 'ngo_financial_reviewer',
        scope_level: 'national',
        scope_code: null,
        granted_by: null,
        granted_at: new Date(),
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    const org = await makeOrganisation(web.deps, 'Fundación Barrios Unidos');
    await linkStaff(web.deps, org.orgId, u.staff!.id);
    for (const user of Object.values(u)) user.token = await loginAs(web.app, user);
    const callId = await makeCall(web.deps);
    const plan = await api('POST', '/grants/plans', 'staff', {
      callId,
      title: 'Convivencia en los barrios',
      content: completeContent(),
      budgetLines: budgetLines(),
    });
    planId = plan.id;
    await api('POST', `/grants/plans/${planId}/submit`, 'staff', {});
    // A second, already approved plan with a signed agreement and an authorised disbursement.
    const approved = await makeApprovedPlan(web.deps, org.orgId, callId);
    const agreement = await api('POST', `/grants/plans/${approved}/agreement`, 'authority', {
      number: `CONV-MJSP-SOD-${randomUUID().slice(0, 4)}`,
      amountCents: 1_000_000,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      signedOn: '2026-11-01',
      administratorId: u.monitoring!.id,
      tranches: [{ amountCents: 1_000_000 }],
    });
    const requested = await api('POST', `/grants/agreements/${agreement.id}/disbursements`, 'staff', {
      trancheNumber: 1,
    });
    disbursementId = requested.id;
    await api('POST', `/grants/disbursements/${disbursementId}/decision`, 'finance', { outcome: 'approve' });
  });
  afterAll(async () => {
    for (const p of pages) await p.context().close();
    await browser?.close();
    await web?.close();
  });

  browserIt(
    'the legal reviewer who also holds the financial role cannot do the financial review',
    async () => {
      const page = await as('dual', '/fondos/bandeja');
      // Both steps of the case wait in the inbox of this person…
      await expectVisible(page.getByRole('cell', { name: 'Revisión jurídica' }));
      await expectVisible(page.getByRole('cell', { name: 'Revisión financiera (UFI)' }));
      await page.locator('table a').first().click();
      const legal = page.locator('form', {
        has: page.locator('h2', { hasText: 'Su decisión: Revisión jurídica' }),
      });
      const decide = async (form: ReturnType<Page['locator']>, who: string) => {
        for (const box of await form.locator('input[type="checkbox"]').all()) await box.check();
        for (const file of await form.locator('input[type="file"]').all()) {
          await file.setInputFiles({
            name: 'dictamen.pdf',
            mimeType: 'application/pdf',
            buffer: Buffer.from(`%PDF-1.4\n% ${who} ${randomUUID()}\n%%EOF\n`),
          });
        }
        await form.getByRole('button', { name: 'Registrar la decisión' }).click();
      };
      await expectVisible(page.locator('h2', { hasText: 'Su decisión: Revisión jurídica' }));
      const legalSection = page.locator('section', {
        has: page.locator('h2', { hasText: 'Su decisión: Revisión jurídica' }),
      });
      await decide(legalSection.locator('form'), 'legal');
      await expectVisible(page.locator('.toasts').getByText('Decisión registrada.'), 20_000);
      expect(await legal.count()).toBe(0);
      // …but having decided the legal review, the financial one is refused by the server.
      const financial = page.locator('section', {
        has: page.locator('h2', { hasText: 'Su decisión: Revisión financiera (UFI)' }),
      });
      await decide(financial.locator('form'), 'financial');
      await expectText(
        financial.getByRole('alert'),
        'Separación de funciones: usted ya actuó en «Revisión jurídica» de este expediente y no puede resolver «Revisión financiera (UFI)».',
      );
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'grants-sod-review-refused');
      // Nothing was recorded for the financial step.
      const review = await api('GET', `/grants/plans/${planId}/review`, 'authority');
      const steps = Object.fromEntries(
        review.cases[0].steps.map((s: { code: string; status: string }) => [s.code, s.status]),
      );
      expect(steps.legal).not.toBe('open');
      expect(steps.financial).toBe('open');
      expect(review.cases[0].actions.map((a: { step: string }) => a.step)).toEqual(['legal']);
    },
  );

  browserIt('the finance officer who authorised a disbursement cannot also pay it', async () => {
    const page = await as('finance', '/fondos/desembolsos');
    await page.getByRole('button', { name: /^Pagar / }).click();
    const payment = page.getByRole('form', { name: 'Pago (Tesorería)' });
    await payment.getByLabel('Referencia de pago').fill('TRF-2026-000999');
    await payment.getByRole('button', { name: 'Registrar el pago' }).click();
    await expectText(payment.getByRole('alert'), /^Separación de funciones: quien paga no puede ser quien/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'grants-sod-payment-refused');
    const list = await api('GET', '/grants/disbursements', 'finance');
    const d = list.items.find((x: { id: string }) => x.id === disbursementId);
    expect(d.status).toBe('authorised');
    expect(d.paymentReference).toBeNull();
  });

  browserIt('the only console errors are the two refused requests (403)', async () => {
    const all = pageErrors.flat();
    expect(all.filter((e) => !/status of 403/.test(e))).toEqual([]);
    expect(all.filter((e) => /status of 403/.test(e))).toHaveLength(2);
  });
});
