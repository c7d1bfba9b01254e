import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../factories.js';
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
  submitTotp,
  type WebApp,
} from './harness.js';

const browserIt = it.skipIf(!hasChromium);

describe('login and shell in Chromium', { timeout: 90_000 }, () => {
  let web: WebApp;
  let browser: Browser;
  const pages: Page[] = [];

  const open = async (options: Parameters<typeof newPage>[2] = {}) => {
    const page = await newPage(browser, web, options);
    pages.push(page);
    return page;
  };

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const page of pages) await page.context().close();
    await browser?.close();
    await web?.close();
  });

  browserIt('signs in a call-taker (no MFA) onto the shell, accessible, without console errors', async () => {
    const user = await makeUser(web.deps, 'call_taker');
    const page = await open();
    const errors = collectPageErrors(page);
    await page.goto('/');
    // Not signed in: the guard sends the visitor to the login screen, in Spanish by default.
    await page.waitForURL('**/login');
    await expectText(page.locator('h1'), 'Iniciar sesión');
    expect(await page.getAttribute('html', 'lang')).toBe('es-SV');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'login');

    await loginInBrowser(page, user);
    await expectText(page.locator('[data-testid="current-user"]'), `Prueba call_taker`);
    await expectText(page.locator('h1'), 'Bienvenido(a), Prueba call_taker');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'shell-home');
    expect(errors).toEqual([]);

    // The session survives a reload (sessionStorage), and logout returns to the login screen.
    await page.reload();
    await page.locator('[data-testid="current-user"]').waitFor();
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.waitForURL('**/login');
    await expectVisible(page.getByText('Cerró la sesión correctamente.'));
    await page.goto('/');
    await page.waitForURL('**/login');
  });

  browserIt('shows the server message in Spanish on a wrong password', async () => {
    const user = await makeUser(web.deps, 'dispatcher');
    const page = await open();
    await page.goto('/login');
    await page.locator('input[name="username"]').fill(user.username);
    await page.locator('input[name="password"]').fill('contraseña-equivocada');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await expectText(page.getByRole('alert'), 'Usuario o contraseña incorrectos.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'login-wrong-password');
  });

  browserIt('signs in a supervisor with a TOTP code', async () => {
    const user = await makeUser(web.deps, 'supervisor');
    const page = await open();
    await page.goto('/login');
    await page.locator('input[name="username"]').fill(user.username);
    await page.locator('input[name="password"]').fill(user.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await expectText(page.locator('h1'), 'Verificación en dos pasos');
    // A malformed code is refused in the form, before the server.
    await page.locator('input[name="code"]').fill('12');
    await page.getByRole('button', { name: 'Verificar' }).click();
    await expectVisible(page.getByText('El código debe tener exactamente 6 dígitos.'));
    // A wrong code gets the server's message.
    await page.locator('input[name="code"]').fill('000000');
    await page.getByRole('button', { name: 'Verificar' }).click();
    await expectText(page.getByRole('alert'), /código de verificación/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'login-mfa');
    await submitTotp(page, user);
    await expectText(page.locator('[data-testid="current-user"]'), 'Prueba supervisor');
  });

  browserIt('enrols MFA on first login: QR code and secret, then a code from that secret', async () => {
    const user = await makeUser(web.deps, 'administrator', { mfa: false });
    const page = await open();
    await page.goto('/login');
    await page.locator('input[name="username"]').fill(user.username);
    await page.locator('input[name="password"]').fill(user.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await expectText(page.locator('h1'), 'Configure la verificación en dos pasos');
    const qr = page.locator('img.mfa-qr');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // The image really loaded (CSP img-src allows data:) and is a square QR code.
    const size = await qr.evaluate((element) => {
      const img = element as unknown as { naturalWidth: number; naturalHeight: number };
      return [img.naturalWidth, img.naturalHeight];
    });
    expect(size[0]).toBeGreaterThan(100);
    expect(size[0]).toBe(size[1]);
    const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'login-mfa-enrolment');
    await submitTotp(page, user, secret);
    await expectText(page.locator('[data-testid="current-user"]'), 'Prueba administrator');
  });

  browserIt('switches to English, keeps the choice, and gets server messages in English', async () => {
    const user = await makeUser(web.deps, 'analyst');
    const page = await open();
    await page.goto('/login');
    await page.getByLabel('Idioma').selectOption('en');
    await expectText(page.locator('h1'), 'Sign in');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await expectText(page.locator('h1'), 'Sign in');
    await page.locator('input[name="username"]').fill(user.username);
    await page.locator('input[name="password"]').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'Wrong username or password.');
    await loginInBrowser(page, user);
    await expectVisible(page.getByRole('button', { name: 'Sign out' }));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'shell-home-en');
  });

  browserIt('makes a user with a provisional password change it before anything else', async () => {
    const user = await makeUser(web.deps, 'dispatcher');
    await web.deps.db
      .updateTable('users')
      .set({ must_change_password: true })
      .where('id', '=', user.id)
      .execute();
    const page = await open();
    await loginInBrowser(page, user, '/cambiar-contrasena', { waitForShell: false });
    await page.waitForURL('**/cambiar-contrasena');
    await expectText(page.locator('h1'), 'Cambiar contraseña');
    await page.getByLabel('Contraseña actual').fill(user.password);
    await page.getByLabel('Contraseña nueva', { exact: false }).first().fill('corta');
    await page.getByLabel('Repita la contraseña nueva').fill('corta');
    await page.getByRole('button', { name: 'Cambiar contraseña' }).click();
    // The server's policy message, on the field.
    await expectText(page.locator('.field__error'), 'Debe tener al menos 12 caracteres.');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'login-change-password');
    const strong = 'Volcán de Izalco 1770!';
    await page.getByLabel('Contraseña nueva', { exact: false }).first().fill(strong);
    await page.getByLabel('Repita la contraseña nueva').fill(strong);
    await page.getByRole('button', { name: 'Cambiar contraseña' }).click();
    await page.locator('[data-testid="current-user"]').waitFor();
    await expectText(page.locator('h1'), 'Bienvenido(a), Prueba dispatcher');
  });

  browserIt('sends the user back to login with a message when the session cannot be renewed', async () => {
    const page = await open();
    await page.goto('/login');
    // A stored session whose tokens the server no longer accepts (e.g. revoked, or expired refresh).
    const stale = {
      accessToken: 'caducado',
      refreshToken: 'renovacion-que-ya-no-vale',
      expiresAt: Date.now() + 600_000,
      mustChangePassword: false,
    };
    await page.evaluate(
      `sessionStorage.setItem('centinela.session', ${JSON.stringify(JSON.stringify(stale))})`,
    );
    await page.goto('/');
    await page.waitForURL('**/login');
    await expectVisible(page.getByText('Su sesión expiró. Inicie sesión de nuevo.'));
    expect(await page.evaluate(`sessionStorage.getItem('centinela.session')`)).toBeNull();
  });
});
