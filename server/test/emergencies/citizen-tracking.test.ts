import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import { PNG_1X1, SAN_SALVADOR } from './citizen-helpers.js';

describe('citizen follow-up: tracking page, more information, survey', { timeout: 120_000 }, () => {
  let t: TestApp;
  let dispatcher: string;
  let supervisor: string;
  let stationId: string;
  let ip = 0;

  const staff = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) });

  async function newReport(overrides: Record<string, unknown> = {}) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      remoteAddress: `10.2.0.${++ip}`,
      payload: {
        typeCode: 'ORDEN.SOSPECHOSO',
        description: `Dos hombres revisan las casas de la colonia desde hace una hora (reporte ${ip}).`,
        location: { ...SAN_SALVADOR, text: 'Colonia Escalón, pasaje 3' },
        contact: {
          name: 'Rosa Elvira Campos',
          phone: `7123-4${String(ip).padStart(3, '0')}`,
          email: 'rosa.campos@example.com',
        },
        anonymous: false,
        ...overrides,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { trackingCode: string; trackingSecret: string; folio: string };
    const incident = await t.deps.db
      .selectFrom('incidents')
      .select('id')
      .where('tracking_code', '=', body.trackingCode)
      .executeTakeFirstOrThrow();
    return { ...body, id: incident.id };
  }

  const track = (code: string, secret?: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      url: `/api/v1/public/tracking/${code}`,
      headers: { ...(secret ? { 'x-tracking-secret': secret } : {}), ...headers },
    });

  beforeAll(async () => {
    t = await buildTestApp();
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    const station = await staff('POST', '/stations', supervisor, {
      code: 'DT-ESCALON',
      name: 'Delegación Escalón',
      departmentCode: 'SV-SS',
      lon: -89.23,
      lat: 13.7,
    });
    expect(station.statusCode, station.body).toBe(201);
    stationId = station.json().id;
  }, 300_000);
  afterAll(async () => {
    await t.close();
  });

  it('shows the plain-language history with the right secret, in Spanish or English', async () => {
    const r = await newReport();
    const res = await track(r.trackingCode, r.trackingSecret);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const view = res.json();
    expect(view).toMatchObject({
      trackingCode: r.trackingCode,
      folio: r.folio,
      status: 'received',
      statusText: 'Recibimos su reporte.',
      open: true,
      type: 'Persona o vehículo sospechoso',
      canAddInformation: true,
      canRate: false,
      survey: null,
    });
    expect(view.history).toEqual([
      { at: expect.any(String), status: 'received', text: 'Recibimos su reporte.' },
    ]);
    // The secret is accepted however the citizen types it (case, dashes, spaces).
    const typed = await track(
      r.trackingCode.toLowerCase(),
      r.trackingSecret.replace(/-/g, ' ').toLowerCase(),
    );
    expect(typed.statusCode).toBe(200);
    const en = await track(r.trackingCode, r.trackingSecret, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json().history[0].text).toBe('We received your report.');
    expect(en.json().type).toBe('Suspicious person or vehicle');
  });

  it('answers 404 for a wrong secret exactly as for an unknown code', async () => {
    const r = await newReport();
    const wrong = await track(r.trackingCode, 'AAAA-BBBB-CCCC');
    const unknown = await track('CEN-2222-3333', 'AAAA-BBBB-CCCC');
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('TRACKING_NOT_FOUND');
    const missing = await track(r.trackingCode);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('TRACKING_SECRET_REQUIRED');
  });

  it('refuses the secret in the URL query', async () => {
    const r = await newReport();
    const res = await t.app.inject({
      url: `/api/v1/public/tracking/${r.trackingCode}?secret=${r.trackingSecret}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('TRACKING_SECRET_IN_URL');
  });

  it('locks a code after repeated wrong secrets, even for the right one', async () => {
    const r = await newReport();
    for (let i = 0; i < 5; i++)
      expect((await track(r.trackingCode, `WRNG-SCRT-00${i}2`)).statusCode).toBe(404);
    const locked = await track(r.trackingCode, r.trackingSecret);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('TRACKING_LOCKED');
    // Unknown codes lock the same way (no difference that would reveal which codes exist).
    for (let i = 0; i < 5; i++) await track('CEN-9999-8888', 'AAAA-BBBB-CCCC');
    expect((await track('CEN-9999-8888', 'AAAA-BBBB-CCCC')).statusCode).toBe(429);
  });

  it('tells the steps in plain words without officer names, unit call signs, notes or caller data', async () => {
    const r = await newReport();
    expect(
      (await staff('POST', `/incidents/${r.id}/classify`, dispatcher, { typeCode: 'ORDEN.SOSPECHOSO' }))
        .statusCode,
    ).toBe(200);
    const unit = await staff('POST', '/units', supervisor, {
      callSign: 'PNC-ESC-77',
      kind: 'patrol_car',
      departmentCode: 'SV-SS',
      stationId,
    });
    expect(unit.statusCode, unit.body).toBe(201);
    const unitId = unit.json().id;
    expect(
      (await staff('POST', `/units/${unitId}/service`, supervisor, { action: 'in_service' })).statusCode,
    ).toBe(200);
    const assigned = await staff('POST', `/incidents/${r.id}/assignments`, dispatcher, { unitId });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const note = await staff('POST', `/incidents/${r.id}/notes`, dispatcher, {
      text: 'Nota interna: el agente Juan Pérez conoce a los sospechosos.',
    });
    expect(note.statusCode).toBe(201);

    const res = await track(r.trackingCode, r.trackingSecret);
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.status).toBe('dispatched');
    expect(view.history.map((h: { text: string }) => h.text)).toEqual([
      'Recibimos su reporte.',
      'Su reporte fue revisado y espera asignación de una patrulla.',
      'Se asignó una unidad policial.',
    ]);
    const body = res.body;
    for (const secret of [
      'PNC-ESC-77',
      'Prueba dispatcher',
      'Prueba supervisor',
      'Juan Pérez',
      'Nota interna',
      'Rosa Elvira',
      '7123',
      'rosa.campos',
      'Colonia Escalón',
      unitId,
      r.id,
    ]) {
      expect(body, secret).not.toContain(secret);
    }
  });

  it('adds citizen information as a note, timeline entry and event that dispatchers see', async () => {
    const r = await newReport();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/tracking/${r.trackingCode}/information`,
      headers: { 'x-tracking-secret': r.trackingSecret },
      payload: { text: 'Ahora se fueron en un carro gris, placa P123-456.', photos: [{ data: PNG_1X1 }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ received: true, photos: 1 });

    const notes = await staff('GET', `/incidents/${r.id}/notes`, dispatcher);
    const citizen = notes.json().items.find((n: { kind: string }) => n.kind === 'citizen');
    expect(citizen.text).toBe('Ahora se fueron en un carro gris, placa P123-456.');
    expect(citizen.author).toMatchObject({ type: 'anonymous', id: null });
    const timeline = await staff('GET', `/incidents/${r.id}/timeline`, dispatcher);
    expect(timeline.json().items.map((i: { kind: string }) => i.kind)).toContain('citizen_information');
    const event = await t.deps.db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('entity_id', '=', r.id)
      .where('type', '=', 'incident.citizen_information')
      .executeTakeFirst();
    expect(event?.payload).toMatchObject({ folio: r.folio, attachments: 1 });
    const attachments = await t.deps.db
      .selectFrom('incident_attachments')
      .selectAll()
      .where('incident_id', '=', r.id)
      .execute();
    expect(attachments).toHaveLength(1);

    // The secret may come in the body instead of the header; a wrong one is a 404.
    const inBody = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/tracking/${r.trackingCode}/information`,
      payload: { secret: r.trackingSecret, text: 'Otro dato: llevaban gorras rojas.' },
    });
    expect(inBody.statusCode).toBe(201);
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/tracking/${r.trackingCode}/information`,
      payload: { secret: 'AAAA-BBBB-CCCC', text: 'Intento con clave equivocada.' },
    });
    expect(wrong.statusCode).toBe(404);

    const view = (await track(r.trackingCode, r.trackingSecret)).json();
    expect(view.history.map((h: { text: string }) => h.text)).toContain(
      'Usted agregó información al reporte.',
    );
  });

  it('takes the survey only after the case is closed, and only once', async () => {
    const r = await newReport();
    const survey = (payload: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/public/tracking/${r.trackingCode}/survey`,
        headers: { 'x-tracking-secret': r.trackingSecret },
        payload,
      });
    const early = await survey({ rating: 5 });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('SURVEY_NOT_AVAILABLE');

    expect(
      (await staff('POST', `/incidents/${r.id}/classify`, dispatcher, { typeCode: 'ORDEN.SOSPECHOSO' }))
        .statusCode,
    ).toBe(200);
    const closed = await staff('POST', `/incidents/${r.id}/close`, dispatcher, {
      closureCode: 'ATENDIDO',
      summary: 'Se patrulló la zona; los sujetos se retiraron.',
    });
    expect(closed.statusCode, closed.body).toBe(200);

    const view = (await track(r.trackingCode, r.trackingSecret)).json();
    expect(view).toMatchObject({ status: 'closed', open: false, canRate: true, canAddInformation: false });
    expect(JSON.stringify(view)).not.toContain('patrulló');
    const outOfRange = await survey({ rating: 6 });
    expect(outOfRange.statusCode).toBe(400);

    const first = await survey({ rating: 4, comment: 'Llegaron rápido.' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().rating).toBe(4);
    const second = await survey({ rating: 1 });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('SURVEY_ALREADY_SUBMITTED');
    const stored = await t.deps.db
      .selectFrom('citizen_surveys')
      .selectAll()
      .where('incident_id', '=', r.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ rating: 4, comment: 'Llegaron rápido.' });

    const after = (await track(r.trackingCode, r.trackingSecret)).json();
    expect(after.canRate).toBe(false);
    expect(after.survey).toMatchObject({ rating: 4 });
    const moreInfo = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/tracking/${r.trackingCode}/information`,
      headers: { 'x-tracking-secret': r.trackingSecret },
      payload: { text: 'Quería agregar algo más.' },
    });
    expect(moreInfo.statusCode).toBe(409);
    expect(moreInfo.json().error.code).toBe('TRACKING_CASE_CLOSED');
  });
});
