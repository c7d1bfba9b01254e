import { createHash, randomUUID } from 'node:crypto';
import { nitCheckDigit } from '../../src/modules/identity/nit.js';
import type { AppDeps } from '../../src/platform/deps.js';

/** A valid NIT from 13 digits (computes the check digit). */
export function nit(thirteen: string): string {
  const d = nitCheckDigit(thirteen);
  return `${thirteen.slice(0, 4)}-${thirteen.slice(4, 10)}-${thirteen.slice(10, 13)}-${d}`;
}

/** A tiny valid PNG / PDF (distinct content per `salt`, so their SHA-256 differ). */
export function png(salt = ''): string {
  const head = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([head, Buffer.from(`png-${salt}-${randomUUID()}`)]).toString('base64');
}
export function pdf(salt = ''): string {
  return Buffer.from(`%PDF-1.4\n% comprobante ${salt} ${randomUUID()}\n%%EOF\n`).toString('base64');
}
export const sha256 = (b64: string) => createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex');

let seq = 0;

export interface OrgFixture {
  orgId: string;
  nit: string;
  boardDui: string;
  repDui: string;
}

/** An organisation with a legal representative and one board member. */
export async function makeOrganisation(deps: AppDeps, name: string): Promise<OrgFixture> {
  seq += 1;
  const id = randomUUID();
  const orgNit = nit(`0614${String(100000 + seq).slice(-6)}${String(100 + seq).padStart(3, '0')}`);
  const repDui = duiWithCheck(`0${String(1000000 + seq * 7).slice(-7)}`);
  const boardDui = duiWithCheck(`0${String(2000000 + seq * 11).slice(-7)}`);
  await deps.db
    .insertInto('ngo_organisations')
    .values({
      id,
      name,
      acronym: null,
      org_type: 'association',
      registry_number: `RAF-${seq}-${randomUUID().slice(0, 6)}`,
      registry_date: '2019-03-14',
      registry_valid_until: '2030-03-14',
      nit: orgNit,
      address: 'Colonia Escalón, San Salvador',
      municipality_pcode: 'SV06014',
      email: null,
      phone: null,
      legal_rep_name: 'Representante Legal Privado',
      legal_rep_dui: repDui,
      legal_rep_credential_valid_until: '2030-01-01',
      board_valid_until: '2030-01-01',
      bank_name: 'Banco Agrícola',
      bank_account: `00${String(12345678 + seq)}`,
      raex_status: 'not_applicable',
      raex_resolution: null,
      status: 'active',
      status_reason: null,
      status_changed_at: null,
      status_changed_by: null,
      created_by: null,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
  await deps.db
    .insertInto('ngo_board_members')
    .values({
      id: randomUUID(),
      organisation_id: id,
      full_name: 'Tesorero Privado de la Junta',
      dui: boardDui,
      position: 'tesorero',
      from_date: '2020-01-01',
      to_date: null,
      created_by: null,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
  return { orgId: id, nit: orgNit, boardDui, repDui };
}

/** DUI check digit: Σ dᵢ·(9 − i) over the 8 digits, (10 − Σ mod 10) mod 10. */
export function duiWithCheck(eight: string): string {
  const total = [...eight].reduce((s, d, i) => s + Number(d) * (9 - i), 0);
  return `${eight}-${(10 - (total % 10)) % 10}`;
}

export async function linkStaff(deps: AppDeps, orgId: string, userId: string): Promise<void> {
  await deps.db
    .insertInto('ngo_users')
    .values({
      id: randomUUID(),
      organisation_id: orgId,
      user_id: userId,
      position: 'coordinadora',
      linked_by: null,
      linked_at: new Date(),
      unlinked_by: null,
      unlinked_at: null,
    })
    .execute();
}

export async function makeCall(deps: AppDeps, programme = 'Prevención de la violencia'): Promise<string> {
  seq += 1;
  const id = randomUUID();
  await deps.db
    .insertInto('ngo_calls')
    .values({
      id,
      code: `CONV-2026-X${String(seq).padStart(4, '0')}`,
      programme,
      title: 'Convocatoria de prueba',
      description: '',
      fiscal_year: 2026,
      budget_specific: '56303',
      budget_envelope_cents: 1_000_000_000,
      committed_cents: 0,
      max_per_plan_cents: null,
      eligibility: JSON.stringify([]),
      opens_on: '2026-01-01',
      closes_on: '2026-12-31',
      status: 'published',
      created_by: null,
      created_at: new Date(),
      updated_at: new Date(),
      published_at: new Date(),
      published_by: null,
      closed_at: null,
      closed_by: null,
      status_reason: null,
    })
    .execute();
  return id;
}

/**
 * An approved plan (as the review leaves it) with a submitted version: budget lines A1 (US$ 6,000)
 * and B1 (US$ 4,000) and two indicators.
 */
export async function makeApprovedPlan(
  deps: AppDeps,
  orgId: string,
  callId: string,
  status: 'approved' | 'submitted' = 'approved',
): Promise<string> {
  seq += 1;
  const id = randomUUID();
  const now = new Date();
  await deps.db
    .insertInto('ngo_plans')
    .values({
      id,
      code: `PLAN-2026-X${String(seq).padStart(5, '0')}`,
      organisation_id: orgId,
      call_id: callId,
      title: 'Escuelas seguras en San Salvador',
      status,
      current_version: 1,
      requested_cents: 1_000_000,
      approved_cents: status === 'approved' ? 1_000_000 : null,
      liquidation_due_at: null,
      registered_by_staff: false,
      created_by: null,
      created_at: now,
      updated_at: now,
      submitted_at: now,
      decided_at: status === 'approved' ? now : null,
    })
    .execute();
  const versionId = randomUUID();
  await deps.db
    .insertInto('ngo_plan_versions')
    .values({
      id: versionId,
      plan_id: id,
      version: 1,
      // A complete content, valid for the plans module (GET /grants/plans/:id and the screens read it).
      content: JSON.stringify({
        summary: 'Talleres de prevención en centros escolares.',
        objectives: [{ code: 'O1', text: 'Reducir la violencia escolar' }],
        activities: [{ code: 'A1', description: 'Talleres en escuelas', objectiveCode: 'O1' }],
        beneficiaries: { description: 'Jóvenes de 12 a 18 años', direct: 200, indirect: 800 },
        territory: { municipalityPcodes: ['SV06014'] },
        schedule: [
          { code: 'H1', milestone: 'Talleres', activityCode: 'A1', start: '2026-02-01', end: '2026-11-30' },
        ],
        indicators: [
          { code: 'IND1', name: 'Jóvenes formados', unit: 'personas', baseline: 0, target: 200 },
          { code: 'IND2', name: 'Escuelas atendidas', unit: 'escuelas', baseline: 2, target: 10 },
        ],
        risks: [
          {
            code: 'R1',
            description: 'Inseguridad en la zona',
            likelihood: 'medium',
            mitigation: 'Horario diurno',
          },
        ],
      }),
      requested_cents: 1_000_000,
      total_cents: 1_000_000,
      content_sha256: null,
      created_by: null,
      created_at: now,
      updated_at: now,
      submitted_at: null,
      submitted_by: null,
    })
    .execute();
  await deps.db
    .insertInto('ngo_plan_budget_lines')
    .values([
      {
        id: randomUUID(),
        plan_version_id: versionId,
        line_code: 'A1',
        description: 'Talleres y materiales',
        funding_source: 'mjsp',
        budget_specific: '56303',
        amount_cents: 600_000,
        position: 1,
      },
      {
        id: randomUUID(),
        plan_version_id: versionId,
        line_code: 'B1',
        description: 'Transporte',
        funding_source: 'mjsp',
        budget_specific: '56303',
        amount_cents: 400_000,
        position: 2,
      },
    ])
    .execute();
  await deps.db
    .updateTable('ngo_plan_versions')
    .set({ submitted_at: now, content_sha256: 'a'.repeat(64) })
    .where('id', '=', versionId)
    .execute();
  return id;
}
