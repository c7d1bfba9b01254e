import { randomUUID } from 'node:crypto';
import { type RequestContext, systemContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { permissionsOfRole } from '../../../platform/http/permissions.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { DemoCredential } from '../../../platform/module.js';
import { duiCheckDigit } from '../../identity/dui.js';
import { createUserWithRole, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../identity/index.js';
import { provisionMfaSecret } from '../../identity/mfa.service.js';
import { nitCheckDigit } from '../../identity/nit.js';
import { roleRequiresMfa } from '../../identity/roles.js';
import {
  decideDisbursement,
  payDisbursement,
  requestDisbursement,
} from '../disbursements/disbursements.service.js';
import {
  addReceipt,
  createExpenseReport,
  reviewReceipt,
  submitExpenseReport,
} from '../expenses/expenses.service.js';
import {
  closeAgreement,
  decideLiquidation,
  recordRefund,
  submitLiquidation,
} from '../liquidation/liquidation.service.js';
import { decideVisit, recordVisit, reportIndicator } from '../monitoring/monitoring.service.js';
import type { PlanContent } from '../plans/plans.schemas.js';
import { versionHash } from '../plans/plans.service.js';
import { startPlanReview } from '../review/index.js';
import { createAgreement } from './agreements.service.js';

/** Demo people of the NGO funds lifecycle (one per role that acts on it; two in finance and monitoring). */
const PEOPLE = [
  {
    key: 'authority',
    username: 'autoridad.ong',
    displayName: 'Alba Autoridad (titular)',
    role: 'ngo_authority',
    note: 'aprueba planes y firma convenios',
  },
  {
    key: 'finance',
    username: 'ufi.finanzas',
    displayName: 'Félix Finanzas UFI',
    role: 'ngo_finance',
    note: 'autoriza desembolsos, revisa comprobantes',
  },
  {
    key: 'treasury',
    username: 'tesoreria.ong',
    displayName: 'Teresa Tesorería',
    role: 'ngo_finance',
    note: 'registra pagos (distinta de quien autoriza)',
  },
  {
    key: 'monitor',
    username: 'monitoreo.campo',
    displayName: 'Marco Monitoreo de Campo',
    role: 'ngo_monitoring_reviewer',
    note: 'visitas y liquidaciones',
  },
  {
    key: 'monitor2',
    username: 'control.interno',
    displayName: 'Inés Control Interno',
    role: 'ngo_monitoring_reviewer',
    note: 'aprueba visitas de otros',
  },
  {
    key: 'ngo1',
    username: 'ong.jovenes',
    displayName: 'Nora (Asociación Jóvenes con Futuro)',
    role: 'ngo_staff',
    note: 'portal ONG',
  },
  {
    key: 'ngo2',
    username: 'ong.barrios',
    displayName: 'Nelson (Fundación Barrios Unidos)',
    role: 'ngo_staff',
    note: 'portal ONG',
  },
  {
    key: 'ngo3',
    username: 'ong.mujeres',
    displayName: 'Noemí (Red Mujeres Seguras)',
    role: 'ngo_staff',
    note: 'portal ONG',
  },
  {
    key: 'ngo4',
    username: 'ong.deporte',
    displayName: 'Néstor (Deporte para la Paz)',
    role: 'ngo_staff',
    note: 'portal ONG',
  },
  {
    key: 'ngo5',
    username: 'ong.cultura',
    displayName: 'Natalia (Cultura Viva)',
    role: 'ngo_staff',
    note: 'portal ONG',
  },
] as const;

function principalOf(id: string, name: string, role: string): Principal {
  const grants = new Map(
    [...permissionsOfRole(role)].map((p) => [p, [{ level: 'national' as const, code: null }]]),
  );
  return { kind: 'user', id, name, sessionId: null, roles: [role], grants };
}
function ctxOf(p: Principal): RequestContext {
  return { actor: { type: 'user', id: p.id, name: p.name }, requestId: null, ip: null, locale: 'es' };
}
const nit = (thirteen: string) =>
  `${thirteen.slice(0, 4)}-${thirteen.slice(4, 10)}-${thirteen.slice(10)}-${nitCheckDigit(thirteen)}`;
const dui = (eight: string) => `${eight}-${duiCheckDigit(eight)}`;
const pdfData = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`).toString('base64');

/** The budget lines of every demo plan (as the plans module hashes them). */
const DEMO_BUDGET_LINES = [
  {
    lineCode: 'A1',
    description: 'Talleres y materiales',
    fundingSource: 'mjsp' as const,
    budgetSpecific: '56303',
    amountCents: 700_000,
  },
  {
    lineCode: 'B1',
    description: 'Transporte y logística',
    fundingSource: 'mjsp' as const,
    budgetSpecific: '56303',
    amountCents: 300_000,
  },
];

/** A complete plan content, valid for the plans module (the screens and GET /grants/plans/:id read it). */
function demoPlanContent(year: number): PlanContent {
  return {
    summary: 'Actividades comunitarias de prevención de la violencia con jóvenes del municipio.',
    objectives: [{ code: 'O1', text: 'Reducir la violencia en la comunidad' }],
    activities: [
      { code: 'A1', description: 'Talleres semanales de habilidades para la vida', objectiveCode: 'O1' },
      { code: 'A2', description: 'Traslado de participantes a las actividades', objectiveCode: 'O1' },
    ],
    beneficiaries: {
      description: 'Jóvenes de 12 a 24 años',
      direct: 150,
      indirect: 600,
      groups: ['jóvenes'],
    },
    territory: { municipalityPcodes: ['SV06014'], description: 'San Salvador Centro' },
    schedule: [
      {
        code: 'H1',
        milestone: 'Inicio de talleres',
        activityCode: 'A1',
        start: `${year}-01-15`,
        end: `${year}-06-30`,
      },
      {
        code: 'H2',
        milestone: 'Cierre y evaluación',
        activityCode: 'A1',
        start: `${year}-07-01`,
        end: `${year}-12-15`,
      },
    ],
    indicators: [
      {
        code: 'IND1',
        name: 'Jóvenes participantes',
        unit: 'personas',
        baseline: 0,
        target: 150,
        frequency: 'trimestral',
        verification: 'Listas de asistencia firmadas',
      },
    ],
    risks: [
      {
        code: 'R1',
        description: 'Inseguridad en la zona de las actividades',
        likelihood: 'medium',
        mitigation: 'Actividades en horario diurno y en centros escolares',
      },
    ],
  };
}

/**
 * Demo data of the NGO funds lifecycle: five organisations, one at each stage — a plan under review,
 * an approved plan, an agreement in execution (a paid disbursement, receipts approved and one
 * rejected as a duplicate), a liquidation submitted, and a closed agreement with its closing act.
 * Runs once (skipped when the demo organisations exist).
 */
export async function seedGrantsExecutionDemo(deps: AppDeps): Promise<DemoCredential[] | undefined> {
  const exists = await deps.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'autoridad.ong')
    .executeTakeFirst();
  if (exists) return undefined;
  const people: Record<string, Principal> = {};
  for (const p of PEOPLE) {
    const id = await createUserWithRole(deps, {
      username: p.username,
      displayName: p.displayName,
      password: DEMO_PASSWORD,
      role: p.role,
    });
    people[p.key] = principalOf(id, p.displayName, p.role);
    if (roleRequiresMfa([p.role])) await provisionMfaSecret(deps, systemContext(), id, DEMO_TOTP_SECRET);
  }
  const now = new Date();
  const year = 2026;
  const callId = randomUUID();
  await deps.db
    .insertInto('ngo_calls')
    .values({
      id: callId,
      code: `CONV-DEMO-${year}-01`,
      programme: 'Prevención de la violencia juvenil',
      title: 'Convocatoria demo de proyectos comunitarios de prevención',
      description: 'Datos de demostración.',
      fiscal_year: year,
      budget_specific: '56303',
      budget_envelope_cents: 50_000_000,
      committed_cents: 0,
      max_per_plan_cents: null,
      eligibility: JSON.stringify([]),
      opens_on: `${year}-01-01`,
      closes_on: `${year}-12-31`,
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

  const orgs = [
    'Asociación Jóvenes con Futuro',
    'Fundación Barrios Unidos',
    'Red Mujeres Seguras',
    'Asociación Deporte para la Paz',
    'Fundación Cultura Viva',
  ];
  const plans: string[] = [];
  for (const [i, name] of orgs.entries()) {
    const orgId = randomUUID();
    await deps.db
      .insertInto('ngo_organisations')
      .values({
        id: orgId,
        name,
        acronym: null,
        org_type: i % 2 ? 'foundation' : 'association',
        registry_number: `RAF-DEMO-${i + 1}`,
        registry_date: '2018-05-10',
        registry_valid_until: '2030-05-10',
        nit: nit(`0614${String(100518 + i)}${String(201 + i)}`),
        address: 'San Salvador',
        municipality_pcode: 'SV06014',
        email: null,
        phone: null,
        legal_rep_name: `Representante ${i + 1}`,
        legal_rep_dui: dui(`0${String(3000000 + i * 13)}`),
        legal_rep_credential_valid_until: '2030-01-01',
        board_valid_until: '2030-01-01',
        bank_name: 'Banco Agrícola',
        bank_account: `0099887766${i}`,
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
    // Board: a president of its own; the treasurer of NGO 1 also sits on NGO 3's board (funded),
    // which the red flags point out, as they do NGO 1's legal representative's credential that
    // expires in 20 days.
    await deps.db
      .insertInto('ngo_board_members')
      .values(
        [
          { name: `Presidencia ${i + 1}`, dui: dui(`0${String(4000000 + i * 17)}`), position: 'presidente' },
          ...(i === 0 || i === 2
            ? [{ name: 'Tomás Tesorero Compartido', dui: dui('05000019'), position: 'tesorero' }]
            : []),
        ].map((b) => ({
          id: randomUUID(),
          organisation_id: orgId,
          full_name: b.name,
          dui: b.dui,
          position: b.position,
          from_date: '2024-01-01',
          to_date: null,
          created_by: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    if (i === 0) {
      await deps.db
        .updateTable('ngo_organisations')
        .set({
          legal_rep_credential_valid_until: new Date(now.getTime() + 20 * 86_400_000)
            .toISOString()
            .slice(0, 10),
        })
        .where('id', '=', orgId)
        .execute();
    }
    await deps.db
      .insertInto('ngo_users')
      .values({
        id: randomUUID(),
        organisation_id: orgId,
        user_id: people[`ngo${i + 1}`]!.id,
        position: 'coordinación',
        linked_by: null,
        linked_at: now,
        unlinked_by: null,
        unlinked_at: null,
      })
      .execute();
    const planId = randomUUID();
    const approved = i > 0;
    await deps.db
      .insertInto('ngo_plans')
      .values({
        id: planId,
        code: `PLAN-DEMO-${year}-${i + 1}`,
        organisation_id: orgId,
        call_id: callId,
        title: [
          'Escuelas seguras',
          'Barrios con luz',
          'Mujeres seguras en el transporte',
          'Ligas deportivas nocturnas',
          'Casas de la cultura abiertas',
        ][i]!,
        status: 'submitted',
        current_version: 1,
        requested_cents: 1_000_000,
        approved_cents: null,
        liquidation_due_at: null,
        registered_by_staff: false,
        created_by: people[`ngo${i + 1}`]!.id,
        created_at: now,
        updated_at: now,
        submitted_at: now,
        decided_at: null,
      })
      .execute();
    const versionId = randomUUID();
    await deps.db
      .insertInto('ngo_plan_versions')
      .values({
        id: versionId,
        plan_id: planId,
        version: 1,
        content: JSON.stringify(demoPlanContent(year)),
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
          amount_cents: 700_000,
          position: 1,
        },
        {
          id: randomUUID(),
          plan_version_id: versionId,
          line_code: 'B1',
          description: 'Transporte y logística',
          funding_source: 'mjsp',
          budget_specific: '56303',
          amount_cents: 300_000,
          position: 2,
        },
      ])
      .execute();
    await deps.db
      .updateTable('ngo_plan_versions')
      .set({
        submitted_at: now,
        content_sha256: versionHash(demoPlanContent(year), DEMO_BUDGET_LINES),
      })
      .where('id', '=', versionId)
      .execute();
    if (approved) {
      await deps.db
        .updateTable('ngo_plans')
        .set({ status: 'approved', approved_cents: 1_000_000, decided_at: now })
        .where('id', '=', planId)
        .execute();
      await deps.db
        .updateTable('ngo_calls')
        .set({ committed_cents: i * 1_000_000 })
        .where('id', '=', callId)
        .execute();
    } else {
      await deps.tx(systemContext(), (uow) =>
        startPlanReview(uow, deps, { planId, submittedBy: { id: people.ngo1!.id, name: people.ngo1!.name } }),
      );
    }
    plans.push(planId);
  }

  // Stages 3–5: agreements (NGO 3 in execution, 4 liquidation submitted, 5 closed).
  const A = people.authority!;
  const F = people.finance!;
  const T = people.treasury!;
  const M = people.monitor!;
  const M2 = people.monitor2!;
  let duplicateCode: string | null = null;
  for (const i of [2, 3, 4]) {
    const ngo = people[`ngo${i + 1}`]!;
    const agreement = await createAgreement(deps, ctxOf(A), plans[i]!, {
      number: `CONV-MJSP-DEMO-${i + 1}`,
      amountCents: 1_000_000,
      startsOn: `${year}-01-01`,
      endsOn: `${year}-12-31`,
      signedOn: `${year}-01-01`,
      liquidationDays: 30,
      administratorId: M.id,
      tranches: [{ amountCents: 1_000_000 }],
    });
    const d = await requestDisbursement(deps, ctxOf(ngo), ngo, agreement.id, 1);
    await decideDisbursement(deps, ctxOf(F), F, d.id, { outcome: 'approve' });
    await payDisbursement(deps, ctxOf(T), T, d.id, {
      paymentReference: `TRF-DEMO-${i + 1}`,
      paidOn: `${year}-01-15`,
    });
    const report = await createExpenseReport(deps, ctxOf(ngo), ngo, agreement.id, {
      description: 'Informe de gastos del primer trimestre',
    });
    const code = randomUUID();
    const first = await addReceipt(deps, ctxOf(ngo), ngo, report.id, {
      supplierNit: nit(`0614${String(150390 + i)}10${i}`),
      supplierName: 'Distribuidora Escolar S.A. de C.V.',
      documentType: '01',
      documentNumber: `DTE-01-M001P001-00000000000${i}`,
      generationCode: code,
      issuedOn: `${year}-02-15`,
      amountCents: i === 2 ? 400_000 : 700_000,
      budgetLineCode: 'A1',
      description: 'Materiales para talleres',
      file: { data: pdfData(`factura demo ${i}`), fileName: 'factura.pdf' },
    });
    const receipts = [first.id];
    if (i === 2) duplicateCode = code;
    if (i !== 2) {
      const second = await addReceipt(deps, ctxOf(ngo), ngo, report.id, {
        supplierNit: nit(`0614${String(160390 + i)}10${i}`),
        supplierName: 'Transportes Unidos',
        documentType: '03',
        documentNumber: `DTE-03-M001P001-00000000000${i}`,
        generationCode: randomUUID(),
        issuedOn: `${year}-03-10`,
        amountCents: 250_000,
        budgetLineCode: 'B1',
        description: 'Transporte de participantes',
        file: { data: pdfData(`ccf demo ${i}`), fileName: 'ccf.pdf' },
      });
      receipts.push(second.id);
    }
    await submitExpenseReport(deps, ctxOf(ngo), ngo, report.id);
    for (const r of receipts) await reviewReceipt(deps, ctxOf(F), F, r, { decision: 'approve' });
    await reportIndicator(deps, ctxOf(ngo), ngo, agreement.id, {
      indicatorCode: 'IND1',
      periodFrom: `${year}-01-01`,
      periodTo: `${year}-03-31`,
      value: 60 + i * 10,
    });
    const visit = await recordVisit(deps, ctxOf(M), M, agreement.id, {
      visitedOn: `${year}-03-20`,
      visitType: i === 3 ? 'unannounced' : 'announced',
      team: ['Marco Monitoreo de Campo'],
      findings: ['Actividades en curso según el plan'],
      followUp: [{ action: 'Enviar listas de asistencia firmadas' }],
    });
    await decideVisit(deps, ctxOf(M2), M2, visit.id, { outcome: 'approve' });
    if (i === 2) continue;
    await recordRefund(deps, ctxOf(ngo), ngo, agreement.id, {
      amountCents: 50_000,
      reference: `DEP-FG-DEMO-${i + 1}`,
      paidOn: `${year}-04-30`,
      budgetLineCode: 'B1',
    });
    const liq = await submitLiquidation(deps, ctxOf(ngo), ngo, agreement.id, {
      finalReport: 'Informe final: actividades realizadas, metas alcanzadas y saldo reintegrado.',
    });
    if (i === 4) {
      const id = liq.liquidations[0]!.id;
      await decideLiquidation(deps, ctxOf(F), F, id, {
        step: 'finance',
        outcome: 'approve',
        checklist: [{ code: 'reconciled', checked: true }],
      });
      await decideLiquidation(deps, ctxOf(M), M, id, {
        step: 'monitoring',
        outcome: 'approve',
        checklist: [{ code: 'final_report', checked: true }],
      });
      await closeAgreement(deps, ctxOf(T), T, agreement.id);
    }
  }
  // NGO 3 presents its first invoice again: flagged as already used and rejected by finance.
  const inExecution = await deps.db
    .selectFrom('ngo_agreements')
    .select('id')
    .where('plan_id', '=', plans[2]!)
    .executeTakeFirstOrThrow();
  const ngo3 = people.ngo3!;
  const report2 = await createExpenseReport(deps, ctxOf(ngo3), ngo3, inExecution.id, {
    description: 'Informe de gastos de abril',
  });
  const dup = await addReceipt(deps, ctxOf(ngo3), ngo3, report2.id, {
    supplierNit: nit('0614150392102'),
    supplierName: 'Distribuidora Escolar S.A. de C.V.',
    documentType: '01',
    documentNumber: 'DTE-01-M001P001-000000000099',
    generationCode: duplicateCode!,
    issuedOn: `${year}-04-10`,
    amountCents: 120_000,
    budgetLineCode: 'A1',
    description: 'Materiales (factura ya presentada)',
    file: { data: pdfData('factura duplicada'), fileName: 'factura-duplicada.pdf' },
  });
  await submitExpenseReport(deps, ctxOf(ngo3), ngo3, report2.id);
  await reviewReceipt(deps, ctxOf(F), F, dup.id, {
    decision: 'reject',
    reason: 'Comprobante ya presentado en el informe anterior (mismo código de generación).',
  });

  return PEOPLE.map((p) => ({
    username: p.username,
    password: DEMO_PASSWORD,
    role: p.role,
    note: roleRequiresMfa([p.role]) ? `${p.note}; MFA TOTP secreto: ${DEMO_TOTP_SECRET}` : p.note,
  }));
}
