import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackingSecretMatches } from '../../src/modules/emergencies/citizen/tracking-codes.js';
import { renderNotification } from '../../src/modules/notifications/index.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';
import { issueApiKey, PNG_1X1, SAN_SALVADOR } from './citizen-helpers.js';

describe('messaging webhook (SMS/WhatsApp gateway)', { timeout: 120_000 }, () => {
  let t: TestApp;
  let key: string;
  let dispatcher: string;
  let media: Server;
  let mediaUrl: string;

  beforeAll(async () => {
    t = await buildTestApp();
    key = await issueApiKey(t.app, t.deps, ['messaging.webhook']);
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    media = createServer((req, res) => {
      if (req.url === '/photo.png') {
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from(PNG_1X1, 'base64'));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
    mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(async () => {
    media?.close();
    await t.close();
  });

  let n = 0;
  const send = (payload: Record<string, unknown>, headers: Record<string, string> = { 'x-api-key': key }) =>
    t.app.inject({ method: 'POST', url: '/api/v1/webhooks/messages', headers, payload });
  const message = (overrides: Record<string, unknown> = {}) => ({
    messageId: `wamid.${++n}.${Date.now()}`,
    sender: '+503 7654-3210',
    text: 'Hay una pelea afuera del bar La Esquina.',
    channel: 'whatsapp',
    ...overrides,
  });

  const incidentsOf = (phone: string) =>
    t.deps.db
      .selectFrom('incidents')
      .innerJoin('incident_callers', 'incident_callers.incident_id', 'incidents.id')
      .select(['incidents.id', 'incidents.folio', 'incidents.status', 'incidents.channel'])
      .where('incident_callers.phone', '=', phone)
      .execute();

  it('requires an API key with messaging.webhook', async () => {
    expect((await send(message(), {})).statusCode).toBe(401);
    const wrong = await issueApiKey(t.app, t.deps, ['open311.request.create']);
    const forbidden = await send(message(), { 'x-api-key': wrong });
    expect(forbidden.statusCode).toBe(403);
    expect((await send(message(), bearer(dispatcher))).statusCode).toBe(403);
  });

  it('opens an incident for a new sender and queues the reply with the tracking code through the outbox', async () => {
    const res = await send(
      message({ sender: '7654-0001', location: { lat: SAN_SALVADOR.lat, lon: SAN_SALVADOR.lon } }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.outcome).toBe('created');
    expect(body.trackingCode).toMatch(/^CEN-/);
    const incident = await t.deps.db
      .selectFrom('incidents')
      .selectAll()
      .where('folio', '=', body.folio)
      .executeTakeFirstOrThrow();
    expect(incident).toMatchObject({
      channel: 'messaging',
      status: 'received',
      type_code: null,
      department_code: 'SV-SS',
    });
    const caller = await t.deps.db
      .selectFrom('incident_callers')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(caller).toMatchObject({ phone: '+50376540001', channel: 'messaging', anonymous: false });

    const queued = await t.deps.db
      .selectFrom('notifications')
      .selectAll()
      .where('entity_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(queued).toMatchObject({
      channel: 'whatsapp',
      recipient: '+50376540001',
      template: 'citizen.report_received',
      status: 'queued',
    });
    expect(queued.params).toMatchObject({ trackingCode: body.trackingCode, folio: body.folio });
    // The secret is sealed at rest: not in the params, not readable in the sealed column.
    expect(queued.sealed_params).toMatch(/^v1\./);
    const { text } = renderNotification(t.deps, queued);
    expect(text).toContain(body.trackingCode);
    const secret = /clave ([2-9A-Z-]{14})/.exec(text)?.[1];
    expect(secret).toBeDefined();
    expect(trackingSecretMatches(secret!, incident.tracking_secret_hash)).toBe(true);
    expect(JSON.stringify(queued)).not.toContain(secret!);

    const track = await t.app.inject({
      url: `/api/v1/public/tracking/${body.trackingCode}`,
      headers: { 'x-tracking-secret': secret! },
    });
    expect(track.statusCode).toBe(200);
  });

  it('is idempotent by messageId', async () => {
    const m = message({ sender: '7654-0002' });
    const first = await send(m);
    expect(first.statusCode).toBe(201);
    const again = await send(m);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), outcome: 'duplicate' });
    expect(await incidentsOf('+50376540002')).toHaveLength(1);
    const notes = await t.deps.db
      .selectFrom('incident_notes')
      .select('id')
      .where('incident_id', '=', (await incidentsOf('+50376540002'))[0]!.id)
      .execute();
    expect(notes).toHaveLength(1);
  });

  it('threads messages of one sender within the window into the same open incident', async () => {
    const now = Date.now();
    const first = await send(
      message({ sender: '7654-0003', receivedAt: new Date(now - 20 * 60_000).toISOString() }),
    );
    expect(first.statusCode).toBe(201);
    const second = await send(
      message({
        sender: '76540003',
        text: 'Ya sacaron cuchillos.',
        receivedAt: new Date(now - 5 * 60_000).toISOString(),
        media: [{ base64: PNG_1X1, mime: 'image/png' }],
      }),
    );
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ outcome: 'threaded', folio: first.json().folio });
    const incidents = await incidentsOf('+50376540003');
    expect(incidents).toHaveLength(1);
    const id = incidents[0]!.id;
    const notes = await t.app.inject({ url: `/api/v1/incidents/${id}/notes`, headers: bearer(dispatcher) });
    expect(notes.json().items.map((i: { kind: string; text: string }) => [i.kind, i.text])).toEqual([
      ['narrative', 'Hay una pelea afuera del bar La Esquina.'],
      ['citizen', 'Ya sacaron cuchillos.'],
    ]);
    const timeline = await t.app.inject({
      url: `/api/v1/incidents/${id}/timeline`,
      headers: bearer(dispatcher),
    });
    expect(timeline.json().items.map((i: { kind: string }) => i.kind)).toContain('citizen_message');
    const attachments = await t.deps.db
      .selectFrom('incident_attachments')
      .selectAll()
      .where('incident_id', '=', id)
      .execute();
    expect(attachments).toHaveLength(1);
    // Only the first message of a thread gets the tracking reply.
    const replies = await t.deps.db
      .selectFrom('notifications')
      .select('id')
      .where('entity_id', '=', id)
      .execute();
    expect(replies).toHaveLength(1);
  });

  it('opens a new incident after the window, or when the previous one is closed', async () => {
    const now = Date.now();
    const old = await send(
      message({ sender: '7654-0004', receivedAt: new Date(now - 45 * 60_000).toISOString() }),
    );
    expect(old.statusCode).toBe(201);
    const later = await send(message({ sender: '7654-0004', text: 'Otra vez hay problemas en el bar.' }));
    expect(later.statusCode).toBe(201);
    expect(later.json().folio).not.toBe(old.json().folio);

    const incident = await t.deps.db
      .selectFrom('incidents')
      .select('id')
      .where('folio', '=', later.json().folio)
      .executeTakeFirstOrThrow();
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/close`,
      headers: bearer(dispatcher),
      payload: { closureCode: 'RESUELTO_TELEFONO', summary: 'Se orientó al ciudadano por mensaje.' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const afterClose = await send(message({ sender: '7654-0004', text: 'Sigue el problema.' }));
    expect(afterClose.statusCode).toBe(201);
    expect(await incidentsOf('+50376540004')).toHaveLength(3);
  });

  it('downloads linked media, and records unavailable ones without losing the message', async () => {
    const res = await send(
      message({
        sender: '7654-0005',
        media: [
          { url: `${mediaUrl}/photo.png`, mime: 'image/png' },
          { url: `${mediaUrl}/missing.jpg`, mime: 'image/jpeg' },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const [incident] = await incidentsOf('+50376540005');
    const files = await t.deps.db
      .selectFrom('incident_attachments')
      .selectAll()
      .where('incident_id', '=', incident!.id)
      .execute();
    expect(files.map((f) => [f.mime, f.file_name])).toEqual([['image/png', 'photo.png']]);
    const narrative = await t.deps.db
      .selectFrom('incident_notes')
      .select('text')
      .where('incident_id', '=', incident!.id)
      .executeTakeFirstOrThrow();
    expect(narrative.text).toContain(`[Adjunto no disponible: ${mediaUrl}/missing.jpg]`);
  });

  it('refuses invalid senders, empty messages, future times and bad inline media', async () => {
    const foreign = await send(message({ sender: '+1 202 555 0100' }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.code).toBe('INVALID_PHONE');
    const empty = await send(message({ sender: '7654-0006', text: '  ' }));
    expect(empty.json().error.code).toBe('MESSAGE_EMPTY');
    const future = await send(
      message({ sender: '7654-0006', receivedAt: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    expect(future.json().error.code).toBe('MESSAGE_TIME_IN_FUTURE');
    const both = await send(
      message({
        sender: '7654-0006',
        media: [{ url: `${mediaUrl}/photo.png`, base64: PNG_1X1, mime: 'image/png' }],
      }),
    );
    expect(both.json().error.code).toBe('MEDIA_SOURCE_REQUIRED');
    const notImage = await send(
      message({
        sender: '7654-0006',
        media: [{ base64: Buffer.from('hola mundo').toString('base64'), mime: 'image/png' }],
      }),
    );
    expect(notImage.json().error.code).toBe('PHOTO_TYPE_UNSUPPORTED');
    expect(await incidentsOf('+50376540006')).toHaveLength(0);
  });
});
