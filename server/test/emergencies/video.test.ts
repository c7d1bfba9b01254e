import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import { apiKeyHeader, issueApiKey } from './intake-helpers.js';

/** The example of docs/standards/frigate-events.md §2, verbatim. */
const DOCUMENTED_EVENT = {
  type: 'update',
  before: {
    id: '1607123955.475377-mxklsc',
    camera: 'front_door',
    label: 'person',
    current_zones: ['driveway'],
    entered_zones: ['yard', 'driveway'],
    end_time: null,
    '...': '...',
  },
  after: {
    id: '1607123955.475377-mxklsc',
    camera: 'front_door',
    frame_time: 1607123962.082975,
    snapshot: {
      frame_time: 1607123965.975463,
      box: [415, 489, 528, 700],
      area: 12728,
      region: [260, 446, 660, 846],
      score: 0.77546,
      attributes: [],
    },
    label: 'person',
    sub_label: ['John Smith', 0.79],
    top_score: 0.958984375,
    false_positive: false,
    start_time: 1607123955.475377,
    end_time: null,
    score: 0.87890625,
    box: [432, 496, 544, 854],
    area: 40096,
    ratio: 1.251397,
    region: [218, 440, 693, 915],
    current_zones: ['yard', 'driveway'],
    entered_zones: ['yard', 'driveway'],
    thumbnail: null,
    has_snapshot: false,
    has_clip: false,
    active: true,
    stationary: false,
    motionless_count: 0,
    position_changes: 2,
    attributes: { face: 0.86 },
    current_attributes: [{ label: 'face', box: [442, 506, 534, 524], score: 0.86 }],
    current_estimated_speed: 0.77,
    average_estimated_speed: 14.31,
    velocity_angle: 180,
    recognized_license_plate: 'ABC12345',
    recognized_license_plate_score: 0.933451,
  },
};

/** The example of docs/standards/frigate-events.md §3, verbatim. */
const DOCUMENTED_REVIEW = {
  type: 'update',
  before: {
    id: '1718987129.308396-fqk5ka',
    camera: 'front_cam',
    start_time: 1718987129.308396,
    end_time: null,
    severity: 'detection',
    thumb_path: '/media/frigate/clips/review/thumb-front_cam-1718987129.308396-fqk5ka.webp',
    data: {
      detections: ['1718987128.947436-g92ztx', '1718987148.879516-d7oq7r', '1718987126.934663-q5ywpt'],
      objects: ['person', 'car'],
      sub_labels: [],
      zones: [],
      audio: [],
    },
  },
  after: {
    id: '1718987129.308396-fqk5ka',
    camera: 'front_cam',
    start_time: 1718987129.308396,
    end_time: null,
    severity: 'alert',
    thumb_path: '/media/frigate/clips/review/thumb-front_cam-1718987129.308396-fqk5ka.webp',
    data: {
      detections: ['1718987128.947436-g92ztx', '1718987148.879516-d7oq7r', '1718987126.934663-q5ywpt'],
      objects: ['person', 'car'],
      sub_labels: ['Bob'],
      zones: ['front_yard'],
      audio: [],
    },
  },
};

/** A point in San Salvador `n` steps of ~2.2 km from the centre (cameras far enough apart). */
const spot = (n: number) => ({ lon: -89.1907 + 0.02 * (n % 4), lat: 13.6989 + 0.02 * Math.floor(n / 4) });

let seq = 0;
function frigateEvent(
  camera: string,
  overrides: Record<string, unknown> = {},
  type: 'new' | 'update' | 'end' = 'new',
) {
  seq += 1;
  const now = Date.now() / 1000;
  const after = {
    id: `${now.toFixed(6)}-t${String(seq).padStart(5, '0')}`,
    camera,
    frame_time: now,
    label: 'person',
    sub_label: null,
    top_score: 0.9,
    score: 0.88,
    false_positive: false,
    start_time: now - 2,
    end_time: null,
    current_zones: [],
    entered_zones: [],
    has_snapshot: true,
    has_clip: true,
    ...overrides,
  };
  return { type, before: { ...after, false_positive: type === 'new' }, after };
}

describe('911 video analytics (Frigate)', () => {
  let t: TestApp;
  let admin: string;
  let supervisor: string;
  let callTaker: string;
  let dispatcherSanMiguel: string;
  let fieldOfficer: string;
  let ingestKey: string;
  let cameraCount = 0;

  const post = (url: string, payload: unknown, headers = apiKeyHeader(ingestKey)) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as object });
  const sendEvent = (payload: unknown) => post('/api/v1/webhooks/frigate/events', payload);
  const sendReview = (payload: unknown) => post('/api/v1/webhooks/frigate/reviews', payload);

  async function camera(name: string, extra: Record<string, unknown> = {}) {
    const res = await post(
      '/api/v1/video/cameras',
      { name, ...spot(cameraCount++), frigateBaseUrl: 'http://frigate-01:5000/', ...extra },
      bearer(supervisor),
    );
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; lon: number; lat: number; departmentCode: string };
  }
  async function rule(body: Record<string, unknown>) {
    const res = await post('/api/v1/video/rules', body, bearer(supervisor));
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  }
  const alertsOf = async (cameraName: string) =>
    t.deps.db.selectFrom('machine_alerts').selectAll().where('camera_name', '=', cameraName).execute();
  const incidentsFrom = async (frigateId: string) =>
    t.deps.db
      .selectFrom('incidents')
      .selectAll()
      .where('external_source', '=', 'frigate')
      .where('external_ref', '=', frigateId)
      .execute();

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    fieldOfficer = await loginAs(t.app, await makeUser(t.deps, 'field_officer'));
    dispatcherSanMiguel = await loginAs(
      t.app,
      await makeUser(t.deps, 'dispatcher', { scope: { level: 'department', code: 'SV-SM' } }),
    );
    ingestKey = (await issueApiKey(t.app, admin, 'frigate-01', ['video.event.ingest'])).key;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('processes the documented frigate/events example through the webhook', async () => {
    const cam = await camera('front_door', { description: 'Entrada principal' });
    const personInYard = await rule({
      name: 'Persona en el patio',
      cameraId: cam.id,
      label: 'person',
      zones: ['yard'],
      minScore: 0.7,
      action: 'create_incident',
      priority: 2,
    });

    const res = await sendEvent(DOCUMENTED_EVENT);
    expect(res.statusCode, res.body).toBe(200);
    const decision = res.json();
    expect(decision).toMatchObject({
      frigateId: '1607123955.475377-mxklsc',
      type: 'update',
      decision: 'incident_created',
      stale: false,
    });
    expect(decision.summary).toContain('Persona en el patio');

    const [incident] = await incidentsFrom('1607123955.475377-mxklsc');
    expect(incident).toMatchObject({
      id: decision.incidentId,
      channel: 'video',
      type_code: 'ALERTAS.VIDEO',
      priority: 2,
      lon: cam.lon,
      lat: cam.lat,
      department_code: 'SV-SS',
    });

    const event = await t.deps.db
      .selectFrom('video_events')
      .selectAll()
      .where('frigate_id', '=', '1607123955.475377-mxklsc')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      camera_name: 'front_door',
      label: 'person',
      sub_label: 'John Smith',
      top_score: 0.958984375,
      rule_id: personInYard.id,
      decision: 'incident_created',
      messages: 1,
    });
    expect(event.start_time?.toISOString()).toBe(new Date(1607123955475).toISOString());
    // A person is not a vehicle: its recognised plate does not go to the ALPR matcher.
    expect(await t.deps.db.selectFrom('alpr_reads').selectAll().execute()).toEqual([]);

    const feed = await t.app.inject({
      url: '/api/v1/video/alerts?camera=front_door',
      headers: bearer(callTaker),
    });
    expect(feed.statusCode).toBe(200);
    const [alert] = feed.json().items;
    expect(alert).toMatchObject({
      id: decision.alertId,
      source: 'frigate_event',
      label: 'person',
      priority: 2,
      incidentId: decision.incidentId,
      incidentAction: 'created',
      ruleId: personInYard.id,
      frigateEventIds: ['1607123955.475377-mxklsc'],
      occurredAtLocal: '2020-12-04T17:19:15.475-06:00',
      media: {
        thumbnailUrl: 'http://frigate-01:5000/api/events/1607123955.475377-mxklsc/thumbnail.jpg',
        snapshotUrl: null,
        clipUrl: null,
      },
    });
    expect(alert.explanation.checks[0]).toMatchObject({ ruleId: personInYard.id, matched: true });

    const outbox = await t.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity_id', '=', decision.alertId)
      .executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ type: 'alert.raised', topic: 'alerts', permission: 'video.alert.read' });
    expect(outbox.scope).toMatchObject({ department: 'SV-SS' });
  });

  it('update and end messages for the same id create no duplicates; end closes the alert with its media', async () => {
    const again = await sendEvent(DOCUMENTED_EVENT);
    expect(again.json().decision).toBe('incident_created');
    const later = structuredClone(DOCUMENTED_EVENT);
    later.after.frame_time += 5;
    later.after.has_snapshot = true;
    expect((await sendEvent(later)).statusCode).toBe(200);
    const end = structuredClone(later);
    end.type = 'end';
    end.after.frame_time += 5;
    (end.after as Record<string, unknown>).end_time = end.after.frame_time;
    end.after.has_clip = true;
    const ended = await sendEvent(end);
    expect(ended.json()).toMatchObject({ type: 'end', decision: 'incident_created' });

    expect(await incidentsFrom('1607123955.475377-mxklsc')).toHaveLength(1);
    const alerts = await alertsOf('front_door');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.ended_at).not.toBeNull();
    expect(alerts[0]!.clip_url).toBe('http://frigate-01:5000/api/events/1607123955.475377-mxklsc/clip.mp4');
    expect(alerts[0]!.snapshot_url).toBe(
      'http://frigate-01:5000/api/events/1607123955.475377-mxklsc/snapshot.jpg',
    );
    const event = await t.deps.db
      .selectFrom('video_events')
      .selectAll()
      .where('frigate_id', '=', '1607123955.475377-mxklsc')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ messages: 4, last_type: 'end', has_clip: true });
    expect(event.end_time).not.toBeNull();
    const timeline = await t.deps.db
      .selectFrom('incident_timeline')
      .select('kind')
      .where('incident_id', '=', alerts[0]!.incident_id!)
      .execute();
    expect(timeline.filter((e) => e.kind === 'video_event_ended')).toHaveLength(1);

    // A late update after the end does not roll the state back.
    const stale = await sendEvent(later);
    expect(stale.json().stale).toBe(true);
    expect(
      (
        await t.deps.db
          .selectFrom('video_events')
          .select('last_type')
          .where('id', '=', event.id)
          .executeTakeFirstOrThrow()
      ).last_type,
    ).toBe('end');
  });

  it('below the minimum score: alert_only when an alert rule matches, ignored when nothing does', async () => {
    const cam = await camera('gate_score');
    await rule({
      name: 'Incidente si seguro',
      cameraId: cam.id,
      label: 'person',
      minScore: 0.9,
      action: 'create_incident',
    });
    await rule({
      name: 'Aviso si probable',
      cameraId: cam.id,
      label: 'person',
      minScore: 0.5,
      action: 'alert_only',
      priority: 3,
    });

    const medium = frigateEvent('gate_score', { top_score: 0.6 });
    const res = await sendEvent(medium);
    expect(res.json()).toMatchObject({ decision: 'alert_only', incidentId: null });
    expect(res.json().alertId).not.toBeNull();
    expect(await incidentsFrom(medium.after.id)).toHaveLength(0);

    const low = frigateEvent('gate_score', { top_score: 0.3 });
    const ignored = await sendEvent(low);
    expect(ignored.json()).toMatchObject({ decision: 'ignored', alertId: null, incidentId: null });
    const row = await t.deps.db
      .selectFrom('video_events')
      .select('explanation')
      .where('frigate_id', '=', low.after.id)
      .executeTakeFirstOrThrow();
    const checks = (row.explanation as { checks: { failed: string }[] }).checks;
    expect(checks.map((c) => c.failed)).toEqual(['score', 'score']);
    expect(await alertsOf('gate_score')).toHaveLength(1);

    // The same object scoring higher later escalates the existing alert to an incident (no second alert).
    const better = structuredClone(medium);
    better.type = 'update';
    better.after.top_score = 0.95;
    better.after.frame_time += 1;
    const escalated = await sendEvent(better);
    expect(escalated.json()).toMatchObject({ decision: 'incident_created', alertId: res.json().alertId });
    expect(await incidentsFrom(medium.after.id)).toHaveLength(1);
    const alerts = await alertsOf('gate_score');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ incident_action: 'created', priority: 2 });
  });

  it('ignores an object outside the rule zones, and one outside the schedule', async () => {
    const zoned = await camera('gate_zone');
    await rule({
      name: 'Zona restringida',
      cameraId: zoned.id,
      label: 'person',
      zones: ['restricted', 'roof'],
      action: 'create_incident',
    });
    const street = frigateEvent('gate_zone', { current_zones: ['street'], entered_zones: ['street'] });
    const res = await sendEvent(street);
    expect(res.json()).toMatchObject({ decision: 'ignored', incidentId: null, alertId: null });
    const explanation = (
      await t.deps.db
        .selectFrom('video_events')
        .select('explanation')
        .where('frigate_id', '=', street.after.id)
        .executeTakeFirstOrThrow()
    ).explanation as { checks: { failed: string; detail: string }[] };
    expect(explanation.checks[0]).toMatchObject({ failed: 'zone' });
    const roof = frigateEvent('gate_zone', { current_zones: [], entered_zones: ['street', 'roof'] });
    expect((await sendEvent(roof)).json().decision).toBe('incident_created');

    const night = await camera('gate_night');
    await rule({
      name: 'Intrusión nocturna',
      cameraId: night.id,
      label: 'person',
      schedule: { days: [1, 2, 3, 4, 5, 6, 7], from: '22:00', to: '06:00' },
      action: 'create_incident',
    });
    // Monday 2026-03-02 09:00 in El Salvador (15:00 UTC): outside 22:00–06:00.
    const morning = Date.UTC(2026, 2, 2, 15, 0, 0) / 1000;
    const day = frigateEvent('gate_night', { frame_time: morning, start_time: morning });
    const outside = await sendEvent(day);
    expect(outside.json()).toMatchObject({ decision: 'ignored', incidentId: null });
    const why = (
      await t.deps.db
        .selectFrom('video_events')
        .select('explanation')
        .where('frigate_id', '=', day.after.id)
        .executeTakeFirstOrThrow()
    ).explanation as { checks: { failed: string }[] };
    expect(why.checks[0]!.failed).toBe('schedule');
    // Tuesday 03:00 local (09:00 UTC) belongs to Monday's 22:00–06:00 window.
    const smallHours = Date.UTC(2026, 2, 3, 9, 0, 0) / 1000;
    const inside = await sendEvent(
      frigateEvent('gate_night', { frame_time: smallHours, start_time: smallHours }),
    );
    expect(inside.json().decision).toBe('incident_created');
  });

  it('attach_nearby adds the event to an open incident nearby, or creates one when there is none', async () => {
    const cam = await camera('gate_attach');
    const far = await camera('gate_attach_far');
    await rule({
      name: 'Sumar a lo cercano',
      label: 'car',
      action: 'attach_nearby',
      attachMeters: 300,
      attachMinutes: 30,
    });
    const call = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: bearer(callTaker),
      payload: {
        typeCode: 'PATRIMONIO.ROBO',
        narrative: 'Robo de vehículo frente al portón.',
        location: { lon: cam.lon + 0.0005, lat: cam.lat },
      },
    });
    expect(call.statusCode, call.body).toBe(201);
    const incidentId = call.json().id;

    const car = frigateEvent('gate_attach', { label: 'car' });
    const res = await sendEvent(car);
    expect(res.json()).toMatchObject({ decision: 'attached', incidentId });
    expect(await incidentsFrom(car.after.id)).toHaveLength(0);
    const timeline = await t.app.inject({
      url: `/api/v1/incidents/${incidentId}/timeline`,
      headers: bearer(callTaker),
    });
    const attached = timeline.json().items.find((e: { kind: string }) => e.kind === 'video_alert_attached');
    expect(attached.data).toMatchObject({ frigateId: car.after.id, camera: 'gate_attach' });
    expect(attached.data.distanceM).toBeLessThan(100);
    expect((await alertsOf('gate_attach'))[0]).toMatchObject({
      incident_id: incidentId,
      incident_action: 'attached',
    });

    const lonely = frigateEvent('gate_attach_far', { label: 'car' });
    const created = await sendEvent(lonely);
    expect(created.json().decision).toBe('incident_created');
    expect(await incidentsFrom(lonely.after.id)).toHaveLength(1);
    expect(far.departmentCode).toBe('SV-SS');
  });

  it('ignores false positives, unknown cameras and inactive cameras, and records why', async () => {
    const cam = await camera('gate_misc');
    await rule({ name: 'Todo', cameraId: cam.id, label: 'person', action: 'alert_only' });
    const fp = frigateEvent('gate_misc', { false_positive: true, top_score: 0 });
    expect((await sendEvent(fp)).json()).toMatchObject({ decision: 'ignored' });
    const unknown = await sendEvent(frigateEvent('not_registered_cam'));
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toMatchObject({
      decision: 'ignored',
      summary: expect.stringContaining('no registrada'),
    });
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/video/cameras/${cam.id}`,
      headers: bearer(supervisor),
      payload: { active: false },
    });
    expect(off.json().active).toBe(false);
    expect((await sendEvent(frigateEvent('gate_misc'))).json().decision).toBe('ignored');
    expect(await alertsOf('gate_misc')).toHaveLength(0);
  });

  it('tolerates old and partial payloads, and refuses unusable ones with 400', async () => {
    const cam = await camera('gate_old');
    await rule({ name: 'Persona', cameraId: cam.id, label: 'person', action: 'alert_only' });
    const old = {
      // no type: inferred; sub_label as a plain string; snapshot null; snapshot_time; extra keys
      before: { id: 'old-1', camera: 'gate_old', false_positive: true },
      after: {
        id: 'old-1',
        camera: 'gate_old',
        label: 'person',
        sub_label: 'Juan',
        top_score: '0.8',
        snapshot: null,
        snapshot_time: 1607123965.9,
        start_time: 1607123955.4,
        mystery_field: { deep: [1, 2, 3] },
        current_zones: 'not-a-list',
      },
    };
    const res = await sendEvent(old);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ type: 'new', decision: 'alert_only' });
    const row = await t.deps.db
      .selectFrom('video_events')
      .selectAll()
      .where('frigate_id', '=', 'old-1')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sub_label: 'Juan', top_score: 0.8 });

    const noId = await sendEvent({ type: 'new', after: { camera: 'gate_old' } });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().error.code).toBe('FRIGATE_PAYLOAD_INVALID');
    expect(noId.json().error.details[0].field).toBe('after.id');
    const notObject = await sendEvent({ type: 'new', after: 'hola' });
    expect(notObject.json().error.code).toBe('FRIGATE_PAYLOAD_INVALID');
    const noAfter = await sendEvent({ type: 'new' });
    expect(noAfter.statusCode).toBe(400);
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/frigate/events',
      headers: { ...apiKeyHeader(ingestKey), 'content-type': 'application/json' },
      payload: '{"after": ',
    });
    expect(garbage.statusCode).toBe(400);
  });

  it('opens an alert on a review with severity alert and deduplicates with its detections', async () => {
    const cam = await camera('front_cam');
    await rule({ name: 'Aviso persona', cameraId: cam.id, label: 'person', action: 'alert_only' });
    const res = await sendReview(DOCUMENTED_REVIEW);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ reviewId: '1718987129.308396-fqk5ka', decision: 'alert_opened' });
    const alertId = res.json().alertId;
    const [alert] = await alertsOf('front_cam');
    expect(alert).toMatchObject({
      id: alertId,
      source: 'frigate_review',
      review_id: '1718987129.308396-fqk5ka',
    });
    expect(alert!.thumbnail_url).toBe(
      'http://frigate-01:5000/api/events/1718987128.947436-g92ztx/thumbnail.jpg',
    );

    // The same review again, and an event that is one of its detections: still one alert.
    expect((await sendReview(DOCUMENTED_REVIEW)).json().alertId).toBe(alertId);
    const detection = frigateEvent('front_cam', { id: '1718987128.947436-g92ztx' });
    const linked = await sendEvent(detection);
    expect(linked.json()).toMatchObject({ decision: 'alert_only', alertId });
    expect(await alertsOf('front_cam')).toHaveLength(1);

    const end = structuredClone(DOCUMENTED_REVIEW);
    end.type = 'end';
    (end.after as Record<string, unknown>).end_time = 1718987160.5;
    expect((await sendReview(end)).json().alertId).toBe(alertId);
    const [closed] = await alertsOf('front_cam');
    expect(closed!.ended_at?.toISOString()).toBe(new Date(1718987160500).toISOString());
  });

  it('a review whose detection already raised an alert does not raise another; detection severity waits', async () => {
    const cam = await camera('yard_cam');
    await rule({ name: 'Aviso', cameraId: cam.id, label: 'person', action: 'alert_only' });
    const event = frigateEvent('yard_cam');
    const raised = await sendEvent(event);
    expect(raised.json().decision).toBe('alert_only');
    const review = {
      type: 'new',
      before: {
        id: 'rev-yard-1',
        camera: 'yard_cam',
        severity: 'detection',
        data: { detections: [event.after.id] },
      },
      after: {
        id: 'rev-yard-1',
        camera: 'yard_cam',
        start_time: Date.now() / 1000,
        end_time: null,
        severity: 'detection',
        data: { detections: [event.after.id], objects: ['person-verified'], zones: [] },
      },
    };
    expect((await sendReview(review)).json()).toMatchObject({ decision: 'ignored', alertId: null });
    review.type = 'update';
    review.after.severity = 'alert';
    const dedup = await sendReview(review);
    expect(dedup.json()).toMatchObject({ decision: 'deduplicated', alertId: raised.json().alertId });
    const alerts = await alertsOf('yard_cam');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.review_id).toBe('rev-yard-1');
  });

  it('feeds recognised plates on car events to the ALPR matcher', async () => {
    const cam = await camera('plaza_cam');
    const entry = await post(
      '/api/v1/alpr/watchlist',
      {
        plate: 'P123-456',
        reason: 'stolen',
        priority: 'medium',
        source: 'PNC',
        changeReason: 'Denuncia 123/2026',
      },
      bearer(supervisor),
    );
    expect(entry.statusCode, entry.body).toBe(201);
    const car = frigateEvent('plaza_cam', {
      label: 'car',
      recognized_license_plate: 'P123-456',
      recognized_license_plate_score: 0.95,
    });
    expect((await sendEvent(car)).statusCode).toBe(200);
    const again = structuredClone(car);
    again.type = 'update';
    again.after.frame_time += 1;
    await sendEvent(again);
    const reads = await t.deps.db
      .selectFrom('alpr_reads')
      .selectAll()
      .where('camera_id', '=', cam.id)
      .execute();
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({
      source: 'frigate',
      plate: 'P123456',
      outcome: 'alert',
      read_id: `frigate:${car.after.id}:P123456`,
      image_url: `http://frigate-01:5000/api/events/${car.after.id}/snapshot.jpg`,
    });
    const alpr = (await alertsOf('plaza_cam')).filter((a) => a.source === 'alpr');
    expect(alpr).toHaveLength(1);
    expect(alpr[0]!.plate).toBe('P123456');
  });

  it('shows the feed to permitted roles within their territory only', async () => {
    const national = await t.app.inject({ url: '/api/v1/video/alerts', headers: bearer(callTaker) });
    expect(national.statusCode).toBe(200);
    expect(national.json().total).toBeGreaterThan(3);
    const elsewhere = await t.app.inject({
      url: '/api/v1/video/alerts',
      headers: bearer(dispatcherSanMiguel),
    });
    expect(elsewhere.json()).toEqual({ items: [], total: 0 });
    const officer = await t.app.inject({ url: '/api/v1/video/alerts', headers: bearer(fieldOfficer) });
    expect(officer.statusCode).toBe(403);
    const events = await t.app.inject({
      url: '/api/v1/video/events?frigateId=1607123955.475377-mxklsc',
      headers: bearer(callTaker),
    });
    expect(events.json().items[0]).toMatchObject({
      decision: 'incident_created',
      startTimeLocal: '2020-12-04T17:19:15.475-06:00',
    });
    const withIncident = await t.app.inject({
      url: '/api/v1/video/alerts?withIncident=true&source=frigate_event',
      headers: bearer(callTaker),
    });
    expect(withIncident.json().items.every((a: { incidentId: string | null }) => a.incidentId)).toBe(true);
  });

  it('accepts events only from keys or users holding video.event.ingest, and validates configuration', async () => {
    const asUser = await post('/api/v1/webhooks/frigate/events', DOCUMENTED_EVENT, bearer(callTaker));
    expect(asUser.statusCode).toBe(403);
    const otherKey = await issueApiKey(t.app, admin, 'otro', ['device.alert.send']);
    const wrongKey = await post(
      '/api/v1/webhooks/frigate/events',
      DOCUMENTED_EVENT,
      apiKeyHeader(otherKey.key),
    );
    expect(wrongKey.statusCode).toBe(403);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/frigate/events',
      payload: DOCUMENTED_EVENT,
    });
    expect(anonymous.statusCode).toBe(401);

    const badSchedule = await post(
      '/api/v1/video/rules',
      {
        name: 'x',
        label: 'person',
        action: 'alert_only',
        schedule: { days: [1], from: '08:00', to: '08:00' },
      },
      bearer(supervisor),
    );
    expect(badSchedule.json().error.code).toBe('RULE_SCHEDULE_INVALID');
    const unknownCamera = await post(
      '/api/v1/video/rules',
      { name: 'x', label: 'person', action: 'alert_only', cameraId: '00000000-0000-4000-8000-000000000000' },
      bearer(supervisor),
    );
    expect(unknownCamera.statusCode).toBe(404);
    const duplicate = await post(
      '/api/v1/video/cameras',
      { name: 'front_door', ...spot(15) },
      bearer(supervisor),
    );
    expect(duplicate.json().error.code).toBe('CAMERA_NAME_TAKEN');
    const abroad = await post(
      '/api/v1/video/cameras',
      { name: 'madrid', lon: -3.7, lat: 40.4 },
      bearer(supervisor),
    );
    expect(abroad.json().error.code).toBe('LOCATION_OUTSIDE_COUNTRY');
    const asCallTaker = await post(
      '/api/v1/video/cameras',
      { name: 'cam_x', ...spot(14) },
      bearer(callTaker),
    );
    expect(asCallTaker.statusCode).toBe(403);
    const counted = await t.deps.db
      .selectFrom('video_cameras')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('name', 'in', ['madrid', 'cam_x'])
      .executeTakeFirstOrThrow();
    expect(counted.n).toBe(0);
  });
});
