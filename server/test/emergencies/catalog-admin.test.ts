import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEmergenciesReference } from '../../src/modules/emergencies/emergencies.seed.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser } from '../factories.js';

describe('911 incident type catalogue administration', () => {
  let t: TestApp;
  let admin: string;
  let supervisor: string;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await loginAs(t.app, await makeUser(t.deps, 'administrator'));
    supervisor = await loginAs(t.app, await makeUser(t.deps, 'supervisor'));
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    token: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...bearer(token), ...headers },
      ...(payload ? { payload } : {}),
    });
  const auditOf = (entityId: string) =>
    t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'reason', 'changes'])
      .where('entity_type', '=', 'incident_type')
      .where('entity_id', '=', entityId)
      .orderBy('leaf_index')
      .execute();

  const family = {
    code: 'DRONES',
    nameEs: 'Drones',
    nameEn: 'Drones',
    defaultPriority: 3,
    reason: 'nuevo tipo de denuncia frecuente',
  };
  const subtype = {
    code: 'DRONES.SOBREVUELO',
    parentCode: 'DRONES',
    nameEs: 'Sobrevuelo no autorizado',
    nameEn: 'Unauthorised overflight',
    defaultPriority: 4,
    keywords: 'dron cuadricóptero',
    questions: [
      {
        code: 'over_crowd',
        textEs: '¿Vuela sobre una multitud?',
        textEn: 'Is it flying over a crowd?',
        priorityIfYes: 2,
      },
    ],
    reason: 'pedido de la dirección de aeronáutica',
  };

  it('creates a family and a subtype with guided questions, once per Idempotency-Key, audited with the reason', async () => {
    const created = await call('POST', '/catalog/incident-types', admin, family);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      code: 'DRONES',
      family: 'DRONES',
      parentCode: null,
      active: true,
    });

    const headers = { 'idempotency-key': 'tipo-drones-sobrevuelo-1' };
    const first = await call('POST', '/catalog/incident-types', admin, subtype, headers);
    expect(first.statusCode).toBe(201);
    const again = await call('POST', '/catalog/incident-types', admin, subtype, headers);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const entries = await auditOf('DRONES.SOBREVUELO');
    expect(entries.map((e) => e.action)).toEqual(['incident_type.created']);
    expect(entries[0]!.reason).toBe('pedido de la dirección de aeronáutica');

    const taken = await call('POST', '/catalog/incident-types', admin, subtype);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('INCIDENT_TYPE_CODE_TAKEN');
    expect(taken.json().error.message).toContain('DRONES.SOBREVUELO');

    // Intake sees it at once, in the caller's language, and its question drives the suggestion.
    const intake = await call('GET', '/incident-types', supervisor);
    const seen = intake.json().items.find((i: { code: string }) => i.code === 'DRONES.SOBREVUELO');
    expect(seen).toMatchObject({ name: 'Sobrevuelo no autorizado', defaultPriority: 4 });
    expect(seen.questions).toEqual([
      { code: 'over_crowd', text: '¿Vuela sobre una multitud?', priorityIfYes: 2 },
    ]);
    const suggested = await call('POST', '/incident-types/suggest-priority', supervisor, {
      typeCode: 'DRONES.SOBREVUELO',
      answers: { over_crowd: true },
    });
    expect(suggested.json().suggestedPriority).toBe(2);
  });

  it('refuses bad input with a stable code and a Spanish message, writing nothing', async () => {
    const cases: [object, number, string][] = [
      [{ ...subtype, code: 'DRONES.OTRO', parentCode: null }, 400, 'INCIDENT_TYPE_PARENT_MISMATCH'],
      [{ ...subtype, code: 'DRONES.OTRO', parentCode: 'VIDA' }, 400, 'INCIDENT_TYPE_PARENT_MISMATCH'],
      [{ ...family, code: 'NAVES', parentCode: 'DRONES' }, 400, 'INCIDENT_TYPE_PARENT_MISMATCH'],
      [
        { ...subtype, code: 'OVNIS.AVISTAMIENTO', parentCode: 'OVNIS' },
        400,
        'INCIDENT_TYPE_PARENT_NOT_FOUND',
      ],
      [
        {
          ...subtype,
          code: 'DRONES.OTRO',
          questions: [subtype.questions[0], { ...subtype.questions[0], textEs: 'Otra vez' }],
        },
        400,
        'QUESTION_CODE_DUPLICATE',
      ],
      [{ ...subtype, code: 'DRONES.OTRO', reason: undefined }, 400, 'VALIDATION_FAILED'],
      [{ ...subtype, code: 'drones.minusculas' }, 400, 'VALIDATION_FAILED'],
      [{ ...subtype, code: 'DRONES.OTRO', defaultPriority: 7 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/catalog/incident-types', admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toMatch(/[a-záéíóúñ]/i);
    }
    const duplicate = await call('POST', '/catalog/incident-types', admin, {
      ...subtype,
      code: 'DRONES.OTRO',
      questions: [subtype.questions[0], subtype.questions[0]],
    });
    expect(duplicate.json().error.message).toBe('El código de pregunta «over_crowd» está repetido.');
    const rows = await t.deps.db
      .selectFrom('incident_types')
      .select('code')
      .where('code', 'in', ['DRONES.OTRO', 'NAVES', 'OVNIS.AVISTAMIENTO', 'OVNIS'])
      .execute();
    expect(rows).toEqual([]);
  });

  it('edits a shipped type with a reason, keeps the before/after, and the reference seed does not undo it', async () => {
    const before = (await call('GET', '/catalog/incident-types', admin))
      .json()
      .items.find((i: { code: string }) => i.code === 'VIDA.HOMICIDIO');
    expect(before.updatedBy).toBeNull();
    const noReason = await call('PATCH', '/catalog/incident-types/VIDA.HOMICIDIO', admin, {
      defaultPriority: 2,
    });
    expect(noReason.statusCode).toBe(400);
    const res = await call('PATCH', '/catalog/incident-types/VIDA.HOMICIDIO', admin, {
      nameEs: 'Homicidio (en curso o consumado)',
      questions: [
        ...before.questions,
        {
          code: 'victim_alive',
          textEs: '¿La víctima respira?',
          textEn: 'Is the victim breathing?',
          priorityIfYes: 1,
        },
      ],
      reason: 'protocolo 2026 del ECU 911',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().nameEs).toBe('Homicidio (en curso o consumado)');
    expect(res.json().updatedBy).not.toBeNull();
    const [entry] = await auditOf('VIDA.HOMICIDIO');
    expect(entry).toMatchObject({ action: 'incident_type.updated', reason: 'protocolo 2026 del ECU 911' });
    const changes = entry!.changes as Record<string, { before: unknown; after: unknown }>;
    expect(changes.nameEs).toEqual({ before: before.nameEs, after: 'Homicidio (en curso o consumado)' });
    expect(changes.questions!.after).toHaveLength(before.questions.length + 1);
    expect(Object.keys(changes).sort()).toEqual(['nameEs', 'questions']);

    await seedEmergenciesReference(t.deps);
    const after = (await call('GET', '/catalog/incident-types', admin))
      .json()
      .items.find((i: { code: string }) => i.code === 'VIDA.HOMICIDIO');
    expect(after.nameEs).toBe('Homicidio (en curso o consumado)');
    expect(after.questions.map((q: { code: string }) => q.code)).toContain('victim_alive');

    const missing = await call('PATCH', '/catalog/incident-types/NADA.NADA', admin, {
      nameEs: 'Nada',
      reason: 'prueba',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('INCIDENT_TYPE_NOT_FOUND');
  });

  it('deactivates (never deletes) children before their family, and reactivates in the reverse order', async () => {
    const reason = { reason: 'ya no se registra' };
    const familyFirst = await call('POST', '/catalog/incident-types/DRONES/deactivate', admin, reason);
    expect(familyFirst.statusCode).toBe(409);
    expect(familyFirst.json().error.code).toBe('INCIDENT_TYPE_HAS_ACTIVE_CHILDREN');

    expect(
      (await call('POST', '/catalog/incident-types/DRONES.SOBREVUELO/deactivate', admin, reason)).statusCode,
    ).toBe(200);
    expect((await call('POST', '/catalog/incident-types/DRONES/deactivate', admin, reason)).statusCode).toBe(
      200,
    );
    const twice = await call('POST', '/catalog/incident-types/DRONES/deactivate', admin, reason);
    expect(twice.json().error.code).toBe('INCIDENT_TYPE_ALREADY_INACTIVE');

    const intake = (await call('GET', '/incident-types', supervisor))
      .json()
      .items.map((i: { code: string }) => i.code);
    expect(intake).not.toContain('DRONES.SOBREVUELO');
    const all = await call('GET', '/catalog/incident-types', supervisor);
    expect(all.json().items.find((i: { code: string }) => i.code === 'DRONES.SOBREVUELO').active).toBe(false);
    const activeOnly = await call('GET', '/catalog/incident-types?includeInactive=false', supervisor);
    expect(activeOnly.json().items.map((i: { code: string }) => i.code)).not.toContain('DRONES');

    const childFirst = await call(
      'POST',
      '/catalog/incident-types/DRONES.SOBREVUELO/reactivate',
      admin,
      reason,
    );
    expect(childFirst.statusCode).toBe(409);
    expect(childFirst.json().error.code).toBe('INCIDENT_TYPE_PARENT_INACTIVE');
    expect((await call('POST', '/catalog/incident-types/DRONES/reactivate', admin, reason)).statusCode).toBe(
      200,
    );
    expect(
      (await call('POST', '/catalog/incident-types/DRONES.SOBREVUELO/reactivate', admin, reason)).statusCode,
    ).toBe(200);
    expect((await auditOf('DRONES')).map((e) => e.action)).toEqual([
      'incident_type.created',
      'incident_type.deactivated',
      'incident_type.reactivated',
    ]);
  });

  it('lets supervisors read the catalogue but not change it', async () => {
    expect((await call('GET', '/catalog/incident-types', supervisor)).statusCode).toBe(200);
    const res = await call('PATCH', '/catalog/incident-types/DRONES', supervisor, {
      nameEs: 'X',
      reason: 'prueba',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });
});
