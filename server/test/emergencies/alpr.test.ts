import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALPR_MIN_CONFIDENCE } from '../../src/modules/emergencies/alpr/alpr.service.js';
import { normalizePlate } from '../../src/modules/emergencies/alpr/plates.js';
import { purgeExpiredPlateReads } from '../../src/modules/emergencies/alpr/retention.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import { apiKeyHeader, issueApiKey } from './intake-helpers.js';

describe('ALPR plate normalisation', () => {
  it.each([
    ['P123-456', 'P123456'],
    ['p 123 456', 'P123456'],
    [' P-123.456 ', 'P123456'],
    ['AB 12-345', 'AB12345'],
    ['M123_456', 'M123456'],
    ['abc12345', 'ABC12345'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePlate(raw)).toBe(expected);
  });

  it.each(['', 'P', '--', 'P123-456-789-0', 'P#123', 'Ñ12345'])('refuses %j', (raw) => {
    expect(normalizePlate(raw)).toBeNull();
  });
});

describe('ALPR watchlist and plate reads', () => {
  let t: TestApp;
  let admin: string;
  let supervisor: string;
  let analyst: string;
  let callTaker: string;
  let readerKey: string;
  let cameraId: string;
  const CAMERA = { lon: -89.23, lat: 13.7 };

  const watch = (body: Record<string, unknown>, token = supervisor) =>
    t.app.inject({ method: 'POST', url: '/api/v1/alpr/watchlist', headers: bearer(token), payload: body });
  const read = (body: Record<string, unknown>, key = readerKey) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/alpr/reads',
      headers: apiKeyHeader(key),
      payload: body,
    });
  const readRow = (readId: string) =>
    t.deps.db.selectFrom('alpr_reads').selectAll().where('read_id', '=', readId).executeTakeFirstOrThrow();
  const alertsOfRead = (id: string) =>
    t.deps.db.selectFrom('machine_alerts').selectAll().where('alpr_read_id', '=', id).execute();
  const count = async (table: 'alpr_reads' | 'machine_alerts' | 'incidents') =>
    (await t.deps.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow())
      .n;

  let n = 0;
  const plateRead = (plate: string, overrides: Record<string, unknown> = {}) => ({
    readId: `r-${++n}`,
    plate,
    confidence: 0.93,
    cameraId: 'alpr_norte',
    readAt: new Date().toISOString(),
    imageUrl: `https://alpr.example.sv/img/${n}.jpg`,
    ...overrides,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    analyst = await loginAs(t.app, await makeUser(t.deps, 'analyst'));
    callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    readerKey = (await issueApiKey(t.app, admin, 'lector-norte', ['alpr.read.ingest'])).key;
    const camera = await t.app.inject({
      method: 'POST',
      url: '/api/v1/video/cameras',
      headers: bearer(supervisor),
      payload: { name: 'alpr_norte', description: 'Bulevar del Ejército, km 3', ...CAMERA },
    });
    expect(camera.statusCode, camera.body).toBe(201);
    cameraId = camera.json().id;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('managing the watchlist needs a reason, which is audited; the plate is stored normalised', async () => {
    const noReason = await watch({
      plate: 'P123-456',
      reason: 'stolen',
      priority: 'medium',
      source: 'PNC-DIPT',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('REASON_REQUIRED');
    const blank = await watch({
      plate: 'P123-456',
      reason: 'stolen',
      priority: 'medium',
      source: 'PNC',
      changeReason: '  ',
    });
    expect(blank.json().error.code).toBe('REASON_REQUIRED');
    expect(await t.deps.db.selectFrom('alpr_watchlist').selectAll().execute()).toEqual([]);

    const asCallTaker = await watch(
      { plate: 'P123-456', reason: 'stolen', priority: 'medium', source: 'PNC', changeReason: 'Denuncia' },
      callTaker,
    );
    expect(asCallTaker.statusCode).toBe(403);

    const res = await watch({
      plate: 'p 123-456',
      reason: 'stolen',
      priority: 'medium',
      source: 'PNC-DIPT',
      changeReason: 'Denuncia PNC 4521/2026',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ plate: 'P123456', plateDisplay: 'P 123-456', status: 'active' });
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'alpr.watchlist.added', reason: 'Denuncia PNC 4521/2026' });

    const duplicate = await watch({
      plate: 'P123456',
      reason: 'alert',
      priority: 'low',
      source: 'FGR',
      changeReason: 'Oficio',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('WATCHLIST_PLATE_ACTIVE');
    const badPlate = await watch({
      plate: 'P#1',
      reason: 'alert',
      priority: 'low',
      source: 'FGR',
      changeReason: 'Oficio',
    });
    expect(badPlate.json().error.code).toBe('PLATE_INVALID');

    const patchNoReason = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/alpr/watchlist/${res.json().id}`,
      headers: bearer(supervisor),
      payload: { priority: 'low' },
    });
    expect(patchNoReason.statusCode).toBe(400);
    expect(patchNoReason.json().error.code).toBe('REASON_REQUIRED');
    const list = await t.app.inject({
      url: '/api/v1/alpr/watchlist?plate=P123-456',
      headers: bearer(callTaker),
    });
    expect(list.json().items[0]).toMatchObject({ priority: 'medium', version: 1 });
  });

  it('a read matching the watchlist above the threshold raises an alert (feed and outbox), no incident', async () => {
    const incidents = await count('incidents');
    const res = await read(plateRead('P-123 456'));
    expect(res.statusCode, res.body).toBe(201);
    // The reader is not told whether the plate is on the watchlist.
    expect(Object.keys(res.json()).sort()).toEqual(['duplicate', 'id', 'readId', 'receivedAt']);
    const stored = await readRow(res.json().readId);
    expect(stored).toMatchObject({ plate: 'P123456', outcome: 'alert', camera_id: cameraId, ...CAMERA });
    const [alert] = await alertsOfRead(stored.id);
    expect(alert).toMatchObject({
      source: 'alpr',
      plate: 'P123456',
      priority: 2,
      incident_id: null,
      camera_name: 'alpr_norte',
    });
    expect((alert!.explanation as { summary: string }).summary).toContain('robado');

    const feed = await t.app.inject({ url: '/api/v1/video/alerts?source=alpr', headers: bearer(callTaker) });
    expect(feed.json().items.map((a: { id: string }) => a.id)).toContain(alert!.id);
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity_id', '=', alert!.id)
      .executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ type: 'alert.raised', topic: 'alerts', permission: 'video.alert.read' });
    expect(await count('incidents')).toBe(incidents);
  });

  it('a match below the confidence threshold, and a read matching nothing, are stored only', async () => {
    const alerts = await count('machine_alerts');
    const weak = await read(plateRead('P123456', { confidence: ALPR_MIN_CONFIDENCE - 0.3 }));
    expect(weak.statusCode).toBe(201);
    expect(await readRow(weak.json().readId)).toMatchObject({ outcome: 'below_threshold' });
    const other = await read(plateRead('P999-000'));
    expect(other.statusCode).toBe(201);
    const stored = await readRow(other.json().readId);
    expect(stored).toMatchObject({ outcome: 'no_match', watchlist_id: null, plate: 'P999000' });
    expect(await count('machine_alerts')).toBe(alerts);
  });

  it('a high-priority match opens an incident with the match explained; the next read joins it', async () => {
    const entry = await watch({
      plate: 'M 555-777',
      reason: 'wanted',
      priority: 'high',
      source: 'FGR',
      changeReason: 'Orden de captura 88/2026',
    });
    expect(entry.statusCode).toBe(201);
    const first = await read(plateRead('m555777', { confidence: 0.97 }));
    const firstRow = await readRow(first.json().readId);
    expect(firstRow.outcome).toBe('incident_created');
    const [alert] = await alertsOfRead(firstRow.id);
    expect(alert).toMatchObject({ incident_action: 'created', priority: 1 });
    const incident = await t.deps.db
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', alert!.incident_id!)
      .executeTakeFirstOrThrow();
    expect(incident).toMatchObject({
      channel: 'alpr',
      type_code: 'ALERTAS.PLACA',
      external_source: 'alpr',
      external_ref: first.json().readId,
      lon: CAMERA.lon,
      lat: CAMERA.lat,
    });
    const narrative = await t.deps.db
      .selectFrom('incident_notes')
      .select('text')
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(narrative.text).toContain('M555777');
    expect(narrative.text).toContain('requerido');
    expect(narrative.text).toContain('FGR');
    expect(narrative.text).toContain('97%');

    const incidents = await count('incidents');
    const second = await read(plateRead('M555-777', { cameraId: undefined, lon: -89.21, lat: 13.71 }));
    const secondRow = await readRow(second.json().readId);
    expect(secondRow.outcome).toBe('attached');
    expect(await count('incidents')).toBe(incidents);
    const [secondAlert] = await alertsOfRead(secondRow.id);
    expect(secondAlert).toMatchObject({
      incident_id: incident.id,
      incident_action: 'attached',
      camera_id: null,
    });
    const timeline = await t.deps.db
      .selectFrom('incident_timeline')
      .select('kind')
      .where('incident_id', '=', incident.id)
      .execute();
    expect(timeline.map((e) => e.kind)).toContain('alpr_read_attached');
  });

  it('is idempotent by readId', async () => {
    const body = plateRead('P123-456');
    const first = await read(body);
    expect(first.statusCode).toBe(201);
    const before = { reads: await count('alpr_reads'), alerts: await count('machine_alerts') };
    const again = await read(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true });
    expect({ reads: await count('alpr_reads'), alerts: await count('machine_alerts') }).toEqual(before);
    const conflict = await read({ ...body, plate: 'P000111' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('ALPR_READ_ID_CONFLICT');
  });

  it('refuses reads without a location, with an unknown camera, or from a key without the permission', async () => {
    const reads = await count('alpr_reads');
    const cases: [Record<string, unknown>, number, string][] = [
      [plateRead('P1234', { cameraId: undefined }), 400, 'ALPR_LOCATION_REQUIRED'],
      [plateRead('P1234', { cameraId: 'no_such_camera' }), 404, 'CAMERA_NOT_FOUND'],
      [plateRead('P1234', { cameraId: undefined, lon: -89.2 }), 400, 'LOCATION_INCOMPLETE'],
      [plateRead('#', {}), 400, 'PLATE_INVALID'],
      [plateRead('P1234', { confidence: 1.5 }), 400, 'VALIDATION_FAILED'],
      [
        plateRead('P1234', { readAt: new Date(Date.now() + 3_600_000).toISOString() }),
        400,
        'ALPR_READ_IN_FUTURE',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await read(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const otherKey = await issueApiKey(t.app, admin, 'video', ['video.event.ingest']);
    const forbidden = await read(plateRead('P1234'), otherKey.key);
    expect(forbidden.statusCode).toBe(403);
    expect(await count('alpr_reads')).toBe(reads);
  });

  it('keeps reads append-only, searchable with an audited purpose, and purges old unalerted ones', async () => {
    const search = await t.app.inject({
      url: `/api/v1/alpr/reads?plate=P123-456&purpose=${encodeURIComponent('Caso 77/2026: vehículo robado')}`,
      headers: bearer(analyst),
    });
    expect(search.statusCode).toBe(200);
    expect(search.json().items.length).toBeGreaterThan(1);
    expect(search.json().items.every((r: { plate: string }) => r.plate === 'P123456')).toBe(true);
    const audited = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'personal_data.read')
      .where('entity_id', '=', 'P123456')
      .executeTakeFirstOrThrow();
    expect(audited.reason).toBe('Caso 77/2026: vehículo robado');
    const noPurpose = await t.app.inject({
      url: '/api/v1/alpr/reads?plate=P123456',
      headers: bearer(analyst),
    });
    expect(noPurpose.statusCode).toBe(400);
    const callTakerSearch = await t.app.inject({
      url: '/api/v1/alpr/reads?purpose=curiosidad',
      headers: bearer(callTaker),
    });
    expect(callTakerSearch.statusCode).toBe(403);

    await expect(sql`UPDATE alpr_reads SET plate = 'X1'`.execute(t.deps.db)).rejects.toThrow(
      /solo inserción/,
    );
    await expect(sql`DELETE FROM alpr_reads`.execute(t.deps.db)).rejects.toThrow(/solo inserción/);

    const old = new Date(Date.now() - 120 * 86_400_000).toISOString();
    const oldMiss = await read(plateRead('P777-888', { readAt: old }));
    const oldHit = await read(plateRead('P123-456', { readAt: old }));
    expect((await readRow(oldHit.json().readId)).outcome).toBe('alert');
    const before = await count('alpr_reads');
    const purged = await purgeExpiredPlateReads(t.deps);
    expect(purged).toBe(1);
    expect(await count('alpr_reads')).toBe(before - 1);
    expect(
      await t.deps.db
        .selectFrom('alpr_reads')
        .select('id')
        .where('read_id', '=', oldMiss.json().readId)
        .execute(),
    ).toEqual([]);
    expect((await readRow(oldHit.json().readId)).outcome).toBe('alert');
    const purgeAudit = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'alpr.reads.purged')
      .executeTakeFirstOrThrow();
    expect(purgeAudit.changes).toMatchObject({ deleted: 1, retentionDays: 90 });
  });

  it('retiring a watchlist entry (with a reason) stops its matches', async () => {
    const list = await t.app.inject({
      url: '/api/v1/alpr/watchlist?plate=P123456',
      headers: bearer(supervisor),
    });
    const id = list.json().items[0].id;
    const retired = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/alpr/watchlist/${id}`,
      headers: bearer(supervisor),
      payload: { active: false, changeReason: 'Vehículo recuperado' },
    });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ active: false, status: 'inactive', version: 2 });
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', id)
      .where('action', '=', 'alpr.watchlist.removed')
      .executeTakeFirstOrThrow();
    expect(audit.reason).toBe('Vehículo recuperado');
    const res = await read(plateRead('P123456'));
    expect((await readRow(res.json().readId)).outcome).toBe('no_match');
  });
});
