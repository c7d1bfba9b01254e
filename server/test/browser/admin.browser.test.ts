import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, type TestUser } from '../factories.js';
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

describe('administration surface in Chromium', { timeout: 180_000 }, () => {
  let web: WebApp;
  let browser: Browser;
  let admin: TestUser;
  let page: Page;
  let errors: string[];
  const pages: Page[] = [];

  const open = async () => {
    const p = await newPage(browser, web);
    pages.push(p);
    return p;
  };
  const dialog = () => page.locator('dialog[open]');
  const toast = (text: string | RegExp) => expectVisible(page.locator('.toasts').getByText(text));
  const section = async (link: string, heading: string, shot: string) => {
    await page
      .getByRole('navigation', { name: 'Secciones de administración' })
      .getByRole('link', { name: link })
      .click();
    await expectText(page.locator('.adm-section h2').first(), heading, 20_000);
    await page.locator('.adm .state[role="status"]').first().waitFor({ state: 'detached', timeout: 20_000 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, shot);
  };

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    admin = await makeUser(web.deps, 'administrator');
    page = await open();
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    for (const p of pages) await p.context().close();
    await browser?.close();
    await web?.close();
  });

  browserIt('an administrator signs in with MFA and lands on the users section', async () => {
    await loginInBrowser(page, admin, '/administracion');
    await page.waitForURL('**/administracion/usuarios');
    await expectText(page.locator('h1'), 'Administración');
    await expectVisible(page.getByRole('link', { name: 'Administración' }));
    await expectVisible(page.getByRole('cell', { name: admin.username }));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users');
  });

  browserIt('creates a user with a DUI and a department-scoped role', async () => {
    await page.getByRole('button', { name: 'Nuevo usuario' }).click();
    const form = dialog();
    await form.getByLabel('Usuario', { exact: false }).first().fill('marta.rivas');
    await form.getByLabel('Nombre completo').fill('Marta Rivas');
    await form.getByLabel('Correo electrónico').fill('marta.rivas@seguridad.gob.sv');
    await form.getByLabel('Contraseña inicial').fill('Inicial#Clave2026');
    // A wrong check digit is caught before the server.
    await form.getByLabel('DUI').fill('04567891-2');
    await form.getByLabel('Rol inicial').selectOption('dispatcher');
    await form.getByLabel('Nivel del ámbito').selectOption('department');
    await form.getByLabel('Departamento').selectOption('SV-SS');
    await dialog().getByRole('button', { name: 'Crear usuario' }).click();
    await expectVisible(form.getByText('El dígito verificador del DUI no corresponde; revise el número.'));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users-create');

    await form.getByLabel('DUI').fill('04567891-1');
    await dialog().getByRole('button', { name: 'Crear usuario' }).click();
    await toast('Usuario marta.rivas creado.');
    await expectText(page.locator('#adm-user-panel-h'), 'Marta Rivas', 20_000);
    await expectVisible(page.locator('.adm-list').getByText('Despachador — San Salvador'));

    const user = await web.deps.db
      .selectFrom('users')
      .select(['id', 'dui', 'must_change_password'])
      .where('username', '=', 'marta.rivas')
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ dui: '04567891-1', must_change_password: true });
    const roles = await web.deps.db
      .selectFrom('role_assignments')
      .select(['role_code', 'scope_level', 'scope_code'])
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(roles).toEqual([{ role_code: 'dispatcher', scope_level: 'department', scope_code: 'SV-SS' }]);

    // Moving the role to another department asks for a reason and happens in one step.
    await page.getByRole('button', { name: 'Cambiar ámbito: Despachador — San Salvador' }).click();
    await dialog().getByLabel('Nivel del ámbito').selectOption('department');
    await dialog().getByLabel('Departamento').selectOption('SV-LI');
    await dialog().getByLabel('Motivo').fill('Traslado a la delegación de La Libertad');
    await dialog().getByRole('button', { name: 'Cambiar ámbito' }).click();
    await toast('Ámbito del rol cambiado.');
    await expectVisible(page.locator('.adm-list').getByText('Despachador — La Libertad'), 20_000);
    const moved = await web.deps.db
      .selectFrom('audit_log')
      .select('reason')
      .where('action', '=', 'identity.role.scope_changed')
      .where('entity_id', '=', user.id)
      .execute();
    expect(moved).toEqual([{ reason: 'Traslado a la delegación de La Libertad' }]);

    // The same username again: the server's message is shown in the dialog.
    await page.getByRole('button', { name: 'Nuevo usuario' }).click();
    await dialog().getByLabel('Usuario', { exact: false }).first().fill('marta.rivas');
    await dialog().getByLabel('Nombre completo').fill('Otra Marta');
    await dialog().getByLabel('Contraseña inicial').fill('Inicial#Clave2026');
    await dialog().getByRole('button', { name: 'Crear usuario' }).click();
    await expectVisible(
      dialog()
        .getByRole('alert')
        .getByText(/ya existe|en uso|nombre de usuario/i),
    );
    await dialog().getByRole('button', { name: 'Cancelar' }).click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users-detail');
  });

  browserIt('issues an API key whose secret is shown once', async () => {
    await section('Claves de API', 'Claves de API', 'admin-keys');
    await page.getByRole('button', { name: 'Nueva clave' }).click();
    await dialog().getByLabel('Nombre').fill('Integración de prueba');
    await dialog().getByRole('checkbox', { name: 'identity.users.read' }).check();
    await dialog().getByRole('button', { name: 'Emitir clave' }).click();
    await expectText(dialog().locator('h2'), 'Clave emitida', 20_000);
    const secretField = dialog().locator('[data-testid="api-key-secret"]');
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^cnt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    await expectVisible(dialog().getByText(/no se volverá a mostrar/));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-keys-secret');

    // The key works, and once the dialog is closed the page no longer holds it (only its prefix).
    const res = await fetch(`${web.baseUrl}/api/v1/users?limit=1`, { headers: { 'x-api-key': secret } });
    expect(res.status).toBe(200);
    await dialog().getByRole('button', { name: 'Ya la guardé' }).click();
    await expectVisible(page.getByRole('cell', { name: 'Integración de prueba' }));
    expect(await page.content()).not.toContain(secret);
    await expectVisible(page.getByRole('cell', { name: `cnt_${secret.slice(4, 16)}_…` }));
  });

  browserIt('edits a response-time target with a reason, audited', async () => {
    await section('Tiempos objetivo', 'Tiempos objetivo de respuesta', 'admin-targets');
    const cell = page.locator('#target-1-dispatchSeconds');
    await expect.poll(() => cell.inputValue()).toBe('120');
    await cell.fill('150');
    await page.getByRole('button', { name: 'Guardar cambios (1)' }).click();
    // The reason is required by the form before anything is sent.
    expect(await page.getByLabel('Motivo').evaluate((el) => (el as HTMLTextAreaElement).validity.valid)).toBe(
      false,
    );
    await page.getByLabel('Motivo').fill('Nueva meta de despacho acordada con la dirección');
    await page.getByRole('button', { name: 'Guardar cambios (1)' }).click();
    await toast('Tiempos objetivo guardados.');
    await expectText(page.getByRole('button', { name: /Sin cambios/ }), 'Sin cambios');

    const target = await web.deps.db
      .selectFrom('response_targets')
      .select(['dispatch_seconds', 'updated_by'])
      .where('priority', '=', 1)
      .executeTakeFirstOrThrow();
    expect(target).toEqual({ dispatch_seconds: 150, updated_by: admin.id });
    const audit = await web.deps.db
      .selectFrom('audit_log')
      .select(['reason', 'actor_id'])
      .where('action', '=', 'dispatch.response_target_changed')
      .where('entity_id', '=', '1')
      .execute();
    expect(audit).toEqual([
      { reason: 'Nueva meta de despacho acordada con la dirección', actor_id: admin.id },
    ]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-targets-saved');
  });

  browserIt('every other section is accessible, with its data', async () => {
    await section('Unidades', 'Unidades', 'admin-units');
    await expectVisible(page.getByRole('heading', { name: 'Dispositivos de alerta' }));
    await section('Tipos de incidente', 'Tipos de incidente', 'admin-types');
    await page.getByRole('cell', { name: 'VIDA.HOMICIDIO' }).click();
    await expectVisible(page.locator('#adm-type-h').getByText('VIDA.HOMICIDIO'));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-types-edit');
    await section('Cámaras y reglas de video', 'Cámaras', 'admin-video');
    // The only failed request was the deliberate duplicate username (409) above.
    expect(errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });

  browserIt('a dispatcher has no administration surface', async () => {
    const dispatcher = await makeUser(web.deps, 'dispatcher');
    const other = await open();
    await loginInBrowser(other, dispatcher);
    expect(await other.getByRole('link', { name: 'Administración' }).count()).toBe(0);
    await other.goto('/administracion/usuarios');
    await expectText(other.locator('h1'), 'No tiene permiso para ver esta página.', 20_000);
    expect(await other.locator('.adm').count()).toBe(0);
    expect(await seriousAxeViolations(other)).toEqual([]);
    await screenshot(other, 'admin-denied-dispatcher');
  });

  browserIt('a supervisor sees the catalogue read-only and cannot create users', async () => {
    const supervisor = await makeUser(web.deps, 'supervisor');
    const other = await open();
    await loginInBrowser(other, supervisor, '/administracion/tipos');
    await expectText(other.locator('.adm-section h2').first(), 'Tipos de incidente', 20_000);
    await expectVisible(
      other.getByText('Solo lectura: su rol permite ver esta sección pero no modificarla.'),
    );
    expect(await other.getByRole('button', { name: 'Nuevo tipo' }).count()).toBe(0);
    const tabs = other.getByRole('navigation', { name: 'Secciones de administración' });
    expect(await tabs.getByRole('link', { name: 'Claves de API' }).count()).toBe(0);
    await tabs.getByRole('link', { name: 'Usuarios y roles' }).click();
    await expectVisible(other.getByRole('cell', { name: 'marta.rivas' }), 20_000);
    expect(await other.getByRole('button', { name: 'Nuevo usuario' }).count()).toBe(0);
    expect(await seriousAxeViolations(other)).toEqual([]);
    await screenshot(other, 'admin-supervisor-readonly');
  });
});
