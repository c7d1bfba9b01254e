import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';

describe('911 video: camera registry for its administrators', () => {
  let t: TestApp;
  let admin: string;
  let dispatcher: string;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lists every camera, inactive ones too, to those who configure them, and only to them', async () => {
    for (const [name, active] of [
      ['cam_centro', true],
      ['cam_vieja', false],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/video/cameras',
        headers: bearer(admin),
        payload: { name, lon: -89.1907, lat: 13.6989, active },
      });
      expect(res.statusCode).toBe(201);
    }
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/video/config/cameras',
      headers: bearer(admin),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { name: string; active: boolean }) => [c.name, c.active])).toEqual([
      ['cam_centro', true],
      ['cam_vieja', false],
    ]);
    expect(list.json().items[0].departmentCode).toBe('SV-SS');

    // The alert board's list stays with video.alert.read (dispatchers), which administrators lack.
    const board = await t.app.inject({ method: 'GET', url: '/api/v1/video/cameras', headers: bearer(admin) });
    expect(board.statusCode).toBe(403);
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/video/config/cameras',
      headers: bearer(dispatcher),
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('FORBIDDEN');
  });
});
