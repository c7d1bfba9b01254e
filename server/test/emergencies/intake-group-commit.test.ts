import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewIncident } from '../../src/modules/emergencies/incidents/incidents.service.js';
import { IntakeCommitter, prepareIncident } from '../../src/modules/emergencies/incidents/intake.js';
import { incidentTypeCache } from '../../src/modules/emergencies/incidents/type-cache.js';
import { emergenciesDeps } from '../../src/modules/emergencies/index.js';
import type { RequestContext } from '../../src/platform/context.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, loginWithMfa, makeUser } from '../factories.js';

const SAN_SALVADOR = { lon: -89.1907, lat: 13.6989 };

function contextOf(n: number): RequestContext {
  return {
    actor: { type: 'user', id: `00000000-0000-4000-8000-00000000000${n}`, name: `Operador ${n}` },
    requestId: `req-group-${n}`,
    ip: `10.0.0.${n}`,
    locale: 'es',
  };
}

const theft = (overrides: Partial<NewIncident> = {}): NewIncident => ({
  channel: 'call',
  typeCode: 'PATRIMONIO.DANOS',
  narrative: 'Daños a un vehículo estacionado frente a la alcaldía.',
  location: SAN_SALVADOR,
  ...overrides,
});

describe('911 intake group commit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function submitTogether(inputs: NewIncident[]) {
    const deps = emergenciesDeps(t.deps);
    const committer = new IntakeCommitter(deps, { maxWriters: 1 });
    const prepared = await Promise.all(
      inputs.map((input, i) =>
        prepareIncident(deps, incidentTypeCache(deps), deps.clock.now(), contextOf(i + 1), input),
      ),
    );
    // Submitted in the same tick: the first opens a transaction alone, the rest are written as one group.
    return Promise.allSettled(prepared.map((p) => committer.submit(p)));
  }

  it('writes queued intakes in one group with consecutive folios and each request’s own attribution', async () => {
    const results = await submitTogether([
      theft(),
      theft({ location: { lon: -88.1833, lat: 13.4833 } }),
      theft({ location: { lon: -89.56, lat: 13.97 } }),
      theft({ location: { lon: -87.88, lat: 13.33 } }),
    ]);
    const rows = results.map((r) => (r.status === 'fulfilled' ? r.value.row : null));
    expect(rows.every((r) => r !== null)).toBe(true);
    const numbers = rows.map((r) => Number(r!.folio.split('-')[1]));
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2, numbers[0]! + 3]);
    // The three queued behind the first were committed together: same transaction timestamp.
    expect(new Set(rows.slice(1).map((r) => r!.created_at.getTime())).size).toBe(1);

    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select(['entity_id', 'actor_id', 'actor_name', 'request_id', 'ip'])
      .where('action', '=', 'incident.created')
      .where(
        'entity_id',
        'in',
        rows.map((r) => r!.id),
      )
      .execute();
    expect(audit).toHaveLength(4);
    for (const [i, row] of rows.entries()) {
      const entry = audit.find((a) => a.entity_id === row!.id)!;
      expect(entry.request_id).toBe(`req-group-${i + 1}`);
      expect(entry.ip).toBe(`10.0.0.${i + 1}`);
      expect(entry.actor_name).toBe(`Operador ${i + 1}`);
    }
    const outbox = await t.deps.db
      .selectFrom('outbox')
      .select(['entity_id', 'actor_id'])
      .where('type', '=', 'incident.created')
      .where(
        'entity_id',
        'in',
        rows.map((r) => r!.id),
      )
      .execute();
    expect(outbox.map((o) => o.actor_id).sort()).toEqual(
      [1, 2, 3, 4].map((n) => contextOf(n).actor.id).sort(),
    );
  });

  it('flags an incident of the same group as a possible duplicate of an earlier one nearby', async () => {
    const spot = { lon: -89.2402, lat: 13.6601 };
    const results = await submitTogether([
      theft({ location: { lon: -88.9, lat: 13.9 } }),
      theft({ location: spot }),
      theft({ location: { lon: spot.lon + 0.001, lat: spot.lat } }),
    ]);
    const [, first, second] = results.map((r) => (r.status === 'fulfilled' ? r.value.row : null));
    const flags = await t.deps.db
      .selectFrom('incident_duplicate_candidates')
      .selectAll()
      .where('incident_id', 'in', [first!.id, second!.id])
      .execute();
    expect(flags.filter((f) => f.incident_id === first!.id)).toHaveLength(0);
    const secondFlags = flags.filter((f) => f.incident_id === second!.id);
    expect(secondFlags.map((f) => f.candidate_id)).toContain(first!.id);
    expect(secondFlags.find((f) => f.candidate_id === first!.id)!.distance_m).toBeLessThan(150);
  });

  it('retries the members of a failed group one by one, so one bad intake does not sink the others', async () => {
    const tracking = { code: `GRP-${Date.now()}`, secretHash: 'x'.repeat(64) };
    const results = await submitTogether([
      theft({ location: { lon: -88.5, lat: 13.5 } }),
      theft({ channel: 'citizen', tracking }),
      theft({ channel: 'citizen', tracking, location: { lon: -89.7, lat: 13.8 } }),
      theft({ location: { lon: -89.0, lat: 13.3 } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = await t.deps.db
      .selectFrom('incidents')
      .select('id')
      .where('tracking_code', '=', tracking.code)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('answers POST /incidents with the same incident GET /incidents/:id reads, duplicates included', async () => {
    const token = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    const body = (lon: number) => ({
      typeCode: 'PATRIMONIO.ROBO',
      narrative: 'Robo de celular en la parada de buses.',
      location: { lon, lat: 13.7011 },
      caller: { phone: '+503 7000-1111' },
    });
    const created = await Promise.all(
      [-89.2101, -89.2102, -89.2103].map((lon) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/incidents',
          headers: bearer(token),
          payload: body(lon),
        }),
      ),
    );
    expect(created.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    const flagged = created.map((r) => r.json()).filter((i) => i.possibleDuplicates?.length > 0);
    expect(flagged.length).toBeGreaterThan(0);
    for (const res of created) {
      const incident = res.json();
      const read = await t.app.inject({ url: `/api/v1/incidents/${incident.id}`, headers: bearer(token) });
      expect(read.json()).toEqual(incident);
    }
  });

  it('refuses a type deactivated by an administrator at once, though the intake keeps types in memory', async () => {
    const token = await loginAs(t.app, await makeUser(t.deps, 'call_taker'));
    const admin = (await loginWithMfa(t.app, await makeUser(t.deps, 'administrator'))).accessToken;
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: bearer(token),
        payload: {
          typeCode: 'PATRIMONIO.HURTO',
          narrative: 'Hurto de una bicicleta frente al parque.',
          location: SAN_SALVADOR,
        },
      });
    expect((await post()).statusCode).toBe(201); // the type is now cached
    const off = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/incident-types/PATRIMONIO.HURTO/deactivate',
      headers: bearer(admin),
      payload: { reason: 'Se unifica con daños a la propiedad.' },
    });
    expect(off.statusCode, off.body).toBe(200);
    const refused = await post();
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('UNKNOWN_INCIDENT_TYPE');
  });
});
