import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-app.js';

/** Guarantees the grants tables keep by themselves (migration 0001), whatever the services do. */
describe('grants schema (0001_registry_plans)', () => {
  let t: TestApp;
  const now = new Date('2026-03-01T12:00:00Z');
  const orgId = randomUUID();
  const callId = randomUUID();
  const planId = randomUUID();
  const versionId = randomUUID();

  beforeAll(async () => {
    t = await buildTestApp();
    const db = t.deps.db;
    await db
      .insertInto('ngo_organisations')
      .values({
        id: orgId,
        name: 'Asociación Esquema',
        acronym: 'AE',
        org_type: 'association',
        registry_number: 'RAF-1',
        registry_date: '2015-01-10',
        registry_valid_until: null,
        nit: '0614-010190-101-3',
        address: 'Calle 1',
        municipality_pcode: 'SV10001',
        email: null,
        phone: null,
        legal_rep_name: 'Ana Pérez',
        legal_rep_dui: '04567891-1',
        legal_rep_credential_valid_until: '2027-01-01',
        board_valid_until: '2027-01-01',
        bank_name: 'Banco',
        bank_account: '0012345678',
        raex_status: 'not_applicable',
        raex_resolution: null,
        status: 'active',
        status_reason: null,
        status_changed_at: null,
        status_changed_by: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('ngo_calls')
      .values({
        id: callId,
        code: 'CONV-T-1',
        programme: 'Prevención',
        title: 'Convocatoria de prueba',
        description: '',
        fiscal_year: 2026,
        budget_specific: '56303',
        budget_envelope_cents: 100_000,
        committed_cents: 0,
        max_per_plan_cents: null,
        eligibility: '[]',
        opens_on: '2026-01-01',
        closes_on: '2026-02-01',
        status: 'published',
        created_by: null,
        created_at: now,
        updated_at: now,
        published_at: now,
        published_by: null,
        closed_at: null,
        closed_by: null,
        status_reason: null,
      })
      .execute();
    await db
      .insertInto('ngo_plans')
      .values({
        id: planId,
        code: 'PLAN-T-1',
        organisation_id: orgId,
        call_id: callId,
        title: 'Plan de prueba',
        status: 'draft',
        current_version: 1,
        requested_cents: 500,
        approved_cents: null,
        liquidation_due_at: null,
        registered_by_staff: false,
        created_by: null,
        created_at: now,
        updated_at: now,
        submitted_at: null,
        decided_at: null,
      })
      .execute();
    await db
      .insertInto('ngo_plan_versions')
      .values({
        id: versionId,
        plan_id: planId,
        version: 1,
        content: '{}',
        requested_cents: 500,
        total_cents: 500,
        content_sha256: null,
        created_by: null,
        created_at: now,
        updated_at: now,
        submitted_at: null,
        submitted_by: null,
      })
      .execute();
    await db
      .insertInto('ngo_plan_budget_lines')
      .values({
        id: randomUUID(),
        plan_version_id: versionId,
        line_code: 'L1',
        description: 'Talleres',
        funding_source: 'mjsp',
        budget_specific: '56303',
        amount_cents: 500,
        position: 0,
      })
      .execute();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('reads dates back as text and cents as numbers', async () => {
    const row = await t.deps.db
      .selectFrom('ngo_calls')
      .select([sql<string>`opens_on::text`.as('opens_on'), 'budget_envelope_cents'])
      .where('id', '=', callId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ opens_on: '2026-01-01', budget_envelope_cents: 100_000 });
  });

  it('refuses to commit more than the envelope of a call', async () => {
    await expect(
      t.deps.db.updateTable('ngo_calls').set({ committed_cents: 100_001 }).where('id', '=', callId).execute(),
    ).rejects.toThrow();
  });

  it('never deletes organisations, calls or plans', async () => {
    await expect(t.deps.db.deleteFrom('ngo_plans').where('id', '=', planId).execute()).rejects.toThrow(
      /no se eliminan/,
    );
    await expect(t.deps.db.deleteFrom('ngo_calls').where('id', '=', callId).execute()).rejects.toThrow(
      /no se eliminan/,
    );
    await expect(t.deps.db.deleteFrom('ngo_organisations').where('id', '=', orgId).execute()).rejects.toThrow(
      /no se eliminan/,
    );
  });

  it('freezes a version and its budget lines once submitted', async () => {
    const db = t.deps.db;
    // Editable while a draft.
    await db
      .updateTable('ngo_plan_budget_lines')
      .set({ amount_cents: 600 })
      .where('plan_version_id', '=', versionId)
      .execute();
    await db
      .updateTable('ngo_plan_versions')
      .set({ submitted_at: now, content_sha256: 'a'.repeat(64) })
      .where('id', '=', versionId)
      .execute();
    await expect(
      db.updateTable('ngo_plan_versions').set({ content: '{"x":1}' }).where('id', '=', versionId).execute(),
    ).rejects.toThrow(/no cambia/);
    await expect(
      db
        .updateTable('ngo_plan_budget_lines')
        .set({ amount_cents: 700 })
        .where('plan_version_id', '=', versionId)
        .execute(),
    ).rejects.toThrow(/no cambian/);
    await expect(
      db
        .insertInto('ngo_plan_budget_lines')
        .values({
          id: randomUUID(),
          plan_version_id: versionId,
          line_code: 'L2',
          description: 'Otro',
          funding_source: 'mjsp',
          budget_specific: '56303',
          amount_cents: 1,
          position: 1,
        })
        .execute(),
    ).rejects.toThrow(/no cambian/);
  });
});
