import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCandidates } from '../../src/modules/emergencies/dispatch/recommend.js';
import { nearestCandidates, unitIndex } from '../../src/modules/emergencies/dispatch/unit-index.js';
import { ingestPositions } from '../../src/modules/emergencies/index.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { loginAs, makeUser } from '../factories.js';
import { apiClient, CENTRO, makeIncident, makeUnit } from './fixtures.js';

/**
 * The in-memory index of available units (dispatch/unit-index.ts) answers what the SQL form
 * (`loadCandidates`) answers, and follows this process's changes at once.
 */
describe('911 dispatch: in-memory index of available units', () => {
  let t: TestApp;
  let supervisor: string;
  let dispatcher: string;
  let callTaker: string;

  const ids = (list: { unitId: string }[]) => list.map((c) => c.unitId).sort();
  const near = (lon: number, lat: number) => nearestCandidates(t.deps, lon, lat, 5);

  beforeAll(async () => {
    t = await buildTestApp();
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives the same candidates as the database query, for near, wide and country-wide searches', async () => {
    const station = await apiClient(t)('POST', '/stations', supervisor, {
      code: 'IDX-ST',
      name: 'Estación índice',
      departmentCode: 'SV-SS',
      lon: -89.2,
      lat: 13.71,
    });
    expect(station.statusCode, station.body).toBe(201);
    // Index started before the units exist: everything below reaches it through events.
    expect(await near(CENTRO.lon, CENTRO.lat)).toEqual([]);
    for (let i = 0; i < 6; i++) {
      await makeUnit(t, supervisor, `IDX-${i}`, {
        position: { lon: CENTRO.lon + i * 0.02, lat: CENTRO.lat },
      });
    }
    await makeUnit(t, supervisor, 'IDX-FAR', {
      position: { lon: -87.9, lat: 13.4, ageMs: 20 * 60_000 },
      department: 'SV-LU',
    });
    await makeUnit(t, supervisor, 'IDX-STATION', { stationId: station.json().id });
    await makeUnit(t, supervisor, 'IDX-NOWHERE');
    const points = [
      CENTRO,
      { lon: CENTRO.lon + 0.1, lat: CENTRO.lat },
      { lon: -88.3, lat: 13.5 },
      { lon: -87.85, lat: 13.35 },
      { lon: -90.0, lat: 14.2 },
    ];
    for (const wanted of [1, 5, 8, 20]) {
      for (const p of points) {
        const fromIndex = await nearestCandidates(t.deps, p.lon, p.lat, wanted);
        const fromDb = await loadCandidates(t.deps.db, p.lon, p.lat, wanted);
        expect(ids(fromIndex), `${wanted} near ${p.lon},${p.lat}`).toEqual(ids(fromDb));
        const byId = new Map(fromDb.map((c) => [c.unitId, c]));
        for (const c of fromIndex) expect(c).toEqual(byId.get(c.unitId));
      }
    }
    // Country-wide, a unit without position falls back to its station, one without either is left out.
    const all = await nearestCandidates(t.deps, -90.0, 14.2, 20);
    expect(all.find((c) => c.callSign === 'IDX-STATION')).toMatchObject({ fromStation: true, lon: -89.2 });
    expect(all.find((c) => c.callSign === 'IDX-NOWHERE')).toBeUndefined();
  });

  it('follows assignment, release and service changes at once (read your writes)', async () => {
    const unit = await makeUnit(t, supervisor, 'IDX-ASSIGN', {
      position: { lon: CENTRO.lon - 0.001, lat: CENTRO.lat },
    });
    expect(ids(await near(CENTRO.lon, CENTRO.lat))).toContain(unit);
    const incident = await makeIncident(t, callTaker, { location: CENTRO });
    const api = apiClient(t);
    const assigned = await api('POST', `/incidents/${incident}/assignments`, dispatcher, { unitId: unit });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect(ids(await near(CENTRO.lon, CENTRO.lat))).not.toContain(unit);
    const recommended = await api('GET', `/incidents/${incident}/recommendations`, dispatcher);
    expect(recommended.json().items.map((i: { unitId: string }) => i.unitId)).not.toContain(unit);

    const released = await api('POST', `/assignments/${assigned.json().id}/release`, dispatcher, {
      reason: 'Prueba del índice',
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(ids(await near(CENTRO.lon, CENTRO.lat))).toContain(unit);

    const off = await api('POST', `/units/${unit}/service`, supervisor, {
      action: 'out_of_service',
      reason: 'Mantenimiento',
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(ids(await near(CENTRO.lon, CENTRO.lat))).not.toContain(unit);
    await api('POST', `/units/${unit}/service`, supervisor, { action: 'in_service' });
    expect(ids(await near(CENTRO.lon, CENTRO.lat))).toContain(unit);
  });

  it('moves a unit with its positions, never backwards, and ignores a late, older status event', async () => {
    const unit = await makeUnit(t, supervisor, 'IDX-MOVE', { position: { lon: -88.1, lat: 13.9 } });
    const at = (lon: number, lat: number) =>
      nearestCandidates(t.deps, lon, lat, 1).then((list) => list.find((c) => c.unitId === unit));
    expect(await at(-88.1, 13.9)).toBeDefined();
    const now = Date.now();
    await ingestPositions(t.deps, [
      { unitId: unit, lon: -89.8, lat: 13.6, recordedAt: new Date(now + 1_000), source: 'api' },
      { unitId: unit, lon: -88.0, lat: 13.95, recordedAt: new Date(now - 60_000), source: 'api' },
    ]);
    expect(await at(-89.8, 13.6)).toMatchObject({ lon: -89.8, lat: 13.6 });
    expect(await at(-88.1, 13.9)).toBeUndefined();

    // The same status change delivered again later by the bus, older than what the index holds.
    unitIndex(t.deps).apply({
      type: 'unit.status_changed',
      occurredAt: new Date(now - 3_600_000).toISOString(),
      payload: { id: unit, to: 'assigned' },
    });
    expect(await at(-89.8, 13.6)).toBeDefined();
  });

  it('picks up rows written without events at the next rebuild', async () => {
    const id = randomUUID();
    const now = new Date();
    await t.deps.db
      .insertInto('units')
      .values({
        id,
        call_sign: 'IDX-SEEDED',
        kind: 'motorcycle',
        capabilities: '[]',
        station_id: null,
        department_code: 'SV-CH',
        municipality_pcode: null,
        status: 'available',
        status_changed_at: now,
        device_id: null,
        active: true,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.deps.db
      .insertInto('unit_latest_position')
      .values({
        unit_id: id,
        lon: -88.9,
        lat: 14.3,
        speed_kmh: null,
        heading: null,
        accuracy_m: null,
        recorded_at: now,
        received_at: now,
      })
      .execute();
    expect(ids(await near(-88.9, 14.3))).not.toContain(id);
    await unitIndex(t.deps).rebuild();
    expect(ids(await near(-88.9, 14.3))).toContain(id);
    expect(ids(await near(-88.9, 14.3))).toEqual(ids(await loadCandidates(t.deps.db, -88.9, 14.3, 5)));
  });
});
