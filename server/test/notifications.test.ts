import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITIZEN_NOTIFY_CONSUMER } from '../src/modules/emergencies/citizen/citizen-notify.js';
import { renderNotification } from '../src/modules/notifications/index.js';
import type { DomainEvent } from '../src/platform/events/types.js';
import { buildTestApp, type TestApp, testConfig } from './build-app.js';
import { SAN_SALVADOR, waitFor } from './emergencies/citizen-helpers.js';
import { bearer, loginAs, makeUser } from './factories.js';

describe('citizen notifications on status changes (log transport)', { timeout: 120_000 }, () => {
  let t: TestApp;
  let dispatcher: string;
  let supervisor: string;
  const lines: string[] = [];
  let ip = 0;

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    });
    t = await buildTestApp({ config: testConfig({ logLevel: 'info' }), logStream });
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    await t.startBackground();
  }, 300_000);
  afterAll(async () => {
    await t.close();
  });

  async function report(payload: Record<string, unknown>) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      remoteAddress: `10.3.0.${++ip}`,
      headers: { 'accept-language': (payload.lang as string) ?? 'es' },
      payload: {
        typeCode: 'ORDEN.ESCANDALO',
        description: `Música a todo volumen desde las diez de la noche (reporte ${ip}).`,
        location: { ...SAN_SALVADOR },
        anonymous: false,
        ...payload,
        lang: undefined,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { trackingCode } = res.json();
    const row = await t.deps.db
      .selectFrom('incidents')
      .select(['id'])
      .where('tracking_code', '=', trackingCode)
      .executeTakeFirstOrThrow();
    return { id: row.id, trackingCode: trackingCode as string };
  }

  const classify = async (id: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/classify`,
      headers: bearer(dispatcher),
      payload: { typeCode: 'ORDEN.ESCANDALO' },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const close = async (id: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/close`,
      headers: bearer(dispatcher),
      payload: { closureCode: 'ATENDIDO', summary: 'Se habló con los vecinos.' },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const notificationsOf = (id: string) =>
    t.deps.db
      .selectFrom('notifications')
      .selectAll()
      .where('entity_id', '=', id)
      .orderBy('created_at')
      .execute();

  /** Every status event of the incident was handled by the citizen consumer. */
  async function handled(id: string): Promise<void> {
    const events = await t.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('entity_id', '=', id)
      .where('type', '=', 'incident.status_changed')
      .execute();
    expect(events.length).toBeGreaterThan(0);
    await waitFor(async () => {
      const claimed = await t.deps.db
        .selectFrom('consumed_events')
        .select('event_id')
        .where('consumer', '=', CITIZEN_NOTIFY_CONSUMER)
        .where(
          'event_id',
          'in',
          events.map((e) => e.id),
        )
        .execute();
      return claimed.length === events.length;
    });
  }

  it('sends the citizen a plain-language SMS when the status changes, logged with the number masked', async () => {
    const r = await report({ contact: { name: 'Ana Beatriz Molina', phone: '7777-0001' } });
    await classify(r.id);
    await waitFor(async () => (await notificationsOf(r.id)).some((n) => n.status === 'sent'));
    const [sent] = await notificationsOf(r.id);
    expect(sent).toMatchObject({
      channel: 'sms',
      recipient: '+50377770001',
      template: 'citizen.status_changed',
      locale: 'es',
      status: 'sent',
      attempts: 1,
      transport: 'log',
      provider_message_id: `log:${sent!.id}`,
      last_error: null,
    });
    expect(sent!.params).toEqual({
      trackingCode: r.trackingCode,
      statusText: 'Su reporte fue revisado y espera asignación de una patrulla.',
    });
    expect(renderNotification(t.deps, sent!).text).toBe(
      `Centinela 911: su reporte ${r.trackingCode} tiene novedades: Su reporte fue revisado y espera asignación de una patrulla.`,
    );
    await waitFor(() => lines.some((l) => l.includes(sent!.id) && l.includes('log transport')));
    const logged = lines.filter((l) => l.includes(sent!.id));
    expect(logged.join('\n')).toContain('+503****0001');
    expect(lines.join('\n')).not.toContain('77770001');
    expect(lines.join('\n')).not.toContain('Ana Beatriz');

    await close(r.id);
    await waitFor(async () => (await notificationsOf(r.id)).filter((n) => n.status === 'sent').length === 2);
    expect((await notificationsOf(r.id))[1]!.params).toMatchObject({ statusText: 'El caso fue cerrado.' });
  });

  it('writes to citizens by e-mail, in the language they reported in', async () => {
    const r = await report({ contact: { email: 'citizen@example.com' }, lang: 'en' });
    await classify(r.id);
    await waitFor(async () => (await notificationsOf(r.id)).some((n) => n.status === 'sent'));
    const [sent] = await notificationsOf(r.id);
    expect(sent).toMatchObject({ channel: 'email', recipient: 'citizen@example.com', locale: 'en' });
    const rendered = renderNotification(t.deps, sent!);
    expect(rendered.subject).toBe(`News about your report ${r.trackingCode}`);
    expect(rendered.text).toContain('Your report was reviewed and is waiting for a unit.');
  });

  it('never notifies anonymous reports, nor citizens who declined', async () => {
    const anonymous = await report({ anonymous: true });
    const declined = await report({ contact: { phone: '7777-0002', notify: false } });
    for (const r of [anonymous, declined]) {
      await classify(r.id);
      await close(r.id);
      await handled(r.id);
      expect(await notificationsOf(r.id)).toEqual([]);
    }
  });

  it('handles a redelivered event once', async () => {
    const r = await report({ contact: { phone: '7777-0003' } });
    await classify(r.id);
    await handled(r.id);
    const row = await t.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity_id', '=', r.id)
      .where('type', '=', 'incident.status_changed')
      .executeTakeFirstOrThrow();
    const event: DomainEvent = {
      id: row.id,
      seq: Number(row.seq),
      publishSeq: Number(row.publish_seq),
      type: row.type,
      topic: row.topic,
      entityType: row.entity_type,
      entityId: row.entity_id,
      payload: row.payload as unknown as Record<string, unknown>,
      scope: {},
      permission: row.permission ?? 'incident.read',
      actor: { type: row.actor_type, id: row.actor_id },
      occurredAt: row.occurred_at.toISOString(),
    };
    await t.deps.events.bus.publish(event);
    await t.deps.events.bus.publish(event);
    await t.deps.events.bus.settled();
    expect(await notificationsOf(r.id)).toHaveLength(1);
  });

  it('lists the outbox for supervisors with masked recipients, and refuses other roles', async () => {
    const r = await report({ contact: { phone: '7777-0004' } });
    await classify(r.id);
    await waitFor(async () => (await notificationsOf(r.id)).length === 1);
    const res = await t.app.inject({
      url: `/api/v1/notifications?entityType=incident&entityId=${r.id}`,
      headers: bearer(supervisor),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().total).toBe(1);
    expect(res.json().items[0]).toMatchObject({
      recipient: '+503****0004',
      template: 'citizen.status_changed',
    });
    expect(res.body).not.toContain('77770004');
    const forbidden = await t.app.inject({ url: '/api/v1/notifications', headers: bearer(dispatcher) });
    expect(forbidden.statusCode).toBe(403);
  });
});
