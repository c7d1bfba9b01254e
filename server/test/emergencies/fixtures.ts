import { expect } from 'vitest';
import { ingestPositions } from '../../src/modules/emergencies/index.js';
import type { TestApp } from '../build-app.js';
import { bearer } from '../factories.js';

export const CENTRO = { lon: -89.1907, lat: 13.6989 };

/** A small JPEG (valid magic bytes) for photo uploads. */
export const TINY_JPEG_BASE64 = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF centinela test image'),
  Buffer.from([0xff, 0xd9]),
]).toString('base64');

export type Api = ReturnType<typeof apiClient>;

export function apiClient(t: TestApp) {
  return (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) });
}

/** An in-service unit (created through the API by a supervisor), optionally with a fresh AVL position. */
export async function makeUnit(
  t: TestApp,
  supervisor: string,
  callSign: string,
  options: {
    position?: { lon: number; lat: number; ageMs?: number };
    department?: string;
    stationId?: string;
  } = {},
): Promise<string> {
  const api = apiClient(t);
  const created = await api('POST', '/units', supervisor, {
    callSign,
    kind: 'patrol_car',
    departmentCode: options.department ?? 'SV-SS',
    ...(options.stationId ? { stationId: options.stationId } : {}),
  });
  expect(created.statusCode, created.body).toBe(201);
  const unit = created.json();
  const on = await api('POST', `/units/${unit.id}/service`, supervisor, { action: 'in_service' });
  expect(on.json().status).toBe('available');
  if (options.position) {
    // Through the AVL ingestion, as a device would report it (history, latest position, event).
    const recordedAt = new Date(Date.now() - (options.position.ageMs ?? 0));
    const result = await ingestPositions(t.deps, [
      {
        unitId: unit.id,
        lon: options.position.lon,
        lat: options.position.lat,
        speedKmh: 0,
        heading: null,
        accuracyM: 5,
        recordedAt,
        source: 'api',
      },
    ]);
    expect(result.moved).toBe(1);
  }
  return unit.id as string;
}

export async function makeIncident(
  t: TestApp,
  callTaker: string,
  overrides: { location?: { lon: number; lat: number }; typeCode?: string } = {},
): Promise<string> {
  const res = await apiClient(t)('POST', '/incidents', callTaker, {
    typeCode: overrides.typeCode ?? 'VIDA.LESIONES',
    narrative: 'Pelea con una persona herida.',
    location: overrides.location ?? CENTRO,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}
