/**
 * README screenshots: `npx tsx server/scripts/screenshots.ts` (from the repository root).
 *
 * Starts the app on 127.0.0.1 with the demo data (demo users, stations and units) on an in-memory
 * PGlite database, adds a week of worked incidents plus a few live ones through the API (a call
 * dispatched to the demo officer's unit, a citizen report), then opens each main surface in headless
 * Chromium (Debian's /usr/bin/chromium through playwright-core) and saves one PNG per surface in
 * docs/screenshots/ (viewport shots at 1×, each kept under 300 KB). Only 127.0.0.1 traffic.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'otplib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type BuiltApp, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { locate } from '../src/modules/geo/index.js';
import { openDatabase } from '../src/platform/db/database.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const OUT = path.join(repoRoot, 'docs', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const MAX_BYTES = 300 * 1024;
/** Demo password and the demo users' TOTP secret (README, "Demo users"). */
const PASSWORD = 'Centinela#2026';
const DEMO_TOTP = 'MNSW45DJNZSWYYJNMRSW23ZNGIYDENRB';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const t0 = Date.now();
const log = (message: string) =>
  process.stderr.write(`[screenshots] ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${message}\n`);

/** Deterministic pseudo-random numbers: the same pictures on every run (apart from the clock). */
let seed = 911;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

function ensureWebBuilt(): void {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [path.join(repoRoot, 'web', 'scripts', 'ensure-build.ts')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

class Api {
  constructor(private readonly baseUrl: string) {}

  async call<T>(method: string, url: string, token: string | null, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api/v1${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json().catch(() => null)) as T;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Password login; the MFA step with the demo TOTP secret when the role asks for it. */
  async login(username: string): Promise<Session> {
    const first = await this.call<Session & { status: string; mfaToken?: string }>(
      'POST',
      '/auth/login',
      null,
      {
        username,
        password: PASSWORD,
      },
    );
    if (first.accessToken) return first;
    if (first.status !== 'mfa_required' || !first.mfaToken)
      throw new Error(`login ${username}: ${first.status}`);
    return this.call<Session>('POST', '/auth/mfa/verify', first.mfaToken, {
      code: await generate({ secret: DEMO_TOTP }),
    });
  }
}

const PLACES = [
  { lon: -89.1907, lat: 13.6989, text: 'Mercado Central, San Salvador' },
  { lon: -89.2182, lat: 13.6929, text: 'Colonia Escalón, San Salvador' },
  { lon: -89.2405, lat: 13.6775, text: 'Antiguo Cuscatlán' },
  { lon: -89.1386, lat: 13.7093, text: 'Soyapango, centro' },
  { lon: -89.5597, lat: 13.9946, text: 'Parque Libertad, Santa Ana' },
  { lon: -88.1773, lat: 13.4833, text: 'Catedral, San Miguel' },
  { lon: -89.289, lat: 13.6769, text: 'Santa Tecla, centro' },
  { lon: -89.7242, lat: 13.7189, text: 'Sonsonate, terminal' },
  { lon: -88.435, lat: 13.3444, text: 'Usulután, parque central' },
  { lon: -88.8678, lat: 13.5083, text: 'Zacatecoluca' },
];
const TYPES = [
  { code: 'VIDA.LESIONES', family: 'VIDA' },
  { code: 'PATRIMONIO.ROBO', family: 'PATRIMONIO' },
  { code: 'PATRIMONIO.HURTO', family: 'PATRIMONIO' },
  { code: 'VIF.INTRAFAMILIAR', family: 'VIF' },
  { code: 'EXTORSION.DENUNCIA', family: 'EXTORSION' },
  { code: 'PATRIMONIO.DANOS', family: 'PATRIMONIO' },
];

/** A week of closed incidents with realistic NENA times, written directly (as the KPI tests do). */
async function seedHistory(built: BuiltApp): Promise<void> {
  const db = built.deps.db;
  const now = Date.now();
  const units = await db.selectFrom('units').select(['id', 'department_code']).execute();
  for (let n = 0; n < 120; n++) {
    const place = PLACES[n % PLACES.length]!;
    const lon = place.lon + (random() - 0.5) * 0.04;
    const lat = place.lat + (random() - 0.5) * 0.04;
    const where = locate(lon, lat);
    if (!where.department) continue;
    const type = TYPES[n % TYPES.length]!;
    const created = new Date(now - 6.5 * DAY * random() - HOUR);
    const s = (seconds: number) => new Date(created.getTime() + seconds * 1000);
    const answer = 2 + Math.floor(random() ** 2 * 24);
    const dispatch = 45 + Math.floor(random() * 400);
    const enRoute = dispatch + 20 + Math.floor(random() * 90);
    const onScene = enRoute + 240 + Math.floor(random() * 1200);
    const closed = onScene + 1200 + Math.floor(random() * 4000);
    const id = randomUUID();
    const citizen = n % 5 === 0;
    await db
      .insertInto('incidents')
      .values({
        id,
        folio: `DEMO-${String(n + 1).padStart(5, '0')}`,
        channel: citizen ? 'citizen' : 'call',
        type_code: type.code,
        family: type.family,
        priority: 1 + (n % 4),
        suggested_priority: 1 + (n % 4),
        status: 'closed',
        summary: `Incidente atendido (${place.text})`,
        answers: '{}',
        lon,
        lat,
        location_text: place.text,
        location_flag: null,
        department_code: where.department.code,
        municipality_pcode: where.municipality?.pcode ?? null,
        district_name: null,
        call_received_at: citizen ? null : s(-answer - 40),
        call_answered_at: citizen ? null : s(-40),
        created_at: created,
        first_assigned_at: s(dispatch),
        first_en_route_at: s(enRoute),
        first_on_scene_at: s(onScene),
        cleared_at: s(closed - 300),
        closed_at: s(closed),
        cancelled_at: null,
        closure_code: 'ATENDIDO',
        closure_summary: 'Atendido.',
        duplicate_of: null,
        external_source: null,
        external_ref: null,
        tracking_code: citizen ? `CEN-DEMO-${String(n).padStart(4, '0')}` : null,
        tracking_secret_hash: null,
        created_by_type: 'system',
        created_by: null,
        updated_at: s(closed),
        version: 1,
      })
      .execute();
    const unit =
      units.filter((u) => u.department_code === where.department!.code)[n % 3] ?? units[n % units.length]!;
    await db
      .insertInto('incident_assignments')
      .values({
        id: randomUUID(),
        incident_id: id,
        unit_id: unit.id,
        assigned_at: s(dispatch),
        assigned_by: null,
        reason: null,
        acknowledged_at: s(dispatch + 10),
        en_route_at: s(enRoute),
        on_scene_at: s(onScene),
        cleared_at: s(closed - 300),
        released_at: null,
        release_reason: null,
        released_by: null,
      })
      .execute();
    if (citizen && n % 10 === 0) {
      await db
        .insertInto('citizen_surveys')
        .values({ incident_id: id, rating: 3 + (n % 3), comment: null, submitted_at: s(closed + 3600) })
        .execute();
    }
  }
}

/** Console errors and uncaught exceptions of every page, printed at the end. */
const pageErrors: string[] = [];

async function signedInPage(
  browser: Browser,
  baseUrl: string,
  session: Session | null,
  options: {
    mobile?: boolean;
    width?: number;
    height?: number;
    geolocation?: { latitude: number; longitude: number };
  } = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'es-SV',
    timezoneId: 'America/El_Salvador',
    viewport: options.mobile
      ? { width: 390, height: 844 }
      : { width: options.width ?? 1366, height: options.height ?? 860 },
    ...(options.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}),
    ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`${page.url()}: ${message.text()}`);
  });
  if (session) {
    await page.goto('/login');
    const stored = {
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      expiresAt: Date.now() + session.expiresIn * 1000,
      mustChangePassword: false,
    };
    await page.evaluate(
      `sessionStorage.setItem('centinela.session', ${JSON.stringify(JSON.stringify(stored))})`,
    );
  }
  return { page, context };
}

async function shoot(page: Page, name: string): Promise<void> {
  // Let fonts, map tiles and transitions settle: wait for two animation frames after network idle.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  const size = statSync(file).size;
  log(`${name}.png ${(size / 1024).toFixed(0)} KB`);
  if (size > MAX_BYTES) throw new Error(`${name}.png is ${(size / 1024).toFixed(0)} KB (limit 300 KB)`);
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    log(`skipped: Debian's chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
    return;
  }
  log('building the web app if stale');
  ensureWebBuilt();
  mkdirSync(OUT, { recursive: true });
  const config = {
    ...loadConfig({
      NODE_ENV: 'development',
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'centinela-shots-')),
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
    }),
    seedDemo: true,
    avlOsmandPort: -1,
  };
  const database = await openDatabase({});
  let built: BuiltApp | undefined;
  let browser: Browser | undefined;
  try {
    built = await buildApp({ config, database, seedDemo: true });
    await built.app.listen({ host: '127.0.0.1', port: 0 });
    await built.startBackground();
    const { port } = built.app.server.address() as { port: number };
    const baseUrl = `http://127.0.0.1:${port}`;
    const api = new Api(baseUrl);
    log('demo data: a week of worked incidents, live calls, a citizen report');
    await seedHistory(built);
    const operador = await api.login('operador');
    const despachador = await api.login('despachador');
    const supervisor = await api.login('supervisor');
    const agente = await api.login('agente');

    const live: { id: string; folio: string }[] = [];
    const calls = [
      {
        typeCode: 'VIDA.LESIONES',
        narrative: 'Persona herida tras una riña frente al mercado.',
        place: PLACES[0]!,
      },
      {
        typeCode: 'PATRIMONIO.ROBO',
        narrative: 'Robo de celular a mano armada en la parada.',
        place: PLACES[1]!,
      },
      {
        typeCode: 'VIF.INTRAFAMILIAR',
        narrative: 'Vecina reporta gritos y golpes en la vivienda.',
        place: PLACES[3]!,
      },
      { typeCode: 'PATRIMONIO.HURTO', narrative: 'Hurto de motocicleta estacionada.', place: PLACES[4]! },
      {
        typeCode: 'EXTORSION.DENUNCIA',
        narrative: 'Comerciante recibe llamadas de extorsión.',
        place: PLACES[5]!,
      },
      {
        typeCode: 'PATRIMONIO.DANOS',
        narrative: 'Daños a un vehículo en el estacionamiento.',
        place: PLACES[6]!,
      },
    ];
    for (const c of calls) {
      const created = await api.call<{ id: string; folio: string }>(
        'POST',
        '/incidents',
        operador.accessToken,
        {
          typeCode: c.typeCode,
          narrative: c.narrative,
          location: { lon: c.place.lon, lat: c.place.lat, text: c.place.text },
          caller: { phone: '7777-1234', name: 'Ana López' },
        },
      );
      live.push(created);
    }
    const units = await api.call<{ items: { id: string; callSign: string }[] }>(
      'GET',
      '/units?department=SV-SS',
      despachador.accessToken,
    );
    const officerUnit = units.items.find((u) => u.callSign === 'PNC-SS-01')!;
    const first = live[0]!;
    await api.call('POST', `/incidents/${first.id}/assignments`, despachador.accessToken, {
      unitId: officerUnit.id,
    });
    const second = units.items.find((u) => u.callSign === 'PNC-SS-02')!;
    const robbery = await api.call<{ id: string }>(
      'POST',
      `/incidents/${live[1]!.id}/assignments`,
      despachador.accessToken,
      {
        unitId: second.id,
      },
    );
    await api.call('POST', `/assignments/${robbery.id}/status`, despachador.accessToken, {
      action: 'en_route',
    });
    await api.call('POST', `/incidents/${first.id}/notes`, despachador.accessToken, {
      text: 'Ambulancia de Cruz Roja notificada.',
    });
    await api.call('POST', '/public/reports', null, {
      typeCode: 'PATRIMONIO.ROBO',
      anonymous: true,
      description: 'Me robaron el celular en la parada de buses.',
      location: { lon: -89.2, lat: 13.701, text: 'Parada de buses, Alameda Juan Pablo II' },
    });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--enable-unsafe-swiftshader'],
    });

    // Login.
    {
      const { page, context } = await signedInPage(browser, baseUrl, null);
      await page.goto('/login');
      await page.locator('input[name="username"]').waitFor();
      await shoot(page, 'login');
      await context.close();
    }
    // Call-taker: a call being taken.
    {
      const { page, context } = await signedInPage(browser, baseUrl, operador);
      await page.goto('/llamadas');
      await page.getByRole('button', { name: 'Atender llamada (F2)' }).click();
      await page.getByLabel('Teléfono (opcional)').fill('7123-4567');
      const placeBox = page.getByRole('combobox', { name: 'Buscar lugar' });
      await placeBox.fill('San Salvador');
      await page.getByRole('listbox', { name: 'Buscar lugar' }).getByRole('option').first().waitFor();
      await placeBox.press('Enter');
      await page.getByLabel('Dirección o punto de referencia').fill('Frente al Mercado Central');
      const type = page.getByRole('combobox', { name: /Tipo de incidente/ });
      await type.fill('lesiones');
      await page.getByRole('listbox', { name: 'Tipo de incidente' }).getByRole('option').first().waitFor();
      await type.press('Enter');
      await page
        .getByLabel(/Relato de la llamada/)
        .fill('Dos personas heridas tras una riña; el agresor sigue en el lugar.');
      await page.locator('section.map[data-map-status="ready"]').waitFor({ timeout: 60_000 });
      const canvas = page.locator('.maplibregl-canvas');
      await canvas.focus();
      await canvas.press('Enter');
      await page.getByText(/^Punto marcado en .+/).waitFor();
      // A first call about the same fight arrived from another console at that point: the duplicate
      // warning lists it live.
      const chosen = /(-?\d+\.\d+),\s*(-?\d+\.\d+)/.exec(
        (await page.getByText(/^Ubicación elegida:/).textContent()) ?? '',
      );
      if (!chosen) throw new Error('the call-taker map shows no chosen position');
      await api.call('POST', '/incidents', operador.accessToken, {
        typeCode: 'VIDA.LESIONES',
        narrative: 'Riña con dos personas heridas; llamó un vecino.',
        location: { lat: Number(chosen[1]), lon: Number(chosen[2]), text: 'Frente al Mercado Central' },
      });
      await page.getByText('Posibles duplicados cerca').waitFor({ timeout: 30_000 });
      await page.evaluate('window.scrollTo(0, 0)');
      await shoot(page, 'call-taker');
      await context.close();
    }
    // Dispatch board with the first pending incident selected.
    {
      const { page, context } = await signedInPage(browser, baseUrl, despachador);
      await page.goto('/despacho');
      const queue = page.getByRole('listbox', { name: /Incidentes abiertos/ });
      await queue.getByRole('option').filter({ hasText: live[2]!.folio }).click();
      await page.getByTestId('recommendation').first().waitFor({ timeout: 30_000 });
      await page.locator('section.map[data-map-status="ready"]').first().waitFor({ timeout: 60_000 });
      await shoot(page, 'dispatch');
      await context.close();
    }
    // Command centre wall.
    {
      const { page, context } = await signedInPage(browser, baseUrl, supervisor, {
        width: 1600,
        height: 900,
      });
      await page.goto('/centro-de-mando');
      await page.locator('.cc-map[data-map-status="ready"]').waitFor({ timeout: 60_000 });
      await page.locator('.cc-map .map__canvas[data-incident-points]').waitFor({ timeout: 30_000 });
      await page.getByTestId('tile-volume').locator('.cc-tile__value').waitFor();
      await shoot(page, 'command-center');
      await context.close();
    }
    // Incident detail of the dispatched call.
    {
      const { page, context } = await signedInPage(browser, baseUrl, despachador);
      await page.goto(`/incidentes/${first.id}`);
      await page
        .getByRole('heading', { level: 1 })
        .filter({ hasText: first.folio })
        .waitFor({ timeout: 30_000 });
      await shoot(page, 'incident-detail');
      await context.close();
    }
    // Field app on a phone: the assignment of the demo officer's unit.
    {
      const { page, context } = await signedInPage(browser, baseUrl, agente, {
        mobile: true,
        geolocation: { latitude: 13.6989, longitude: -89.1907 },
      });
      await page.goto('/campo/');
      await page.getByRole('heading', { name: `Incidente ${first.folio}` }).waitFor({ timeout: 30_000 });
      await shoot(page, 'field-app');
      await context.close();
    }
    // Citizen portal on a phone.
    {
      const { page, context } = await signedInPage(browser, baseUrl, null, { mobile: true });
      await page.goto('/reportar');
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page
        .locator('section.map[data-map-status="ready"]')
        .waitFor({ timeout: 60_000 })
        .catch(() => undefined);
      await shoot(page, 'citizen-portal');
      await context.close();
    }
    // Supervisor analytics over the last 7 days.
    {
      const { page, context } = await signedInPage(browser, baseUrl, supervisor);
      await page.goto('/indicadores');
      await page
        .getByRole('region', { name: 'Tiempos de respuesta por departamento (p50 / p90)' })
        .getByRole('row')
        .filter({ hasText: 'San Salvador' })
        .waitFor({ timeout: 30_000 });
      await shoot(page, 'analytics');
      await context.close();
    }
    // Administration: users and their scoped roles.
    {
      const { page, context } = await signedInPage(browser, baseUrl, await api.login('admin'));
      await page.goto('/administracion/usuarios');
      await page.getByRole('cell', { name: 'despachador', exact: true }).click({ timeout: 30_000 });
      await page.locator('#adm-user-panel-h').waitFor({ timeout: 30_000 });
      await shoot(page, 'admin');
      await context.close();
    }
    log(`saved in ${path.relative(repoRoot, OUT)}/`);
    for (const error of pageErrors) log(`page error: ${error}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await built?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
