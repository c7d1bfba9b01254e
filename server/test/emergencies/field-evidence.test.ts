import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { loginAs, makeUser } from '../factories.js';
import { apiClient, makeIncident, makeUnit, TINY_JPEG_BASE64 } from './fixtures.js';

describe('911 field reports and evidence chain of custody', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiClient>;
  let officer: { id: string; token: string };
  let analyst: { id: string; token: string };
  let dispatcher: string;
  let incidentId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiClient(t);
    const supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    const callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    const o = await makeUser(t.deps, 'field_officer', { scope: { level: 'department', code: 'SV-SM' } });
    officer = { id: o.id, token: await loginAs(t.app, o) };
    const a = await makeUser(t.deps, 'analyst');
    analyst = { id: a.id, token: await loginAs(t.app, a) };
    const unit = await makeUnit(t, supervisor, 'PNC-901');
    await api('POST', `/units/${unit}/crew`, supervisor, { userId: officer.id });
    incidentId = await makeIncident(t, callTaker, { typeCode: 'TRANSITO.ACCIDENTE_LESIONADOS' });
    const assigned = await api('POST', `/incidents/${incidentId}/assignments`, dispatcher, { unitId: unit });
    expect(assigned.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores a field report once even when the app resends it, and validates fields by type', async () => {
    const fields = await api('GET', `/incidents/${incidentId}/field-report-fields`, officer.token);
    expect(fields.json().items.map((f: { code: string }) => f.code)).toContain('vehiclesInvolved');

    const report = {
      id: randomUUID(),
      fields: { personsInvolved: 3, injured: 1, vehiclesInvolved: 2, plates: ['P123-456'] },
      narrative: 'Colisión en la intersección.',
    };
    const first = await api('POST', `/incidents/${incidentId}/field-reports`, officer.token, report);
    expect(first.statusCode, first.body).toBe(201);
    const resent = await api('POST', `/incidents/${incidentId}/field-reports`, officer.token, report);
    expect(resent.statusCode).toBe(200);
    expect(resent.json().replayed).toBe(true);
    const altered = await api('POST', `/incidents/${incidentId}/field-reports`, officer.token, {
      ...report,
      narrative: 'Otra cosa',
    });
    expect(altered.statusCode).toBe(409);

    const invalid = await api('POST', `/incidents/${incidentId}/field-reports`, officer.token, {
      id: randomUUID(),
      fields: { injured: -1, weaponsSeized: 2, plates: ['no es placa'] },
      narrative: 'x',
    });
    expect(invalid.statusCode).toBe(400);
    const problems = invalid
      .json()
      .error.details.map((d: { field: string }) => d.field)
      .sort();
    expect(problems).toEqual(['injured', 'personsInvolved', 'plates', 'weaponsSeized']);

    const list = await api('GET', `/incidents/${incidentId}/field-reports`, dispatcher);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0].fields.vehiclesInvolved).toBe(2);
  });

  it('keeps a hash-chained custody record of each evidence hand-over', async () => {
    const clientId = randomUUID();
    const body = {
      id: clientId,
      description: 'Foto del vehículo',
      photo: { data: TINY_JPEG_BASE64, mime: 'image/jpeg' },
      lon: -89.19,
      lat: 13.7,
    };
    const collected = await api('POST', `/incidents/${incidentId}/evidence`, officer.token, body);
    expect(collected.statusCode, collected.body).toBe(201);
    const { attachmentId, sha256 } = collected.json();
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (await api('POST', `/incidents/${incidentId}/evidence`, officer.token, body)).json(),
    ).toMatchObject({ attachmentId, replayed: true });

    const custody = (payload: object, token: string) =>
      api('POST', `/evidence/${attachmentId}/custody`, token, payload);
    expect((await custody({ action: 'received' }, analyst.token)).json().error.code).toBe(
      'NO_TRANSFER_PENDING',
    );
    expect(
      (await custody({ action: 'transferred', toHolderId: analyst.id }, analyst.token)).json().error.code,
    ).toBe('NOT_THE_HOLDER');
    expect(
      (await custody({ action: 'transferred', toHolderId: analyst.id, note: 'A laboratorio' }, officer.token))
        .statusCode,
    ).toBe(204);
    expect((await custody({ action: 'sealed' }, officer.token)).json().error.code).toBe('TRANSFER_PENDING');
    expect(
      (await custody({ action: 'received', locationText: 'Laboratorio' }, analyst.token)).statusCode,
    ).toBe(204);
    expect((await custody({ action: 'analysed', note: 'Sin alteraciones' }, analyst.token)).statusCode).toBe(
      204,
    );

    const evidence = (await api('GET', `/incidents/${incidentId}/evidence`, analyst.token)).json().items[0];
    expect(evidence.custody.map((c: { action: string }) => c.action)).toEqual([
      'collected',
      'transferred',
      'received',
      'analysed',
    ]);
    expect(evidence.holderId).toBe(analyst.id);
    expect(evidence.chainIntact).toBe(true);

    const content = await api('GET', `/attachments/${attachmentId}/content`, dispatcher);
    expect(content.statusCode).toBe(200);
    expect(content.headers['x-content-sha256']).toBe(sha256);
    expect(content.rawPayload.toString('base64')).toBe(TINY_JPEG_BASE64);

    await expect(
      sql`UPDATE evidence_custody SET note = 'x' WHERE attachment_id = ${attachmentId}`.execute(t.deps.db),
    ).rejects.toThrow();
    await sql`SET session_replication_role = replica`.execute(t.deps.db);
    await sql`UPDATE evidence_custody SET note = 'alterado' WHERE attachment_id = ${attachmentId} AND seq = 2`.execute(
      t.deps.db,
    );
    await sql`SET session_replication_role = origin`.execute(t.deps.db);
    const tampered = (await api('GET', `/incidents/${incidentId}/evidence`, analyst.token)).json().items[0];
    expect(tampered.chainIntact).toBe(false);
    expect(tampered.firstBrokenSeq).toBe(2);
  });

  it('refuses files that are not images', async () => {
    const res = await api('POST', `/incidents/${incidentId}/evidence`, officer.token, {
      id: randomUUID(),
      description: 'Archivo',
      photo: { data: Buffer.from('#!/bin/sh\necho hola').toString('base64') },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PHOTO_TYPE_UNSUPPORTED');
  });
});
