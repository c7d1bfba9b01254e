import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';

const HERE = { lon: -89.2031, lat: 13.6962 };
const SAN_MIGUEL = { lon: -88.1833, lat: 13.4833 };

describe('911 incidents: nearby open incidents (duplicate warning before intake)', () => {
  let t: TestApp;
  let callTaker: string;
  let dispatcherSanMiguel: string;

  beforeAll(async () => {
    t = await buildTestApp();
    callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    dispatcherSanMiguel = await loginAs(
      t.app,
      await makeUser(t.deps, 'dispatcher', { scope: { level: 'department', code: 'SV-SM' } }),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const create = async (typeCode: string, point: { lon: number; lat: number }) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: bearer(callTaker),
      payload: { typeCode, narrative: 'Llamada de prueba.', location: { ...point, text: 'Referencia' } },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; folio: string };
  };

  const nearby = (token: string, query: string) =>
    t.app.inject({ url: `/api/v1/incidents/nearby?${query}`, headers: bearer(token) });

  it('lists open incidents of the same family within the window, nearest first, with distances', async () => {
    const far = await create('PATRIMONIO.ROBO', { lon: HERE.lon + 0.003, lat: HERE.lat }); // ≈ 325 m
    const near = await create('PATRIMONIO.HURTO', { lon: HERE.lon + 0.0005, lat: HERE.lat }); // ≈ 54 m
    const otherFamily = await create('TRANSITO.ACCIDENTE', HERE);
    const outside = await create('PATRIMONIO.ROBO', { lon: HERE.lon + 0.02, lat: HERE.lat }); // ≈ 2.2 km

    const res = await nearby(callTaker, `lon=${HERE.lon}&lat=${HERE.lat}&family=PATRIMONIO`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; distanceM: number; folio: string; statusName: string }[];
    const ids = items.map((i) => i.id);
    expect(ids.indexOf(near.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(near.id)).toBeLessThan(ids.indexOf(far.id));
    expect(ids).not.toContain(otherFamily.id);
    expect(ids).not.toContain(outside.id);
    const nearItem = items.find((i) => i.id === near.id)!;
    expect(nearItem.distanceM).toBeGreaterThan(40);
    expect(nearItem.distanceM).toBeLessThan(70);
    expect(nearItem).toMatchObject({ folio: near.folio, statusName: 'Clasificado', family: 'PATRIMONIO' });
    // Caller personal data is never part of the answer.
    expect(res.body).not.toMatch(/phone|caller/i);

    // A type code stands for its family.
    const byType = await nearby(callTaker, `lon=${HERE.lon}&lat=${HERE.lat}&family=PATRIMONIO.ROBO`);
    expect(byType.json().items.map((i: { id: string }) => i.id)).toEqual(ids);
  });

  it('leaves out closed incidents and those outside the reader’s territory', async () => {
    const point = { lon: SAN_MIGUEL.lon + 0.0002, lat: SAN_MIGUEL.lat };
    const open = await create('ORDEN.RINA', point);
    const cancelled = await create('ORDEN.RINA', point);
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${cancelled.id}/cancel`,
      headers: bearer(await loginAs(t.app, await makeUser(t.deps, 'dispatcher'))),
      payload: { reason: 'Llamada falsa confirmada' },
    });
    expect(cancel.statusCode).toBe(200);
    const ssIncident = await create('ORDEN.RINA', HERE);

    const sm = await nearby(dispatcherSanMiguel, `lon=${SAN_MIGUEL.lon}&lat=${SAN_MIGUEL.lat}&family=ORDEN`);
    const smIds = sm.json().items.map((i: { id: string }) => i.id);
    expect(smIds).toContain(open.id);
    expect(smIds).not.toContain(cancelled.id);
    // Asking about a point in San Salvador, a San Miguel dispatcher sees nothing of San Salvador.
    const ss = await nearby(dispatcherSanMiguel, `lon=${HERE.lon}&lat=${HERE.lat}&family=ORDEN`);
    expect(ss.statusCode).toBe(200);
    expect(ss.json().items.map((i: { id: string }) => i.id)).not.toContain(ssIncident.id);
    const national = await nearby(callTaker, `lon=${HERE.lon}&lat=${HERE.lat}&family=ORDEN`);
    expect(national.json().items.map((i: { id: string }) => i.id)).toContain(ssIncident.id);
  });

  it('refuses bad queries with 4xx and requires incident.read', async () => {
    const unknown = await nearby(callTaker, `lon=${HERE.lon}&lat=${HERE.lat}&family=NOEXISTE`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('UNKNOWN_INCIDENT_TYPE');
    const missing = await nearby(callTaker, `lon=${HERE.lon}&family=ORDEN`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
    const badLon = await nearby(callTaker, `lon=-500&lat=${HERE.lat}&family=ORDEN`);
    expect(badLon.statusCode).toBe(400);
    const anonymous = await t.app.inject({
      url: `/api/v1/incidents/nearby?lon=${HERE.lon}&lat=${HERE.lat}&family=ORDEN`,
    });
    expect(anonymous.statusCode).toBe(401);
    const admin = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
    const forbidden = await nearby(admin, `lon=${HERE.lon}&lat=${HERE.lat}&family=ORDEN`);
    expect(forbidden.statusCode).toBe(403);
  });
});
