import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testConfig } from '../build-app.js';

const MQTT_URL = process.env.TEST_MQTT_URL ?? process.env.MQTT_URL;

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the position');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!MQTT_URL)('AVL: positions over MQTT (centinela/avl/<device id>)', () => {
  let t: TestApp;
  let publisher: MqttClient;
  // The broker is shared (other runs, other tests): device ids unique to this run.
  const run = randomUUID().slice(0, 8);
  const device = `MQTT-${run}`;
  const unitId = randomUUID();

  beforeAll(async () => {
    t = await buildTestApp({ config: testConfig({ mqttUrl: MQTT_URL }) });
    const now = new Date();
    await t.deps.db
      .insertInto('units')
      .values({
        id: unitId,
        call_sign: `MQ-${run}`.toUpperCase(),
        kind: 'patrol_car',
        capabilities: JSON.stringify([]),
        station_id: null,
        department_code: 'SV-SS',
        municipality_pcode: null,
        status: 'available',
        status_changed_at: now,
        device_id: device,
        active: true,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.startBackground(); // subscribes to centinela/avl/+
    publisher = await connectAsync(MQTT_URL!, { clientId: `avl-test-${run}` });
  }, 240_000);
  afterAll(async () => {
    await publisher?.endAsync();
    await t?.close();
  });

  const history = () =>
    t.deps.db
      .selectFrom('unit_positions')
      .selectAll()
      .where('unit_id', '=', unitId)
      .orderBy('recorded_at')
      .execute();

  it('a JSON fix published on the device topic is stored and becomes the latest position', async () => {
    const recordedAt = new Date(Date.now() - 10_000).toISOString();
    await publisher.publishAsync(
      `centinela/avl/${device}`,
      JSON.stringify({ lat: 13.6929, lon: -89.2182, speedKmh: 42, heading: 270, accuracyM: 7, recordedAt }),
      { qos: 1 },
    );
    const latest = await waitFor(() =>
      t.deps.db
        .selectFrom('unit_latest_position')
        .selectAll()
        .where('unit_id', '=', unitId)
        .executeTakeFirst(),
    );
    expect(latest).toMatchObject({ lat: 13.6929, lon: -89.2182, speed_kmh: 42, heading: 270, accuracy_m: 7 });
    expect(latest.recorded_at.toISOString()).toBe(recordedAt);
    const [row] = await history();
    expect(row!.source).toBe('mqtt');
  });

  it('malformed payloads, unknown devices and duplicates store nothing; the subscription keeps working', async () => {
    const epoch = Math.floor(Date.now() / 1000) - 5;
    await publisher.publishAsync(`centinela/avl/${device}`, 'not json', { qos: 1 });
    await publisher.publishAsync(`centinela/avl/${device}`, JSON.stringify({ lat: 'x', lon: 1 }), { qos: 1 });
    await publisher.publishAsync(`centinela/avl/NOPE-${run}`, JSON.stringify({ lat: 13.7, lon: -89.2 }), {
      qos: 1,
    });
    const fix = JSON.stringify({ lat: 13.7, lon: -89.25, recordedAt: epoch });
    await publisher.publishAsync(`centinela/avl/${device}`, fix, { qos: 1 });
    await publisher.publishAsync(`centinela/avl/${device}`, fix, { qos: 1 });
    const stored = await waitFor(async () => {
      const rows = await history();
      return rows.some((r) => r.recorded_at.getTime() === epoch * 1000) ? rows : undefined;
    });
    // Give the duplicate time to be processed too, then check it was stored once.
    await new Promise((r) => setTimeout(r, 500));
    const rows = await history();
    expect(rows.filter((r) => r.recorded_at.getTime() === epoch * 1000).length).toBe(1);
    expect(rows.length).toBe(stored.length);
    expect(rows.length).toBe(2);
    const metrics = await t.deps.metrics.render();
    expect(metrics.body).toMatch(/centinela_avl_mqtt_malformed_total \d*[2-9]/);
  });
});
