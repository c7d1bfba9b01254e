import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePositionPartitions } from '../../src/modules/emergencies/avl/index.js';
import { listPositionPartitions } from '../../src/modules/emergencies/avl/partitions.js';
import { DISPATCH_PERMISSIONS as P } from '../../src/modules/emergencies/index.js';
import { createApiKey } from '../../src/modules/identity/api-keys.service.js';
import { identityDeps } from '../../src/modules/identity/identity.deps.js';
import { systemContext } from '../../src/platform/context.js';
import type { Principal, Scope } from '../../src/platform/http/principal.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';

type Fix = {
  unitId?: string;
  deviceId?: string;
  lon: number;
  lat: number;
  recordedAt: string;
  accuracyM?: number;
  speedKmh?: number;
};

describe('AVL: batch API for the field app and devices, track history, partitions', () => {
  let t: TestApp;
  let supervisor: string;
  let dispatcher: string;
  let officer: string;
  let loneOfficer: string;
  let unitA: string;
  let unitB: string;
  let unitLi: string;

  const api = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  const post = (headers: Record<string, string>, positions: Fix[]) =>
    api('POST', '/avl/positions', headers, { positions });
  const history = (unitId: string) =>
    t.deps.db
      .selectFrom('unit_positions')
      .selectAll()
      .where('unit_id', '=', unitId)
      .orderBy('recorded_at')
      .execute();
  const latest = (unitId: string) =>
    t.deps.db.selectFrom('unit_latest_position').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
  const positionEvents = () =>
    t.deps.db
      .selectFrom('outbox')
      .select(['payload', 'scope', 'actor_type', 'actor_id'])
      .where('type', '=', 'unit.positions')
      .orderBy('seq')
      .execute();
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  async function makeUnit(callSign: string, departmentCode = 'SV-SS', deviceId?: string): Promise<string> {
    const res = await api('POST', '/units', bearer(supervisor), {
      callSign,
      kind: 'patrol_car',
      departmentCode,
      ...(deviceId ? { deviceId } : {}),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  /** An API key as an administrator would issue it (the issuer must hold what it hands out). */
  async function deviceKey(
    scope: Scope,
    permissions: string[] = [P.positionsWrite],
  ): Promise<Record<string, string>> {
    const issuer: Principal = {
      kind: 'user',
      id: (await makeUser(t.deps, 'administrator')).id,
      name: 'issuer',
      sessionId: null,
      roles: [],
      grants: new Map(permissions.map((p) => [p, [{ level: 'national', code: null }]])),
    };
    const created = await createApiKey(identityDeps(t.deps), systemContext(), issuer, {
      name: 'avl device',
      permissions,
      scope,
    });
    return { 'x-api-key': created.key };
  }

  beforeAll(async () => {
    t = await buildTestApp();
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    const officerUser = await makeUser(t.deps, 'field_officer');
    officer = await loginAs(t.app, officerUser);
    loneOfficer = await loginAs(t.app, await makeUser(t.deps, 'field_officer'));
    unitA = await makeUnit('PNC-A1', 'SV-SS', 'DEV-A1');
    unitB = await makeUnit('PNC-B1', 'SV-SS', 'DEV-B1');
    unitLi = await makeUnit('PNC-LI1', 'SV-LI', 'DEV-LI1');
    const crew = await api('POST', `/units/${unitA}/crew`, bearer(supervisor), { userId: officerUser.id });
    expect(crew.statusCode, crew.body).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('a field officer posts 1,000 positions for their unit in one request; one event for the batch', async () => {
    const eventsBefore = (await positionEvents()).length;
    const start = Date.now() - 2 * 3_600_000;
    const positions: Fix[] = Array.from({ length: 1000 }, (_, i) => ({
      lon: -89.2 + i / 100_000,
      lat: 13.7,
      speedKmh: 30,
      accuracyM: 6,
      recordedAt: new Date(start + i * 5000).toISOString(),
    }));
    const res = await post(bearer(officer), positions);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ accepted: 1000, duplicates: 0, rejected: [] });
    const rows = await history(unitA);
    expect(rows.length).toBe(1000);
    expect(rows.every((r) => r.source === 'api')).toBe(true);
    const last = await latest(unitA);
    expect(last!.recorded_at.toISOString()).toBe(positions[999]!.recordedAt);
    expect(last!.lon).toBeCloseTo(-89.2 + 999 / 100_000, 9);

    const events = (await positionEvents()).slice(eventsBefore);
    expect(events.length).toBe(1);
    const payload = (
      typeof events[0]!.payload === 'string' ? JSON.parse(events[0]!.payload) : events[0]!.payload
    ) as {
      positions: { unitId: string; callSign: string; recordedAt: string }[];
    };
    expect(payload.positions).toEqual([
      expect.objectContaining({ unitId: unitA, callSign: 'PNC-A1', recordedAt: positions[999]!.recordedAt }),
    ]);
    expect(events[0]!.actor_type).toBe('user');

    // The same batch again (an offline buffer re-sent): nothing stored twice, no event.
    const again = await post(bearer(officer), positions);
    expect(again.json()).toEqual({ accepted: 0, duplicates: 1000, rejected: [] });
    expect((await history(unitA)).length).toBe(1000);
    expect((await positionEvents()).length).toBe(eventsBefore + 1);
  });

  it('positions are not written to the audit log (high-volume telemetry, ADR 0002)', async () => {
    const audited = await t.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'avl.position%')
      .execute();
    expect(audited).toEqual([]);
  });

  it('out-of-order fixes are kept in history but never move the latest position backwards', async () => {
    const newer = minutesAgo(1);
    const older = minutesAgo(3);
    expect(
      (await post(bearer(officer), [{ lon: -89.1, lat: 13.71, recordedAt: newer }])).json().accepted,
    ).toBe(1);
    expect(
      (await post(bearer(officer), [{ lon: -89.3, lat: 13.69, recordedAt: older }])).json().accepted,
    ).toBe(1);
    const now = await latest(unitA);
    expect(now!.recorded_at.toISOString()).toBe(newer);
    expect(now!.lon).toBe(-89.1);
    expect((await history(unitA)).some((r) => r.recorded_at.toISOString() === older)).toBe(true);
    // Within one batch too: the newest usable fix wins, whatever the order.
    const res = await post(bearer(officer), [
      { lon: -89.15, lat: 13.7, recordedAt: minutesAgo(0.5) },
      { lon: -89.16, lat: 13.7, recordedAt: minutesAgo(0.7) },
    ]);
    expect(res.json().accepted).toBe(2);
    expect((await latest(unitA))!.lon).toBe(-89.15);
  });

  it('a poor fix (accuracy worse than 500 m) is kept in history but does not become the latest position', async () => {
    const before = await latest(unitA);
    const at = minutesAgo(0.1);
    const res = await post(bearer(officer), [{ lon: -88.0, lat: 13.5, accuracyM: 1500, recordedAt: at }]);
    expect(res.json().accepted).toBe(1);
    expect((await latest(unitA))!.recorded_at).toEqual(before!.recorded_at);
    expect((await history(unitA)).find((r) => r.recorded_at.toISOString() === at)!.accuracy_m).toBe(1500);
  });

  it('implausible times are listed as rejected, the rest of the batch is stored', async () => {
    const res = await post(bearer(officer), [
      { lon: -89.2, lat: 13.7, recordedAt: new Date(Date.now() + 3_600_000).toISOString() },
      { lon: -89.2, lat: 13.7, recordedAt: '1999-12-31T23:59:59Z' },
      { lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0.05) },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [0, 'AVL_TIMESTAMP_IN_FUTURE'],
      [1, 'AVL_TIMESTAMP_TOO_OLD'],
    ]);
    expect(body.rejected[0].message).toMatch(/futuro/);
  });

  it('bad input is a 400 and writes nothing', async () => {
    const count = (await history(unitA)).length;
    for (const positions of [
      [{ lon: -89.2, lat: 95, recordedAt: minutesAgo(0) }],
      [{ lon: -189.2, lat: 13.7, recordedAt: minutesAgo(0) }],
      [{ lon: -89.2, lat: 13.7, recordedAt: 'ayer' }],
      [{ lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0), speedKmh: -5 }],
      [{ lon: -89.2, lat: 13.7 } as Fix],
      [],
      Array.from({ length: 1001 }, (_, i) => ({
        lon: -89.2,
        lat: 13.7,
        recordedAt: new Date(Date.now() - i * 1000).toISOString(),
      })),
    ]) {
      const res = await post(bearer(officer), positions);
      expect(res.statusCode, JSON.stringify(positions).slice(0, 80)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await history(unitA)).length).toBe(count);
  });

  it('a field officer cannot post for another unit (by unitId or deviceId), nor without a crew: 403, nothing stored', async () => {
    const other = await post(bearer(officer), [
      { lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0) },
      { unitId: unitB, lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0) },
    ]);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('AVL_NOT_UNIT_CREW');
    const byDevice = await post(bearer(officer), [
      { deviceId: 'DEV-B1', lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0) },
    ]);
    expect(byDevice.statusCode).toBe(403);
    const noCrew = await post(bearer(loneOfficer), [{ lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0) }]);
    expect(noCrew.statusCode).toBe(403);
    expect(noCrew.json().error.code).toBe('AVL_NOT_UNIT_CREW');
    expect(await history(unitB)).toEqual([]);
    // Roles without avl.position.write are refused at the route.
    expect(
      (await post(bearer(dispatcher), [{ unitId: unitB, lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0) }]))
        .statusCode,
    ).toBe(403);
    // And an officer may name their own unit or device explicitly.
    const own = await post(bearer(officer), [
      { deviceId: 'DEV-A1', lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0.02) },
    ]);
    expect(own.json().accepted).toBe(1);
  });

  it('API keys: a unit-scoped key posts for its unit only; a national key for any unit by unitId or deviceId', async () => {
    const unitKey = await deviceKey({ level: 'unit', code: unitB });
    const mine = await post(unitKey, [{ lon: -89.21, lat: 13.72, recordedAt: minutesAgo(2) }]);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().accepted).toBe(1);
    expect((await latest(unitB))!.lon).toBe(-89.21);
    const foreign = await post(unitKey, [
      { unitId: unitLi, lon: -89.2, lat: 13.5, recordedAt: minutesAgo(0) },
    ]);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('OUT_OF_SCOPE');
    expect(
      (await post(unitKey, [{ deviceId: 'DEV-LI1', lon: -89.2, lat: 13.5, recordedAt: minutesAgo(0) }]))
        .statusCode,
    ).toBe(403);

    const national = await deviceKey({ level: 'national', code: null });
    const any = await post(national, [
      { deviceId: 'DEV-LI1', lon: -89.3, lat: 13.5, recordedAt: minutesAgo(1) },
      { unitId: unitB, lon: -89.22, lat: 13.72, recordedAt: minutesAgo(1) },
      { deviceId: 'NOT-A-DEVICE', lon: -89.3, lat: 13.5, recordedAt: minutesAgo(1) },
    ]);
    expect(any.statusCode, any.body).toBe(200);
    expect(any.json().accepted).toBe(2);
    expect(any.json().rejected).toEqual([expect.objectContaining({ index: 2, code: 'AVL_UNKNOWN_DEVICE' })]);
    const anonymous = await post(national, [{ lon: -89.3, lat: 13.5, recordedAt: minutesAgo(1) }]);
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json().error.code).toBe('AVL_UNIT_REQUIRED');

    const department = await deviceKey({ level: 'department', code: 'SV-LI' });
    expect(
      (
        await post(department, [{ unitId: unitLi, lon: -89.3, lat: 13.5, recordedAt: minutesAgo(0.5) }])
      ).json().accepted,
    ).toBe(1);
    expect(
      (await post(department, [{ unitId: unitB, lon: -89.3, lat: 13.5, recordedAt: minutesAgo(0.5) }]))
        .statusCode,
    ).toBe(403);

    const readOnly = await deviceKey({ level: 'national', code: null }, [P.positionsRead]);
    expect(
      (await post(readOnly, [{ unitId: unitB, lon: -89.3, lat: 13.5, recordedAt: minutesAgo(0) }]))
        .statusCode,
    ).toBe(403);
  });

  it('track history: ordered points in a range of at most 24 h, scope-checked, and the read is audited', async () => {
    const from = new Date(Date.now() - 2 * 3_600_000 - 60_000).toISOString();
    const to = new Date(Date.now() - 3_600_000).toISOString();
    const res = await api('GET', `/avl/units/${unitA}/track?from=${from}&to=${to}`, bearer(dispatcher));
    expect(res.statusCode, res.body).toBe(200);
    const track = res.json();
    expect(track.unitId).toBe(unitA);
    expect(track.points.length).toBeGreaterThan(600);
    expect(track.truncated).toBe(false);
    const times = track.points.map((p: { recordedAt: string }) => p.recordedAt);
    expect([...times].sort()).toEqual(times);
    expect(track.points[0]).toMatchObject({ lat: 13.7, speedKmh: 30, accuracyM: 6, source: 'api' });

    const defaultRange = await api('GET', `/avl/units/${unitA}/track`, bearer(dispatcher));
    expect(defaultRange.statusCode).toBe(200);
    expect(defaultRange.json().points.length).toBeGreaterThan(0);

    const tooLong = await api(
      'GET',
      `/avl/units/${unitA}/track?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:01Z`,
      bearer(dispatcher),
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe('AVL_TRACK_RANGE_TOO_LONG');
    const reversed = await api('GET', `/avl/units/${unitA}/track?from=${to}&to=${from}`, bearer(dispatcher));
    expect(reversed.json().error.code).toBe('AVL_TRACK_RANGE_INVALID');
    expect(
      (await api('GET', `/avl/units/00000000-0000-4000-8000-000000000000/track`, bearer(dispatcher)))
        .statusCode,
    ).toBe(404);
    // Field officers have no avl.position.read; a dispatcher of another department is out of scope.
    expect((await api('GET', `/avl/units/${unitA}/track`, bearer(officer))).statusCode).toBe(403);
    const other = await loginAs(
      t.app,
      await makeUser(t.deps, 'dispatcher', { scope: { level: 'department', code: 'SV-LI' } }),
    );
    const outOfScope = await api('GET', `/avl/units/${unitA}/track`, bearer(other));
    expect(outOfScope.statusCode).toBe(403);
    expect(outOfScope.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await api('GET', `/avl/units/${unitLi}/track`, bearer(other))).statusCode).toBe(200);

    const audited = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'avl.track.read')
      .execute();
    expect(audited.filter((a) => a.entity_id === unitA).length).toBe(2);
  });

  it('monthly partitions: current and next month created, rows moved out of the default partition, idempotent', async () => {
    const db = t.deps.db;
    const now = new Date();
    const created = await ensurePositionPartitions(db, now);
    expect(created.length).toBe(2);
    expect(await ensurePositionPartitions(db, now)).toEqual([]);
    const names = (await listPositionPartitions(db)).map((p) => p.name);
    const y = now.getUTCFullYear();
    const m = now.getUTCMonth();
    const name = (d: Date) =>
      `unit_positions_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(names).toContain(name(new Date(Date.UTC(y, m, 1))));
    expect(names).toContain(name(new Date(Date.UTC(y, m + 1, 1))));
    expect(names).toContain('unit_positions_default');

    // A fix of the current month now lands in its partition.
    expect(
      (await post(bearer(officer), [{ lon: -89.2, lat: 13.7, recordedAt: minutesAgo(0.01) }])).json()
        .accepted,
    ).toBe(1);
    const { rows } = await (await import('kysely')).sql<{ part: string }>`
      SELECT tableoid::regclass::text AS part FROM unit_positions WHERE unit_id = ${unitA} ORDER BY recorded_at DESC LIMIT 1`.execute(
      db,
    );
    expect(rows[0]!.part).toBe(name(now));

    // Rows already in the default partition for a month that gets its partition later are moved.
    const later = new Date(Date.UTC(y, m + 3, 10));
    await db
      .insertInto('unit_positions')
      .values({
        unit_id: unitB,
        recorded_at: later,
        received_at: later,
        lon: -89.2,
        lat: 13.7,
        speed_kmh: null,
        heading: null,
        accuracy_m: null,
        source: 'api',
        attributes: null,
      })
      .execute();
    const defaultBefore = (await listPositionPartitions(db)).find(
      (p) => p.name === 'unit_positions_default',
    )!.rows;
    const moved = await ensurePositionPartitions(db, later, 0);
    expect(moved).toEqual([name(later)]);
    const after = await listPositionPartitions(db);
    expect(after.find((p) => p.name === name(later))!.rows).toBe(1);
    expect(after.find((p) => p.name === 'unit_positions_default')!.rows).toBe(defaultBefore - 1);
    // The unique (unit, time) index covers the new partition too.
    await expect(
      db
        .insertInto('unit_positions')
        .values({
          unit_id: unitB,
          recorded_at: later,
          received_at: later,
          lon: 0,
          lat: 0,
          speed_kmh: null,
          heading: null,
          accuracy_m: null,
          source: 'api',
          attributes: null,
        })
        .execute(),
    ).rejects.toThrow();
  });
});
