import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import {
  createOrganisation,
  day,
  grantsUsers,
  ngoStaff,
  organisationBody,
  validDui,
} from './grants-helpers.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

describe('grants registry: organisations, board, documents, declarations, portal users', {
  timeout: 120_000,
}, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof grantsUsers>>;

  beforeAll(async () => {
    t = await buildTestApp();
    u = await grantsUsers(t);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, token: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(token), ...headers },
      payload: payload as object,
    });
  const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const patch = (url: string, token: string, payload: unknown) =>
    t.app.inject({ method: 'PATCH', url, headers: bearer(token), payload: payload as object });

  it('registers an organisation with NIT and DUI in canonical form and audits it', async () => {
    const body = organisationBody();
    const nitDigits = body.nit.replace(/-/g, '');
    const res = await post('/api/v1/grants/organisations', u.legal, {
      ...body,
      nit: nitDigits,
      bankAccount: `  ${body.bankAccount.slice(0, 4)}-${body.bankAccount.slice(4)} `,
    });
    expect(res.statusCode, res.body).toBe(201);
    const org = res.json();
    expect(org).toMatchObject({
      nit: body.nit,
      bankAccount: body.bankAccount,
      status: 'active',
      type: 'foundation',
      registryDate: '2015-03-10',
      legalRepresentative: { dui: body.legalRepresentative.dui },
    });
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('entity_id', '=', org.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('grants.organisation.created');
  });

  it.each([
    ['a NIT with a wrong check digit', { nit: '0614-050707-104-0' }, 400, 'NIT_INVALID'],
    [
      'a DUI with a wrong check digit',
      { legalRepresentative: { name: 'Ana', dui: '04567891-2', credentialValidUntil: day(10) } },
      400,
      'DUI_INVALID',
    ],
    ['an unknown municipality', { municipalityPcode: 'SV14999' }, 400, 'UNKNOWN_MUNICIPALITY'],
    ['an impossible date', { registryDate: '2015-02-30' }, 400, 'DATE_INVALID'],
    ['validity before the registry date', { registryValidUntil: '2014-01-01' }, 400, 'DATES_OUT_OF_ORDER'],
    ['a bank account with letters', { bankAccount: 'ABC12345' }, 400, 'BANK_ACCOUNT_INVALID'],
    ['an unknown type', { type: 'cooperative' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a stable code and writes nothing', async (_name, override, status, code) => {
    const before = await t.deps.db
      .selectFrom('ngo_organisations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await post('/api/v1/grants/organisations', u.legal, organisationBody(override));
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).not.toMatch(/^errors\./);
    const after = await t.deps.db
      .selectFrom('ngo_organisations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a second organisation with the same NIT or registry number (409)', async () => {
    const first = organisationBody();
    expect((await post('/api/v1/grants/organisations', u.legal, first)).statusCode).toBe(201);
    const sameNit = await post('/api/v1/grants/organisations', u.legal, organisationBody({ nit: first.nit }));
    expect(sameNit.statusCode).toBe(409);
    expect(sameNit.json().error.code).toBe('ORGANISATION_NIT_TAKEN');
    const sameRegistry = await post(
      '/api/v1/grants/organisations',
      u.legal,
      organisationBody({ registryNumber: ` ${first.registryNumber.toUpperCase()} ` }),
    );
    expect(sameRegistry.statusCode).toBe(409);
    expect(sameRegistry.json().error.code).toBe('ORGANISATION_REGISTRY_TAKEN');
  });

  it('registers one organisation when two requests with the same NIT arrive at once', async () => {
    const body = organisationBody();
    const [a, b] = await Promise.all([
      post('/api/v1/grants/organisations', u.legal, body),
      post('/api/v1/grants/organisations', u.legal, { ...organisationBody(), nit: body.nit }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.code).toBe('ORGANISATION_NIT_TAKEN');
    const rows = await t.deps.db
      .selectFrom('ngo_organisations')
      .select('id')
      .where('nit', '=', body.nit)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('updates data with PATCH; status changes only with a reason, by the authority, audited', async () => {
    const org = await createOrganisation(t, u.legal);
    const upd = await patch(`/api/v1/grants/organisations/${org.id}`, u.legal, {
      address: 'Nueva dirección 123',
      boardValidUntil: day(500),
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({
      address: 'Nueva dirección 123',
      boardValidUntil: day(500),
      status: 'active',
    });

    // PATCH cannot change the status.
    const sneaky = await patch(`/api/v1/grants/organisations/${org.id}`, u.legal, { status: 'barred' });
    expect(sneaky.statusCode).toBe(400);

    const byLegal = await post(`/api/v1/grants/organisations/${org.id}/status`, u.legal, {
      status: 'suspended',
      reason: 'Auditoría en curso',
    });
    expect(byLegal.statusCode).toBe(403);
    const noReason = await post(`/api/v1/grants/organisations/${org.id}/status`, u.authority, {
      status: 'suspended',
    });
    expect(noReason.statusCode).toBe(400);
    const ok = await post(`/api/v1/grants/organisations/${org.id}/status`, u.authority, {
      status: 'suspended',
      reason: 'Observaciones de la Corte de Cuentas',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'suspended',
      statusReason: 'Observaciones de la Corte de Cuentas',
    });
    const again = await post(`/api/v1/grants/organisations/${org.id}/status`, u.authority, {
      status: 'suspended',
      reason: 'Otra vez lo mismo',
    });
    expect(again.json().error.code).toBe('ORGANISATION_STATUS_UNCHANGED');
    const entry = await t.deps.db
      .selectFrom('audit_log')
      .select(['reason', 'changes'])
      .where('entity_id', '=', org.id)
      .where('action', '=', 'grants.organisation.status_changed')
      .executeTakeFirstOrThrow();
    expect(entry.reason).toBe('Observaciones de la Corte de Cuentas');
  });

  it('keeps the board with periods, refusing dates out of order and duplicates', async () => {
    const org = await createOrganisation(t, u.legal);
    const dui = validDui();
    const add = await post(`/api/v1/grants/organisations/${org.id}/board-members`, u.legal, {
      fullName: 'José Antonio Martínez',
      dui: dui.replace('-', ''),
      position: 'Presidente',
      fromDate: '2024-01-01',
    });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toMatchObject({ dui, toDate: null });
    const dup = await post(`/api/v1/grants/organisations/${org.id}/board-members`, u.legal, {
      fullName: 'José Antonio Martínez',
      dui,
      position: 'Vocal',
      fromDate: '2024-06-01',
    });
    expect(dup.json().error.code).toBe('BOARD_MEMBER_DUPLICATE');
    const order = await post(`/api/v1/grants/organisations/${org.id}/board-members`, u.legal, {
      fullName: 'Otra Persona',
      dui: validDui(),
      position: 'Tesorera',
      fromDate: '2024-06-01',
      toDate: '2024-01-01',
    });
    expect(order.statusCode).toBe(400);
    expect(order.json().error.code).toBe('DATES_OUT_OF_ORDER');
    const close = await patch(
      `/api/v1/grants/organisations/${org.id}/board-members/${add.json().id}`,
      u.legal,
      { toDate: '2025-12-31' },
    );
    expect(close.statusCode, close.body).toBe(200);
    expect(close.json().toDate).toBe('2025-12-31');
    const second = await post(`/api/v1/grants/organisations/${org.id}/board-members`, u.legal, {
      fullName: 'Segunda Persona',
      dui: validDui(),
      position: 'Secretaria',
      fromDate: '2025-06-01',
    });
    expect(second.statusCode).toBe(201);
    const clash = await patch(
      `/api/v1/grants/organisations/${org.id}/board-members/${second.json().id}`,
      u.legal,
      { dui },
    );
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('BOARD_MEMBER_DUPLICATE');
    const detail = await get(`/api/v1/grants/organisations/${org.id}`, u.auditor);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().boardMembers).toHaveLength(2);
    // The DUIs shown are personal data: the read is audited.
    const read = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'reason', 'changes'])
      .where('entity_id', '=', org.id)
      .where('action', '=', 'personal_data.read')
      .execute();
    expect(read).toHaveLength(1);
    expect(read[0]!.reason).toBe('grants.organisation.read');
    expect(JSON.stringify(read[0]!.changes)).toContain('boardMembers.dui');
  });

  it('stores documents (PDF/JPEG/PNG) by SHA-256, supersedes older copies and refuses other files', async () => {
    const org = await createOrganisation(t, u.legal);
    const url = `/api/v1/grants/organisations/${org.id}/documents`;
    const first = await post(url, u.legal, {
      kind: 'legal_rep_credential',
      validUntil: day(20),
      fileName: 'credencial.pdf',
      data: `data:application/pdf;base64,${PDF.toString('base64')}`,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      mime: 'application/pdf',
      sizeBytes: PDF.length,
      validUntil: day(20),
    });
    expect(first.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await post(url, u.legal, {
      kind: 'legal_rep_credential',
      validUntil: day(380),
      data: PNG.toString('base64'),
    });
    expect(second.statusCode, second.body).toBe(201);

    const file = await get(`${url}/${first.json().id}/file`, u.auditor);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['x-content-sha256']).toBe(first.json().sha256);
    expect(file.rawPayload.equals(PDF)).toBe(true);

    const detail = (await get(`/api/v1/grants/organisations/${org.id}`, u.auditor)).json();
    const older = detail.documents.find((d: { id: string }) => d.id === first.json().id);
    expect(older.supersededBy).toBe(second.json().id);

    const text = await post(url, u.legal, {
      kind: 'other',
      data: Buffer.from('hola mundo').toString('base64'),
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('DOCUMENT_TYPE_UNSUPPORTED');
    const mismatch = await post(url, u.legal, {
      kind: 'other',
      mime: 'image/png',
      data: PDF.toString('base64'),
    });
    expect(mismatch.json().error.code).toBe('DOCUMENT_TYPE_MISMATCH');
    const notBase64 = await post(url, u.legal, { kind: 'other', data: '***' });
    expect(notBase64.json().error.code).toBe('DOCUMENT_NOT_BASE64');
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const tooLarge = await post(url, u.legal, { kind: 'other', data: big.toString('base64') });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('DOCUMENT_TOO_LARGE');
  });

  it('records conflict-of-interest declarations; a declared conflict needs a description', async () => {
    const org = await createOrganisation(t, u.legal);
    const url = `/api/v1/grants/organisations/${org.id}/declarations`;
    const base = {
      declarantName: 'María Teresa López',
      declarantDui: validDui(),
      declarantRole: 'board_member',
      declaredOn: day(-1),
    };
    const missing = await post(url, u.legal, { ...base, hasConflict: true });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('DECLARATION_DESCRIPTION_REQUIRED');
    const ok = await post(url, u.legal, {
      ...base,
      hasConflict: true,
      description: 'Mi hermano trabaja en la Dirección de Prevención',
      relatedPerson: 'Carlos López',
      relatedPosition: 'Técnico',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ hasConflict: true, declarantDui: base.declarantDui });
  });

  it('NGO staff see and act only on their own organisation', async () => {
    const mine = await createOrganisation(t, u.legal);
    const other = await createOrganisation(t, u.legal);
    const staff = await ngoStaff(t, u.admin, mine.id);

    const list = await get('/api/v1/grants/organisations', staff.token);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((o: { id: string }) => o.id)).toEqual([mine.id]);
    expect((await get(`/api/v1/grants/organisations/${mine.id}`, staff.token)).statusCode).toBe(200);
    const foreign = await get(`/api/v1/grants/organisations/${other.id}`, staff.token);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('ORGANISATION_NOT_FOUND');

    const upload = (id: string) =>
      post(`/api/v1/grants/organisations/${id}/documents`, staff.token, {
        kind: 'statutes',
        data: PDF.toString('base64'),
      });
    expect((await upload(mine.id)).statusCode).toBe(201);
    expect((await upload(other.id)).statusCode).toBe(404);
    // Registry data, status and red flags are back-office only.
    expect(
      (await patch(`/api/v1/grants/organisations/${mine.id}`, staff.token, { address: 'X calle 1' }))
        .statusCode,
    ).toBe(403);
    expect((await get(`/api/v1/grants/organisations/${mine.id}/red-flags`, staff.token)).statusCode).toBe(
      403,
    );

    // An ngo_staff user not linked to any organisation sees nothing.
    const loose = await loginAs(t.app, await makeUser(t.deps, 'ngo_staff'));
    expect((await get('/api/v1/grants/organisations', loose)).json()).toEqual({ items: [], total: 0 });
    expect((await get(`/api/v1/grants/organisations/${mine.id}`, loose)).statusCode).toBe(404);

    // Linking: only NGO staff users, one organisation each.
    const again = await post(`/api/v1/grants/organisations/${other.id}/users`, u.admin, {
      userId: staff.user.id,
    });
    expect(again.json().error.code).toBe('NGO_USER_ALREADY_LINKED');
    const dispatcherUser = await makeUser(t.deps, 'dispatcher');
    const wrongRole = await post(`/api/v1/grants/organisations/${other.id}/users`, u.admin, {
      userId: dispatcherUser.id,
    });
    expect(wrongRole.json().error.code).toBe('NGO_USER_ROLE_REQUIRED');
    const unknown = await post(`/api/v1/grants/organisations/${other.id}/users`, u.admin, {
      userId: randomUUID(),
    });
    expect(unknown.statusCode).toBe(404);

    // Unlinked, the user loses access at once.
    const unlink = await post(
      `/api/v1/grants/organisations/${mine.id}/users/${staff.user.id}/unlink`,
      u.admin,
      {},
    );
    expect(unlink.statusCode, unlink.body).toBe(204);
    expect((await get(`/api/v1/grants/organisations/${mine.id}`, staff.token)).statusCode).toBe(404);
  });

  it('lists with filters and exports the list as XLSX', async () => {
    const org = await createOrganisation(t, u.legal, { type: 'association', municipalityPcode: 'SV06001' });
    const filtered = await get('/api/v1/grants/organisations?type=association&department=SV06', u.auditor);
    expect(filtered.statusCode).toBe(200);
    expect(filtered.json().items.map((o: { id: string }) => o.id)).toContain(org.id);
    expect(filtered.json().items.every((o: { type: string }) => o.type === 'association')).toBe(true);
    // Lists mask the representative's DUI; the (audited) detail shows it.
    const listed = filtered.json().items.find((o: { id: string }) => o.id === org.id);
    expect(listed.legalRepresentative.dui).toBe(`******${org.legalRepresentative.dui.slice(6)}`);
    const byNit = await get(
      `/api/v1/grants/organisations?q=${encodeURIComponent(org.name.slice(0, 20))}`,
      u.auditor,
    );
    expect(byNit.json().items.map((o: { id: string }) => o.id)).toContain(org.id);

    const xlsx = await get('/api/v1/grants/organisations?format=xlsx&type=association', u.auditor);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Organizaciones')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Nombre');
    const names = sheet.getColumn(1).values.slice(2);
    expect(names).toContain(org.name);
  });

  it('explains red flags: expired credential, expiring document, shared account, board overlaps, ministry employee, late liquidation', async () => {
    const sharedAccount = '998877665544';
    const sharedDui = validDui();
    const employeeDui = validDui();
    const org = await createOrganisation(t, u.legal, {
      bankAccount: sharedAccount,
      raexStatus: 'pending',
      legalRepresentative: { name: 'Rosa Elena Cruz', dui: validDui(), credentialValidUntil: day(-3) },
    });
    const funded = await createOrganisation(t, u.legal, { bankAccount: sharedAccount });

    // A board member who also sits on the board of `funded`, which has an approved plan.
    for (const id of [org.id, funded.id]) {
      const r = await post(`/api/v1/grants/organisations/${id}/board-members`, u.legal, {
        fullName: 'Pedro Pablo Ramos',
        dui: sharedDui,
        position: 'Tesorero',
        fromDate: '2024-01-01',
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const employee = await post(`/api/v1/grants/organisations/${org.id}/board-members`, u.legal, {
      fullName: 'Lucía Hernández',
      dui: employeeDui,
      position: 'Vocal',
      fromDate: '2024-01-01',
    });
    expect(employee.statusCode).toBe(201);
    const employeeUser = await makeUser(t.deps, 'analyst');
    await t.deps.db
      .updateTable('users')
      .set({ dui: employeeDui })
      .where('id', '=', employeeUser.id)
      .execute();

    const doc = await post(`/api/v1/grants/organisations/${org.id}/documents`, u.legal, {
      kind: 'tax_solvency',
      validUntil: day(10),
      fileName: 'solvencia.pdf',
      data: PDF.toString('base64'),
    });
    expect(doc.statusCode).toBe(201);

    // Plans: an approved plan for `funded`; one of `org` in execution past its liquidation deadline.
    const now = new Date();
    const callId = randomUUID();
    await t.deps.db
      .insertInto('ngo_calls')
      .values({
        id: callId,
        code: `CONV-RF-${callId.slice(0, 6)}`,
        programme: 'Prueba',
        title: 'Convocatoria para banderas',
        description: '',
        fiscal_year: 2025,
        budget_specific: '56303',
        budget_envelope_cents: 1_000_000,
        committed_cents: 0,
        max_per_plan_cents: null,
        eligibility: '[]',
        opens_on: '2025-01-01',
        closes_on: '2025-02-01',
        status: 'closed',
        created_by: null,
        created_at: now,
        updated_at: now,
        published_at: now,
        published_by: null,
        closed_at: now,
        closed_by: null,
        status_reason: null,
      })
      .execute();
    const plan = (organisation_id: string, status: 'approved' | 'in_execution', due: Date | null) => ({
      id: randomUUID(),
      code: `PLAN-RF-${randomUUID().slice(0, 8)}`,
      organisation_id,
      call_id: callId,
      title: 'Plan de prueba',
      status,
      current_version: 1,
      requested_cents: 1000,
      approved_cents: 1000,
      liquidation_due_at: due,
      registered_by_staff: true,
      created_by: null,
      created_at: now,
      updated_at: now,
      submitted_at: now,
      decided_at: now,
    });
    const late = plan(org.id, 'in_execution', new Date(now.getTime() - 5 * 86_400_000));
    await t.deps.db
      .insertInto('ngo_plans')
      .values([plan(funded.id, 'approved', null), late])
      .execute();

    const res = await get(`/api/v1/grants/organisations/${org.id}/red-flags`, u.auditor);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    const codes = report.flags.map((f: { code: string }) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'LEGAL_REP_CREDENTIAL_EXPIRED',
        'DOCUMENT_EXPIRING',
        'BANK_ACCOUNT_SHARED',
        'BOARD_MEMBER_ON_OTHER_FUNDED_NGO',
        'BOARD_MEMBER_IS_MINISTRY_EMPLOYEE',
        'PENDING_LIQUIDATION',
        'RAEX_PENDING',
      ]),
    );
    const byCode = (code: string) => report.flags.find((f: { code: string }) => f.code === code);
    expect(byCode('BOARD_MEMBER_ON_OTHER_FUNDED_NGO').details).toMatchObject({
      dui: sharedDui,
      otherOrganisationId: funded.id,
    });
    expect(byCode('BOARD_MEMBER_ON_OTHER_FUNDED_NGO').message).toContain(funded.name);
    expect(byCode('BOARD_MEMBER_IS_MINISTRY_EMPLOYEE').details).toMatchObject({
      dui: employeeDui,
      userId: employeeUser.id,
    });
    expect(byCode('PENDING_LIQUIDATION').details).toMatchObject({ planId: late.id });
    expect(byCode('LEGAL_REP_CREDENTIAL_EXPIRED').message).toContain('Rosa Elena Cruz');
    expect(byCode('DOCUMENT_EXPIRING').message).toContain('Solvencia tributaria');
    // High severity first.
    expect(report.flags[0].severity).toBe('high');
    expect(report.flags.at(-1).severity).toBe('low');

    // `funded` has no late liquidation; its board overlaps with `org`, which is not funded.
    const fundedReport = (await get(`/api/v1/grants/organisations/${funded.id}/red-flags`, u.auditor)).json();
    const fundedCodes = fundedReport.flags.map((f: { code: string }) => f.code);
    expect(fundedCodes).toContain('BANK_ACCOUNT_SHARED');
    expect(fundedCodes).not.toContain('PENDING_LIQUIDATION');
    expect(fundedCodes).toContain('BOARD_MEMBER_ON_OTHER_FUNDED_NGO'); // org has a plan in execution

    // English on request.
    const en = await t.app.inject({
      method: 'GET',
      url: `/api/v1/grants/organisations/${org.id}/red-flags`,
      headers: { ...bearer(u.auditor), 'accept-language': 'en' },
    });
    expect(en.json().flags.find((f: { code: string }) => f.code === 'BANK_ACCOUNT_SHARED').message).toContain(
      'is also registered',
    );

    // Expiry alerts across organisations.
    const expiring = await get('/api/v1/grants/documents/expiring?days=30', u.auditor);
    expect(expiring.statusCode).toBe(200);
    expect(expiring.json().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ documentId: doc.json().id, expired: false })]),
    );

    // The dashboard list: every organisation with flags, filterable, and as XLSX (one row per flag).
    const overview = await get('/api/v1/grants/red-flags?severity=high', u.auditor);
    expect(overview.statusCode, overview.body).toBe(200);
    const mine = overview.json().items.find((i: { organisationId: string }) => i.organisationId === org.id);
    expect(mine.high).toBeGreaterThanOrEqual(4);
    expect(mine.medium).toBe(0);
    expect(mine.flags.every((f: { severity: string }) => f.severity === 'high')).toBe(true);
    const onlyRaex = (await get('/api/v1/grants/red-flags?code=RAEX_PENDING', u.auditor)).json();
    expect(onlyRaex.items.map((i: { organisationId: string }) => i.organisationId)).toEqual([org.id]);
    const flagsXlsx = await get('/api/v1/grants/red-flags?format=xlsx', u.auditor);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(flagsXlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Alertas')!;
    const messages = sheet.getColumn(4).values.slice(2).map(String);
    expect(messages.some((m) => m.includes(funded.name) && m.includes(sharedAccount))).toBe(true);
  });
});
