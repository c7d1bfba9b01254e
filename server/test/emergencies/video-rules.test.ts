import { describe, expect, it } from 'vitest';
import {
  parseFrigateEvent,
  parseFrigateReview,
  parsePlateUpdate,
} from '../../src/modules/emergencies/video/frigate-payload.js';
import { fromEpochSeconds, toLocalIso } from '../../src/modules/emergencies/video/local-time.js';
import { eventMediaUrls } from '../../src/modules/emergencies/video/media.js';
import {
  evaluateRules,
  inSchedule,
  type RuleSpec,
  scheduleProblem,
} from '../../src/modules/emergencies/video/rules.js';

const at = (isoUtc: string) => new Date(isoUtc);
const rule = (overrides: Partial<RuleSpec>): RuleSpec => ({
  id: overrides.name ?? 'r',
  name: 'r',
  cameraId: null,
  label: 'person',
  zones: [],
  minScore: 0,
  schedule: null,
  action: 'alert_only',
  attachMeters: 300,
  attachMinutes: 30,
  priority: 2,
  ...overrides,
});
const person = { label: 'person', score: 0.8, zones: ['yard'], at: at('2026-03-02T15:00:00Z') };

describe('video rule schedules (America/El_Salvador)', () => {
  it.each([
    // 2026-03-02 is a Monday; El Salvador is UTC-6.
    [
      'Mon 09:00 inside 08:00–17:00 Mon–Fri',
      { days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' },
      '2026-03-02T15:00:00Z',
      true,
    ],
    [
      'Mon 17:00 is the exclusive end',
      { days: [1], from: '08:00', to: '17:00' },
      '2026-03-02T23:00:00Z',
      false,
    ],
    [
      'Sat 09:00 outside Mon–Fri',
      { days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' },
      '2026-03-07T15:00:00Z',
      false,
    ],
    [
      'Mon 23:00 inside Mon 22:00–06:00',
      { days: [1], from: '22:00', to: '06:00' },
      '2026-03-03T05:00:00Z',
      true,
    ],
    [
      'Tue 03:00 belongs to Mon night',
      { days: [1], from: '22:00', to: '06:00' },
      '2026-03-03T09:00:00Z',
      true,
    ],
    [
      'Mon 03:00 belongs to Sun night',
      { days: [1], from: '22:00', to: '06:00' },
      '2026-03-02T09:00:00Z',
      false,
    ],
    ['Sun 23:30 until midnight', { days: [7], from: '20:00', to: '24:00' }, '2026-03-09T05:30:00Z', true],
  ])('%s', (_name, schedule, when, expected) => {
    expect(inSchedule(schedule, at(when))).toBe(expected);
  });

  it('flags malformed schedules', () => {
    expect(scheduleProblem({ days: [], from: '08:00', to: '09:00' })).toBe('days');
    expect(scheduleProblem({ days: [8], from: '08:00', to: '09:00' })).toBe('days');
    expect(scheduleProblem({ days: [1], from: '08:00', to: '08:00' })).toBe('hours');
    expect(scheduleProblem({ days: [1], from: '24:00', to: '08:00' })).toBe('hours');
    expect(scheduleProblem({ days: [1], from: '22:00', to: '06:00' })).toBeNull();
  });
});

describe('video rule evaluation', () => {
  it('explains each rule and ignores when none matches', () => {
    const result = evaluateRules(
      [
        rule({ name: 'car', label: 'car' }),
        rule({ name: 'zone', zones: ['roof'] }),
        rule({ name: 'score', minScore: 0.9 }),
        rule({ name: 'night', schedule: { days: [1], from: '22:00', to: '06:00' } }),
      ],
      person,
    );
    expect(result.outcome).toBe('ignored');
    expect(result.checks.map((c) => c.failed)).toEqual(['label', 'zone', 'score', 'schedule']);
    expect(evaluateRules([], person).summary).toContain('Ninguna regla activa');
  });

  it('prefers camera rules over global ones, then the strongest action, then the most urgent priority', () => {
    const global = rule({ name: 'global', action: 'create_incident', priority: 1 });
    const cameraAlert = rule({ name: 'camera-alert', cameraId: 'c1', action: 'alert_only', priority: 3 });
    expect(evaluateRules([global, cameraAlert], person).rule?.name).toBe('camera-alert');
    const cameraIncident = rule({
      name: 'camera-incident',
      cameraId: 'c1',
      action: 'attach_nearby',
      priority: 3,
    });
    const cameraUrgent = rule({
      name: 'camera-urgent',
      cameraId: 'c1',
      action: 'create_incident',
      priority: 1,
    });
    const best = evaluateRules([cameraAlert, cameraIncident, cameraUrgent], person);
    expect(best).toMatchObject({ outcome: 'create_incident', rule: { name: 'camera-urgent' } });
    // A camera rule that does not match leaves the global rules in charge.
    const picky = rule({ name: 'picky', cameraId: 'c1', zones: ['roof'] });
    expect(evaluateRules([picky, global], person).rule?.name).toBe('global');
  });
});

describe('Frigate payload parsing', () => {
  it('infers the message type when it is missing or unknown', () => {
    const fromFalsePositive = parseFrigateEvent({
      before: { id: 'a', camera: 'c', false_positive: true },
      after: { id: 'a', camera: 'c' },
    });
    expect(fromFalsePositive).toMatchObject({ ok: true, value: { type: 'new', typeInferred: true } });
    const ended = parseFrigateEvent({
      type: 'weird',
      after: { id: 'a', camera: 'c', end_time: 1700000000.5 },
    });
    expect(ended).toMatchObject({ ok: true, value: { type: 'end', typeInferred: true } });
    const given = parseFrigateEvent({
      type: 'update',
      after: { id: 'a', camera: 'c', end_time: 1700000000.5 },
    });
    expect(given).toMatchObject({ ok: true, value: { type: 'update', typeInferred: false } });
  });

  it('reads sub_label in both shapes, scores as numbers, and drops wrong types', () => {
    const parsed = parseFrigateEvent({
      after: {
        id: 'a',
        camera: 'c',
        sub_label: ['Ana', 0.8],
        top_score: 7,
        score: '0.5',
        current_zones: ['x', 3, 'x', 'y'],
        has_snapshot: 'true',
      },
    });
    if (!parsed.ok) throw new Error('should parse');
    expect(parsed.value.after).toMatchObject({
      subLabel: { name: 'Ana', score: 0.8 },
      topScore: null,
      score: 0.5,
      currentZones: ['x', 'y'],
      hasSnapshot: true,
    });
    const old = parseFrigateEvent({ after: { id: 'a', camera: 'c', sub_label: 'Ana', snapshot: null } });
    expect(old.ok && old.value.after.subLabel).toEqual({ name: 'Ana', score: null });
  });

  it('names what is missing', () => {
    expect(parseFrigateEvent(null)).toMatchObject({ ok: false });
    expect(parseFrigateEvent({ after: { camera: 'c' } })).toEqual({
      ok: false,
      problems: [{ field: 'after.id', message: expect.any(String) }],
    });
    expect(parseFrigateReview({ after: { id: 'r' } })).toMatchObject({
      ok: false,
      problems: [{ field: 'after.camera' }],
    });
  });

  it('reads reviews and lpr updates', () => {
    const review = parseFrigateReview({
      type: 'new',
      after: {
        id: 'r',
        camera: 'c',
        severity: 'alert',
        data: { detections: ['e1', 'e2'], objects: ['person-verified', 'person', 'car'] },
      },
    });
    expect(review.ok && review.value.after).toMatchObject({
      detections: ['e1', 'e2'],
      objects: ['person', 'car'],
    });
    expect(
      parsePlateUpdate({
        type: 'lpr',
        id: 'e',
        plate: '123ABC',
        score: 0.95,
        camera: 'c',
        timestamp: 1607123958.748393,
      }),
    ).toMatchObject({ id: 'e', plate: '123ABC', score: 0.95 });
    expect(parsePlateUpdate({ type: 'face', id: 'e', camera: 'c' })).toBeNull();
  });

  it('converts epoch seconds and shows them in El Salvador time', () => {
    expect(fromEpochSeconds(1607123955.475377)?.toISOString()).toBe('2020-12-04T23:19:15.475Z');
    expect(fromEpochSeconds(1607123955475)?.toISOString()).toBe('2020-12-04T23:19:15.475Z');
    expect(fromEpochSeconds(null)).toBeNull();
    expect(fromEpochSeconds('soon')).toBeNull();
    expect(toLocalIso(new Date('2020-12-04T23:19:15.475Z'))).toBe('2020-12-04T17:19:15.475-06:00');
  });

  it('composes media links only for what Frigate keeps', () => {
    expect(eventMediaUrls('http://nvr:5000/', 'a b', { hasSnapshot: true, hasClip: false })).toEqual({
      thumbnailUrl: 'http://nvr:5000/api/events/a%20b/thumbnail.jpg',
      snapshotUrl: 'http://nvr:5000/api/events/a%20b/snapshot.jpg',
      clipUrl: null,
    });
    expect(eventMediaUrls(null, 'a', { hasSnapshot: true, hasClip: true })).toEqual({
      thumbnailUrl: null,
      snapshotUrl: null,
      clipUrl: null,
    });
  });
});
