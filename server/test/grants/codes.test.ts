import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextCode } from '../../src/modules/grants/shared/codes.js';
import { systemContext } from '../../src/platform/context.js';
import { buildTestApp, type TestApp } from '../build-app.js';

describe('grants codes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (code: string) => ({
    id: randomUUID(),
    code,
    programme: 'Prevención',
    title: 'Convocatoria de prueba',
    fiscal_year: 2031,
    budget_envelope_cents: 100_000,
    opens_on: '2031-01-01',
    closes_on: '2031-02-01',
    created_at: new Date(),
    updated_at: new Date(),
  });

  it('numbers a series from its highest numeric code, ignoring codes that are not numbers', async () => {
    const first = await t.deps.tx(systemContext(), (uow) => nextCode(uow, 'ngo_calls', 'CONV', 2031, 4));
    expect(first).toBe('CONV-2031-0001');
    await t.deps.db
      .insertInto('ngo_calls')
      .values([call('CONV-2031-0009'), call('CONV-2031-X0010'), call('CONV-2031-00011')] as never)
      .execute();
    const next = await t.deps.tx(systemContext(), (uow) => nextCode(uow, 'ngo_calls', 'CONV', 2031, 4));
    expect(next).toBe('CONV-2031-0012');
  });
});
