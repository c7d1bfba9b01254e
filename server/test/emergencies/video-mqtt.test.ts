import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testConfig } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import { waitFor } from './intake-helpers.js';

const mqttUrl = process.env.TEST_MQTT_URL ?? process.env.MQTT_URL;

/** Frigate publishes on the broker; the app subscribes through the shared MQTT hub once started. */
describe.skipIf(!mqttUrl)('911 video analytics over MQTT (local Mosquitto)', () => {
  let t: TestApp;
  let frigate: MqttClient;
  let supervisor: string;
  // Unique names: other test runs may share the broker (their apps ignore unknown cameras).
  const suffix = randomUUID().slice(0, 8);
  const cameraName = `mqtt_cam_${suffix}`;

  beforeAll(async () => {
    t = await buildTestApp({ config: { ...testConfig(), mqttUrl } });
    await t.startBackground();
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    const camera = await t.app.inject({
      method: 'POST',
      url: '/api/v1/video/cameras',
      headers: bearer(supervisor),
      payload: { name: cameraName, lon: -89.2182, lat: 13.6929, frigateBaseUrl: 'http://frigate-mqtt:5000' },
    });
    expect(camera.statusCode, camera.body).toBe(201);
    const rule = await t.app.inject({
      method: 'POST',
      url: '/api/v1/video/rules',
      headers: bearer(supervisor),
      payload: {
        name: 'Persona en la entrada',
        cameraId: camera.json().id,
        label: 'person',
        zones: ['entrada'],
        minScore: 0.6,
        action: 'create_incident',
        priority: 1,
      },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    frigate = await connectAsync(mqttUrl!, { clientId: `frigate-test-${suffix}` });
  }, 180_000);
  afterAll(async () => {
    await frigate?.endAsync();
    await t?.close();
  });

  const publish = (topic: string, payload: unknown) =>
    frigate.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });

  it('ingests frigate/events: new, update and end make one incident and one alert', async () => {
    const id = `${(Date.now() / 1000).toFixed(6)}-${suffix.slice(0, 6)}`;
    const now = Date.now() / 1000;
    const state = {
      id,
      camera: cameraName,
      frame_time: now,
      label: 'person',
      sub_label: null,
      top_score: 0.91,
      score: 0.9,
      false_positive: false,
      start_time: now - 1,
      end_time: null,
      current_zones: ['entrada'],
      entered_zones: ['entrada'],
      has_snapshot: true,
      has_clip: false,
    };
    // Garbage first: it must be dropped without stopping the subscription.
    await publish('frigate/events', 'not json at all');
    await publish('frigate/events', {
      type: 'new',
      before: { ...state, false_positive: true },
      after: state,
    });
    await publish('frigate/events', {
      type: 'update',
      before: state,
      after: { ...state, frame_time: now + 1 },
    });
    await publish('frigate/events', {
      type: 'end',
      before: state,
      after: { ...state, frame_time: now + 2, end_time: now + 2, has_clip: true },
    });

    const row = await waitFor(() =>
      t.deps.db
        .selectFrom('video_events')
        .selectAll()
        .where('frigate_id', '=', id)
        .where('last_type', '=', 'end')
        .executeTakeFirst(),
    );
    expect(row).toMatchObject({ decision: 'incident_created', messages: 3, camera_name: cameraName });
    const incidents = await t.deps.db
      .selectFrom('incidents')
      .selectAll()
      .where('external_source', '=', 'frigate')
      .where('external_ref', '=', id)
      .execute();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ channel: 'video', priority: 1, created_by_type: 'system' });
    const alerts = await t.deps.db
      .selectFrom('machine_alerts')
      .selectAll()
      .where('camera_name', '=', cameraName)
      .execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.clip_url).toBe(`http://frigate-mqtt:5000/api/events/${id}/clip.mp4`);
  });

  it('ingests frigate/reviews: severity alert opens an alert', async () => {
    const reviewId = `${(Date.now() / 1000).toFixed(6)}-r${suffix.slice(0, 5)}`;
    const review = {
      id: reviewId,
      camera: cameraName,
      start_time: Date.now() / 1000,
      end_time: null,
      severity: 'alert',
      thumb_path: `/media/frigate/clips/review/thumb-${cameraName}-${reviewId}.webp`,
      data: { detections: [`other-${suffix}`], objects: ['person'], sub_labels: [], zones: [], audio: [] },
    };
    await publish('frigate/reviews', { type: 'new', before: review, after: review });
    const row = await waitFor(() =>
      t.deps.db.selectFrom('video_reviews').selectAll().where('review_id', '=', reviewId).executeTakeFirst(),
    );
    expect(row.decision).toBe('alert_opened');
    const alert = await t.deps.db
      .selectFrom('machine_alerts')
      .selectAll()
      .where('id', '=', row.alert_id!)
      .executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ source: 'frigate_review', review_id: reviewId });
  });
});
