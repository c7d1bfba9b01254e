import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geoModule } from '../src/modules/geo/index.js';
import { identityModule } from '../src/modules/identity/index.js';
import { buildTestApp, type TestApp } from './build-app.js';
import { bearer, loginAs, makeUser } from './factories.js';

describe('geo API', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await buildTestApp({ modules: [identityModule, geoModule] });
    auth = bearer(await loginAs(t.app, await makeUser(t.deps, 'call_taker')));
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  it('requires a session for lists, locate and search', async () => {
    for (const url of [
      '/api/v1/geo/departments',
      '/api/v1/geo/municipalities',
      '/api/v1/geo/districts?municipality=SV10001',
      '/api/v1/geo/locate?lon=-89.1907&lat=13.6989',
      '/api/v1/geo/search?q=usulutan',
    ]) {
      const anonymous = await get(url);
      expect(anonymous.statusCode, url).toBe(401);
      expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
      expect((await get(url, auth)).statusCode, url).toBe(200);
    }
  });

  it('serves boundaries and attribution to anyone (citizen portal map)', async () => {
    for (const url of [
      '/api/v1/geo/boundaries/departments.geojson',
      '/api/v1/geo/boundaries/municipalities.geojson',
      '/api/v1/geo/attribution',
    ]) {
      expect((await get(url)).statusCode, url).toBe(200);
      // A stale or forged token does not block a public route.
      expect((await get(url, bearer('not-a-token'))).statusCode, url).toBe(200);
    }
  });

  it('lists the 14 departments in official order', async () => {
    const res = await get('/api/v1/geo/departments', auth);
    const departments = res.json() as { code: string; officialCode: string; name: string }[];
    expect(departments).toHaveLength(14);
    expect(departments.map((d) => d.officialCode)).toEqual(
      Array.from({ length: 14 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    expect(departments[0]).toMatchObject({ code: 'SV-AH', name: 'Ahuachapán', hdxPcode: 'SV01' });
    expect(departments[5]).toMatchObject({ code: 'SV-SS', name: 'San Salvador', officialCode: '06' });
    expect(departments[13]).toMatchObject({ code: 'SV-UN', name: 'La Unión' });
  });

  it('lists municipalities, all or of one department', async () => {
    expect((await get('/api/v1/geo/municipalities', auth)).json()).toHaveLength(44);
    const ss = (await get('/api/v1/geo/municipalities?department=SV-SS', auth)).json() as { name: string }[];
    expect(ss.map((m) => m.name)).toEqual([
      'San Salvador Centro',
      'San Salvador Este',
      'San Salvador Norte',
      'San Salvador Oeste',
      'San Salvador Sur',
    ]);
    const unknown = await get('/api/v1/geo/municipalities?department=SV-XX', auth);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({
      code: 'GEO_DEPARTMENT_NOT_FOUND',
      message: 'No existe el departamento SV-XX.',
    });
    const malformed = await get('/api/v1/geo/municipalities?department=san%20salvador', auth);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('lists districts of a municipality or a department', async () => {
    const centro = (await get('/api/v1/geo/districts?municipality=SV10001', auth)).json() as {
      id: string;
      name: string;
      municipalityPcode: string;
    }[];
    expect(centro.map((d) => d.name)).toEqual([
      'Ayutuxtepeque',
      'Ciudad Delgado',
      'Cuscatancingo',
      'Mejicanos',
      'San Salvador',
    ]);
    expect(centro.every((d) => d.municipalityPcode === 'SV10001')).toBe(true);
    expect((await get('/api/v1/geo/districts', auth)).json()).toHaveLength(262);
    expect((await get('/api/v1/geo/districts?department=SV-SS', auth)).json()).toHaveLength(19);
    expect((await get('/api/v1/geo/districts?municipality=SV99999', auth)).statusCode).toBe(404);
    expect((await get('/api/v1/geo/districts?municipality=centro', auth)).statusCode).toBe(400);
  });

  it('locates a point', async () => {
    const res = await get('/api/v1/geo/locate?lon=-89.1907&lat=13.6989', auth);
    expect(res.json()).toEqual({
      lon: -89.1907,
      lat: 13.6989,
      insideCountry: true,
      department: { code: 'SV-SS', officialCode: '06', name: 'San Salvador' },
      municipality: { pcode: 'SV10001', name: 'San Salvador Centro' },
      district: { id: 'SV10001-san-salvador', name: 'San Salvador' },
      waterBody: null,
    });
    const lake = (await get('/api/v1/geo/locate?lon=-89.05&lat=13.67', auth)).json();
    expect(lake).toMatchObject({ municipality: null, waterBody: { name: 'Lago de Ilopango' } });
    const guatemala = (await get('/api/v1/geo/locate?lon=-90.5133&lat=14.6349', auth)).json();
    expect(guatemala).toMatchObject({ insideCountry: false, department: null });
  });

  it('refuses bad coordinates with a 400 and a Spanish message', async () => {
    for (const query of [
      'lon=-200&lat=13.7',
      'lon=-89.19&lat=95',
      'lon=abc&lat=13.7',
      'lat=13.7',
      'lon=&lat=13.7',
      'lon=NaN&lat=1',
    ]) {
      const res = await get(`/api/v1/geo/locate?${query}`, auth);
      expect(res.statusCode, query).toBe(400);
      const { error } = res.json();
      expect(error.code, query).toBe('VALIDATION_FAILED');
      expect(error.message).toBe('Los datos enviados no son válidos.');
      expect(error.details.length, query).toBeGreaterThan(0);
    }
    const res = await get('/api/v1/geo/locate?lon=-200&lat=13.7', auth);
    expect(res.json().error.details).toEqual([
      { field: 'querystring.lon', message: 'debe ser mayor o igual que -180' },
    ]);
  });

  it('searches places by name, ignoring accents', async () => {
    const res = await get('/api/v1/geo/search?q=usulutan', auth);
    const [first] = res.json() as { kind: string; name: string; point: { lon: number; lat: number } }[];
    expect(first).toMatchObject({ kind: 'department', name: 'Usulután', id: 'SV-US' });
    // Its point locates back into the department.
    const back = (
      await get(`/api/v1/geo/locate?lon=${first!.point.lon}&lat=${first!.point.lat}`, auth)
    ).json();
    expect(back.department.code).toBe('SV-US');

    const limited = (await get('/api/v1/geo/search?q=san&limit=2&kind=municipality', auth)).json();
    expect(limited).toHaveLength(2);
    expect(limited.every((p: { kind: string }) => p.kind === 'municipality')).toBe(true);
    expect((await get('/api/v1/geo/search?q=', auth)).statusCode).toBe(400);
    expect((await get('/api/v1/geo/search', auth)).statusCode).toBe(400);
    expect((await get('/api/v1/geo/search?q=san&limit=0', auth)).statusCode).toBe(400);
    expect((await get('/api/v1/geo/search?q=san&kind=planet', auth)).statusCode).toBe(400);
  });

  it('serves simplified boundaries as GeoJSON, gzipped on request and cacheable', async () => {
    const res = await get('/api/v1/geo/boundaries/departments.geojson');
    expect(res.headers['content-type']).toContain('application/geo+json');
    const doc = res.json();
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.attribution).toContain('OCHA');
    expect(doc.features).toHaveLength(14);
    expect(doc.features.find((f: { id: string }) => f.id === 'SV-SS').properties).toMatchObject({
      code: 'SV-SS',
      officialCode: '06',
      name: 'San Salvador',
    });
    expect(res.rawPayload.length).toBeLessThan(400_000);

    const gz = await get('/api/v1/geo/boundaries/municipalities.geojson', { 'accept-encoding': 'gzip, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const municipalities = JSON.parse(gunzipSync(gz.rawPayload).toString('utf8'));
    expect(municipalities.features).toHaveLength(44);
    expect(municipalities.features[0].properties).toHaveProperty('pcode');

    const etag = String(gz.headers.etag);
    const again = await get('/api/v1/geo/boundaries/municipalities.geojson', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('publishes the attribution the licences require', async () => {
    const body = (await get('/api/v1/geo/attribution')).json();
    expect(body.text).toContain('OCHA / Humanitarian Data Exchange');
    expect(body.text).toContain('geoBoundaries');
    expect(body.sources.map((s: { id: string }) => s.id)).toEqual([
      'hdx-cod-ab',
      'geoboundaries',
      'decreto-762',
    ]);
  });

  it('documents the routes in OpenAPI', async () => {
    const paths = Object.keys((await get('/docs/openapi.json')).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/geo/departments',
        '/api/v1/geo/locate',
        '/api/v1/geo/search',
        '/api/v1/geo/boundaries/departments.geojson',
        '/api/v1/geo/attribution',
      ]),
    );
  });
});
