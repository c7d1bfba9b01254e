import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';

const SAN_SALVADOR = { lon: -89.1907, lat: 13.6989 };
const SAN_MIGUEL = { lon: -88.1833, lat: 13.4833 };

describe('911 incidents: intake and lifecycle', () => {
  let t: TestApp;
  let callTaker: string;
  let dispatcher: string;
  let analyst: string;
  let dispatcherSanMiguel: string;

  beforeAll(async () => {
    t = await buildTestApp();
    callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    analyst = await loginAs(t.app, await makeUser(t.deps, 'analyst'));
    dispatcherSanMiguel = await loginAs(
      t.app,
      await makeUser(t.deps, 'dispatcher', { scope: { level: 'department', code: 'SV-SM' } }),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { ...bearer(token), ...headers },
      payload: body,
    });

  const robbery = (overrides: Record<string, unknown> = {}) => ({
    typeCode: 'PATRIMONIO.ROBO',
    narrative: 'Asaltaron a una señora en la parada de buses frente al mercado.',
    location: { ...SAN_SALVADOR, text: 'Parada de buses frente al Mercado Central' },
    caller: { phone: '+503 7777-1234', name: 'María López' },
    callReceivedAt: new Date(Date.now() - 40_000).toISOString(),
    callAnsweredAt: new Date(Date.now() - 30_000).toISOString(),
    ...overrides,
  });

  it('creates an incident with folio, territory by point-in-polygon, timeline, audit and event', async () => {
    const res = await create(callTaker, robbery());
    expect(res.statusCode).toBe(201);
    const incident = res.json();
    expect(incident.folio).toMatch(/^\d{4}-\d{6}$/);
    expect(incident.status).toBe('classified');
    expect(incident.priority).toBe(2);
    expect(incident.location.departmentCode).toBe('SV-SS');
    expect(incident.location.municipalityPcode).toMatch(/^SV\d{5}$/);
    expect(incident.times.callAnsweredAt).not.toBeNull();

    const timeline = await t.app.inject({
      url: `/api/v1/incidents/${incident.id}/timeline`,
      headers: bearer(callTaker),
    });
    expect(timeline.json().items[0]).toMatchObject({ kind: 'created', toStatus: 'classified' });

    const audit = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', incident.id)
      .where('action', '=', 'incident.created')
      .executeTakeFirst();
    expect(audit).toBeDefined();
    expect(JSON.stringify(audit!.changes)).not.toContain('7777');
    const event = await t.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity_id', '=', incident.id)
      .executeTakeFirst();
    expect(event?.type).toBe('incident.created');
    expect(event?.scope).toMatchObject({ department: 'SV-SS' });
  });

  it('suggests the priority from guided answers and requires a reason to override it', async () => {
    const raised = await create(callTaker, robbery({ answers: { weapons: true } }));
    expect(raised.json().priority).toBe(1);
    expect(raised.json().suggestedPriority).toBe(1);

    const noReason = await create(callTaker, robbery({ priority: 4 }));
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('PRIORITY_REASON_REQUIRED');

    const withReason = await create(
      callTaker,
      robbery({ priority: 3, priorityReason: 'El hecho ocurrió hace dos días' }),
    );
    expect(withReason.statusCode).toBe(201);
    expect(withReason.json()).toMatchObject({ priority: 3, suggestedPriority: 2 });
  });

  it('refuses bad input with clear 4xx codes and writes nothing', async () => {
    const before = await t.deps.db
      .selectFrom('incidents')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const cases: [Record<string, unknown>, string][] = [
      [robbery({ typeCode: 'NO.EXISTE' }), 'UNKNOWN_INCIDENT_TYPE'],
      [robbery({ location: {} }), 'LOCATION_REQUIRED'],
      [robbery({ location: { lon: -89.2 } }), 'LOCATION_INCOMPLETE'],
      [robbery({ location: { lon: -500, lat: 13 } }), 'VALIDATION_FAILED'],
      [robbery({ answers: { nonsense: true } }), 'UNKNOWN_QUESTION'],
      [robbery({ callReceivedAt: new Date(Date.now() + 3_600_000).toISOString() }), 'CALL_TIMES_IN_FUTURE'],
      [
        robbery({
          callReceivedAt: new Date(Date.now() - 10_000).toISOString(),
          callAnsweredAt: new Date(Date.now() - 20_000).toISOString(),
        }),
        'CALL_TIMES_OUT_OF_ORDER',
      ],
      [robbery({ narrative: 'x'.repeat(10_001) }), 'VALIDATION_FAILED'],
      [robbery({ location: { municipalityPcode: 'SV99999' } }), 'UNKNOWN_MUNICIPALITY'],
    ];
    for (const [body, code] of cases) {
      const res = await create(callTaker, body);
      expect(res.statusCode, code).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    const after = await t.deps.db
      .selectFrom('incidents')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('accepts points outside El Salvador but flags them', async () => {
    const res = await create(callTaker, robbery({ location: { lon: -90.5133, lat: 14.6349 } }));
    expect(res.statusCode).toBe(201);
    expect(res.json().location).toMatchObject({ flag: 'outside_country', departmentCode: null });
  });

  it('accepts a text location with a municipality as approximate', async () => {
    const res = await create(
      callTaker,
      robbery({ location: { text: 'Frente a la alcaldía', municipalityPcode: 'SV10001' } }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().location).toMatchObject({ flag: 'approximate', municipalityPcode: 'SV10001' });
    expect(res.json().location.departmentCode).toMatch(/^SV-/);
  });

  it('flags possible duplicates of the same family nearby', async () => {
    const here = { lon: -89.2, lat: 13.7 };
    const first = (await create(callTaker, robbery({ location: here }))).json();
    const second = (
      await create(
        callTaker,
        robbery({ typeCode: 'PATRIMONIO.HURTO', location: { lon: here.lon + 0.001, lat: here.lat } }),
      )
    ).json();
    expect(second.possibleDuplicates.map((d: { id: string }) => d.id)).toContain(first.id);
    const far = (await create(callTaker, robbery({ location: SAN_MIGUEL }))).json();
    expect(far.possibleDuplicates.map((d: { id: string }) => d.id)).not.toContain(first.id);
    const otherFamily = (
      await create(callTaker, robbery({ typeCode: 'TRANSITO.ACCIDENTE', location: here }))
    ).json();
    expect(otherFamily.possibleDuplicates.map((d: { id: string }) => d.id)).not.toContain(first.id);
  });

  it('merges a duplicate keeping both histories', async () => {
    const a = (await create(callTaker, robbery())).json();
    const b = (await create(callTaker, robbery())).json();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${b.id}/merge`,
      headers: bearer(callTaker),
      payload: { intoIncidentId: a.id, reason: 'Misma víctima, misma parada' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'duplicate', duplicateOf: a.id });
    const timelineA = (
      await t.app.inject({ url: `/api/v1/incidents/${a.id}/timeline`, headers: bearer(callTaker) })
    ).json();
    expect(timelineA.items.map((i: { kind: string }) => i.kind)).toContain('merged_in');
    const timelineB = (
      await t.app.inject({ url: `/api/v1/incidents/${b.id}/timeline`, headers: bearer(callTaker) })
    ).json();
    expect(timelineB.items.at(-1)).toMatchObject({
      toStatus: 'duplicate',
      reason: 'Misma víctima, misma parada',
    });
  });

  it('enforces the lifecycle: illegal transitions are 409, reasons and closure codes required', async () => {
    const incident = (await create(callTaker, robbery())).json();
    const post = (path: string, payload: Record<string, unknown>, token = dispatcher) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${incident.id}/${path}`,
        headers: bearer(token),
        payload,
      });

    const missingReason = await post('cancel', {});
    expect(missingReason.statusCode).toBe(400);
    const badCode = await post('close', { closureCode: 'NO_EXISTE', summary: 'Se atendió' });
    expect(badCode.json().error.code).toBe('UNKNOWN_CLOSURE_CODE');
    const closed = await post('close', {
      closureCode: 'RESUELTO_TELEFONO',
      summary: 'Se orientó por teléfono',
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closureCode: 'RESUELTO_TELEFONO' });
    const again = await post('cancel', { reason: 'ya no aplica' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ILLEGAL_TRANSITION');
    expect(again.json().error.message).toMatch(/cancel/);
  });

  it('changes priority only with a reason, and records it', async () => {
    const incident = (await create(callTaker, robbery())).json();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/priority`,
      headers: bearer(dispatcher),
      payload: { priority: 1, reason: 'Se reportan disparos' },
    });
    expect(res.json().priority).toBe(1);
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/priority`,
      headers: bearer(callTaker),
      payload: { priority: 2, reason: 'x'.repeat(5) },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('keeps notes append-only: corrections reference the corrected note', async () => {
    const incident = (await create(callTaker, robbery())).json();
    const notes = () =>
      t.app.inject({ url: `/api/v1/incidents/${incident.id}/notes`, headers: bearer(callTaker) });
    const narrative = (await notes()).json().items[0];
    expect(narrative.kind).toBe('narrative');
    const correction = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/notes`,
      headers: bearer(callTaker),
      payload: { text: 'Corrección: fue frente a la catedral.', corrects: narrative.id },
    });
    expect(correction.statusCode).toBe(201);
    const items = (await notes()).json().items;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ id: narrative.id, correctedBy: correction.json().id });
    expect(items[1]).toMatchObject({ kind: 'correction', corrects: narrative.id });
    await expect(
      sql`UPDATE incident_notes SET text = 'borrado' WHERE id = ${narrative.id}`.execute(t.deps.db),
    ).rejects.toThrow(/solo inserción/);
    await expect(
      sql`DELETE FROM incident_timeline WHERE incident_id = ${incident.id}`.execute(t.deps.db),
    ).rejects.toThrow(/solo inserción/);
  });

  it('shows caller data only to permitted roles and audits every read', async () => {
    const incident = (await create(callTaker, robbery())).json();
    const res = await t.app.inject({
      url: `/api/v1/incidents/${incident.id}/callers`,
      headers: bearer(callTaker),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ phone: '+503 7777-1234', name: 'María López' });
    const reads = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'personal_data.read')
      .where('entity_id', '=', incident.id)
      .execute();
    expect(reads).toHaveLength(1);
    const denied = await t.app.inject({
      url: `/api/v1/incidents/${incident.id}/callers`,
      headers: bearer(analyst),
    });
    expect(denied.statusCode).toBe(403);
    const detail = await t.app.inject({ url: `/api/v1/incidents/${incident.id}`, headers: bearer(analyst) });
    expect(detail.body).not.toContain('7777');
  });

  it('restricts reads to the territorial scope of the role', async () => {
    const ss = (await create(callTaker, robbery())).json();
    const sm = (await create(callTaker, robbery({ location: SAN_MIGUEL }))).json();
    const denied = await t.app.inject({
      url: `/api/v1/incidents/${ss.id}`,
      headers: bearer(dispatcherSanMiguel),
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('OUT_OF_SCOPE');
    const list = (
      await t.app.inject({
        url: '/api/v1/incidents?status=open&limit=500',
        headers: bearer(dispatcherSanMiguel),
      })
    ).json();
    const ids = list.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(sm.id);
    expect(ids).not.toContain(ss.id);
    expect(
      list.items.every(
        (i: { location: { departmentCode: string } }) => i.location.departmentCode === 'SV-SM',
      ),
    ).toBe(true);
  });

  it('gives unique consecutive folios under concurrent intake', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => create(callTaker, robbery())));
    const folios = results.map((r) => r.json().folio as string);
    expect(new Set(folios).size).toBe(20);
    const numbers = folios.map((f) => Number(f.split('-')[1])).sort((a, b) => a - b);
    expect(numbers.at(-1)! - numbers[0]!).toBe(19);
  });

  it('replays an idempotent intake instead of creating it twice', async () => {
    const body = robbery();
    const key = `intake-${Date.now()}`;
    const first = await create(callTaker, body, { 'idempotency-key': key });
    const second = await create(callTaker, body, { 'idempotency-key': key });
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });
});
