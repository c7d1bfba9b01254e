import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeSvPhone } from '../../src/modules/emergencies/citizen/phone.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { JPEG_BYTES, PNG_1X1, SAN_SALVADOR } from './citizen-helpers.js';

describe('citizen reports (public, no account)', { timeout: 120_000 }, () => {
  let t: TestApp;
  let ipCounter = 0;
  /** Every test posts from its own addresses unless it says otherwise (the route allows 10/min per IP). */
  const freshIp = () => `10.1.${Math.floor(++ipCounter / 200)}.${ipCounter % 200}`;

  beforeAll(async () => {
    t = await buildTestApp();
  }, 300_000);
  afterAll(async () => {
    await t.close();
  });

  const report = (payload: Record<string, unknown>, ip = freshIp(), headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload, remoteAddress: ip, headers });

  let textCounter = 0;
  const base = (overrides: Record<string, unknown> = {}) => ({
    typeCode: 'PATRIMONIO.HURTO',
    description: `Me robaron el celular en la parada del bus, frente al mercado (caso ${++textCounter}).`,
    location: { ...SAN_SALVADOR, text: 'Parada frente al Mercado Central' },
    anonymous: false,
    ...overrides,
  });

  async function incidentByCode(code: string) {
    return t.deps.db
      .selectFrom('incidents')
      .selectAll()
      .where('tracking_code', '=', code)
      .executeTakeFirstOrThrow();
  }

  it('lists the citizen report types in plain language with the 911 notice', async () => {
    const res = await t.app.inject({ url: '/api/v1/public/report-types' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.notice).toMatch(/llame al 911/);
    const codes = body.items.map((i: { code: string }) => i.code);
    expect(codes).toContain('PATRIMONIO.HURTO');
    expect(codes).not.toContain('VIDA.HOMICIDIO');
    const robbery = body.items.find((i: { code: string }) => i.code === 'PATRIMONIO.ROBO');
    expect(robbery.name).toBe('Me asaltaron o robaron con amenazas');
    expect(robbery.group).toEqual({ code: 'PATRIMONIO', name: 'Delitos contra el patrimonio' });
    expect(robbery.questions.map((q: { code: string }) => q.code)).toContain('weapons');

    const en = await t.app.inject({
      url: '/api/v1/public/report-types',
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().items.find((i: { code: string }) => i.code === 'PATRIMONIO.ROBO').name).toBe(
      'I was robbed with force or threats',
    );
  });

  it('accepts an anonymous report and stores no contact at all, not even the IP in the audit log', async () => {
    const res = await report(base({ anonymous: true, typeCode: undefined }), '10.9.9.9');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.trackingCode).toMatch(/^CEN-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/);
    expect(body.trackingSecret).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(body.folio).toMatch(/^\d{4}-\d{6}$/);
    expect(body.status).toBe('received');
    expect(body.statusText).toBe('Recibimos su reporte.');

    const incident = await incidentByCode(body.trackingCode);
    expect(incident.channel).toBe('citizen');
    expect(incident.type_code).toBeNull();
    expect(incident.created_by_type).toBe('anonymous');
    const callers = await t.deps.db
      .selectFrom('incident_callers')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .execute();
    expect(callers).toHaveLength(1);
    expect(callers[0]).toMatchObject({ anonymous: true, phone: null, name: null, email: null });
    const followup = await t.deps.db
      .selectFrom('citizen_followups')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(followup.notify_channel).toBeNull();
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['ip', 'actor_type'])
      .where('entity_id', '=', incident.id)
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((a) => a.ip === null)).toBe(true);
  });

  it('refuses an anonymous report that carries contact details', async () => {
    const res = await report(base({ anonymous: true, contact: { phone: '7777-1234' } }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ANONYMOUS_WITH_CONTACT');
  });

  it('stores the contact with a normalized phone and only the hash of the tracking secret', async () => {
    const res = await report(
      base({ contact: { name: 'María Fernanda Rivas', phone: '7777-1234', email: 'maria@example.com' } }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { trackingCode, trackingSecret } = res.json();
    const incident = await incidentByCode(trackingCode);
    const caller = await t.deps.db
      .selectFrom('incident_callers')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(caller).toMatchObject({ phone: '+50377771234', name: 'María Fernanda Rivas', anonymous: false });
    expect(incident.tracking_secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(incident.tracking_secret_hash).not.toContain(trackingSecret);
    const compact = trackingSecret.replace(/-/g, '');
    for (const table of [
      'incidents',
      'audit_log',
      'outbox',
      'incident_timeline',
      'idempotency_keys',
    ] as const) {
      const dump = JSON.stringify(await t.deps.db.selectFrom(table).selectAll().execute());
      expect(dump, table).not.toContain(trackingSecret);
      expect(dump, table).not.toContain(compact);
    }
    const followup = await t.deps.db
      .selectFrom('citizen_followups')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    expect(followup).toMatchObject({ notify_channel: 'sms', locale: 'es' });
  });

  it.each([['+1 555 123 4567'], ['5555-1234'], ['7777-123'], ['+503 1234 5678'], ['telefono']])(
    'refuses the phone %s',
    async (phone) => {
      const res = await report(base({ contact: { phone } }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toMatch(/INVALID_PHONE|VALIDATION_FAILED/);
    },
  );

  it('normalizes the usual ways of writing Salvadoran numbers', () => {
    expect(normalizeSvPhone('7777-1234')).toBe('+50377771234');
    expect(normalizeSvPhone('+503 6123 4567')).toBe('+50361234567');
    expect(normalizeSvPhone('(503) 2222-3333')).toBe('+50322223333');
    expect(normalizeSvPhone('00503 7000 0000')).toBe('+50370000000');
    expect(normalizeSvPhone('50377771234')).toBe('+50377771234');
    expect(normalizeSvPhone('+52 55 1234 5678')).toBeNull();
    expect(normalizeSvPhone('8777-1234')).toBeNull();
  });

  it('refuses a filled honeypot field and writes nothing', async () => {
    const before = await t.deps.db
      .selectFrom('incidents')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirst();
    const res = await report(base({ website: 'http://spam.example' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SPAM_DETECTED');
    const after = await t.deps.db
      .selectFrom('incidents')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirst();
    expect(after!.n).toBe(before!.n);
  });

  it('refuses too short a description and too many links', async () => {
    const short = await report(base({ description: 'ayuda' }));
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('TEXT_TOO_SHORT');
    const links = await report(
      base({ description: 'Vea http://a.example http://b.example y www.c.example para más datos del caso' }),
    );
    expect(links.statusCode).toBe(400);
    expect(links.json().error.code).toBe('TOO_MANY_LINKS');
  });

  it('refuses the same text again from the same IP within minutes, with a clear code', async () => {
    const payload = base({ anonymous: true });
    const first = await report(payload, '10.7.7.7');
    expect(first.statusCode).toBe(201);
    const again = await report(payload, '10.7.7.7');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('REPORT_REPEATED');
    const otherIp = await report(payload, '10.7.7.8');
    expect(otherIp.statusCode).toBe(201);
  });

  it('limits reports per phone (5 per hour) with 429 PHONE_RATE_LIMITED', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await report(base({ contact: { phone: '+503 6111-2222' } }));
      expect(res.statusCode, res.body).toBe(201);
    }
    const sixth = await report(base({ contact: { phone: '61112222' } }));
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().error.code).toBe('PHONE_RATE_LIMITED');
    const callers = await t.deps.db
      .selectFrom('incident_callers')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('phone', '=', '+50361112222')
      .executeTakeFirst();
    expect(callers!.n).toBe(5);
    const otherPhone = await report(base({ contact: { phone: '6111-2223' } }));
    expect(otherPhone.statusCode).toBe(201);
  });

  it('limits requests per IP on the route', async () => {
    const ip = '10.8.8.8';
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await report(base({ anonymous: true }), ip)).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(codes[10]).toBe(429);
  });

  it('refuses types outside the citizen subset and computes the priority from the answers', async () => {
    const homicide = await report(base({ typeCode: 'VIDA.HOMICIDIO' }));
    expect(homicide.statusCode).toBe(400);
    expect(homicide.json().error.code).toBe('CITIZEN_TYPE_NOT_ALLOWED');
    const robbery = await report(base({ typeCode: 'PATRIMONIO.ROBO', answers: { weapons: true } }));
    expect(robbery.statusCode).toBe(201);
    const incident = await incidentByCode(robbery.json().trackingCode);
    expect(incident).toMatchObject({
      status: 'received',
      type_code: 'PATRIMONIO.ROBO',
      priority: 1,
      channel: 'citizen',
    });
    const unknownAnswer = await report(base({ typeCode: 'PATRIMONIO.ROBO', answers: { unicorns: true } }));
    expect(unknownAnswer.json().error.code).toBe('UNKNOWN_QUESTION');
  });

  it('requires a location', async () => {
    const res = await report(base({ location: {} }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('LOCATION_REQUIRED');
  });

  it('stores verified photos by SHA-256 with an append-only row each', async () => {
    const jpeg = JPEG_BYTES.toString('base64');
    const res = await report(
      base({
        photos: [
          { data: PNG_1X1, fileName: '../../etc/foto.png', mime: 'image/png' },
          { data: `data:image/jpeg;base64,${jpeg}` },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const incident = await incidentByCode(res.json().trackingCode);
    const rows = await t.deps.db
      .selectFrom('incident_attachments')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .orderBy('file_name')
      .execute();
    expect(rows).toHaveLength(2);
    const png = Buffer.from(PNG_1X1, 'base64');
    const pngRow = rows.find((r) => r.mime === 'image/png')!;
    expect(pngRow).toMatchObject({
      sha256: createHash('sha256').update(png).digest('hex'),
      size_bytes: png.length,
      file_name: 'foto.png',
      source: 'citizen',
      uploaded_by_type: 'anonymous',
      lon: SAN_SALVADOR.lon,
      lat: SAN_SALVADOR.lat,
    });
    expect(pngRow.storage_key).toBe(`attachments/${pngRow.sha256}`);
    expect(readFileSync(path.join(t.deps.config.dataDir, pngRow.storage_key)).equals(png)).toBe(true);
    const jpegRow = rows.find((r) => r.mime === 'image/jpeg')!;
    expect(jpegRow.file_name).toBe('foto-2.jpg');

    await expect(
      sql`UPDATE incident_attachments SET mime = 'text/plain' WHERE id = ${pngRow.id}`.execute(t.deps.db),
    ).rejects.toThrow(/solo inserción/);
    await expect(
      sql`DELETE FROM incident_attachments WHERE id = ${pngRow.id}`.execute(t.deps.db),
    ).rejects.toThrow(/solo inserción/);
  });

  it('refuses photos that are not images, mislabelled, too many or too large', async () => {
    const pdf = Buffer.from('%PDF-1.4 no soy una imagen').toString('base64');
    const notImage = await report(base({ photos: [{ data: pdf }] }));
    expect(notImage.statusCode).toBe(400);
    expect(notImage.json().error.code).toBe('PHOTO_TYPE_UNSUPPORTED');
    const mislabelled = await report(base({ photos: [{ data: PNG_1X1, mime: 'image/jpeg' }] }));
    expect(mislabelled.json().error.code).toBe('PHOTO_TYPE_MISMATCH');
    const garbage = await report(base({ photos: [{ data: 'no es base64 ***' }] }));
    expect(garbage.json().error.code).toBe('PHOTO_NOT_BASE64');
    const four = await report(base({ photos: Array.from({ length: 4 }, () => ({ data: PNG_1X1 })) }));
    expect(four.statusCode).toBe(400);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1);
    Buffer.from(PNG_1X1, 'base64').copy(big);
    const tooLarge = await report(base({ photos: [{ data: big.toString('base64') }] }));
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('PHOTO_TOO_LARGE');
  });
});
