/**
 * Supervisor analytics (/indicadores) in Chromium over seeded data with exact times: a supervisor
 * signs in with MFA, reads response-time percentiles by department, volumes by type, unit
 * utilisation and satisfaction, changes the period, and downloads CSV and XLSX files whose content is
 * checked. Percentiles are percentile_cont: p50 of [60, 120] s is 90 s, p90 is 60 + 0.9 × 60 = 114 s.
 *
 * Times are relative to the real clock (the page computes "last 7 / 30 days" in the browser): the
 * recent incidents are two days old, one more is twenty days old (in 30 days, not in 7).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, type TestUser } from '../factories.js';
import {
  collectPageErrors,
  expectText,
  expectVisible,
  hasChromium,
  launchBrowser,
  newPage,
  screenshot,
  seriousAxeViolations,
  startWebApp,
  submitTotp,
  type WebApp,
} from './harness.js';

const browserIt = it.skipIf(!hasChromium);

const HOUR = 3600;
const DAY = 24 * HOUR;
const SS = { department: 'SV-SS', municipality: 'SV10001' };
const LI = { department: 'SV-LI', municipality: 'SV05001' };

describe('supervisor analytics in Chromium', () => {
  let web: WebApp;
  let browser: Browser;
  let supervisor: TestUser;
  let page: Page;
  let errors: string[];
  let folio = 0;

  interface Seed {
    created: Date;
    /** Seconds after creation (answer: seconds the call rang before it was answered). */
    answer?: number;
    assigned?: number;
    enRoute?: number;
    onScene?: number;
    closed?: number;
    type: string;
    territory: { department: string; municipality: string };
    channel?: 'call' | 'citizen';
    rating?: number;
  }

  const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

  async function seedIncident(s: Seed): Promise<string> {
    const id = randomUUID();
    folio += 1;
    const c = s.created;
    const tracking = s.channel === 'citizen';
    await web.deps.db
      .insertInto('incidents')
      .values({
        id,
        folio: `ANL-${String(folio).padStart(5, '0')}`,
        channel: s.channel ?? 'call',
        type_code: s.type,
        family: s.type.split('.')[0]!,
        priority: 2,
        suggested_priority: 2,
        status: s.closed !== undefined ? 'closed' : 'on_scene',
        summary: `Incidente de indicadores ${folio}`,
        answers: '{}',
        lon: null,
        lat: null,
        location_text: 'Referencia de prueba',
        location_flag: 'approximate',
        department_code: s.territory.department,
        municipality_pcode: s.territory.municipality,
        district_name: null,
        call_received_at: s.answer !== undefined ? at(c, -s.answer - 20) : null,
        call_answered_at: s.answer !== undefined ? at(c, -20) : null,
        created_at: c,
        first_assigned_at: s.assigned !== undefined ? at(c, s.assigned) : null,
        first_en_route_at: s.enRoute !== undefined ? at(c, s.enRoute) : null,
        first_on_scene_at: s.onScene !== undefined ? at(c, s.onScene) : null,
        cleared_at: null,
        closed_at: s.closed !== undefined ? at(c, s.closed) : null,
        cancelled_at: null,
        closure_code: s.closed !== undefined ? 'ATENDIDO' : null,
        closure_summary: s.closed !== undefined ? 'Atendido.' : null,
        duplicate_of: null,
        external_source: null,
        external_ref: null,
        tracking_code: tracking ? `ANL${folio}${randomUUID().slice(0, 6)}` : null,
        tracking_secret_hash: null,
        created_by_type: 'system',
        created_by: null,
        updated_at: c,
        version: 1,
      })
      .execute();
    if (s.rating !== undefined) {
      await web.deps.db
        .insertInto('citizen_surveys')
        .values({
          incident_id: id,
          rating: s.rating,
          comment: null,
          submitted_at: at(c, (s.closed ?? 0) + 600),
        })
        .execute();
    }
    return id;
  }

  async function seedUnit(callSign: string, department: string, since: Date): Promise<string> {
    const id = randomUUID();
    // The unit_status_log trigger records the first status at status_changed_at.
    await web.deps.db
      .insertInto('units')
      .values({
        id,
        call_sign: callSign,
        kind: 'patrol_car',
        capabilities: '[]',
        station_id: null,
        department_code: department,
        municipality_pcode: null,
        status: 'available',
        status_changed_at: since,
        device_id: null,
        active: true,
        created_at: since,
        updated_at: since,
      })
      .execute();
    return id;
  }

  beforeAll(async () => {
    if (!hasChromium) return;
    web = await startWebApp();
    browser = await launchBrowser();
    supervisor = await makeUser(web.deps, 'supervisor');

    const now = Date.now();
    const recent = new Date(now - 2 * DAY * 1000);
    const old = new Date(now - 20 * DAY * 1000);
    // San Salvador, last 7 days: answered in 5 and 10 s, dispatched in 60 and 120 s, on scene in
    // 600 and 900 s, closed in 1 h and 2 h; plus a citizen report closed and rated 2.
    const ss1 = await seedIncident({
      created: recent,
      answer: 5,
      assigned: 60,
      enRoute: 90,
      onScene: 600,
      closed: HOUR,
      type: 'VIDA.LESIONES',
      territory: SS,
    });
    await seedIncident({
      created: at(recent, 600),
      answer: 10,
      assigned: 120,
      onScene: 900,
      closed: 2 * HOUR,
      type: 'VIDA.LESIONES',
      territory: SS,
    });
    await seedIncident({
      created: at(recent, 1200),
      closed: 2 * HOUR,
      type: 'PATRIMONIO.DANOS',
      territory: SS,
      channel: 'citizen',
      rating: 2,
    });
    // La Libertad, last 7 days: one call (30 s, 300 s, 1500 s), two citizen reports, one rated 4.
    await seedIncident({
      created: at(recent, 1800),
      answer: 30,
      assigned: 300,
      onScene: 1500,
      closed: HOUR,
      type: 'PATRIMONIO.ROBO',
      territory: LI,
    });
    await seedIncident({
      created: at(recent, 2400),
      closed: 3 * HOUR,
      type: 'PATRIMONIO.ROBO',
      territory: LI,
      channel: 'citizen',
      rating: 4,
    });
    await seedIncident({
      created: at(recent, 3000),
      closed: HOUR,
      type: 'PATRIMONIO.ROBO',
      territory: LI,
      channel: 'citizen',
    });
    // San Salvador, 20 days ago: answered in 60 s, dispatched in 600 s.
    await seedIncident({
      created: old,
      answer: 60,
      assigned: 600,
      onScene: 1800,
      closed: HOUR,
      type: 'VIDA.LESIONES',
      territory: SS,
    });

    // Units: ANL-1 worked ss1 (busy from +60 s to +1800 s), ANL-2 idle all along.
    const u1 = await seedUnit('ANL-1', 'SV-SS', new Date(now - 10 * DAY * 1000));
    await seedUnit('ANL-2', 'SV-LI', new Date(now - 10 * DAY * 1000));
    await web.deps.db
      .insertInto('incident_assignments')
      .values({
        id: randomUUID(),
        incident_id: ss1,
        unit_id: u1,
        assigned_at: at(recent, 60),
        assigned_by: null,
        reason: null,
        acknowledged_at: null,
        en_route_at: at(recent, 90),
        on_scene_at: at(recent, 600),
        cleared_at: at(recent, 1800),
        released_at: null,
        release_reason: null,
        released_by: null,
      })
      .execute();

    page = await newPage(browser, web);
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await web?.close();
  });

  const region = (name: string) => page.getByRole('region', { name });
  const rtRow = (department: string) =>
    region('Tiempos de respuesta por departamento (p50 / p90)')
      .getByRole('table')
      .getByRole('row')
      .filter({ hasText: department });
  const cells = async (department: string) =>
    (await rtRow(department).locator('td').allInnerTexts()).map((text) => text.trim());

  async function downloaded(trigger: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
    const event = page.waitForEvent('download', { timeout: 20_000 });
    await trigger();
    const file: Download = await event;
    const path = await file.path();
    if (!path) throw new Error(`download ${file.suggestedFilename()} failed: ${await file.failure()}`);
    return { name: file.suggestedFilename(), body: readFileSync(path) };
  }

  browserIt(
    'shows percentiles by department, volumes by type, utilisation and satisfaction; changes the period; downloads CSV and XLSX',
    async () => {
      // MFA: password, then a TOTP code.
      await page.goto('/indicadores');
      await page.locator('input[name="username"]').fill(supervisor.username);
      await page.locator('input[name="password"]').fill(supervisor.password);
      await page.locator('form:has(input[name="password"]) button[type="submit"]').click();
      await expectVisible(page.locator('input[name="code"]'));
      await submitTotp(page, supervisor);
      await expectVisible(page.getByRole('heading', { level: 1, name: 'Indicadores del 911' }), 20_000);
      await expect.poll(() => page.getByLabel('Periodo', { exact: true }).inputValue()).toBe('7d');

      // Response times by department, last 7 days (incidents, answer, dispatch, arrival, close).
      await expectVisible(rtRow('San Salvador'), 15_000);
      // Close: San Salvador [1 h, 2 h, 2 h], La Libertad [1 h, 1 h, 3 h] (p90 = 1 h + 0.8 × 2 h).
      expect((await cells('San Salvador')).slice(0, 6)).toEqual([
        'San Salvador',
        '3',
        '0:07 / 0:09',
        '1:30 / 1:54',
        '12:30 / 14:30',
        '2:00:00 / 2:00:00',
      ]);
      expect((await cells('La Libertad')).slice(0, 6)).toEqual([
        'La Libertad',
        '3',
        '0:30 / 0:30',
        '5:00 / 5:00',
        '25:00 / 25:00',
        '1:00:00 / 2:36:00',
      ]);

      // Volumes by type (the chart's data table).
      const volumes = region('Volumen de incidentes');
      await expectText(volumes.getByText(/^Total del periodo:/), 'Total del periodo: 6');
      const byType = volumes.getByRole('figure', { name: 'Por tipo' });
      await byType.getByText('Ver tabla de datos').click();
      const typeRows = byType.getByRole('table').getByRole('row');
      await expectText(typeRows.filter({ hasText: 'Robo' }).locator('td'), '3 (50.0 %)');
      await expectText(typeRows.filter({ hasText: 'Lesiones' }).locator('td'), '2 (33.3 %)');
      await expectText(typeRows.filter({ hasText: 'Daños' }).locator('td'), '1 (16.7 %)');

      // Unit utilisation: ANL-1 was busy part of the week, ANL-2 was available all along.
      const util = region('Uso del tiempo de las unidades').locator('table.table').last();
      const unitCells = async (callSign: string) =>
        (await util.getByRole('row').filter({ hasText: callSign }).locator('td').allInnerTexts()).map((x) =>
          x.trim(),
        );
      await expectVisible(util.getByRole('row').filter({ hasText: 'ANL-2' }));
      expect(await unitCells('ANL-2')).toEqual(['ANL-2', '0.0 %', '0.0 %', '100.0 %', '0.0 %']);
      const [, busy] = await unitCells('ANL-1');
      expect(Number.parseFloat(busy!)).toBeGreaterThan(0);

      // Satisfaction: ratings 2 and 4 over three closed citizen reports.
      const sat = region('Satisfacción ciudadana');
      await expectText(sat.locator('.an-metric').nth(0).locator('.an-metric__value'), '3.0');
      await expectText(sat.locator('.an-metric').nth(1).locator('.an-metric__value'), '2');
      await expectText(sat.locator('.an-metric').nth(2).locator('.an-metric__value'), '66.7 %');

      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'analytics-7d');

      // Last 30 days: the old San Salvador incident joins (answer 60 s, dispatch 600 s).
      await page.getByLabel('Periodo', { exact: true }).selectOption('30d');
      await expect
        .poll(() => cells('San Salvador'), { timeout: 15_000 })
        .toEqual([
          'San Salvador',
          '4',
          '0:10 / 0:50',
          '2:00 / 8:24',
          expect.any(String),
          expect.any(String),
          expect.any(String),
        ]);
      await expectText(volumes.getByText(/^Total del periodo:/), 'Total del periodo: 7');

      // CSV of the response times by department for the period shown.
      const csv = await downloaded(() =>
        region('Tiempos de respuesta por departamento (p50 / p90)')
          .getByRole('button', { name: /^Descargar CSV/ })
          .click(),
      );
      expect(csv.name).toMatch(/^kpi-tiempos-respuesta_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
      const text = csv.body.toString('utf8').replace(/^\uFEFF/, '');
      const [header, ...lines] = text.trim().split('\r\n');
      const columns = header!.split(',');
      expect(columns.slice(0, 3)).toEqual(['Código de departamento', 'Departamento', 'Incidentes']);
      const ssLine = lines.find((l) => l.startsWith('SV-SS,'))!.split(',');
      const col = (name: string) => ssLine[columns.indexOf(name)];
      expect(col('Incidentes')).toBe('4');
      expect(col('Hasta el despacho: p50 (s)')).toBe('120');
      expect(col('Hasta el despacho: p90 (s)')).toBe('504');
      expect(lines.find((l) => l.startsWith('SV-LI,'))!.split(',')[2]).toBe('3');

      // XLSX of the volumes by family: a real workbook with the rows and a parameters sheet.
      const xlsx = await downloaded(() =>
        volumes.getByRole('button', { name: 'Descargar Excel: Volumen de incidentes', exact: true }).click(),
      );
      expect(xlsx.name).toMatch(/^kpi-volumenes_.*\.xlsx$/);
      expect(xlsx.body.subarray(0, 2).toString('latin1')).toBe('PK');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('Volúmenes')!;
      const rows: Record<string, unknown>[] = [];
      const heads = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const values = (row.values as unknown[]).slice(1);
        rows.push(Object.fromEntries(heads.map((h, i) => [h, values[i]])));
      });
      expect(
        rows
          .map((r) => [r['Código de familia'], r.Incidentes])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual([
        ['PATRIMONIO', 4],
        ['VIDA', 3],
      ]);
      expect(workbook.worksheets.length).toBe(2);

      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'analytics-30d');
      expect(errors).toEqual([]);
    },
    120_000,
  );
});
