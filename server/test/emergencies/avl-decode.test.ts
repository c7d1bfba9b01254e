import { describe, expect, it } from 'vitest';
import { decodeMqttPosition } from '../../src/modules/emergencies/avl/avl.mqtt.js';
import { PositionBatcher } from '../../src/modules/emergencies/avl/batcher.js';
import type { IngestResult, PositionInput } from '../../src/modules/emergencies/avl/ingest.service.js';
import {
  decodeOsmAndJson,
  decodeOsmAndParams,
  parseJavaDouble,
} from '../../src/modules/emergencies/avl/osmand.decode.js';
import { decodeRequest } from '../../src/modules/emergencies/avl/osmand.server.js';
import { monthPartition } from '../../src/modules/emergencies/avl/partitions.js';
import { parseEpoch, parseIsoInstant } from '../../src/modules/emergencies/avl/time-parse.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const query = (q: string) => decodeOsmAndParams(new URLSearchParams(q), NOW);

describe('AVL decoders (pure)', () => {
  it('epoch threshold exactly like Traccar: < 2147483647 seconds, otherwise milliseconds', () => {
    expect(parseEpoch('2147483646')!.toISOString()).toBe('2038-01-19T03:14:06.000Z');
    expect(parseEpoch('2147483647')!.toISOString()).toBe('1970-01-25T20:31:23.647Z');
    expect(parseEpoch('1377177267')!.toISOString()).toBe('2013-08-22T13:14:27.000Z');
    expect(parseEpoch('1442068686579')!.toISOString()).toBe('2015-09-12T14:38:06.579Z');
    expect(parseEpoch('+1377177267')!.getTime()).toBe(1377177267000);
    expect(parseEpoch('12.5')).toBeUndefined();
    expect(parseEpoch('99999999999999999999')).toBeUndefined(); // beyond a Java long
    expect(parseEpoch('9223372036854775807')).toBeNull(); // a long, but no representable date
  });

  it('ISO-8601 instants need a zone and a real calendar date', () => {
    expect(parseIsoInstant('2016-01-27T18:55:47Z')!.toISOString()).toBe('2016-01-27T18:55:47.000Z');
    expect(parseIsoInstant('2025-06-15T13:45:12.862Z')!.toISOString()).toBe('2025-06-15T13:45:12.862Z');
    expect(parseIsoInstant('2025-06-15T07:45:12-06:00')!.toISOString()).toBe('2025-06-15T13:45:12.000Z');
    expect(parseIsoInstant('2025-06-15T07:45:12-0600')!.toISOString()).toBe('2025-06-15T13:45:12.000Z');
    expect(parseIsoInstant('2016-02-30T10:00:00Z')).toBeNull();
    expect(parseIsoInstant('2016-01-27T25:00:00Z')).toBeNull();
    expect(parseIsoInstant('2016-01-27T18:55:47')).toBeNull();
    expect(parseIsoInstant('tomorrowT')).toBeNull();
  });

  it('Double.parseDouble semantics for numbers', () => {
    expect(parseJavaDouble('6.0')).toBe(6);
    expect(parseJavaDouble(' 1e3 ')).toBe(1000);
    expect(parseJavaDouble('.5')).toBe(0.5);
    expect(parseJavaDouble('2.5d')).toBe(2.5);
    expect(parseJavaDouble('')).toBeNull();
    expect(parseJavaDouble('0x10')).toBeNull();
    expect(parseJavaDouble('1,5')).toBeNull();
  });

  it('query parameters: knots → km/h, last value wins, both coordinates or none', () => {
    const d = query('id=1&lat=1&lat=13.7&lon=-89.2&speed=10&valid=0&charge=TRUE&driverUniqueId=123');
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.fix.lat).toBe(13.7);
    expect(d.fix.speedKmh).toBeCloseTo(18.52, 9);
    expect(d.fix.valid).toBe(false);
    expect(d.fix.recordedAt).toEqual(NOW);
    expect(d.fix.attributes).toMatchObject({
      speedKnots: 10,
      valid: false,
      charge: true,
      driverUniqueId: '123',
    });
    const half = query('id=1&lat=13.7');
    expect(half.ok && half.fix.lat === null && half.fix.lon === null).toBe(true);
    expect(query('lat=13.7&lon=-89.2')).toMatchObject({ ok: false, format: 'query' });
    // A device cannot overwrite a decoded attribute with a parameter of the same name.
    const spoof = query('id=1&lat=13.7&lon=-89.2&speed=10&speedKnots=99');
    expect(spoof.ok && spoof.fix.attributes.speedKnots).toBe(10);
    // Push tokens are not kept.
    const token = query('id=1&notificationToken=secret-token');
    expect(token.ok && token.fix.attributes).toEqual({});
  });

  it('JSON body: speed m/s, negative speed/heading unknown, accuracy below 10 m dropped', () => {
    const d = decodeOsmAndJson({
      device_id: 'x',
      location: {
        timestamp: '2025-06-15T13:45:12.862Z',
        coords: {
          latitude: 37.4219983,
          longitude: -122.084,
          accuracy: 12,
          speed: -1,
          heading: -1,
          altitude: 5,
        },
        is_moving: false,
        odometer: 0,
        event: 'motionchange',
        battery: { level: -1, is_charging: false },
        activity: { type: 'still' },
        extras: { alarm: 'sos' },
      },
    });
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.fix).toMatchObject({ speedKmh: null, heading: null, accuracyM: 12, lat: 37.4219983 });
    expect(d.fix.attributes).toEqual({
      altitude: 5,
      event: 'motionchange',
      motion: false,
      odometer: 0,
      activity: 'still',
      alarm: 'sos',
    });
    expect(decodeOsmAndJson({ location: { timestamp: '2025-06-15T13:45:12Z' } })).toMatchObject({
      ok: false,
      format: 'json',
    });
  });

  it('the request decoder picks JSON by content type, the body only when the URL has no parameters', () => {
    const body = Buffer.from('id=B&lat=1&lon=2');
    const fromUrl = decodeRequest('/?id=A&lat=3&lon=4', 'application/x-www-form-urlencoded', body, NOW);
    expect(fromUrl.ok && fromUrl.fix.deviceId).toBe('A');
    const fromBody = decodeRequest('/x', 'application/x-www-form-urlencoded', body, NOW);
    expect(fromBody.ok && fromBody.fix.deviceId).toBe('B');
    const json = decodeRequest(
      '/?id=A',
      'Application/JSON',
      Buffer.from('{"device_id":"C","location":{"timestamp":"2025-01-01T00:00:00Z"}}'),
      NOW,
    );
    expect(json.ok && json.format === 'json' && json.fix.deviceId).toBe('C');
  });

  it('MQTT payloads: device from the topic, ISO or epoch time, malformed refused', () => {
    const ok = decodeMqttPosition(
      'centinela/avl/PNC-1',
      Buffer.from('{"lat":13.7,"lon":-89.2,"speedKmh":40,"recordedAt":1735732800}'),
      NOW,
    );
    expect(ok).toMatchObject({ deviceId: 'PNC-1', lat: 13.7, lon: -89.2, speedKmh: 40, source: 'mqtt' });
    expect(ok!.recordedAt.toISOString()).toBe('2025-01-01T12:00:00.000Z');
    expect(
      decodeMqttPosition('centinela/avl/PNC-1', Buffer.from('{"lat":13.7,"lon":-89.2}'), NOW)!.recordedAt,
    ).toEqual(NOW);
    expect(
      decodeMqttPosition('centinela/avl/PNC-1', Buffer.from('{"lat":"13.7","lon":-89.2}'), NOW),
    ).toBeNull();
    expect(
      decodeMqttPosition('centinela/avl/PNC-1', Buffer.from('{"lat":13.7,"lon":-89.2,"heading":"N"}'), NOW),
    ).toBeNull();
    expect(
      decodeMqttPosition(
        'centinela/avl/PNC-1',
        Buffer.from('{"lat":13.7,"lon":-89.2,"recordedAt":"ayer"}'),
        NOW,
      ),
    ).toBeNull();
    expect(decodeMqttPosition('centinela/avl/PNC-1', Buffer.from('nope'), NOW)).toBeNull();
  });

  it('monthly partitions are UTC months named unit_positions_yYYYYmMM', () => {
    expect(monthPartition(new Date('2026-12-31T23:59:59Z'), 1)).toEqual({
      name: 'unit_positions_y2027m01',
      from: new Date('2027-01-01T00:00:00Z'),
      to: new Date('2027-02-01T00:00:00Z'),
    });
  });

  it('the batcher groups fixes that arrive together and answers each caller with its own outcome', async () => {
    const calls: number[] = [];
    const batcher = new PositionBatcher(
      async (positions: PositionInput[]): Promise<IngestResult> => {
        calls.push(positions.length);
        return {
          outcomes: positions.map((p) => ({ status: 'stored', unitId: String(p.deviceId), latest: true })),
          stored: positions.length,
          duplicates: 0,
          noFix: 0,
          rejected: 0,
          moved: positions.length,
        };
      },
      { maxDelayMs: 20, maxBatch: 10, maxPending: 100 },
    );
    const fix = (i: number): PositionInput => ({
      deviceId: `d${i}`,
      lat: 1,
      lon: 1,
      recordedAt: NOW,
      source: 'mqtt',
    });
    const outcomes = await Promise.all(Array.from({ length: 25 }, (_, i) => batcher.submit(fix(i))));
    expect(outcomes.map((o) => (o.status === 'stored' ? o.unitId : null))).toEqual(
      Array.from({ length: 25 }, (_, i) => `d${i}`),
    );
    expect(calls.reduce((a, b) => a + b, 0)).toBe(25);
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(Math.max(...calls)).toBeLessThanOrEqual(10);
    const late = batcher.submit(fix(99));
    await batcher.close();
    await expect(late).resolves.toMatchObject({ status: 'stored' });
    await expect(batcher.submit(fix(100))).rejects.toThrow(/closed/);
  });
});
