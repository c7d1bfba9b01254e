import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planReviewDefinition, startPlanReview } from '../../src/modules/grants/review/index.js';
import { MAX_DOCUMENT_BYTES } from '../../src/modules/grants/shared/files.js';
import { systemContext } from '../../src/platform/context.js';
import { t as translate } from '../../src/platform/i18n/catalog.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { bearer, loginAs, makeUser, type TestUser } from '../factories.js';
import {
  linkStaff,
  makeApprovedPlan,
  makeCall,
  makeOrganisation,
  nit,
  type OrgFixture,
  pdf,
  png,
} from './execution-fixtures.js';
import { budgetLines, completeContent, day, organisationBody, validDui } from './grants-helpers.js';

/**
 * Bad input across the NGO funds API, one table: amounts with fractions of a cent, negative or
 * beyond 2^53 − 1, dates out of order or impossible, files of the wrong type, empty or too large
 * (over 10 MB decoded, or a body over the route limit), and actions out of order (pay before
 * authorising, a later tranche first, liquidate or refund before any disbursement, close before the
 * liquidation, approve a plan whose reviews are not done, sign an agreement for a plan under review,
 * review receipts of a report not submitted, submit an empty report). Each case must answer a clear
 * 4xx with its stable code and a Spanish message, and leave every table of the module, the workflow,
 * the audit log, the outbox and the stored files exactly as they were.
 */

type Who = 'admin' | 'authority' | 'financial' | 'finance1' | 'finance2' | 'monitoring' | 'staff';
interface Case {
  name: string;
  who: Who;
  method?: 'POST' | 'PUT' | 'PATCH';
  url: () => string;
  body: () => unknown;
  status: number;
  code: string;
}

/** A real PDF of `bytes` bytes (header, filler, trailer) in base64. */
function pdfOfSize(bytes: number): string {
  const head = Buffer.from('%PDF-1.4\n');
  const tail = Buffer.from('\n%%EOF\n');
  return Buffer.concat([head, Buffer.alloc(bytes - head.length - tail.length, 0x20), tail]).toString(
    'base64',
  );
}
const notAFile = Buffer.from('MZ ejecutable de Windows, no es un documento').toString('base64');
const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]).toString('base64');
const html = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
/** 2^53 as JSON: a number JavaScript can no longer tell from 2^53 + 1. */
const TWO_53 = 2 ** 53;

describe('NGO funds API: bad input matrix (4xx, stable code, Spanish message, nothing written)', () => {
  let t: TestApp;
  const u = {} as Record<Who, TestUser & { token: string }>;
  let org: OrgFixture;
  let callId: string;
  let signedAgreementId: string; // agreement signed, nothing disbursed
  let runningAgreementId: string; // in execution: tranche 1 paid, open report
  let requestedDisbursementId: string; // requested, not authorised
  let authorisedDisbursementId: string; // authorised, not paid (agreement signed on 2026-01-01)
  let openReportId: string;
  let emptyReportId: string;
  let visitId: string;
  let reviewCaseId: string;
  let underReviewPlanId: string;
  let tooLarge: string;
  let overBodyLimit: string;

  const tables: string[] = [];

  async function snapshot(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const row = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.deps.db);
      counts[table] = Number(row.rows[0]!.n);
    }
    const dir = path.join(t.deps.config.dataDir, 'grants', 'documents');
    let files: string[] = [];
    try {
      files = readdirSync(dir);
    } catch {
      files = [];
    }
    counts['<files>'] = files.length;
    return counts;
  }

  const receipt = (over: Record<string, unknown> = {}) => ({
    supplierNit: nit('0614010190101'),
    supplierName: 'Librería El Estudiante S.A. de C.V.',
    documentType: '01',
    documentNumber: `DTE-01-${randomUUID().slice(0, 8)}`,
    generationCode: randomUUID(),
    issuedOn: '2026-02-10',
    amountCents: 10_000,
    budgetLineCode: 'A1',
    description: 'Materiales para talleres',
    file: { data: pdf('ok'), fileName: 'factura.pdf', mime: 'application/pdf' },
    ...over,
  });
  const agreement = (over: Record<string, unknown> = {}) => ({
    number: `CONV-BAD-${randomUUID().slice(0, 6)}`,
    amountCents: 1_000_000,
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    signedOn: '2026-01-01',
    administratorId: u.monitoring.id,
    tranches: [{ amountCents: 1_000_000 }],
    ...over,
  });
  const call = (over: Record<string, unknown> = {}) => ({
    programme: 'Prevención de la violencia juvenil',
    title: 'Convocatoria con datos malos',
    description: 'Prueba',
    fiscalYear: 2026,
    budgetEnvelopeCents: 10_000_000,
    eligibility: [{ code: 'E1', text: 'Personería jurídica vigente' }],
    opensOn: day(-1),
    closesOn: day(30),
    ...over,
  });
  const plan = (lineOver: Record<string, unknown> = {}, contentOver: Record<string, unknown> = {}) => ({
    callId,
    title: 'Plan con datos malos',
    content: { ...completeContent(), ...contentOver },
    budgetLines: [{ ...budgetLines()[0]!, ...lineOver }, ...budgetLines().slice(1)],
  });
  const refund = (over: Record<string, unknown> = {}) => ({
    amountCents: 1_000,
    reference: `DEP-${randomUUID().slice(0, 8)}`,
    paidOn: '2026-03-01',
    ...over,
  });
  const orgDocument = (over: Record<string, unknown> = {}) => ({
    kind: 'other',
    description: 'Documento de prueba',
    fileName: 'doc.pdf',
    data: pdf('doc'),
    ...over,
  });
  const step = (code: string) => {
    const def = planReviewDefinition.steps.find((s) => s.code === code)!;
    return {
      step: code,
      outcome: 'approve',
      checklist: def.checklist.map((i) => ({ code: i.code, checked: true })),
      documents: def.requiredDocuments.map((d) => ({
        sha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        name: `${d.kind}.pdf`,
        kind: d.kind,
      })),
    };
  };

  const receipts = () => `/grants/expense-reports/${openReportId}/receipts`;
  const orgDocs = () => `/grants/organisations/${org.orgId}/documents`;

  const cases: Case[] = [
    // ── Amounts ─────────────────────────────────────────────────────────────────────────────
    ...(
      [
        [100.5, 'AMOUNT_FRACTIONAL_CENTS'],
        [0.01, 'AMOUNT_FRACTIONAL_CENTS'],
        [-100, 'AMOUNT_NEGATIVE'],
        [TWO_53, 'AMOUNT_TOO_LARGE'],
        [1e300, 'AMOUNT_TOO_LARGE'],
      ] as const
    ).flatMap(([amount, code]): Case[] => [
      {
        name: `call envelope ${amount}`,
        who: 'financial',
        url: () => '/grants/calls',
        body: () => call({ budgetEnvelopeCents: amount }),
        status: 400,
        code,
      },
      {
        name: `plan budget line ${amount}`,
        who: 'staff',
        url: () => '/grants/plans',
        body: () => plan({ amountCents: amount }),
        status: 400,
        code,
      },
      {
        name: `agreement amount ${amount}`,
        who: 'authority',
        url: () => `/grants/plans/${underReviewPlanId}/agreement`,
        body: () => agreement({ amountCents: amount }),
        status: 400,
        code,
      },
      {
        name: `agreement tranche ${amount}`,
        who: 'authority',
        url: () => `/grants/plans/${underReviewPlanId}/agreement`,
        body: () => agreement({ tranches: [{ amountCents: amount }] }),
        status: 400,
        code,
      },
      {
        name: `receipt amount ${amount}`,
        who: 'staff',
        url: receipts,
        body: () => receipt({ amountCents: amount }),
        status: 400,
        code,
      },
      {
        name: `refund amount ${amount}`,
        who: 'staff',
        url: () => `/grants/agreements/${runningAgreementId}/refunds`,
        body: () => refund({ amountCents: amount }),
        status: 400,
        code,
      },
    ]),
    {
      name: 'receipt amount in words',
      who: 'staff',
      url: receipts,
      body: () => receipt({ amountCents: 'cien dólares' }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'receipt amount as dollars text with cents',
      who: 'staff',
      url: receipts,
      body: () => receipt({ amountCents: '100.50' }),
      status: 400,
      code: 'AMOUNT_FRACTIONAL_CENTS',
    },
    // ── Dates ───────────────────────────────────────────────────────────────────────────────
    {
      name: 'call closes before it opens',
      who: 'financial',
      url: () => '/grants/calls',
      body: () => call({ opensOn: day(30), closesOn: day(1) }),
      status: 400,
      code: 'DATES_OUT_OF_ORDER',
    },
    {
      name: 'plan schedule ends before it starts',
      who: 'staff',
      url: () => '/grants/plans',
      body: () =>
        plan(
          {},
          {
            schedule: [{ code: 'H1', milestone: 'Inicio', activityCode: 'A1', start: day(70), end: day(40) }],
          },
        ),
      status: 400,
      code: 'DATES_OUT_OF_ORDER',
    },
    {
      name: 'agreement ends before it starts',
      who: 'authority',
      url: () => `/grants/plans/${underReviewPlanId}/agreement`,
      body: () => agreement({ startsOn: '2026-12-31', endsOn: '2026-01-01' }),
      status: 400,
      code: 'DATES_OUT_OF_ORDER',
    },
    {
      name: 'agreement on 30 February',
      who: 'authority',
      url: () => `/grants/plans/${underReviewPlanId}/agreement`,
      body: () => agreement({ startsOn: '2026-02-30' }),
      status: 400,
      code: 'DATE_INVALID',
    },
    {
      name: 'organisation registry valid until before its registration',
      who: 'admin',
      url: () => '/grants/organisations',
      body: () => organisationBody({ registryDate: '2020-05-01', registryValidUntil: '2019-05-01' }),
      status: 400,
      code: 'DATES_OUT_OF_ORDER',
    },
    {
      name: 'board member leaves before joining',
      who: 'admin',
      url: () => `/grants/organisations/${org.orgId}/board-members`,
      body: () => ({
        fullName: 'Vocal de Prueba',
        dui: validDui(),
        position: 'vocal',
        fromDate: '2025-06-01',
        toDate: '2025-01-01',
      }),
      status: 400,
      code: 'DATES_OUT_OF_ORDER',
    },
    {
      name: 'indicator period ends before it starts',
      who: 'staff',
      url: () => `/grants/agreements/${runningAgreementId}/indicator-reports`,
      body: () => ({ indicatorCode: 'IND1', periodFrom: '2026-03-31', periodTo: '2026-01-01', value: 5 }),
      status: 400,
      code: 'DATES_OUT_OF_ORDER',
    },
    {
      name: 'receipt on 13th month',
      who: 'staff',
      url: receipts,
      body: () => receipt({ issuedOn: '2026-13-01' }),
      status: 400,
      code: 'DATE_INVALID',
    },
    {
      name: 'receipt issued in the future',
      who: 'staff',
      url: receipts,
      body: () => receipt({ issuedOn: day(2) }),
      status: 400,
      code: 'GRANT_DATE_IN_FUTURE',
    },
    {
      name: 'monitoring visit in the future',
      who: 'monitoring',
      url: () => `/grants/agreements/${runningAgreementId}/visits`,
      body: () => ({ visitedOn: day(30), visitType: 'announced', team: ['Equipo'], findings: [] }),
      status: 400,
      code: 'GRANT_VISIT_IN_FUTURE',
    },
    // ── Files: wrong type, empty, not base64, too large ─────────────────────────────────────
    ...(
      [
        [notAFile, 'un ejecutable'],
        [zip, 'un ZIP'],
        [html, 'HTML'],
      ] as const
    ).flatMap(([data, what]): Case[] => [
      {
        name: `organisation document: ${what}`,
        who: 'admin',
        url: orgDocs,
        body: () => orgDocument({ data }),
        status: 415,
        code: 'DOCUMENT_TYPE_UNSUPPORTED',
      },
      {
        name: `receipt file: ${what}`,
        who: 'staff',
        url: receipts,
        body: () => receipt({ file: { data } }),
        status: 415,
        code: 'DOCUMENT_TYPE_UNSUPPORTED',
      },
      {
        name: `refund voucher: ${what}`,
        who: 'staff',
        url: () => `/grants/agreements/${runningAgreementId}/refunds`,
        body: () => refund({ file: { data } }),
        status: 415,
        code: 'DOCUMENT_TYPE_UNSUPPORTED',
      },
      {
        name: `visit photo: ${what}`,
        who: 'monitoring',
        url: () => `/grants/visits/${visitId}/photos`,
        body: () => ({ data }),
        status: 415,
        code: 'DOCUMENT_TYPE_UNSUPPORTED',
      },
    ]),
    {
      name: 'plan document of the NGO portal: not a PDF/JPEG/PNG',
      who: 'staff',
      url: orgDocs,
      body: () => orgDocument({ kind: 'plan_annex', planId: underReviewPlanId, data: zip }),
      status: 415,
      code: 'DOCUMENT_TYPE_UNSUPPORTED',
    },
    {
      name: 'visit photo: a PDF is not a photo',
      who: 'monitoring',
      url: () => `/grants/visits/${visitId}/photos`,
      body: () => ({ data: pdf() }),
      status: 415,
      code: 'GRANT_VISIT_PHOTO_NOT_IMAGE',
    },
    {
      name: 'receipt file: declared PNG but a PDF',
      who: 'staff',
      url: receipts,
      body: () => receipt({ file: { data: pdf(), mime: 'image/png' } }),
      status: 400,
      code: 'DOCUMENT_TYPE_MISMATCH',
    },
    {
      name: 'organisation document: empty',
      who: 'admin',
      url: orgDocs,
      body: () => orgDocument({ data: '====' }),
      status: 400,
      code: 'DOCUMENT_NOT_BASE64',
    },
    {
      name: 'receipt file: not base64',
      who: 'staff',
      url: receipts,
      body: () => receipt({ file: { data: 'esto no es base64!' } }),
      status: 400,
      code: 'DOCUMENT_NOT_BASE64',
    },
    {
      name: 'organisation document: 10 MB + 1 byte',
      who: 'admin',
      url: orgDocs,
      body: () => orgDocument({ data: tooLarge }),
      status: 413,
      code: 'DOCUMENT_TOO_LARGE',
    },
    {
      name: 'plan document: 10 MB + 1 byte',
      who: 'staff',
      url: orgDocs,
      body: () => orgDocument({ kind: 'plan_annex', planId: underReviewPlanId, data: tooLarge }),
      status: 413,
      code: 'DOCUMENT_TOO_LARGE',
    },
    {
      name: 'receipt file: 10 MB + 1 byte',
      who: 'staff',
      url: receipts,
      body: () => receipt({ file: { data: tooLarge } }),
      status: 413,
      code: 'DOCUMENT_TOO_LARGE',
    },
    {
      name: 'refund voucher: 10 MB + 1 byte',
      who: 'staff',
      url: () => `/grants/agreements/${runningAgreementId}/refunds`,
      body: () => refund({ file: { data: tooLarge } }),
      status: 413,
      code: 'DOCUMENT_TOO_LARGE',
    },
    {
      name: 'organisation document: body over the route limit (11 MB)',
      who: 'admin',
      url: orgDocs,
      body: () => orgDocument({ data: overBodyLimit }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'receipt: body over the route limit (11 MB)',
      who: 'staff',
      url: receipts,
      body: () => receipt({ file: { data: overBodyLimit } }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'visit photo: body over the route limit (11 MB)',
      who: 'monitoring',
      url: () => `/grants/visits/${visitId}/photos`,
      body: () => ({ data: overBodyLimit }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    // ── Actions out of order ────────────────────────────────────────────────────────────────
    {
      name: 'pay a disbursement before it is authorised',
      who: 'finance2',
      url: () => `/grants/disbursements/${requestedDisbursementId}/payment`,
      body: () => ({ paymentReference: 'TRF-ANTES', paidOn: '2026-01-20' }),
      status: 409,
      code: 'GRANT_DISBURSEMENT_WRONG_STATUS',
    },
    {
      name: 'payment dated before the agreement was signed',
      who: 'finance2',
      url: () => `/grants/disbursements/${authorisedDisbursementId}/payment`,
      body: () => ({ paymentReference: 'TRF-ANTES-FIRMA', paidOn: '2025-12-31' }),
      status: 400,
      code: 'GRANT_PAYMENT_BEFORE_AGREEMENT',
    },
    {
      name: 'payment dated in the future',
      who: 'finance2',
      url: () => `/grants/disbursements/${authorisedDisbursementId}/payment`,
      body: () => ({ paymentReference: 'TRF-FUTURO', paidOn: day(5) }),
      status: 400,
      code: 'GRANT_PAYMENT_DATE_IN_FUTURE',
    },
    {
      name: 'refund dated before the agreement was signed',
      who: 'staff',
      url: () => `/grants/agreements/${runningAgreementId}/refunds`,
      body: () => refund({ paidOn: '2025-06-30' }),
      status: 400,
      code: 'GRANT_PAYMENT_BEFORE_AGREEMENT',
    },
    {
      name: 'refund dated in the future',
      who: 'staff',
      url: () => `/grants/agreements/${runningAgreementId}/refunds`,
      body: () => refund({ paidOn: day(3) }),
      status: 400,
      code: 'GRANT_PAYMENT_DATE_IN_FUTURE',
    },
    {
      name: 'request tranche 2 before tranche 1 is paid',
      who: 'staff',
      url: () => `/grants/agreements/${signedAgreementId}/disbursements`,
      body: () => ({ trancheNumber: 2 }),
      status: 409,
      code: 'GRANT_DISBURSEMENT_CONDITIONS_UNMET',
    },
    {
      name: 'a tranche the agreement does not have',
      who: 'staff',
      url: () => `/grants/agreements/${signedAgreementId}/disbursements`,
      body: () => ({ trancheNumber: 7 }),
      status: 404,
      code: 'GRANT_TRANCHE_NOT_FOUND',
    },
    {
      name: 'liquidate before any disbursement',
      who: 'staff',
      url: () => `/grants/agreements/${signedAgreementId}/liquidation`,
      body: () => ({ finalReport: 'Informe final sin haber recibido fondos.' }),
      status: 409,
      code: 'GRANT_LIQUIDATION_WRONG_STATUS',
    },
    {
      name: 'refund before any disbursement',
      who: 'staff',
      url: () => `/grants/agreements/${signedAgreementId}/refunds`,
      body: () => refund(),
      status: 409,
      code: 'GRANT_AGREEMENT_NOT_IN_EXECUTION',
    },
    {
      name: 'refund more than the balance held',
      who: 'staff',
      url: () => `/grants/agreements/${runningAgreementId}/refunds`,
      body: () => refund({ amountCents: 600_001 }),
      status: 409,
      code: 'GRANT_REFUND_ABOVE_BALANCE',
    },
    {
      name: 'liquidate while a disbursement is in process',
      who: 'staff',
      url: () => `/grants/agreements/${runningAgreementId}/liquidation`,
      body: () => ({ finalReport: 'Informe final con un tramo todavía en trámite.' }),
      status: 409,
      code: 'GRANT_LIQUIDATION_DISBURSEMENT_PENDING',
    },
    {
      name: 'close an agreement not liquidated',
      who: 'finance2',
      url: () => `/grants/agreements/${runningAgreementId}/close`,
      body: () => undefined,
      status: 409,
      code: 'GRANT_CLOSE_NOT_LIQUIDATED',
    },
    {
      name: 'approve a plan whose three reviews are not done',
      who: 'authority',
      url: () => `/workflow/cases/${reviewCaseId}/actions`,
      body: () => step('authority'),
      status: 409,
      code: 'WORKFLOW_STEP_WAITING',
    },
    {
      name: 'sign an agreement for a plan still under review',
      who: 'authority',
      url: () => `/grants/plans/${underReviewPlanId}/agreement`,
      body: () => agreement(),
      status: 409,
      code: 'GRANT_AGREEMENT_PLAN_NOT_APPROVED',
    },
    {
      name: 'review a receipt of a report not submitted',
      who: 'finance1',
      url: () => `/grants/receipts/${'RECEIPT'}/review`,
      body: () => ({ decision: 'approve' }),
      status: 409,
      code: 'GRANT_EXPENSE_REPORT_NOT_SUBMITTED',
    },
    {
      name: 'submit an expense report without receipts',
      who: 'staff',
      url: () => `/grants/expense-reports/${emptyReportId}/submit`,
      body: () => undefined,
      status: 409,
      code: 'GRANT_EXPENSE_REPORT_EMPTY',
    },
    {
      name: 'open an expense report for an agreement that does not exist',
      who: 'staff',
      url: () => `/grants/agreements/${randomUUID()}/expense-reports`,
      body: () => ({ description: 'Informe de un convenio que no existe' }),
      status: 404,
      code: 'GRANT_AGREEMENT_NOT_FOUND',
    },
    {
      name: 'approve a visit report by its own author',
      who: 'monitoring',
      url: () => `/grants/visits/${visitId}/decision`,
      body: () => ({ outcome: 'approve' }),
      status: 403,
      code: 'GRANT_VISIT_SELF_APPROVAL',
    },
  ];

  let pendingReceiptId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    for (const [key, role] of [
      ['admin', 'administrator'],
      ['authority', 'ngo_authority'],
      ['financial', 'ngo_financial_reviewer'],
      ['finance1', 'ngo_finance'],
      ['finance2', 'ngo_finance'],
      ['monitoring', 'ngo_monitoring_reviewer'],
      ['staff', 'ngo_staff'],
    ] as const) {
      u[key] = { ...(await makeUser(t.deps, role)), token: '' };
    }
    for (const user of Object.values(u)) user.token = await loginAs(t.app, user);
    org = await makeOrganisation(t.deps, 'Asociación Datos Malos');
    await linkStaff(t.deps, org.orgId, u.staff.id);
    const api = (who: Who, url: string, payload?: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1${url}`,
        headers: bearer(u[who].token),
        ...(payload ? { payload } : {}),
      });

    // A published call (for the plan cases).
    const c = await api('financial', '/grants/calls', call());
    expect(c.statusCode, c.body).toBe(201);
    callId = c.json().id;
    expect((await api('financial', `/grants/calls/${callId}/publish`, {})).statusCode).toBe(200);

    // A plan under review (its review case open: three reviews pending, authority waiting).
    const fixtureCall = await makeCall(t.deps);
    underReviewPlanId = await makeApprovedPlan(t.deps, org.orgId, fixtureCall, 'submitted');
    reviewCaseId = (
      await t.deps.tx(systemContext(), (uow) =>
        startPlanReview(uow, t.deps, {
          planId: underReviewPlanId,
          submittedBy: { id: u.staff.id, name: 'ONG' },
        }),
      )
    ).caseId;

    // An agreement signed with two tranches, nothing disbursed.
    const signedPlan = await makeApprovedPlan(t.deps, org.orgId, fixtureCall);
    const signed = await api(
      'authority',
      `/grants/plans/${signedPlan}/agreement`,
      agreement({
        tranches: [
          { amountCents: 600_000 },
          { amountCents: 400_000, minJustifiedPct: 50, requiresVisit: true },
        ],
      }),
    );
    expect(signed.statusCode, signed.body).toBe(201);
    signedAgreementId = signed.json().id;

    // An agreement in execution: tranche 1 paid, tranche 2 requested (not authorised).
    const runningPlan = await makeApprovedPlan(t.deps, org.orgId, fixtureCall);
    const running = await api(
      'authority',
      `/grants/plans/${runningPlan}/agreement`,
      agreement({ tranches: [{ amountCents: 600_000 }, { amountCents: 400_000 }] }),
    );
    expect(running.statusCode, running.body).toBe(201);
    runningAgreementId = running.json().id;
    const d1 = await api('staff', `/grants/agreements/${runningAgreementId}/disbursements`, {
      trancheNumber: 1,
    });
    expect(d1.statusCode, d1.body).toBe(201);
    await api('finance1', `/grants/disbursements/${d1.json().id}/decision`, { outcome: 'approve' });
    const paid = await api('finance2', `/grants/disbursements/${d1.json().id}/payment`, {
      paymentReference: 'TRF-BAD-1',
      paidOn: '2026-01-10',
    });
    expect(paid.json().status).toBe('paid');
    const d2 = await api('staff', `/grants/agreements/${runningAgreementId}/disbursements`, {
      trancheNumber: 2,
    });
    expect(d2.statusCode, d2.body).toBe(201);
    requestedDisbursementId = d2.json().id;

    // A third agreement: tranche 1 authorised by finance, not paid yet.
    const authorisedPlan = await makeApprovedPlan(t.deps, org.orgId, fixtureCall);
    const third = await api('authority', `/grants/plans/${authorisedPlan}/agreement`, agreement());
    expect(third.statusCode, third.body).toBe(201);
    const d3 = await api('staff', `/grants/agreements/${third.json().id}/disbursements`, {
      trancheNumber: 1,
    });
    expect(d3.statusCode, d3.body).toBe(201);
    authorisedDisbursementId = d3.json().id;
    const auth = await api('finance1', `/grants/disbursements/${authorisedDisbursementId}/decision`, {
      outcome: 'approve',
    });
    expect(auth.json().status).toBe('authorised');

    // An open expense report with one pending receipt, and an empty one.
    const rep = await api('staff', `/grants/agreements/${runningAgreementId}/expense-reports`, {
      description: 'Informe de gastos de febrero',
    });
    openReportId = rep.json().id;
    const r = await api('staff', receipts(), receipt());
    expect(r.statusCode, r.body).toBe(201);
    pendingReceiptId = r.json().id;
    emptyReportId = (
      await api('staff', `/grants/agreements/${runningAgreementId}/expense-reports`, { description: 'Vacío' })
    ).json().id;

    // A monitoring visit recorded by `monitoring`.
    const v = await api('monitoring', `/grants/agreements/${runningAgreementId}/visits`, {
      visitedOn: '2026-03-15',
      visitType: 'unannounced',
      team: ['Equipo de monitoreo'],
      findings: ['Talleres en curso'],
    });
    expect(v.statusCode, v.body).toBe(201);
    visitId = v.json().id;
    const photo = await api('monitoring', `/grants/visits/${visitId}/photos`, { data: png('ok') });
    expect(photo.statusCode, photo.body).toBe(201);

    tooLarge = pdfOfSize(MAX_DOCUMENT_BYTES + 1);
    overBodyLimit = pdfOfSize(11 * 1024 * 1024);

    const names = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        AND (table_name LIKE 'ngo\\_%' OR table_name LIKE 'workflow\\_%'
             OR table_name IN ('audit_log', 'outbox', 'notifications'))
      ORDER BY table_name`.execute(t.deps.db);
    tables.push(...names.rows.map((n) => n.table_name));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('knows the tables it watches', () => {
    expect(tables).toEqual(
      expect.arrayContaining([
        'ngo_organisations',
        'ngo_documents',
        'ngo_plans',
        'ngo_agreements',
        'ngo_disbursements',
        'ngo_receipts',
        'ngo_refunds',
        'ngo_liquidations',
        'workflow_cases',
        'workflow_actions',
        'audit_log',
        'outbox',
      ]),
    );
  });

  it('control: the same snapshot does see a write (a valid receipt adds a row, an audit entry, an event and a file)', async () => {
    const before = await snapshot();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1${receipts()}`,
      headers: bearer(u.staff.token),
      payload: receipt({ amountCents: 1_000 }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const after = await snapshot();
    expect(after.ngo_receipts).toBe(before.ngo_receipts! + 1);
    expect(after.audit_log).toBeGreaterThan(before.audit_log!);
    expect(after.outbox).toBeGreaterThan(before.outbox!);
    expect(after['<files>']).toBe(before['<files>']! + 1);
  });

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const before = await snapshot();
      const body = c.body();
      const url = c.url().replace('RECEIPT', pendingReceiptId);
      const res = await t.app.inject({
        method: c.method ?? 'POST',
        url: `/api/v1${url}`,
        headers: { ...bearer(u[c.who].token), 'accept-language': 'es-SV' },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      expect(res.statusCode, res.body.slice(0, 500)).toBe(c.status);
      const error = res.json().error;
      expect(error.code).toBe(c.code);
      // A Spanish message from the catalogue (the code has one in Spanish and one in English).
      const es = translate('es', `errors.${c.code}`);
      expect(es, `errors.${c.code} missing in the catalogue`).not.toBe(`errors.${c.code}`);
      expect(translate('en', `errors.${c.code}`)).not.toBe(es);
      expect(error.message.startsWith(es.split('{')[0]!), error.message).toBe(true);
      expect(await snapshot()).toEqual(before);
    });
  }
});
