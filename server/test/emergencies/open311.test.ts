import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import { child, childText, issueApiKey, parseXml, SAN_SALVADOR } from './citizen-helpers.js';

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

/** A form body as FixMyStreet's Open311 client posts it (brackets percent-encoded, + for spaces). */
function fmsForm(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%20/g, '+')}`)
    .join('&');
}

describe('Open311 GeoReport v2', { timeout: 120_000 }, () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let dispatcher: string;

  beforeAll(async () => {
    t = await buildTestApp();
    key = await issueApiKey(t.app, t.deps, ['open311.request.create']);
    otherKey = await issueApiKey(t.app, t.deps, ['messaging.webhook']);
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
  }, 300_000);
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url: `/open311/v2${url}`, headers });
  const post = (format: 'json' | 'xml', body: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/open311/v2/requests.${format}`,
      headers: { 'content-type': FORM, ...headers },
      payload: body,
    });

  let n = 0;
  const fields = (overrides: Record<string, string> = {}) => ({
    api_key: key,
    jurisdiction_id: 'seguridad.gob.sv',
    service_code: 'TRANSITO.OBSTRUCCION',
    lat: String(SAN_SALVADOR.lat),
    long: String(SAN_SALVADOR.lon),
    address_string: 'Alameda Juan Pablo II y 49 Av. Norte',
    email: 'juan.perez@example.com',
    first_name: 'Juan',
    last_name: 'Pérez',
    phone: '',
    description: `Un árbol caído bloquea dos carriles (reporte ${++n}).`,
    media_url: 'https://fixmystreet.example/photo/42.jpeg',
    'attribute[blocking_road]': 'yes',
    ...overrides,
  });

  async function createJson(overrides: Record<string, string> = {}): Promise<string> {
    const res = await post('json', fmsForm(fields(overrides)));
    expect(res.statusCode, res.body).toBe(200);
    return res.json()[0].service_request_id as string;
  }

  it('lists services in JSON (array) and XML (services/service), from the citizen catalogue', async () => {
    const json = await get('/services.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const services = json.json();
    expect(Array.isArray(services)).toBe(true);
    const blocked = services.find((s: { service_code: string }) => s.service_code === 'TRANSITO.OBSTRUCCION');
    expect(blocked).toEqual({
      service_code: 'TRANSITO.OBSTRUCCION',
      service_name: 'Calle bloqueada',
      description: 'Árbol caído, derrumbe u objeto que bloquea la vía.',
      metadata: true,
      type: 'realtime',
      keywords: 'bloqueo,árbol,caído',
      group: 'Tránsito y seguridad vial',
    });
    expect(services.map((s: { service_code: string }) => s.service_code)).not.toContain('VIDA.HOMICIDIO');

    const xml = await get('/services.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(xml.body);
    expect(root.name).toBe('services');
    expect(root.children.every((c) => c.name === 'service')).toBe(true);
    expect(root.children).toHaveLength(services.length);
    const first = root.children.find((c) => childText(c, 'service_code') === 'TRANSITO.OBSTRUCCION')!;
    expect(childText(first, 'metadata')).toBe('true');
    expect(childText(first, 'group')).toBe('Tránsito y seguridad vial');
  });

  it('defines a service with its guided questions as yes/no single-value lists', async () => {
    const json = await get('/services/PATRIMONIO.ROBO.json');
    expect(json.statusCode).toBe(200);
    const def = json.json();
    expect(def.service_code).toBe('PATRIMONIO.ROBO');
    expect(def.attributes[0]).toEqual({
      variable: true,
      code: 'in_progress',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: 'Sí | No',
      order: 1,
      description: '¿El hecho está ocurriendo en este momento?',
      values: [
        { key: 'yes', name: 'Sí' },
        { key: 'no', name: 'No' },
      ],
    });
    const xml = parseXml((await get('/services/PATRIMONIO.ROBO.xml', { 'accept-language': 'en' })).body);
    expect(xml.name).toBe('service_definition');
    const attributes = child(xml, 'attributes')!.children;
    expect(attributes.map((a) => childText(a, 'code'))).toEqual([
      'in_progress',
      'weapons',
      'injured',
      'suspects_nearby',
    ]);
    const values = child(attributes[0]!, 'values')!.children;
    expect(values.map((v) => [childText(v, 'key'), childText(v, 'name')])).toEqual([
      ['yes', 'Yes'],
      ['no', 'No'],
    ]);
  });

  it('answers unknown services with 404 in the spec error list format, in both formats', async () => {
    const json = await get('/services/NO.EXISTE.json');
    expect(json.statusCode).toBe(404);
    expect(json.json()).toEqual([{ code: 404, description: 'service_code no encontrado: NO.EXISTE.' }]);
    const xml = await get('/services/NO.EXISTE.xml');
    expect(xml.statusCode).toBe(404);
    const errors = parseXml(xml.body);
    expect(errors.name).toBe('errors');
    expect(errors.children[0]!.name).toBe('error');
    expect(childText(errors.children[0]!, 'code')).toBe('404');
    const route = await get('/nothing.json');
    expect(route.statusCode).toBe(404);
    expect(route.json()[0].code).toBe(404);
  });

  it('creates a request from a FixMyStreet-style form post and answers its folio', async () => {
    const res = await post('xml', fmsForm(fields({ 'attribute[fixmystreet_id]': '9001' })));
    expect(res.statusCode, res.body).toBe(200);
    const root = parseXml(res.body);
    expect(root.name).toBe('service_requests');
    const request = root.children[0]!;
    expect(request.name).toBe('request');
    const id = childText(request, 'service_request_id')!;
    expect(id).toMatch(/^\d{4}-\d{6}$/);
    expect(childText(request, 'service_notice')).toMatch(/Sistema 911/);

    const incident = await t.deps.db
      .selectFrom('incidents')
      .selectAll()
      .where('folio', '=', id)
      .executeTakeFirstOrThrow();
    expect(incident).toMatchObject({
      channel: 'open311',
      status: 'received',
      type_code: 'TRANSITO.OBSTRUCCION',
      location_text: 'Alameda Juan Pablo II y 49 Av. Norte',
      department_code: 'SV-SS',
      created_by_type: 'api_key',
    });
    expect(incident.answers).toEqual({ blocking_road: true });
    const caller = await t.deps.db
      .selectFrom('incident_callers')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(caller).toMatchObject({ name: 'Juan Pérez', email: 'juan.perez@example.com', phone: null });
    const stored = await t.deps.db
      .selectFrom('open311_requests')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(stored.media_url).toBe('https://fixmystreet.example/photo/42.jpeg');
    expect(stored.attributes).toEqual({ blocking_road: 'yes', fixmystreet_id: '9001' });

    // The same FixMyStreet report sent again (a retry) gives the same request, not a duplicate.
    const again = await post('json', fmsForm(fields({ 'attribute[fixmystreet_id]': '9001' })));
    expect(again.json()[0].service_request_id).toBe(id);
  });

  it('accepts unencoded brackets, the key in X-API-Key, address only, and empty optional fields', async () => {
    const body = `service_code=ORDEN.ESCANDALO&address_string=Calle+Arce+%23+123&attribute[in_progress]=no&email=&phone=&lat=&long=&description=M%C3%BAsica+a+todo+volumen`;
    const res = await post('json', body, { 'x-api-key': key });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json()[0].service_request_id;
    const incident = await t.deps.db
      .selectFrom('incidents')
      .selectAll()
      .where('folio', '=', id)
      .executeTakeFirstOrThrow();
    expect(incident).toMatchObject({
      location_flag: 'unlocated',
      location_text: 'Calle Arce # 123',
      lat: null,
    });
  });

  it('keeps multi-value attribute lists (attribute[CODE][]), bracket keys and the last repeated field', async () => {
    const body = `${fmsForm(fields({ 'attribute[fixmystreet_id]': '9300' }))}&attribute%5Betiquetas%5D%5B%5D=uno&attribute[etiquetas][]=dos+tres&address_string=Calle+Delgado`;
    const res = await post('json', body);
    expect(res.statusCode, res.body).toBe(200);
    const incident = await t.deps.db
      .selectFrom('incidents')
      .selectAll()
      .where('folio', '=', res.json()[0].service_request_id)
      .executeTakeFirstOrThrow();
    expect(incident.location_text).toBe('Calle Delgado');
    const stored = await t.deps.db
      .selectFrom('open311_requests')
      .select('attributes')
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(stored.attributes).toEqual({
      blocking_road: 'yes',
      fixmystreet_id: '9300',
      etiquetas: ['uno', 'dos tres'],
    });
  });

  it('refuses a body over the size limit with 400 in the error list format', async () => {
    const res = await post('json', fmsForm(fields({ description: 'x'.repeat(1_100_000) })));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual([{ code: 400, description: expect.any(String) }]);
  });

  it('requires an api_key with the Open311 permission (403, error list)', async () => {
    const missing = await post('json', fmsForm(fields({ api_key: '' })));
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual([{ code: 403, description: expect.stringMatching(/api_key/) }]);
    const invalid = await post(
      'xml',
      fmsForm(fields({ api_key: 'cnt_000000000000_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ' })),
    );
    expect(invalid.statusCode).toBe(403);
    expect(childText(parseXml(invalid.body).children[0]!, 'code')).toBe('403');
    const wrongPermission = await post('json', fmsForm(fields({ api_key: otherKey })));
    expect(wrongPermission.statusCode).toBe(403);
    const user = await post('json', fmsForm(fields({ api_key: '' })), bearer(dispatcher));
    expect(user.statusCode).toBe(403);
  });

  it.each<[string, Record<string, string>, number, RegExp]>([
    ['no service_code', { service_code: '' }, 400, /service_code/],
    ['unknown service_code', { service_code: 'NO.EXISTE' }, 404, /NO\.EXISTE/],
    ['a non-citizen service', { service_code: 'VIDA.HOMICIDIO' }, 404, /VIDA\.HOMICIDIO/],
    ['lat without long', { long: '' }, 400, /lat y long/],
    ['no location at all', { lat: '', long: '', address_string: '' }, 400, /ubicación/],
    ['a latitude out of range', { lat: '913.5' }, 400, /lat/],
    ['a description over 4,000 characters', { description: 'x'.repeat(4001) }, 400, /4000/],
    [
      'an unknown list key',
      { 'attribute[blocking_road]': 'maybe' },
      400,
      /attribute\[blocking_road\].*maybe/,
    ],
    ['an invalid phone', { phone: '12345' }, 400, /teléfono/],
    ['an invalid email', { email: 'no-es-correo' }, 400, /email/],
    ['a media_url that is not http', { media_url: 'javascript:alert(1)' }, 400, /media_url/],
  ])('refuses %s', async (_name, overrides, status, description) => {
    const res = await post('json', fmsForm(fields(overrides)));
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json();
    expect(body).toHaveLength(1);
    expect(body[0].code).toBe(status);
    expect(body[0].description).toMatch(description);
  });

  it('queries requests in JSON and XML, with filters, open/closed status and W3C dates with offset', async () => {
    const a = await createJson({ service_code: 'TRANSITO.OBSTRUCCION' });
    const b = await createJson({ service_code: 'ORDEN.ESCANDALO', 'attribute[blocking_road]': '' });

    const all = await get('/requests.json');
    expect(all.statusCode).toBe(200);
    const list = all.json();
    const rowA = list.find((r: { service_request_id: string }) => r.service_request_id === a);
    expect(rowA).toMatchObject({
      service_request_id: a,
      status: 'open',
      status_notes: 'Recibimos su reporte.',
      service_name: 'Calle bloqueada',
      service_code: 'TRANSITO.OBSTRUCCION',
      description: expect.stringMatching(/árbol caído/),
      agency_responsible: 'Policía Nacional Civil — Sistema de Emergencias 911',
      service_notice: null,
      expected_datetime: null,
      address: 'Alameda Juan Pablo II y 49 Av. Norte',
      address_id: null,
      zipcode: null,
      lat: SAN_SALVADOR.lat,
      long: SAN_SALVADOR.lon,
      media_url: 'https://fixmystreet.example/photo/42.jpeg',
    });
    expect(rowA.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-06:00$/);
    const requested = new Date(rowA.requested_datetime).getTime();
    expect(Math.abs(requested - Date.now())).toBeLessThan(5 * 60_000);

    const byCode = (await get('/requests.json?service_code=ORDEN.ESCANDALO')).json();
    expect(byCode.map((r: { service_request_id: string }) => r.service_request_id)).toContain(b);
    expect(byCode.every((r: { service_code: string }) => r.service_code === 'ORDEN.ESCANDALO')).toBe(true);
    const byIds = (
      await get(`/requests.json?service_request_id=${a},${b}&service_code=NADA&status=closed`)
    ).json();
    expect(byIds.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual(
      [a, b].sort(),
    );

    // Close A through the staff API; it shows as closed with the closing time.
    const incident = await t.deps.db
      .selectFrom('incidents')
      .select('id')
      .where('folio', '=', a)
      .executeTakeFirstOrThrow();
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/classify`,
      headers: bearer(dispatcher),
      payload: { typeCode: 'TRANSITO.OBSTRUCCION' },
    });
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/close`,
      headers: bearer(dispatcher),
      payload: { closureCode: 'ATENDIDO', summary: 'Se retiró el árbol con apoyo municipal.' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const closedList = (await get('/requests.json?status=closed')).json();
    expect(closedList.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([a]);
    expect(closedList[0]).toMatchObject({ status: 'closed', status_notes: 'El caso fue cerrado.' });
    const openList = (await get('/requests.json?status=open')).json();
    expect(openList.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(a);

    const xml = parseXml((await get(`/requests/${a}.xml`)).body);
    expect(xml.name).toBe('service_requests');
    expect(xml.children).toHaveLength(1);
    expect(childText(xml.children[0]!, 'status')).toBe('closed');
    expect(childText(xml.children[0]!, 'expected_datetime')).toBe('');
    const one = await get(`/requests/${b}.json`);
    expect(one.json()).toHaveLength(1);
    const unknown = await get('/requests/2099-999999.json');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()[0].code).toBe(404);
  });

  it('validates the date range (≤ 90 days), dates and status filters', async () => {
    const tooLong = await get('/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()[0].description).toMatch(/90 días/);
    const inverted = await get(
      '/requests.xml?start_date=2026-03-01T00:00:00-06:00&end_date=2026-02-01T00:00:00-06:00',
    );
    expect(inverted.statusCode).toBe(400);
    expect(parseXml(inverted.body).name).toBe('errors');
    const badDate = await get('/requests.json?start_date=ayer');
    expect(badDate.statusCode).toBe(400);
    const badStatus = await get('/requests.json?status=fixed');
    expect(badStatus.statusCode).toBe(400);
    const old = await get('/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z');
    expect(old.json()).toEqual([]);
    expect(
      parseXml((await get('/requests.xml?start_date=2020-01-01&end_date=2020-02-01')).body).children,
    ).toEqual([]);
  });

  it('never shows description, address or coordinates of sensitive reports on the public feed', async () => {
    const id = await createJson({
      service_code: 'VIF.INTRAFAMILIAR',
      description: 'Mi vecino golpea a su esposa en la casa 14.',
      'attribute[blocking_road]': '',
      'attribute[in_progress]': 'yes',
    });
    const [row] = (await get(`/requests/${id}.json`)).json();
    expect(row).toMatchObject({
      service_code: 'VIF.INTRAFAMILIAR',
      status: 'open',
      description: null,
      address: null,
      lat: null,
      long: null,
      media_url: null,
    });
    expect(JSON.stringify(row)).not.toContain('casa 14');
  });

  it('escapes text in XML so it always parses, and keeps it intact', async () => {
    const tricky = 'Dijo "alto" & <b>corrió</b> hacia el río; l\'arbre \u0007';
    const id = await createJson({ description: tricky });
    const res = await get(`/requests/${id}.xml`);
    const root = parseXml(res.body);
    expect(childText(root.children[0]!, 'description')).toBe(tricky.replace('\u0007', ''));
    expect(res.body).not.toContain('<b>');
  });

  it('has no tokens (realtime server): 404 in the error format', async () => {
    const json = await get('/tokens/abc123.json');
    expect(json.statusCode).toBe(404);
    expect(json.json()[0]).toMatchObject({ code: 404 });
    const xml = await get('/tokens/abc123.xml');
    expect(parseXml(xml.body).name).toBe('errors');
  });

  it('serves discovery in both formats', async () => {
    const json = (await get('/discovery.json')).json();
    expect(json.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      formats: ['text/xml', 'application/json'],
    });
    expect(json.endpoints[0].url).toMatch(/\/open311\/v2$/);
    const xml = parseXml((await get('/discovery.xml')).body);
    const endpoint = child(child(xml, 'endpoints')!, 'endpoint')!;
    expect(child(endpoint, 'formats')!.children.map((f) => f.text)).toEqual(['text/xml', 'application/json']);
  });
});
