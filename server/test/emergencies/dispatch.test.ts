import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emergenciesDeps, raiseEscalations } from '../../src/modules/emergencies/index.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { loginAs, makeUser } from '../factories.js';
import { apiClient, CENTRO, makeIncident as makeIncidentWith, makeUnit as makeUnitWith } from './fixtures.js';

describe('911 dispatch: units, recommendation, assignment, field progress, escalation', () => {
  let t: TestApp;
  let supervisor: string;
  let dispatcher: string;
  let callTaker: string;
  let officer: { id: string; token: string };
  let otherOfficer: string;
  let stationId: string;

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
    apiClient(t)(method, url, token, payload);
  const makeUnit = (callSign: string, position?: { lon: number; lat: number; ageMs?: number }) =>
    makeUnitWith(t, supervisor, callSign, { ...(position ? { position } : {}), stationId });
  const makeIncident = (location = CENTRO) => makeIncidentWith(t, callTaker, { location });

  beforeAll(async () => {
    t = await buildTestApp();
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    const officerUser = await makeUser(t.deps, 'field_officer');
    officer = { id: officerUser.id, token: await loginAs(t.app, officerUser) };
    otherOfficer = await loginAs(t.app, await makeUser(t.deps, 'field_officer'));
    const station = await api('POST', '/stations', supervisor, {
      code: 'DT-CENTRO',
      name: 'Delegación Centro',
      departmentCode: 'SV-SS',
      lon: -89.19,
      lat: 13.7,
    });
    expect(station.statusCode, station.body).toBe(201);
    stationId = station.json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('recommends the nearest available unit in the territory and explains why', async () => {
    const near = await makeUnit('PNC-101', { lon: CENTRO.lon + 0.005, lat: CENTRO.lat });
    const far = await makeUnit('PNC-102', { lon: CENTRO.lon + 0.05, lat: CENTRO.lat });
    const stale = await makeUnit('PNC-103', { lon: CENTRO.lon + 0.004, lat: CENTRO.lat, ageMs: 30 * 60_000 });
    const incident = await makeIncident();
    const res = await api('GET', `/incidents/${incident}/recommendations`, dispatcher);
    expect(res.statusCode, res.body).toBe(200);
    const ids = res.json().items.map((i: { unitId: string }) => i.unitId);
    expect(ids.indexOf(near)).toBe(0);
    expect(ids.indexOf(far)).toBeGreaterThan(0);
    const staleItem = res.json().items.find((i: { unitId: string }) => i.unitId === stale);
    expect(staleItem.stalePosition).toBe(true);
    expect(staleItem.reasons.join(' ')).toMatch(/desactualizada/);
    expect(res.json().items[0].reasons[0]).toMatch(/llegada estimada/);
    expect(res.json().items[0].etaSeconds).toBeGreaterThan(0);
  });

  it('runs an incident from dispatch to resolution through the field app', async () => {
    const unit = await makeUnit('PNC-201', { lon: CENTRO.lon, lat: CENTRO.lat + 0.01 });
    const crew = await api('POST', `/units/${unit}/crew`, supervisor, { userId: officer.id });
    expect(crew.statusCode, crew.body).toBe(200);
    const incident = await makeIncident();

    const assigned = await api('POST', `/incidents/${incident}/assignments`, dispatcher, {
      unitId: unit,
      recommended: true,
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const assignmentId = assigned.json().id;
    expect((await api('GET', `/incidents/${incident}`, dispatcher)).json().status).toBe('dispatched');

    const again = await api('POST', `/incidents/${await makeIncident()}/assignments`, dispatcher, {
      unitId: unit,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('UNIT_NOT_AVAILABLE');

    const me = (await api('GET', '/field/me', officer.token)).json();
    expect(me.assignment.id).toBe(assignmentId);
    expect(me.incident.id).toBe(incident);
    expect(me.navigationUrl).toContain('openstreetmap.org');

    const foreign = await api('POST', `/field/assignments/${assignmentId}/en-route`, otherOfficer, {});
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('NOT_UNIT_CREW');

    for (const step of ['acknowledge', 'en-route', 'on-scene']) {
      const res = await api('POST', `/field/assignments/${assignmentId}/${step}`, officer.token, {});
      expect(res.statusCode, `${step}: ${res.body}`).toBe(200);
    }
    const onScene = (await api('GET', `/incidents/${incident}`, officer.token)).json();
    expect(onScene.status).toBe('on_scene');
    expect(onScene.times.firstOnSceneAt).not.toBeNull();

    const backup = await api('POST', '/field/backup', officer.token, {
      reason: 'Hay más personas involucradas',
      urgent: true,
    });
    expect(backup.statusCode).toBe(202);

    const cleared = await api('POST', `/field/assignments/${assignmentId}/clear`, officer.token, {
      note: 'Lesionado trasladado',
    });
    expect(cleared.statusCode).toBe(200);
    const resolved = (await api('GET', `/incidents/${incident}`, dispatcher)).json();
    expect(resolved.status).toBe('resolved');
    const times = resolved.times;
    expect(new Date(times.firstAssignedAt) <= new Date(times.firstEnRouteAt)).toBe(true);
    expect(new Date(times.firstEnRouteAt) <= new Date(times.firstOnSceneAt)).toBe(true);
    expect(new Date(times.firstOnSceneAt) <= new Date(times.clearedAt)).toBe(true);
    const unitAfter = (await api('GET', `/units/${unit}`, dispatcher)).json();
    expect(unitAfter.status).toBe('available');

    const timeline = (await api('GET', `/incidents/${incident}/timeline`, dispatcher)).json().items;
    const kinds = timeline.map((i: { kind: string; toStatus: string | null }) => i.toStatus ?? i.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['dispatched', 'en_route', 'on_scene', 'backup_requested', 'resolved']),
    );
    const closed = await api('POST', `/incidents/${incident}/close`, dispatcher, {
      closureCode: 'ATENDIDO',
      summary: 'Lesionado atendido.',
    });
    expect(closed.json().status).toBe('closed');
  });

  it('requeues an incident when its only unit is released before arriving, with a reason', async () => {
    const unit = await makeUnit('PNC-301', { lon: CENTRO.lon, lat: CENTRO.lat });
    const incident = await makeIncident();
    const assignment = (
      await api('POST', `/incidents/${incident}/assignments`, dispatcher, { unitId: unit })
    ).json();
    const noReason = await api('POST', `/assignments/${assignment.id}/release`, dispatcher, {});
    expect(noReason.statusCode).toBe(400);
    const released = await api('POST', `/assignments/${assignment.id}/release`, dispatcher, {
      reason: 'Unidad desviada a P1',
    });
    expect(released.statusCode).toBe(200);
    expect((await api('GET', `/incidents/${incident}`, dispatcher)).json().status).toBe('classified');
    expect((await api('GET', `/units/${unit}`, dispatcher)).json().status).toBe('available');
  });

  it('never assigns one unit to two incidents, even under 50 concurrent requests', async () => {
    const unit = await makeUnit('PNC-401', { lon: CENTRO.lon, lat: CENTRO.lat });
    const incidents = [];
    for (let i = 0; i < 50; i++)
      incidents.push(await makeIncident({ lon: CENTRO.lon + i * 0.01, lat: CENTRO.lat }));
    const results = await Promise.all(
      incidents.map((id) => api('POST', `/incidents/${id}/assignments`, dispatcher, { unitId: unit })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    const active = await t.deps.db
      .selectFrom('incident_assignments')
      .selectAll()
      .where('unit_id', '=', unit)
      .where('released_at', 'is', null)
      .where('cleared_at', 'is', null)
      .execute();
    expect(active).toHaveLength(1);
  });

  it('raises one escalation per late stage for the territory supervisors', async () => {
    const incident = await makeIncident();
    const e = emergenciesDeps(t.deps);
    const later = new Date(Date.now() + 2 * 3600_000);
    expect(await raiseEscalations(e, later)).toBeGreaterThan(0);
    expect(await raiseEscalations(e, later)).toBe(0);
    const list = (await api('GET', '/escalations', supervisor)).json().items;
    const mine = list.filter((x: { incidentId: string }) => x.incidentId === incident);
    expect(mine.map((x: { stage: string }) => x.stage).sort()).toEqual(['dispatch', 'on_scene']);
    const event = await t.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'dispatch.escalation')
      .where('entity_id', '=', incident)
      .execute();
    expect(event).toHaveLength(2);
    expect(event[0]!.topic).toBe('alerts');
    const ack = await api('POST', `/escalations/${mine[0].id}/acknowledge`, supervisor);
    expect(ack.statusCode).toBe(204);
    const denied = await api('POST', `/escalations/${mine[1].id}/acknowledge`, dispatcher);
    expect(denied.statusCode).toBe(403);
  });

  it('changes response-time targets only with a reason and the right permission', async () => {
    const items = [{ priority: 1, answerSeconds: 10, dispatchSeconds: 60, onSceneSeconds: 480 }];
    expect(
      (await api('PUT', '/response-targets', dispatcher, { items, reason: 'Nueva meta' })).statusCode,
    ).toBe(403);
    expect((await api('PUT', '/response-targets', supervisor, { items })).statusCode).toBe(400);
    const ok = await api('PUT', '/response-targets', supervisor, {
      items,
      reason: 'Meta institucional 2027',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items[0]).toMatchObject(items[0]!);
  });
});
