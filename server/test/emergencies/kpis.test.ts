import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLabel, bucketsOf, parseBoundary } from '../../src/modules/emergencies/kpis/period.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';

/**
 * 911 KPIs over a dataset with exact timestamps (rows written with deps.db), plus one incident driven
 * end to end through the API under a controlled clock. Percentiles are percentile_cont (linear
 * interpolation): for [10, 18] the median is 14; p90 of [5, 10, 18, 30] is 18 + 0.7 × 12 = 26.4.
 */

const NOW = new Date('2026-02-10T15:00:00.000Z');
const clock = { at: NOW.getTime(), now: () => new Date(clock.at) };
const advance = (seconds: number) => {
  clock.at += seconds * 1000;
};

/** Local midnight of 2026-01-15 in El Salvador (UTC-6). */
const D0 = Date.parse('2026-01-15T06:00:00.000Z');
const at = (base: number, seconds: number) => new Date(base + seconds * 1000);
const MINUTE = 60;
const HOUR = 3600;

const SS = { department: 'SV-SS', municipality: 'SV10001' };
const LI = { department: 'SV-LI', municipality: 'SV05001' };

describe('911 KPIs', () => {
  let t: TestApp;
  let analyst: string;
  let analystLi: string;
  let supervisor: string;
  let dispatcher: string;
  let callTaker: string;
  let auditor: string;
  let folio = 0;
  const ids: Record<string, string> = {};

  const get = (url: string, token: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(token) });
  const api = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload ? { payload } : {}) });

  interface Seed {
    key: string;
    created: Date;
    received?: Date;
    answered?: Date;
    assigned?: Date;
    enRoute?: Date;
    onScene?: Date;
    closed?: Date;
    status: string;
    priority?: number;
    type?: string;
    channel?: string;
    territory?: { department: string; municipality: string };
    tracking?: boolean;
  }

  async function seedIncident(s: Seed): Promise<string> {
    const id = randomUUID();
    const type = s.type ?? 'VIDA.LESIONES';
    folio += 1;
    await t.deps.db
      .insertInto('incidents')
      .values({
        id,
        folio: `KPI-${String(folio).padStart(5, '0')}`,
        channel: s.channel ?? 'call',
        type_code: type,
        family: type.split('.')[0]!,
        priority: s.priority ?? 1,
        suggested_priority: s.priority ?? 1,
        status: s.status,
        summary: `Incidente de prueba ${s.key}`,
        answers: '{}',
        lon: null,
        lat: null,
        location_text: 'Referencia de prueba',
        location_flag: 'approximate',
        department_code: (s.territory ?? SS).department,
        municipality_pcode: (s.territory ?? SS).municipality,
        district_name: null,
        call_received_at: s.received ?? null,
        call_answered_at: s.answered ?? null,
        created_at: s.created,
        first_assigned_at: s.assigned ?? null,
        first_en_route_at: s.enRoute ?? null,
        first_on_scene_at: s.onScene ?? null,
        cleared_at: null,
        closed_at: s.closed ?? null,
        cancelled_at: null,
        closure_code: s.status === 'closed' ? 'ATENDIDO' : null,
        closure_summary: s.status === 'closed' ? 'Atendido.' : null,
        duplicate_of: null,
        external_source: null,
        external_ref: null,
        tracking_code: s.tracking ? `T${folio}${randomUUID().slice(0, 6)}` : null,
        tracking_secret_hash: null,
        created_by_type: 'system',
        created_by: null,
        updated_at: s.created,
        version: 1,
      })
      .execute();
    ids[s.key] = id;
    return id;
  }

  async function seedUnit(
    callSign: string,
    department: string,
    status: string,
    since: Date,
  ): Promise<string> {
    const id = randomUUID();
    await t.deps.db
      .insertInto('units')
      .values({
        id,
        call_sign: callSign,
        kind: 'patrol_car',
        capabilities: '[]',
        station_id: null,
        department_code: department,
        municipality_pcode: null,
        status: status as 'available',
        status_changed_at: since,
        device_id: null,
        active: true,
        created_at: since,
        updated_at: since,
      })
      .execute();
    return id;
  }

  async function setUnitStatus(id: string, status: string, since: Date) {
    await t.deps.db
      .updateTable('units')
      .set({ status: status as 'available', status_changed_at: since })
      .where('id', '=', id)
      .execute();
  }

  async function seedAssignment(
    incidentId: string,
    unitId: string,
    times: { assigned: Date; enRoute?: Date; onScene?: Date; cleared?: Date; released?: Date },
  ) {
    await t.deps.db
      .insertInto('incident_assignments')
      .values({
        id: randomUUID(),
        incident_id: incidentId,
        unit_id: unitId,
        assigned_at: times.assigned,
        assigned_by: null,
        reason: null,
        acknowledged_at: null,
        en_route_at: times.enRoute ?? null,
        on_scene_at: times.onScene ?? null,
        cleared_at: times.cleared ?? null,
        released_at: times.released ?? null,
        release_reason: times.released ? 'Reasignada' : null,
        released_by: null,
      })
      .execute();
  }

  // C1..C4: San Salvador, January 2026, calls answered in 5, 10, 18 and 30 s.
  const C1 = D0 + 3 * HOUR; // 2026-01-15 03:00 local
  const C2 = Date.parse('2026-01-10T18:00:00.000Z');
  const C3 = Date.parse('2026-01-12T18:00:00.000Z');
  const C4 = Date.parse('2026-01-15T03:00:00.000Z'); // 2026-01-14 21:00 local

  beforeAll(async () => {
    t = await buildTestApp({ clock });
    analyst = await loginAs(t.app, await makeUser(t.deps, 'analyst'));
    analystLi = await loginAs(
      t.app,
      await makeUser(t.deps, 'analyst', { scope: { level: 'department', code: 'SV-LI' } }),
    );
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
    dispatcher = await loginAs(t.app, await makeUser(t.deps, 'dispatcher'));
    callTaker = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    auditor = await loginAs(t.app, await makeUser(t.deps, 'auditor'));

    const inc1 = await seedIncident({
      key: 'inc1',
      received: at(C1, -5 - 20),
      answered: at(C1, -20),
      created: new Date(C1),
      assigned: at(C1, 60),
      enRoute: at(C1, 90),
      onScene: at(C1, 600),
      closed: at(C1, HOUR),
      status: 'closed',
    });
    const inc2 = await seedIncident({
      key: 'inc2',
      received: at(C2, -10 - 40),
      answered: at(C2, -40),
      created: new Date(C2),
      assigned: at(C2, 120),
      enRoute: at(C2, 180),
      onScene: at(C2, 900),
      status: 'on_scene',
    });
    const inc3 = await seedIncident({
      key: 'inc3',
      received: at(C3, -18 - 60),
      answered: at(C3, -60),
      created: new Date(C3),
      assigned: at(C3, 180),
      status: 'dispatched',
      priority: 2,
    });
    await seedIncident({
      key: 'inc4',
      received: at(C4, -30 - 80),
      answered: at(C4, -80),
      created: new Date(C4),
      status: 'classified',
      priority: 3,
      type: 'PATRIMONIO.ROBO',
    });
    // La Libertad: citizen reports with tracking codes (satisfaction), one more call.
    const inc5 = await seedIncident({
      key: 'inc5',
      created: new Date('2026-01-20T16:00:00.000Z'),
      closed: new Date('2026-01-20T19:00:00.000Z'),
      status: 'closed',
      priority: 3,
      channel: 'citizen',
      territory: LI,
      tracking: true,
    });
    await seedIncident({
      key: 'inc6',
      created: new Date('2026-01-21T16:00:00.000Z'),
      closed: new Date('2026-01-21T17:00:00.000Z'),
      status: 'closed',
      priority: 3,
      channel: 'citizen',
      territory: LI,
      tracking: true,
    });
    const inc7 = await seedIncident({
      key: 'inc7',
      created: new Date('2026-01-22T16:00:00.000Z'),
      closed: new Date('2026-01-22T18:00:00.000Z'),
      status: 'closed',
      priority: 3,
      channel: 'citizen',
      tracking: true,
    });
    await seedIncident({
      key: 'inc8',
      created: new Date('2026-01-23T16:00:00.000Z'),
      status: 'classified',
      priority: 4,
      channel: 'citizen',
      tracking: true,
    });
    await seedIncident({
      key: 'inc9',
      received: new Date('2026-01-25T15:59:00.000Z'),
      answered: new Date('2026-01-25T15:59:40.000Z'),
      created: new Date('2026-01-25T16:00:00.000Z'),
      status: 'classified',
      priority: 2,
      territory: LI,
    });
    // Local period boundaries: 2025-12-31 23:30 local is out of January; 2026-01-31 23:30 local is in.
    await seedIncident({
      key: 'before',
      created: new Date('2026-01-01T05:30:00.000Z'),
      status: 'classified',
      priority: 4,
    });
    await seedIncident({
      key: 'lastNight',
      created: new Date('2026-02-01T05:30:00.000Z'),
      status: 'classified',
      priority: 4,
    });
    for (const [incidentId, rating] of [
      [inc5, 4],
      [inc7, 2],
    ] as const) {
      await t.deps.db
        .insertInto('citizen_surveys')
        .values({
          incident_id: incidentId,
          rating,
          comment: null,
          submitted_at: new Date('2026-01-28T12:00:00Z'),
        })
        .execute();
    }

    // Units: U1 out of service 00:00–02:00 and from 20:00 on 2026-01-15; U2 available all along;
    // U4 on scene at inc2 since 2026-01-10; U5 assigned to inc3; U3 in La Libertad, idle.
    const u1 = await seedUnit('KPI-U1', 'SV-SS', 'out_of_service', new Date(D0));
    await setUnitStatus(u1, 'available', at(D0, 2 * HOUR));
    await setUnitStatus(u1, 'out_of_service', at(D0, 20 * HOUR));
    const u2 = await seedUnit('KPI-U2', 'SV-SS', 'available', at(D0, -24 * HOUR));
    const u3 = await seedUnit('KPI-U3', 'SV-LI', 'available', at(D0, -24 * HOUR));
    const u4 = await seedUnit('KPI-U4', 'SV-SS', 'on_scene', new Date('2026-01-01T12:00:00Z'));
    const u5 = await seedUnit('KPI-U5', 'SV-SS', 'assigned', new Date('2026-01-01T12:00:00Z'));
    ids.u1 = u1;
    ids.u2 = u2;
    ids.u3 = u3;
    ids.u4 = u4;
    await seedAssignment(inc1, u1, {
      assigned: at(C1, 60),
      enRoute: at(C1, 90),
      onScene: at(C1, 600),
      cleared: at(C1, 1800),
    });
    await seedAssignment(inc1, u2, { assigned: at(C1, 100), enRoute: at(C1, 190), released: at(C1, 300) });
    await seedAssignment(inc2, u4, { assigned: at(C2, 120), enRoute: at(C2, 180), onScene: at(C2, 900) });
    await seedAssignment(inc3, u5, { assigned: at(C3, 180) });

    // Escalations in January: inc3 (dispatch stage, acknowledged after 60 s), inc4 (pending).
    await t.deps.db
      .insertInto('incident_escalations')
      .values([
        {
          id: randomUUID(),
          incident_id: inc3,
          stage: 'on_scene',
          raised_at: at(C3, 1000),
          late_by_s: 100,
          acknowledged_at: at(C3, 1060),
          acknowledged_by: null,
        },
        {
          id: randomUUID(),
          incident_id: ids.inc4!,
          stage: 'dispatch',
          raised_at: at(C4, 1000),
          late_by_s: 100,
          acknowledged_at: null,
          acknowledged_by: null,
        },
        {
          id: randomUUID(),
          incident_id: ids.inc4!,
          stage: 'on_scene',
          raised_at: at(C4, 2000),
          late_by_s: 200,
          acknowledged_at: at(C4, 2300),
          acknowledged_by: null,
        },
      ])
      .execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  const JANUARY = 'from=2026-01-01&to=2026-01-31';

  describe('volumes', () => {
    it('counts the incidents of the period (local boundaries), by department and channel', async () => {
      const res = await get(`/kpis/volumes?${JANUARY}&by=department`, analyst);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.period).toEqual({
        from: '2026-01-01T06:00:00.000Z',
        to: '2026-02-01T06:00:00.000Z',
        timeZone: 'America/El_Salvador',
      });
      expect(body.total).toBe(10); // 11 seeded, the one at 2025-12-31 23:30 local is out
      expect(body.rows).toEqual([
        { group: { department: 'SV-LI' }, labels: { department: 'La Libertad' }, count: 3, sharePct: 30 },
        { group: { department: 'SV-SS' }, labels: { department: 'San Salvador' }, count: 7, sharePct: 70 },
      ]);
      const channels = (await get(`/kpis/volumes?${JANUARY}&by=channel,priority`, analyst)).json();
      expect(channels.rows.map((r: { group: object; count: number }) => [r.group, r.count])).toEqual([
        [{ channel: 'call', priority: 1 }, 2],
        [{ channel: 'call', priority: 2 }, 2],
        [{ channel: 'call', priority: 3 }, 1],
        [{ channel: 'call', priority: 4 }, 1],
        [{ channel: 'citizen', priority: 3 }, 3],
        [{ channel: 'citizen', priority: 4 }, 1],
      ]);
      expect(channels.rows[0].labels).toEqual({ channel: 'Llamada 911', priority: 'Prioridad 1' });
    });

    it('groups by local day, filling the days without incidents', async () => {
      const res = await get('/kpis/volumes?from=2026-01-14&to=2026-01-16&by=day', analyst);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows).toEqual([
        // inc4 at 03:00 UTC on the 15th is 21:00 local on the 14th.
        { group: { day: '2026-01-14T06:00:00.000Z' }, labels: { day: '2026-01-14' }, count: 1, sharePct: 50 },
        { group: { day: '2026-01-15T06:00:00.000Z' }, labels: { day: '2026-01-15' }, count: 1, sharePct: 50 },
        { group: { day: '2026-01-16T06:00:00.000Z' }, labels: { day: '2026-01-16' }, count: 0, sharePct: 0 },
      ]);
    });

    it('filters by type or family, priority, channel and territory', async () => {
      const total = async (query: string) =>
        (await get(`/kpis/volumes?${JANUARY}&${query}`, analyst)).json().total;
      expect(await total('type=PATRIMONIO')).toBe(1);
      expect(await total('type=VIDA.LESIONES')).toBe(9);
      expect(await total('priority=3')).toBe(4);
      expect(await total('channel=citizen')).toBe(4);
      expect(await total('municipality=SV05001')).toBe(3);
      expect(await total('department=SV-SS&channel=call')).toBe(5);
    });

    it('limits a department-scoped analyst to that department', async () => {
      const res = await get(`/kpis/volumes?${JANUARY}&by=department`, analystLi);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total).toBe(3);
      expect(res.json().rows.map((r: { group: { department: string } }) => r.group.department)).toEqual([
        'SV-LI',
      ]);
      expect(res.json().scope).toEqual({ national: false, departments: ['SV-LI'], municipalities: [] });
      const other = await get(`/kpis/volumes?${JANUARY}&department=SV-SS`, analystLi);
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('KPI_TERRITORY_OUT_OF_SCOPE');
      const times = (await get(`/kpis/response-times?${JANUARY}`, analystLi)).json();
      expect(times.rows[0].incidents).toBe(3);
      expect(times.rows[0].answer).toEqual({ n: 1, p50: 40, p90: 40 });
    });
  });

  describe('response times', () => {
    it('gives exact p50/p90 of every interval and the NENA answer compliance', async () => {
      const res = await get(`/kpis/response-times?${JANUARY}&department=SV-SS&channel=call`, supervisor);
      expect(res.statusCode, res.body).toBe(200);
      const [row, ...rest] = res.json().rows;
      expect(rest).toEqual([]);
      expect(row.incidents).toBe(5);
      expect(row.answer).toEqual({ n: 4, p50: 14, p90: 26.4 }); // 5, 10, 18, 30 s
      expect(row.callEntry).toEqual({ n: 4, p50: 50, p90: 74 }); // 20, 40, 60, 80 s
      expect(row.dispatch).toEqual({ n: 3, p50: 120, p90: 168 }); // 60, 120, 180 s
      expect(row.turnout).toEqual({ n: 3, p50: 60, p90: 84 }); // per unit: 30, 60, 90 s
      expect(row.travel).toEqual({ n: 2, p50: 615, p90: 699 }); // 510, 720 s
      expect(row.arrive).toEqual({ n: 2, p50: 750, p90: 870 }); // 600, 900 s
      expect(row.close).toEqual({ n: 1, p50: 3600, p90: 3600 });
      expect(row.answeredWithin15sPct).toBe(50);
      expect(row.answeredWithin20sPct).toBe(75);
      expect(row.belowTarget15s).toBe(true);
      expect(row.belowTarget20s).toBe(true);
    });

    it('groups by priority and by period', async () => {
      const byPriority = (
        await get(`/kpis/response-times?${JANUARY}&department=SV-SS&by=priority`, analyst)
      ).json();
      const p1 = byPriority.rows.find((r: { group: { priority: number } }) => r.group.priority === 1);
      expect(p1.answer).toEqual({ n: 2, p50: 7.5, p90: 9.5 });
      expect(p1.answeredWithin15sPct).toBe(100);
      expect(p1.belowTarget15s).toBe(false);
      const byWeek = (
        await get('/kpis/response-times?from=2026-01-05&to=2026-01-18&by=week', analyst)
      ).json();
      expect(
        byWeek.rows.map((r: { labels: { week: string }; incidents: number }) => [r.labels.week, r.incidents]),
      ).toEqual([
        ['2026-W02', 1],
        ['2026-W03', 3],
      ]);
      expect(byWeek.rows[0].group.week).toBe('2026-01-05T06:00:00.000Z');
    });

    it('exports CSV with BOM and Spanish headers, and XLSX that parses back', async () => {
      const csv = await get(
        `/kpis/response-times?${JANUARY}&department=SV-SS&channel=call&format=csv`,
        analyst,
      );
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="kpi-tiempos-respuesta_2026-01-01_2026-01-31.csv"',
      );
      expect(csv.rawPayload.subarray(0, 3).toString('hex')).toBe('efbbbf');
      const lines = csv.rawPayload.toString('utf8').slice(1).split('\r\n');
      const header = lines[0]!.split(',');
      expect(header.slice(0, 4)).toEqual([
        'Incidentes',
        'Atención de la llamada: mediciones',
        'Atención de la llamada: p50 (s)',
        'Atención de la llamada: p90 (s)',
      ]);
      expect(header.at(-1)).toBe('Bajo la meta NENA del 95 % en 20 s');
      const values = lines[1]!.split(',');
      expect(values.slice(0, 4)).toEqual(['5', '4', '14', '26.4']);
      expect(values.slice(-4)).toEqual(['50', '75', 'Sí', 'Sí']);
      expect(lines[2]).toBe('');

      const xlsx = await get(
        `/kpis/response-times?${JANUARY}&department=SV-SS&channel=call&format=xlsx`,
        analyst,
      );
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(xlsx.headers['content-disposition']).toContain('.xlsx"');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
      const sheet = workbook.getWorksheet('Tiempos de respuesta')!;
      expect(sheet.getRow(1).getCell(3).value).toBe('Atención de la llamada: p50 (s)');
      expect(sheet.getRow(2).getCell(1).value).toBe(5);
      expect(sheet.getRow(2).getCell(3).value).toBe(14);
      expect(sheet.getRow(2).getCell(4).value).toBe(26.4);
      expect(sheet.rowCount).toBe(2);
      const params = workbook.getWorksheet('Parámetros')!;
      const paramMap = new Map<string, unknown>();
      params.eachRow((row) => paramMap.set(String(row.getCell(1).value), row.getCell(2).value));
      expect(paramMap.get('Desde (UTC, incluido)')).toBe('2026-01-01T06:00:00.000Z');
      expect(paramMap.get('Filtros')).toBe('department=SV-SS; channel=call');
    });
  });

  describe('unit utilisation', () => {
    it('splits each unit’s day between assigned, en route, on scene, available and out of service', async () => {
      const res = await get('/kpis/unit-utilisation?from=2026-01-15&to=2026-01-15&department=SV-SS', analyst);
      expect(res.statusCode, res.body).toBe(200);
      const rows = res.json().rows as {
        group: { unit: string };
        labels: { unit: string };
        windowSeconds: number;
        assignedSeconds: number;
        enRouteSeconds: number;
        onSceneSeconds: number;
        availableSeconds: number;
        outOfServiceSeconds: number;
        busyPct: number;
        outOfServicePct: number;
      }[];
      expect(rows.map((r) => r.labels.unit)).toEqual(['KPI-U1', 'KPI-U2', 'KPI-U4', 'KPI-U5']);
      const [u1, u2, u4, u5] = rows;
      expect(u1).toMatchObject({
        windowSeconds: 86_400,
        assignedSeconds: 30,
        enRouteSeconds: 510,
        onSceneSeconds: 1200,
        outOfServiceSeconds: 6 * HOUR,
        availableSeconds: 86_400 - 30 - 510 - 1200 - 6 * HOUR,
        busyPct: 2,
        outOfServicePct: 25,
      });
      expect(u2).toMatchObject({
        assignedSeconds: 90,
        enRouteSeconds: 110,
        onSceneSeconds: 0,
        outOfServiceSeconds: 0,
        availableSeconds: 86_200,
      });
      expect(u4).toMatchObject({ onSceneSeconds: 86_400, busyPct: 100, availableSeconds: 0 });
      expect(u5).toMatchObject({ assignedSeconds: 86_400, busyPct: 100 });
      const byDepartment = (
        await get('/kpis/unit-utilisation?from=2026-01-15&to=2026-01-15&by=department', analyst)
      ).json();
      expect(
        byDepartment.rows.map((r: { group: object; units: number; windowSeconds: number }) => [
          r.group,
          r.units,
          r.windowSeconds,
        ]),
      ).toEqual([
        [{ department: 'SV-LI' }, 1, 86_400],
        [{ department: 'SV-SS' }, 4, 4 * 86_400],
      ]);
      const li = (await get('/kpis/unit-utilisation?from=2026-01-15&to=2026-01-15', analystLi)).json();
      expect(li.rows.map((r: { group: { unit: string } }) => r.group.unit)).toEqual([ids.u3]);
    });

    it('refuses incident-only filters and exports the table', async () => {
      const bad = await get('/kpis/unit-utilisation?priority=1', analyst);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
      const csv = await get(
        '/kpis/unit-utilisation?from=2026-01-15&to=2026-01-15&department=SV-SS&format=csv',
        analyst,
      );
      const lines = csv.rawPayload.toString('utf8').slice(1).trim().split('\r\n');
      expect(
        lines[0]!.startsWith('Unidad,Código de departamento,Departamento,Tiempo observado (s),Asignada (s)'),
      ).toBe(true);
      expect(lines[1]!.startsWith('KPI-U1,SV-SS,San Salvador,86400,30,510,1200,')).toBe(true);
    });
  });

  describe('late incidents and escalations', () => {
    it('lists open incidents past their targets now, in scope', async () => {
      const recent = await seedIncident({
        key: 'recent',
        created: new Date(NOW.getTime() - 20 * MINUTE * 1000),
        status: 'classified',
        priority: 1,
      });
      await seedIncident({
        key: 'fresh',
        created: new Date(NOW.getTime() - 30 * 1000),
        status: 'classified',
        priority: 1,
      });
      const res = await get('/kpis/late-incidents?department=SV-SS', supervisor);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.asOf).toBe(NOW.toISOString());
      const byKey = new Map(body.rows.map((r: { incidentId: string }) => [r.incidentId, r]));
      // inc2 has a unit on scene, inc1 is closed, `fresh` is within its targets.
      expect([...byKey.keys()].sort()).toEqual(
        [ids.inc3, ids.inc4, ids.inc8, recent, ids.lastNight, ids.before].sort(),
      );
      expect(byKey.get(recent)).toMatchObject({
        elapsedSeconds: 1200,
        dispatchTargetSeconds: 120,
        dispatchLateBySeconds: 1080,
        onSceneLateBySeconds: 600,
        escalated: false,
      });
      expect(byKey.get(ids.inc3)).toMatchObject({ dispatchLateBySeconds: null, escalated: true });
      expect(body.total).toBe(6);
      expect(body.truncated).toBe(false);
      expect(body.lateDispatch).toBe(5);
      expect(body.lateOnScene).toBe(6);
      const li = (await get('/kpis/late-incidents', analystLi)).json();
      expect(li.rows.map((r: { incidentId: string }) => r.incidentId)).toEqual([ids.inc9]);
    });

    it('counts escalations of the period by stage', async () => {
      const res = await get(`/kpis/escalations?${JANUARY}&by=stage`, auditor);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows).toEqual([
        {
          group: { stage: 'dispatch' },
          labels: { stage: 'Despacho' },
          raised: 1,
          acknowledged: 0,
          pending: 1,
          lateBy: { n: 1, p50: 100, p90: 100 },
          acknowledgeTime: { n: 0, p50: null, p90: null },
        },
        {
          group: { stage: 'on_scene' },
          labels: { stage: 'Llegada al lugar' },
          raised: 2,
          acknowledged: 2,
          pending: 0,
          lateBy: { n: 2, p50: 150, p90: 190 },
          acknowledgeTime: { n: 2, p50: 180, p90: 276 },
        },
      ]);
    });
  });

  describe('citizen satisfaction', () => {
    it('gives the average, the distribution and the response rate', async () => {
      const res = await get(`/kpis/satisfaction?${JANUARY}`, analyst);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows).toEqual([
        {
          group: {},
          labels: {},
          eligible: 3,
          surveys: 2,
          responseRatePct: 66.7,
          average: 3,
          distribution: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 0 },
        },
      ]);
      const li = (await get(`/kpis/satisfaction?${JANUARY}&by=department`, analystLi)).json();
      expect(li.rows).toEqual([
        {
          group: { department: 'SV-LI' },
          labels: { department: 'La Libertad' },
          eligible: 2,
          surveys: 1,
          responseRatePct: 50,
          average: 4,
          distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
        },
      ]);
      const xlsx = await get(`/kpis/satisfaction?${JANUARY}&by=department&format=xlsx`, analyst);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
      const sheet = workbook.getWorksheet('Satisfacción ciudadana')!;
      expect(sheet.getRow(1).values).toEqual([
        undefined,
        'Código de departamento',
        'Departamento',
        'Casos evaluables',
        'Encuestas',
        'Tasa de respuesta (%)',
        'Promedio (1 a 5)',
        'Calificación 1',
        'Calificación 2',
        'Calificación 3',
        'Calificación 4',
        'Calificación 5',
      ]);
      expect(sheet.getRow(2).values).toEqual([undefined, 'SV-LI', 'La Libertad', 2, 1, 50, 4, 0, 0, 0, 1, 0]);
      expect(sheet.getRow(3).values).toEqual([
        undefined,
        'SV-SS',
        'San Salvador',
        1,
        1,
        100,
        2,
        0,
        1,
        0,
        0,
        0,
      ]);
    });
  });

  describe('an incident driven through the API', () => {
    it('measures the times the API recorded', async () => {
      const station = await api('POST', '/stations', supervisor, {
        code: 'KPI-EST',
        name: 'Estación KPI',
        departmentCode: 'SV-SS',
        lon: -89.19,
        lat: 13.7,
      });
      expect(station.statusCode, station.body).toBe(201);
      const unit = await api('POST', '/units', supervisor, {
        callSign: 'KPI-API1',
        kind: 'patrol_car',
        departmentCode: 'SV-SS',
        stationId: station.json().id,
      });
      expect(unit.statusCode, unit.body).toBe(201);
      const unitId = unit.json().id as string;
      expect(
        (await api('POST', `/units/${unitId}/service`, supervisor, { action: 'in_service' })).statusCode,
      ).toBe(200);
      const start = clock.at;
      const created = await api('POST', '/incidents', callTaker, {
        typeCode: 'VIDA.LESIONES',
        narrative: 'Persona herida en la vía pública.',
        location: { lon: -89.1907, lat: 13.6989 },
        callReceivedAt: new Date(start - 25_000).toISOString(),
        callAnsweredAt: new Date(start - 13_000).toISOString(),
      });
      expect(created.statusCode, created.body).toBe(201);
      const incidentId = created.json().id as string;
      advance(45);
      const assigned = await api('POST', `/incidents/${incidentId}/assignments`, dispatcher, { unitId });
      expect(assigned.statusCode, assigned.body).toBe(201);
      const assignmentId = assigned.json().id as string;
      advance(20);
      expect(
        (await api('POST', `/assignments/${assignmentId}/status`, dispatcher, { action: 'en_route' }))
          .statusCode,
      ).toBe(200);
      advance(300);
      expect(
        (await api('POST', `/assignments/${assignmentId}/status`, dispatcher, { action: 'on_scene' }))
          .statusCode,
      ).toBe(200);
      advance(240);
      expect(
        (await api('POST', `/assignments/${assignmentId}/status`, dispatcher, { action: 'clear' }))
          .statusCode,
      ).toBe(200);
      advance(60);
      const closed = await api('POST', `/incidents/${incidentId}/close`, dispatcher, {
        closureCode: 'ATENDIDO',
        summary: 'Atendido en el lugar.',
      });
      expect(closed.statusCode, closed.body).toBe(200);

      const from = new Date(start).toISOString();
      const to = new Date(clock.at + 1000).toISOString();
      const res = await get(
        `/kpis/response-times?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        analyst,
      );
      expect(res.statusCode, res.body).toBe(200);
      const [row] = res.json().rows;
      expect(row).toMatchObject({
        incidents: 1,
        answer: { n: 1, p50: 12, p90: 12 },
        callEntry: { n: 1, p50: 13, p90: 13 },
        dispatch: { n: 1, p50: 45, p90: 45 },
        turnout: { n: 1, p50: 20, p90: 20 },
        travel: { n: 1, p50: 300, p90: 300 },
        arrive: { n: 1, p50: 365, p90: 365 },
        close: { n: 1, p50: 665, p90: 665 },
        answeredWithin15sPct: 100,
        belowTarget15s: false,
      });
      const usage = (
        await get(
          `/kpis/unit-utilisation?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
          analyst,
        )
      ).json();
      const apiUnit = usage.rows.find((r: { group: { unit: string } }) => r.group.unit === unitId);
      expect(apiUnit).toMatchObject({ assignedSeconds: 20, enRouteSeconds: 300, onSceneSeconds: 240 });
      // Back to the start: the sessions of the other tests stay within their lifetime.
      clock.at = NOW.getTime();
    });
  });

  describe('access and validation', () => {
    it('refuses roles without kpi.read', async () => {
      for (const token of [dispatcher, callTaker]) {
        const res = await get(`/kpis/volumes?${JANUARY}`, token);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/kpis/volumes' })).statusCode).toBe(401);
    });

    it.each([
      ['from after to', 'from=2026-02-01&to=2026-01-01', 'KPI_RANGE_INVALID'],
      ['an empty period', 'from=2026-01-01T06:00:00Z&to=2026-01-01T06:00:00Z', 'KPI_RANGE_INVALID'],
      ['more than 366 days', 'from=2025-01-01&to=2026-01-02', 'KPI_RANGE_TOO_LONG'],
      ['an impossible date', 'from=2026-02-30', 'KPI_DATE_INVALID'],
      ['a date-time without zone', 'from=2026-01-01T00:00:00', 'KPI_DATE_INVALID'],
      ['an unknown grouping', 'by=colour', 'KPI_GROUP_UNKNOWN'],
      ['two periods', 'by=day,month', 'KPI_GROUP_TWO_PERIODS'],
      ['a repeated dimension', 'by=priority,priority', 'KPI_GROUP_REPEATED'],
      ['too many dimensions', 'by=priority,channel,family,status', 'KPI_GROUP_TOO_MANY'],
      ['an unknown parameter', 'colour=red', 'VALIDATION_FAILED'],
      ['a bad format', 'format=pdf', 'VALIDATION_FAILED'],
      ['a bad priority', 'priority=9', 'VALIDATION_FAILED'],
    ])('refuses %s with 400', async (_name, query, code) => {
      const res = await get(`/kpis/response-times?${query}`, analyst);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe(code);
    });

    it('documents every KPI route in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
      for (const route of [
        'volumes',
        'response-times',
        'unit-utilisation',
        'late-incidents',
        'escalations',
        'satisfaction',
      ]) {
        expect(doc.paths[`/api/v1/kpis/${route}`]?.get?.tags).toEqual(['911 indicadores']);
      }
    });

    it('accepts a full year (366 days) and defaults to the last 30 days', async () => {
      expect((await get('/kpis/volumes?from=2025-01-01&to=2026-01-01', analyst)).statusCode).toBe(200);
      const body = (await get('/kpis/volumes', analyst)).json();
      expect(body.period.to).toBe(NOW.toISOString());
      expect(body.period.from).toBe('2026-01-11T06:00:00.000Z');
    });
  });
});

describe('KPI periods in El Salvador time', () => {
  it('reads dates as local days and labels buckets locally', () => {
    expect(parseBoundary('2026-03-01', 'from', 'from').toISOString()).toBe('2026-03-01T06:00:00.000Z');
    expect(parseBoundary('2026-03-01', 'to', 'to').toISOString()).toBe('2026-03-02T06:00:00.000Z');
    expect(parseBoundary('2026-03-01T10:00:00-06:00', 'from', 'from').toISOString()).toBe(
      '2026-03-01T16:00:00.000Z',
    );
    const period = { from: new Date('2025-12-29T06:00:00Z'), to: new Date('2026-01-06T06:00:00Z') };
    expect(bucketsOf(period, 'week').map((d) => bucketLabel(d, 'week'))).toEqual(['2026-W01', '2026-W02']);
    expect(bucketsOf(period, 'month').map((d) => [d.toISOString(), bucketLabel(d, 'month')])).toEqual([
      ['2025-12-01T06:00:00.000Z', '2025-12'],
      ['2026-01-01T06:00:00.000Z', '2026-01'],
    ]);
    expect(bucketsOf({ from: period.from, to: new Date('2025-12-29T09:00:00Z') }, 'hour').length).toBe(3);
  });
});
