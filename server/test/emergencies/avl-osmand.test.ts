import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osmandPort } from '../../src/modules/emergencies/index.js';
import { buildTestApp, type TestApp, testConfig } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';

/**
 * The Traccar OsmAnd protocol on its own listening port, exercised with real HTTP requests — the
 * requests of Traccar's OsmAndProtocolDecoderTest and the Traccar Client 9 JSON body
 * (docs/standards/traccar-osmand.md).
 */
describe('AVL: OsmAnd protocol (Traccar Client) on its own port', () => {
  let t: TestApp;
  let base: string;
  const units = new Map<string, string>(); // device id → unit id

  const send = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
  const rowsOf = (device: string) =>
    t.deps.db
      .selectFrom('unit_positions')
      .selectAll()
      .where('unit_id', '=', units.get(device)!)
      .orderBy('recorded_at')
      .execute();
  const latestOf = (device: string) =>
    t.deps.db
      .selectFrom('unit_latest_position')
      .selectAll()
      .where('unit_id', '=', units.get(device)!)
      .executeTakeFirst();
  const attributesOf = (row: { attributes: unknown }) =>
    (typeof row.attributes === 'string' ? JSON.parse(row.attributes) : row.attributes) as Record<
      string,
      unknown
    >;

  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ avlOsmandPort: 0 }) });
    await t.startBackground();
    const port = osmandPort(t.deps);
    expect(port).toBeGreaterThan(0);
    base = `http://127.0.0.1:${port}`;
    const supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    const devices = [
      '902064',
      '353861053849681',
      '123456',
      '861001000719969',
      '123456789012345',
      '8737767034',
      'PNC-0042',
      'PNC-RETIRED',
    ];
    for (const [i, deviceId] of devices.entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/units',
        headers: bearer(supervisor),
        payload: { callSign: `AVL-${i}`, kind: 'patrol_car', departmentCode: 'SV-SS', deviceId },
      });
      expect(res.statusCode, res.body).toBe(201);
      units.set(deviceId, res.json().id);
    }
    // A fleet for the volume tests, inserted directly (the API path is covered above).
    const now = new Date();
    const fleet = Array.from({ length: 40 }, (_, i) => ({
      id: randomUUID(),
      call_sign: `FLEET-${i}`,
      kind: 'motorcycle' as const,
      capabilities: JSON.stringify([]),
      station_id: null,
      department_code: i % 2 ? 'SV-SS' : 'SV-LI',
      municipality_pcode: null,
      status: 'available' as const,
      status_changed_at: now,
      device_id: `FLEET-${i}`,
      active: true,
      created_at: now,
      updated_at: now,
    }));
    await t.deps.db.insertInto('units').values(fleet).execute();
    for (const u of fleet) units.set(u.device_id, u.id);
    await t.deps.db
      .updateTable('units')
      .set({ active: false })
      .where('device_id', '=', 'PNC-RETIRED')
      .execute();
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('query form with an ISO-8601 timestamp: 200, empty body, fix stored with its attributes', async () => {
    const res = await send(
      '/?id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0&altitude=224.0&speed=0.0',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('0');
    expect(await res.text()).toBe('');
    const [row] = await rowsOf('902064');
    expect(row!.recorded_at.toISOString()).toBe('2016-01-27T18:55:47.000Z');
    expect(row!.lat).toBe(42.06288);
    expect(row!.lon).toBe(-88.23412);
    expect(row!.speed_kmh).toBe(0);
    expect(row!.source).toBe('osmand');
    expect(attributesOf(row!)).toMatchObject({ hdop: 6, altitude: 224, speedKnots: 0 });
  });

  it('epoch timestamps: milliseconds at or above 2^31−1, seconds below (Traccar threshold)', async () => {
    expect(
      (
        await send(
          '/?id=902064&lat=42.06288&lon=-88.23412&timestamp=1442068686579&hdop=6.0&altitude=224.0&speed=0.0',
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await send(
          '/?id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&hdop=0.0',
        )
      ).status,
    ).toBe(200);
    const ms = await rowsOf('902064');
    expect(ms.map((r) => r.recorded_at.toISOString())).toContain('2015-09-12T14:38:06.579Z');
    const seconds = await rowsOf('123456');
    expect(seconds[0]!.recorded_at.toISOString()).toBe('2013-08-22T13:14:27.000Z');
    expect(seconds[0]!.heading).toBe(0);
  });

  it('the local "yyyy-MM-dd HH:mm:ss" form is read in the server time zone', async () => {
    const res = await send(
      '/?lat=49.60688&lon=6.15788&timestamp=2014-06-04+09%3A10%3A11&altitude=384.7&speed=0.0&id=353861053849681',
    );
    expect(res.status).toBe(200);
    const [row] = await rowsOf('353861053849681');
    expect(row!.recorded_at.getTime()).toBe(new Date(2014, 5, 4, 9, 10, 11).getTime());
    expect(attributesOf(row!).altitude).toBe(384.7);
  });

  it('deviceid instead of id; no timestamp means the receive time; unknown params become typed attributes', async () => {
    const before = Date.now();
    const res = await send(
      '/?lat=60.0&lon=30.0&speed=0.0&heading=0.0&vacc=0&hacc=0&altitude=0&deviceid=123456',
    );
    expect(res.status).toBe(200);
    const rows = await rowsOf('123456');
    const last = rows.at(-1)!;
    expect(last.recorded_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(attributesOf(last)).toMatchObject({ vacc: 0, hacc: 0 });

    expect(
      (
        await send(
          '/?id=861001000719969&lat=41.666667&lon=-0.883333&altitude=350.059479&speed=0.000000&batt=87',
        )
      ).status,
    ).toBe(200);
    const [batt] = await rowsOf('861001000719969');
    expect(attributesOf(batt!)).toMatchObject({ batteryLevel: 87, altitude: 350.059479 });

    expect(
      (
        await send(
          '/?id=123456789012345&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571&bearing=7.19889788244&speed=40&ignition=true&rpm=933&fuel=24',
        )
      ).status,
    ).toBe(200);
    const [typed] = await rowsOf('123456789012345');
    expect(typed!.recorded_at.toISOString()).toBe(new Date(1504763810 * 1000).toISOString());
    // 40 knots → 74.08 km/h (raw knots kept)
    expect(typed!.speed_kmh).toBeCloseTo(74.08, 6);
    expect(typed!.heading).toBeCloseTo(7.19889788244, 9);
    const attrs = attributesOf(typed!);
    expect(attrs).toMatchObject({ speedKnots: 40, ignition: true, rpm: 933, fuel: 24 });
    expect(typeof attrs.ignition).toBe('boolean');
    expect(typeof attrs.rpm).toBe('number');
  });

  it('location=lat,lon is accepted; the same unit and time again is a duplicate stored once', async () => {
    const before = (await rowsOf('123456')).length;
    expect((await send('/?id=123456&timestamp=1377177267&location=60.0,30.0')).status).toBe(200);
    expect((await rowsOf('123456')).length).toBe(before); // same fix time as an earlier request
    expect((await send('/?id=123456&timestamp=1377177300&location=13.6929,-89.2182')).status).toBe(200);
    const row = (await rowsOf('123456')).find(
      (r) => r.recorded_at.toISOString() === '2013-08-22T13:15:00.000Z',
    );
    expect(row).toMatchObject({ lat: 13.6929, lon: -89.2182 });
  });

  it('cell towers and wifi without coordinates: acknowledged, nothing stored (no fix)', async () => {
    const before = (await rowsOf('123456')).length;
    const res = await send(
      '/?id=123456&timestamp=1377177267&cell=257,02,16,2224&cell=257,02,16,2223,-90&wifi=00-14-22-01-23-45,-80&wifi=00-1C-B3-09-85-15,-70',
    );
    expect(res.status).toBe(200);
    expect((await rowsOf('123456')).length).toBe(before);
    // With coordinates the network data is kept as typed attributes.
    expect(
      (
        await send(
          '/?id=123456&timestamp=1377177400&lat=13.7&lon=-89.2&cell=257,02,16,2223,-90&wifi=00-14-22-01-23-45,-80',
        )
      ).status,
    ).toBe(200);
    const row = (await rowsOf('123456')).find((r) => r.recorded_at.getTime() === 1377177400_000)!;
    expect(attributesOf(row)).toMatchObject({
      cellTowers: [{ mcc: 257, mnc: 2, lac: 16, cid: 2223, rssi: -90 }],
      wifiAccessPoints: [{ macAddress: '00:14:22:01:23:45', signalStrength: -80 }],
    });
  });

  it('no id → 400; unknown id → 400; a device of an inactive unit → 400', async () => {
    expect((await send('/?timestamp=1377177267&lat=60.0&lon=30.0')).status).toBe(400);
    expect((await send('/?id=NOT-REGISTERED&timestamp=1377177267&lat=60.0&lon=30.0')).status).toBe(400);
    expect((await send('/?id=PNC-RETIRED&lat=13.7&lon=-89.2')).status).toBe(400);
    expect((await send('/')).status).toBe(400);
    expect(
      await t.deps.db
        .selectFrom('unit_positions')
        .select('unit_id')
        .where('unit_id', '=', units.get('PNC-RETIRED')!)
        .execute(),
    ).toEqual([]);
  });

  it('malformed numbers, dates and coordinates → 400, never 500', async () => {
    for (const query of [
      'lat=abc&lon=-89.2',
      'lat=13.7&lon=',
      'lat=95&lon=-89.2',
      'lat=13.7&lon=-189.2',
      'lat=NaN&lon=-89.2',
      'location=13.7',
      'lat=13.7&lon=-89.2&timestamp=yesterday',
      'lat=13.7&lon=-89.2&timestamp=2016-02-30T10%3A00%3A00Z',
      'lat=13.7&lon=-89.2&timestamp=99999999999999999999',
      'lat=13.7&lon=-89.2&speed=fast',
      'lat=13.7&lon=-89.2&cell=257,02,x,2224',
      'lat=13.7&lon=-89.2&wifi=00-14-22-01-23-45',
    ]) {
      const res = await send(`/?id=PNC-0042&${query}`);
      expect(res.status, query).toBe(400);
    }
    expect(await rowsOf('PNC-0042')).toEqual([]);
  });

  it('POST form body (used when the URL has no parameters), any path', async () => {
    const res = await send('/any/path', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=PNC-0042&lat=13.6929&lon=-89.2182&speed=0&timestamp=1735732800',
    });
    expect(res.status).toBe(200);
    const [row] = await rowsOf('PNC-0042');
    expect(row).toMatchObject({ lat: 13.6929, lon: -89.2182 });
    expect(row!.recorded_at.toISOString()).toBe('2025-01-01T12:00:00.000Z');
  });

  it('JSON body (Traccar Client 9+): 200 for a known device, 404 for an unknown one; m/s → km/h', async () => {
    const body = {
      location: {
        timestamp: '2021-07-21T08:06:34.444Z',
        coords: {
          latitude: -6.1148096,
          longitude: 106.6837015,
          accuracy: 5,
          speed: 18.67,
          heading: 63,
          altitude: 35.7,
        },
        is_moving: true,
        odometer: 1234.9,
        event: 'motionchange',
        battery: { level: 0.79, is_charging: true },
        activity: { type: 'in_vehicle', confidence: 100 },
        extras: { shift: 'B', seats: 4, ratio: 0.5, armed: false, nested: { no: 1 } },
      },
      device_id: '8737767034',
    };
    const ok = await send('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    const [row] = await rowsOf('8737767034');
    expect(row!.recorded_at.toISOString()).toBe('2021-07-21T08:06:34.444Z');
    expect(row).toMatchObject({ lat: -6.1148096, lon: 106.6837015, heading: 63 });
    expect(row!.speed_kmh).toBeCloseTo(18.67 * 3.6, 9); // 36.29 kn
    expect(row!.accuracy_m).toBeNull(); // below Traccar's osmand.minAccuracy (10 m): dropped
    expect(attributesOf(row!)).toEqual({
      speedMps: 18.67,
      altitude: 35.7,
      event: 'motionchange',
      motion: true,
      odometer: 1234,
      activity: 'in_vehicle',
      batteryLevel: 79,
      charge: true,
      shift: 'B',
      seats: 4,
      ratio: 0.5,
      armed: false,
    });

    const unknown = await send('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ ...body, device_id: 'NOT-REGISTERED' }),
    });
    expect(unknown.status).toBe(404);

    const noCoords = await send('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        location: { timestamp: '2021-07-21T08:10:00Z', battery: { level: 0.5 } },
        device_id: '8737767034',
      }),
    });
    expect(noCoords.status).toBe(200);
    expect((await rowsOf('8737767034')).length).toBe(1);

    for (const bad of [
      '{not json',
      '[]',
      '{"device_id":"8737767034"}',
      '{"device_id":"8737767034","location":{"timestamp":"ayer"}}',
      '{"device_id":"8737767034","location":{"timestamp":"2021-07-21T08:06:34Z","coords":{"latitude":"x","longitude":1}}}',
    ]) {
      const res = await send('/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bad,
      });
      expect(res.status, bad).toBe(400);
    }
  });

  it('the example requests of the notes (San Salvador): speed knots → km/h, accuracy and battery kept', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await send(
      `/?id=PNC-0042&lat=13.6929&lon=-89.2182&timestamp=${now}&speed=12.5&bearing=90&altitude=658&accuracy=8&batt=76&charge=false`,
    );
    expect(res.status).toBe(200);
    const latest = await latestOf('PNC-0042');
    expect(latest!.recorded_at.getTime()).toBe(now * 1000);
    expect(latest!.speed_kmh).toBeCloseTo(12.5 * 1.852, 9);
    expect(latest).toMatchObject({ heading: 90, accuracy_m: 8 });
    const row = (await rowsOf('PNC-0042')).at(-1)!;
    expect(attributesOf(row)).toMatchObject({ batteryLevel: 76, charge: false, altitude: 658 });
  });

  it('a clock far ahead is acknowledged (so the client does not block on it) but not stored', async () => {
    const before = (await rowsOf('PNC-0042')).length;
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect((await send(`/?id=PNC-0042&lat=13.7&lon=-89.2&timestamp=${future}`)).status).toBe(200);
    expect((await rowsOf('PNC-0042')).length).toBe(before);
    const metrics = await t.deps.metrics.render();
    expect(metrics.body).toMatch(/centinela_avl_positions_total\{source="osmand",outcome="rejected"\} [1-9]/);
  });

  it('device-chosen attributes are capped in number and length', async () => {
    const extra = Array.from({ length: 40 }, (_, i) => `k${i}=${i}`).join('&');
    const long = 'x'.repeat(1000);
    const res = await send(
      `/?id=FLEET-0&lat=13.7&lon=-89.2&timestamp=1735732800&${extra}&note=${long}&${'y'.repeat(100)}=1`,
    );
    expect(res.status).toBe(200);
    const [row] = await rowsOf('FLEET-0');
    const attrs = attributesOf(row!);
    expect(Object.keys(attrs).length).toBe(32);
    expect(attrs.k0).toBe(0);
    expect(attrs.note).toBeUndefined(); // past the cap
    const res2 = await send(`/?id=FLEET-0&lat=13.7&lon=-89.2&timestamp=1735732801&note=${long}`);
    expect(res2.status).toBe(200);
    const second = (await rowsOf('FLEET-0')).at(-1)!;
    expect((attributesOf(second).note as string).length).toBe(256);
  });

  it('concurrent devices are written in a few batches: events follow batches, not units', async () => {
    const { count: before } = await t.deps.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('type', '=', 'unit.positions')
      .executeTakeFirstOrThrow();
    const at = Math.floor(Date.now() / 1000);
    const statuses = await Promise.all(
      Array.from({ length: 39 }, (_, i) =>
        send(`/?id=FLEET-${i + 1}&lat=${13.6 + i / 1000}&lon=-89.2&timestamp=${at}`).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    const moved = await t.deps.db
      .selectFrom('unit_latest_position')
      .select('unit_id')
      .where(
        'unit_id',
        'in',
        Array.from({ length: 39 }, (_, i) => units.get(`FLEET-${i + 1}`)!),
      )
      .execute();
    expect(moved.length).toBe(39);
    const events = await t.deps.db
      .selectFrom('outbox')
      .select(['payload', 'scope', 'permission', 'topic'])
      .where('type', '=', 'unit.positions')
      .orderBy('seq')
      .execute();
    const fresh = events.slice(Number(before));
    // Fixes arriving together share one transaction and one event per department (two here).
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.length).toBeLessThan(39);
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    const payloads = fresh.map(
      (e) => parse(e.payload) as { positions: { unitId: string; callSign: string }[] },
    );
    expect(Math.max(...payloads.map((p) => p.positions.length))).toBeGreaterThan(1);
    const reported = payloads.flatMap((p) => p.positions.map((x) => x.unitId));
    expect(new Set(reported).size).toBe(39);
    for (const [i, e] of fresh.entries()) {
      expect(e).toMatchObject({ permission: 'avl.position.read', topic: 'units' });
      const department = (parse(e.scope) as { department: string }).department;
      const expected = payloads[i]!.positions.map((p) =>
        Number(p.callSign.split('-')[1]) % 2 ? 'SV-SS' : 'SV-LI',
      );
      expect(new Set(expected)).toEqual(new Set([department]));
    }
  });
});
