import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/identity/index.js';
import { buildTestApp, type TestApp, testConfig } from '../build-app.js';
import { bearer } from '../factories.js';

/** The personal inbox, as JSON and as an XLSX download, for a demo reviewer with a plan waiting. */
describe('workflow inbox export', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ seedDemo: true }), seedDemo: true });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'revisor.juridico', password: DEMO_PASSWORD },
    });
    token = login.json().accessToken;
  });
  afterAll(async () => {
    await t.close();
  });

  it('downloads the same cases as the JSON inbox, overdue first, as a spreadsheet', async () => {
    const json = await t.app.inject({ url: '/api/v1/workflow/inbox', headers: bearer(token) });
    expect(json.statusCode).toBe(200);
    const items = json.json().items as { title: string; step: { nameEs: string } }[];
    expect(items.length).toBeGreaterThan(0);

    const xlsx = await t.app.inject({ url: '/api/v1/workflow/inbox?format=xlsx', headers: bearer(token) });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['content-disposition']).toMatch(
      /attachment; filename="bandeja_\d{4}-\d{2}-\d{2}\.xlsx"/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Bandeja')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Caso');
    const titles = [];
    for (let r = 2; r <= sheet.rowCount; r++) titles.push(sheet.getRow(r).getCell(1).value);
    expect(titles).toEqual(items.map((i) => i.title));
    expect(sheet.getRow(2).getCell(3).value).toBe(items[0]!.step.nameEs);
  });

  it('refuses an unknown format and an anonymous caller', async () => {
    const bad = await t.app.inject({ url: '/api/v1/workflow/inbox?format=pdf', headers: bearer(token) });
    expect(bad.statusCode).toBe(400);
    const anonymous = await t.app.inject({ url: '/api/v1/workflow/inbox?format=xlsx' });
    expect(anonymous.statusCode).toBe(401);
  });
});
