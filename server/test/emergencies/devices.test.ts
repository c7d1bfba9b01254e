import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import { apiKeyHeader, issueApiKey } from './intake-helpers.js';

const SAN_SALVADOR = { lon: -89.1907, lat: 13.6989 };
const SAN_MIGUEL = { lon: -88.1833, lat: 13.4833 };
const SANTA_ANA = { lon: -89.5597, lat: 13.9942 };

describe('911 alert devices (panic buttons)', () => {
  let t: TestApp;
  let admin: string;
  let supervisor: string;
  let dispatcher: string;
  let callTaker: string;
  let keyA: { id: string; key: string };
  let keyB: { id: string; key: string };
  let nationalKey: { id: string; key: string };
  let otherPermissionKey: { id: string; key: string };

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    keyA = await issueApiKey(t.app, admin, 'boton PB-1', ['device.alert.send'], {
      level: 'unit',
      code: 'PB-1',
    });
    keyB = await issueApiKey(t.app, admin, 'boton PB-2', ['device.alert.send'], {
      level: 'unit',
      code: 'PB-2',
    });
    nationalKey = await issueApiKey(t.app, admin, 'pasarela nacional', ['device.alert.send']);
    otherPermissionKey = await issueApiKey(t.app, admin, 'lector', ['alpr.read.ingest']);

    const devices = [
      {
        code: 'PB-1',
        kind: 'panic_button',
        description: 'Farmacia, mostrador',
        ownerName: 'Ana Martínez',
        ownerContact: '+503 7000-1111',
        ...SAN_SALVADOR,
        address: 'Calle Arce 123, San Salvador',
        apiKeyId: keyA.id,
      },
      {
        code: 'PB-2',
        kind: 'panic_button',
        ...SANTA_ANA,
        address: 'Av. Independencia, Santa Ana',
        apiKeyId: keyB.id,
      },
      { code: 'PB-3', kind: 'alarm_panel', ...SAN_MIGUEL, active: false },
    ];
    for (const device of devices) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: bearer(supervisor),
        payload: device,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const alert = (code: string, key: string, body: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${code}/alerts`,
      headers: apiKeyHeader(key),
      payload: body,
    });

  const countIncidents = async (channel: string) =>
    (
      await t.deps.db
        .selectFrom('incidents')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('channel', '=', channel)
        .executeTakeFirstOrThrow()
    ).n;

  it('a panic creates a priority-1 panic incident at the device location, with the owner as caller', async () => {
    const res = await alert('PB-1', keyA.key, { alertId: 'a-1', triggeredAt: new Date().toISOString() });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      outcome: 'incident_created',
      kind: 'panic',
      deviceCode: 'PB-1',
      duplicate: false,
    });
    expect(body.folio).toMatch(/^\d{4}-\d{6}$/);

    const incident = await t.app.inject({
      url: `/api/v1/incidents/${body.incidentId}`,
      headers: bearer(dispatcher),
    });
    expect(incident.statusCode).toBe(200);
    expect(incident.json()).toMatchObject({
      channel: 'panic',
      typeCode: 'ALERTAS.PANICO',
      priority: 1,
      location: { ...SAN_SALVADOR, departmentCode: 'SV-SS' },
    });
    const callers = await t.app.inject({
      url: `/api/v1/incidents/${body.incidentId}/callers`,
      headers: bearer(dispatcher),
    });
    expect(callers.json().items[0]).toMatchObject({ name: 'Ana Martínez', phone: '+503 7000-1111' });
    const row = await t.deps.db
      .selectFrom('incidents')
      .select(['external_source', 'external_ref'])
      .where('id', '=', body.incidentId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ external_source: 'device', external_ref: 'PB-1:a-1' });
  });

  it('a second panic while the incident is open attaches to it instead of creating another', async () => {
    const before = await countIncidents('panic');
    const first = (await alert('PB-1', keyA.key, { alertId: 'a-1' })).json();
    const res = await alert('PB-1', keyA.key, { alertId: 'a-2', kind: 'panic' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      outcome: 'attached',
      incidentId: first.incidentId,
      folio: first.folio,
    });
    expect(await countIncidents('panic')).toBe(before);
    const timeline = await t.app.inject({
      url: `/api/v1/incidents/${first.incidentId}/timeline`,
      headers: bearer(dispatcher),
    });
    const kinds = timeline.json().items.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('device_panic_repeated');
  });

  it('is idempotent by alertId, and refuses the same alertId with another kind', async () => {
    const alertsBefore = await t.deps.db
      .selectFrom('device_alerts')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const incidentsBefore = await countIncidents('panic');
    const again = await alert('PB-1', keyA.key, { alertId: 'a-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, outcome: 'incident_created' });
    const conflict = await alert('PB-1', keyA.key, { alertId: 'a-1', kind: 'test' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('DEVICE_ALERT_ID_CONFLICT');
    const alertsAfter = await t.deps.db
      .selectFrom('device_alerts')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(alertsAfter.n).toBe(alertsBefore.n);
    expect(await countIncidents('panic')).toBe(incidentsBefore);
  });

  it('logs a test alert without creating an incident', async () => {
    const before = await countIncidents('panic');
    const res = await alert('PB-2', keyB.key, { alertId: 't-1', kind: 'test' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ outcome: 'test_logged', incidentId: null, folio: null });
    expect(await countIncidents('panic')).toBe(before);
    const history = await t.app.inject({ url: '/api/v1/devices/PB-2/alerts', headers: bearer(callTaker) });
    expect(history.json().items[0]).toMatchObject({ alertId: 't-1', kind: 'test', outcome: 'test_logged' });
    const device = await t.app.inject({ url: '/api/v1/devices/PB-2', headers: bearer(callTaker) });
    expect(device.json().lastAlertAt).not.toBeNull();
  });

  it("refuses another device's key with 403, and a key without the permission", async () => {
    const wrong = await alert('PB-1', keyB.key, { alertId: 'x-1' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('DEVICE_KEY_MISMATCH');
    const noPermission = await alert('PB-1', otherPermissionKey.key, { alertId: 'x-2' });
    expect(noPermission.statusCode).toBe(403);
    expect(noPermission.json().error.code).toBe('FORBIDDEN');
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/PB-1/alerts',
      payload: { alertId: 'x' },
    });
    expect(none.statusCode).toBe(401);
    const stored = await t.deps.db
      .selectFrom('device_alerts')
      .select('alert_id')
      .where('alert_id', 'in', ['x-1', 'x-2', 'x'])
      .execute();
    expect(stored).toEqual([]);
  });

  it('without a linked key, a key scoped to the device code speaks for it; once linked, only the linked one', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: bearer(admin),
      payload: { code: 'PB-4', kind: 'panic_button', ...SAN_MIGUEL },
    });
    expect(created.statusCode, created.body).toBe(201);
    const scoped = await issueApiKey(t.app, admin, 'boton PB-4', ['device.alert.send'], {
      level: 'unit',
      code: 'PB-4',
    });
    const own = await alert('PB-4', scoped.key, { alertId: 's-1', kind: 'test' });
    expect(own.statusCode, own.body).toBe(201);
    const foreign = await alert('PB-4', keyA.key, { alertId: 's-2', kind: 'test' });
    expect(foreign.json().error.code).toBe('DEVICE_KEY_MISMATCH');
    const linked = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/devices/PB-4',
      headers: bearer(admin),
      payload: { apiKeyId: keyB.id },
    });
    expect(linked.json().apiKeyId).toBe(keyB.id);
    const unlinked = await alert('PB-4', scoped.key, { alertId: 's-3', kind: 'test' });
    expect(unlinked.statusCode).toBe(403);
    expect((await alert('PB-4', keyB.key, { alertId: 's-4', kind: 'test' })).statusCode).toBe(201);
  });

  it('a national key may relay any device; coordinates in the alert override the fixed location', async () => {
    const res = await alert('PB-2', nationalKey.key, { alertId: 'n-1', ...SAN_MIGUEL });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().outcome).toBe('incident_created');
    const incident = await t.app.inject({
      url: `/api/v1/incidents/${res.json().incidentId}`,
      headers: bearer(dispatcher),
    });
    expect(incident.json().location).toMatchObject({ ...SAN_MIGUEL, departmentCode: 'SV-SM' });
    expect(incident.json().priority).toBe(1);
  });

  it('notes a cancel on the open incident, and says so when there is none', async () => {
    const res = await alert('PB-2', keyB.key, { alertId: 'c-1', kind: 'cancel' });
    expect(res.json()).toMatchObject({ outcome: 'cancel_noted' });
    const timeline = await t.app.inject({
      url: `/api/v1/incidents/${res.json().incidentId}/timeline`,
      headers: bearer(dispatcher),
    });
    expect(timeline.json().items.map((e: { kind: string }) => e.kind)).toContain('device_cancel_received');
    const status = await t.app.inject({
      url: `/api/v1/incidents/${res.json().incidentId}`,
      headers: bearer(dispatcher),
    });
    expect(status.json().status).toBe('received');

    const fresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: bearer(admin),
      payload: { code: 'APP-9', kind: 'app' },
    });
    expect(fresh.statusCode, fresh.body).toBe(201);
    const lonely = await alert('APP-9', nationalKey.key, { alertId: 'c-2', kind: 'cancel' });
    expect(lonely.json()).toMatchObject({ outcome: 'cancel_without_incident', incidentId: null });
  });

  it('refuses alerts for unknown and deactivated devices, and half-given coordinates', async () => {
    const unknown = await alert('NO-EXISTE', nationalKey.key, { alertId: 'u-1' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('DEVICE_NOT_FOUND');
    const inactive = await alert('PB-3', nationalKey.key, { alertId: 'i-1' });
    expect(inactive.statusCode).toBe(409);
    expect(inactive.json().error.code).toBe('DEVICE_INACTIVE');
    const half = await alert('PB-1', keyA.key, { alertId: 'h-1', lon: -89.2 });
    expect(half.statusCode).toBe(400);
    expect(half.json().error.code).toBe('LOCATION_INCOMPLETE');
  });

  it('keeps owner data out of listings and audits every read of it', async () => {
    const list = await t.app.inject({ url: '/api/v1/devices', headers: bearer(callTaker) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Ana Martínez');
    expect(list.body).not.toContain('7000-1111');
    expect(list.json().items.find((d: { code: string }) => d.code === 'PB-1')).toMatchObject({
      hasOwner: true,
    });

    const refused = await t.app.inject({
      url: '/api/v1/devices/PB-1/owner?purpose=verificar',
      headers: bearer(callTaker),
    });
    expect(refused.statusCode).toBe(403);
    const noPurpose = await t.app.inject({ url: '/api/v1/devices/PB-1/owner', headers: bearer(dispatcher) });
    expect(noPurpose.statusCode).toBe(400);

    const owner = await t.app.inject({
      url: `/api/v1/devices/PB-1/owner?purpose=${encodeURIComponent('Incidente de pánico en curso')}`,
      headers: bearer(dispatcher),
    });
    expect(owner.statusCode).toBe(200);
    expect(owner.json()).toMatchObject({ ownerName: 'Ana Martínez', ownerContact: '+503 7000-1111' });
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', owner.json().deviceId)
      .where('action', '=', 'personal_data.read')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.reason).toBe('Incidente de pánico en curso');
    const created = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', owner.json().deviceId)
      .where('action', '=', 'device.created')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(created.changes)).not.toContain('Ana');
  });

  it('lets administrators and supervisors manage devices, and refuses bad input with 4xx', async () => {
    const asCallTaker = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: bearer(callTaker),
      payload: { code: 'PB-9', kind: 'panic_button', ...SAN_SALVADOR },
    });
    expect(asCallTaker.statusCode).toBe(403);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ code: 'PB-1', kind: 'panic_button', ...SAN_SALVADOR }, 409, 'DEVICE_CODE_TAKEN'],
      [{ code: 'PB-8', kind: 'panic_button' }, 400, 'DEVICE_LOCATION_REQUIRED'],
      [{ code: 'PB-8', kind: 'panic_button', lon: -89.2 }, 400, 'LOCATION_INCOMPLETE'],
      [{ code: 'PB-8', kind: 'panic_button', lon: -3.7, lat: 40.4 }, 400, 'LOCATION_OUTSIDE_COUNTRY'],
      [{ code: 'PB 8', kind: 'panic_button', ...SAN_SALVADOR }, 400, 'VALIDATION_FAILED'],
      [{ code: 'PB-8', kind: 'toaster', ...SAN_SALVADOR }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: bearer(admin),
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect(
      await t.deps.db.selectFrom('alert_devices').select('code').where('code', '=', 'PB-8').execute(),
    ).toEqual([]);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/devices/PB-2',
      headers: bearer(supervisor),
      payload: { ownerName: 'Luis Pérez', address: 'Av. Independencia 4, Santa Ana' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ hasOwner: true, version: 2 });
    const removed = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/devices/PB-2',
      headers: bearer(admin),
    });
    expect(removed.json()).toMatchObject({ active: false });
    const afterRemoval = await alert('PB-2', keyB.key, { alertId: 'z-1' });
    expect(afterRemoval.json().error.code).toBe('DEVICE_INACTIVE');
  });
});
