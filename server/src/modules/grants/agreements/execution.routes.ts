import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import {
  Disbursement,
  DisbursementDecision,
  DisbursementList,
  DisbursementListQuery,
  DisbursementPayment,
  DisbursementRequest,
} from '../disbursements/disbursements.schemas.js';
import {
  decideDisbursement,
  listDisbursements,
  payDisbursement,
  requestDisbursement,
} from '../disbursements/disbursements.service.js';
import {
  ExpenseReport,
  ExpenseReportCreate,
  Receipt,
  ReceiptCreate,
  ReceiptList,
  ReceiptListQuery,
  ReceiptReview,
} from '../expenses/expenses.schemas.js';
import {
  addReceipt,
  createExpenseReport,
  getExpenseReport,
  listReceipts,
  readReceiptFile,
  reviewReceipt,
  submitExpenseReport,
} from '../expenses/expenses.service.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import {
  LiquidationDecision,
  LiquidationSubmit,
  LiquidationView,
  RefundCreate,
} from '../liquidation/liquidation.schemas.js';
import {
  closeAgreement,
  decideLiquidation,
  getReconciliation,
  recordRefund,
  submitLiquidation,
} from '../liquidation/liquidation.service.js';
import {
  IndicatorReportCreate,
  Monitoring,
  PhotoUpload,
  Visit,
  VisitCreate,
  VisitDecision,
} from '../monitoring/monitoring.schemas.js';
import {
  addVisitPhoto,
  decideVisit,
  getMonitoring,
  readVisitPhoto,
  recordVisit,
  reportIndicator,
} from '../monitoring/monitoring.service.js';
import { grantsAccess } from '../shared/access.js';
import { sendXlsx } from '../shared/export.js';
import { DOCUMENT_BODY_LIMIT } from '../shared/files.js';
import {
  AgreementCreate,
  AgreementDetail,
  AgreementList,
  AgreementListQuery,
  AgreementSummary,
  IdParams,
  PlanParams,
  Uuid,
} from './agreements.schemas.js';
import { createAgreement, getAgreement, listAgreements, readAgreementPdf } from './agreements.service.js';

const security = [{ bearerAuth: [] }];
const tagAgreements = ['fondos ONG: convenios y desembolsos'];
const tagExpenses = ['fondos ONG: gastos y comprobantes'];
const tagMonitoring = ['fondos ONG: monitoreo'];
const tagLiquidation = ['fondos ONG: liquidación'];
const today = () => new Date().toISOString().slice(0, 10);

function sendFile(reply: FastifyReply, file: { bytes: Buffer; mime: string; fileName: string }) {
  return reply
    .header('content-type', file.mime)
    .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\]/g, '')}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(file.bytes);
}

/**
 * Execution of NGO agreements: agreement and tranches, disbursements (request → finance
 * authorisation on the workflow → payment by a third person), expense reports with receipts and
 * their automatic checks, indicator progress, monitoring visits, refunds, liquidation and closing.
 */
export async function executionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const access = (request: FastifyRequest) => grantsAccess(deps.db, requirePrincipal(request));
  const who = (request: FastifyRequest) =>
    [deps, requestContext(request), requirePrincipal(request)] as const;

  // ── Agreements ─────────────────────────────────────────────────────────────────────────────
  r.post(
    '/grants/plans/:planId/agreement',
    {
      config: { permission: P.approve },
      schema: {
        tags: tagAgreements,
        security,
        summary: 'Firmar el convenio de un plan aprobado (tramos con condiciones, resumen PDF con SHA-256)',
        description:
          'Monto ≤ aprobado; vigencia en orden; la suma de los tramos es el monto; el primer tramo sin condiciones. El plan pasa a agreement_signed con su fecha límite de liquidación (fin + N días). Acepta `Idempotency-Key`.',
        params: PlanParams,
        body: AgreementCreate,
        response: { 201: AgreementSummary },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createAgreement(deps, requestContext(request), request.params.planId, request.body)),
  );

  r.get(
    '/grants/agreements',
    {
      config: { permission: P.read },
      schema: {
        tags: tagAgreements,
        security,
        summary: 'Convenios (el personal de una ONG sólo ve los suyos); format=xlsx descarga la lista',
        querystring: AgreementListQuery,
        response: { 200: AgreementList },
      },
    },
    async (request, reply) => {
      const list = await listAgreements(deps, await access(request), request.query);
      if (request.query.format !== 'xlsx') return list;
      return sendXlsx(reply, {
        fileName: `ong-convenios_${today()}`,
        sheet: 'Convenios',
        columns: [
          { header: 'Convenio', kind: 'text', value: (a) => a.number },
          { header: 'Organización', kind: 'text', value: (a) => a.organisationName, width: 40 },
          { header: 'Plan', kind: 'text', value: (a) => a.planCode },
          { header: 'Título', kind: 'text', value: (a) => a.planTitle, width: 40 },
          { header: 'Estado', kind: 'text', value: (a) => a.planStatus },
          { header: 'Monto', kind: 'usd', value: (a) => a.amountCents },
          { header: 'Inicio', kind: 'text', value: (a) => a.startsOn },
          { header: 'Fin', kind: 'text', value: (a) => a.endsOn },
          { header: 'Límite de liquidación', kind: 'datetime', value: (a) => a.liquidationDueAt },
        ],
        rows: list.items,
        parameters: [
          ['Organización', request.query.organisationId ?? 'todas'],
          ['Estado', request.query.status ?? 'todos'],
        ],
      });
    },
  );

  r.get(
    '/grants/agreements/:id',
    {
      config: { permission: P.read },
      schema: {
        tags: tagAgreements,
        security,
        summary: 'Un convenio: tramos con sus condiciones evaluadas hoy, conciliación por línea, indicadores',
        params: IdParams,
        response: { 200: AgreementDetail },
      },
    },
    async (request) => getAgreement(deps, await access(request), request.params.id),
  );

  for (const [path, kind, summary] of [
    ['summary.pdf', 'summary', 'Resumen del convenio en PDF (verificado contra su SHA-256)'],
    ['closing-act.pdf', 'closing_act', 'Acta de cierre (finiquito) en PDF (verificada contra su SHA-256)'],
  ] as const) {
    r.get(
      `/grants/agreements/:id/${path}`,
      {
        config: { permission: P.read },
        schema: { tags: tagAgreements, security, summary, params: IdParams },
      },
      async (request, reply) => {
        const file = await readAgreementPdf(deps, await access(request), request.params.id, kind);
        return sendFile(reply, { ...file, mime: 'application/pdf' });
      },
    );
  }

  // ── Disbursements ──────────────────────────────────────────────────────────────────────────
  r.post(
    '/grants/agreements/:id/disbursements',
    {
      config: { permission: P.read },
      schema: {
        tags: tagAgreements,
        security,
        summary: 'Solicitar el desembolso de un tramo (la ONG o finanzas); abre la autorización de la UFI',
        description:
          'Rechazado (409 GRANT_DISBURSEMENT_CONDITIONS_UNMET, con cada condición explicada) si falta una condición del tramo, si se superaría el monto del convenio o si la ONG tiene fondos pendientes de liquidar fuera de plazo. Acepta `Idempotency-Key`.',
        params: IdParams,
        body: DisbursementRequest,
        response: { 201: Disbursement },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await requestDisbursement(...who(request), request.params.id, request.body.trancheNumber)),
  );

  r.get(
    '/grants/disbursements',
    {
      config: { permission: P.read },
      schema: {
        tags: tagAgreements,
        security,
        summary: 'Desembolsos; format=xlsx descarga la lista',
        querystring: DisbursementListQuery,
        response: { 200: DisbursementList },
      },
    },
    async (request, reply) => {
      const list = await listDisbursements(deps, await access(request), request.query);
      if (request.query.format !== 'xlsx') return list;
      return sendXlsx(reply, {
        fileName: `ong-desembolsos_${today()}`,
        sheet: 'Desembolsos',
        columns: [
          { header: 'Convenio', kind: 'text', value: (d) => d.agreementNumber },
          { header: 'Organización', kind: 'text', value: (d) => d.organisationName, width: 40 },
          { header: 'Tramo', kind: 'integer', value: (d) => d.trancheNumber },
          { header: 'Monto', kind: 'usd', value: (d) => d.amountCents },
          { header: 'Estado', kind: 'text', value: (d) => d.status },
          { header: 'Solicitado', kind: 'datetime', value: (d) => d.requestedAt },
          { header: 'Autorizado', kind: 'datetime', value: (d) => d.authorisedAt },
          { header: 'Pagado', kind: 'text', value: (d) => d.paidOn },
          { header: 'Referencia de pago', kind: 'text', value: (d) => d.paymentReference },
        ],
        rows: list.items,
        parameters: [
          ['Convenio', request.query.agreementId ?? 'todos'],
          ['Estado', request.query.status ?? 'todos'],
        ],
      });
    },
  );

  r.post(
    '/grants/disbursements/:id/decision',
    {
      config: { permission: P.financeDisburse },
      schema: {
        tags: tagAgreements,
        security,
        summary:
          'Autorizar o rechazar un desembolso (UFI; nunca quien lo solicitó ni personas vinculadas a la ONG)',
        description:
          'Equivale a actuar en el paso «authorise» de su expediente de flujo. Las condiciones se vuelven a verificar.',
        params: IdParams,
        body: DisbursementDecision,
        response: { 200: Disbursement },
      },
    },
    async (request) => decideDisbursement(...who(request), request.params.id, request.body),
  );

  r.post(
    '/grants/disbursements/:id/payment',
    {
      config: { permission: P.financePay },
      schema: {
        tags: tagAgreements,
        security,
        summary:
          'Registrar el pago de un desembolso autorizado (Tesorería: distinto de quien autorizó y de quien solicitó)',
        description: 'Acepta `Idempotency-Key`.',
        params: IdParams,
        body: DisbursementPayment,
        response: { 200: Disbursement },
      },
    },
    async (request) => payDisbursement(...who(request), request.params.id, request.body),
  );

  // ── Expense reports and receipts ───────────────────────────────────────────────────────────
  r.post(
    '/grants/agreements/:id/expense-reports',
    {
      config: { permission: P.ngoSubmit },
      schema: {
        tags: tagExpenses,
        security,
        summary: 'Abrir un informe de gastos del convenio',
        params: IdParams,
        body: ExpenseReportCreate,
        response: { 201: ExpenseReport },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createExpenseReport(...who(request), request.params.id, request.body)),
  );

  r.get(
    '/grants/expense-reports/:id',
    {
      config: { permission: P.read },
      schema: {
        tags: tagExpenses,
        security,
        summary: 'Un informe de gastos con sus comprobantes y verificaciones',
        params: IdParams,
        response: { 200: ExpenseReport },
      },
    },
    async (request) => getExpenseReport(deps, requirePrincipal(request), request.params.id),
  );

  r.post(
    '/grants/expense-reports/:id/receipts',
    {
      config: { permission: P.ngoSubmit },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags: tagExpenses,
        security,
        summary:
          'Agregar un comprobante (DTE o documento no electrónico) con su archivo; se verifica automáticamente',
        description:
          'Verificaciones guardadas con el comprobante, cada una explicada: comprobante ya usado (mismo código de generación, NIT + número o archivo, en cualquier ONG), fecha fuera de la vigencia, línea presupuestaria excedida, proveedor vinculado a la junta directiva o a la propia ONG, fraccionamiento bajo el umbral. Acepta `Idempotency-Key`.',
        params: IdParams,
        body: ReceiptCreate,
        response: { 201: Receipt },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addReceipt(...who(request), request.params.id, request.body)),
  );

  r.post(
    '/grants/expense-reports/:id/submit',
    {
      config: { permission: P.ngoSubmit },
      schema: {
        tags: tagExpenses,
        security,
        summary: 'Presentar el informe de gastos para revisión de finanzas',
        params: IdParams,
        response: { 200: ExpenseReport },
      },
    },
    async (request) => submitExpenseReport(...who(request), request.params.id),
  );

  r.get(
    '/grants/receipts',
    {
      config: { permission: P.read },
      schema: {
        tags: tagExpenses,
        security,
        summary: 'Comprobantes con sus verificaciones; format=xlsx descarga la lista',
        querystring: ReceiptListQuery,
        response: { 200: ReceiptList },
      },
    },
    async (request, reply) => {
      const list = await listReceipts(deps, await access(request), request.query);
      if (request.query.format !== 'xlsx') return list;
      return sendXlsx(reply, {
        fileName: `ong-comprobantes_${today()}`,
        sheet: 'Comprobantes',
        columns: [
          { header: 'Convenio', kind: 'text', value: (x) => x.agreementNumber },
          { header: 'Organización', kind: 'text', value: (x) => x.organisationName, width: 36 },
          { header: 'Informe', kind: 'integer', value: (x) => x.reportNumber },
          { header: 'NIT proveedor', kind: 'text', value: (x) => x.supplierNit },
          { header: 'Proveedor', kind: 'text', value: (x) => x.supplierName, width: 30 },
          { header: 'Tipo', kind: 'text', value: (x) => x.documentTypeName },
          { header: 'Número', kind: 'text', value: (x) => x.documentNumber },
          { header: 'Código de generación', kind: 'text', value: (x) => x.generationCode, width: 38 },
          { header: 'Fecha', kind: 'text', value: (x) => x.issuedOn },
          { header: 'Monto', kind: 'usd', value: (x) => x.amountCents },
          { header: 'Línea', kind: 'text', value: (x) => x.budgetLineCode },
          { header: 'Estado', kind: 'text', value: (x) => x.status },
          {
            header: 'Alertas',
            kind: 'text',
            value: (x) => x.checks.map((c) => c.message).join(' | '),
            width: 60,
          },
          { header: 'SHA-256', kind: 'text', value: (x) => x.sha256, width: 66 },
        ],
        rows: list.items,
        parameters: [
          ['Convenio', request.query.agreementId ?? 'todos'],
          ['Estado', request.query.status ?? 'todos'],
          ['Sólo con alertas', request.query.flagged ? 'sí' : 'no'],
        ],
      });
    },
  );

  r.get(
    '/grants/receipts/:id/file',
    {
      config: { permission: P.read },
      schema: {
        tags: tagExpenses,
        security,
        summary: 'Archivo de un comprobante (verificado contra su SHA-256)',
        params: IdParams,
      },
    },
    async (request, reply) =>
      sendFile(reply, await readReceiptFile(deps, requirePrincipal(request), request.params.id)),
  );

  r.post(
    '/grants/receipts/:id/review',
    {
      config: { permission: P.financeDisburse },
      schema: {
        tags: tagExpenses,
        security,
        summary:
          'Revisión de finanzas de un comprobante: aprobar, observar o rechazar como no elegible (con motivo)',
        params: IdParams,
        body: ReceiptReview,
        response: { 200: Receipt },
      },
    },
    async (request) => reviewReceipt(...who(request), request.params.id, request.body),
  );

  // ── Monitoring ─────────────────────────────────────────────────────────────────────────────
  r.get(
    '/grants/agreements/:id/monitoring',
    {
      config: { permission: P.read },
      schema: {
        tags: tagMonitoring,
        security,
        summary: 'Visitas de monitoreo y avance de indicadores de un convenio',
        params: IdParams,
        response: { 200: Monitoring },
      },
    },
    async (request) => getMonitoring(deps, requirePrincipal(request), request.params.id),
  );

  r.post(
    '/grants/agreements/:id/indicator-reports',
    {
      config: { permission: P.read },
      schema: {
        tags: tagMonitoring,
        security,
        summary: 'Informar el avance de un indicador del plan (la ONG o monitoreo)',
        params: IdParams,
        body: IndicatorReportCreate,
        response: { 201: Type.Object({ id: Uuid }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await reportIndicator(...who(request), request.params.id, request.body)),
  );

  r.post(
    '/grants/agreements/:id/visits',
    {
      config: { permission: P.monitoringVisit },
      schema: {
        tags: tagMonitoring,
        security,
        summary: 'Registrar una visita de monitoreo (anunciada o sin aviso)',
        params: IdParams,
        body: VisitCreate,
        response: { 201: Visit },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordVisit(...who(request), request.params.id, request.body)),
  );

  r.post(
    '/grants/visits/:id/photos',
    {
      config: { permission: P.monitoringVisit },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags: tagMonitoring,
        security,
        summary: 'Agregar una foto (JPEG/PNG, ≤ 10 MB) a una visita',
        params: IdParams,
        body: PhotoUpload,
        response: { 201: Visit },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addVisitPhoto(...who(request), request.params.id, request.body)),
  );

  r.get(
    '/grants/visits/:id/photos/:photoId',
    {
      config: { permission: P.read },
      schema: {
        tags: tagMonitoring,
        security,
        summary: 'Foto de una visita (verificada contra su SHA-256)',
        params: Type.Object({ id: Uuid, photoId: Uuid }),
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await readVisitPhoto(deps, requirePrincipal(request), request.params.id, request.params.photoId),
      ),
  );

  r.post(
    '/grants/visits/:id/decision',
    {
      config: { permission: P.monitoringVisit },
      schema: {
        tags: tagMonitoring,
        security,
        summary: 'Aprobar o devolver el informe de una visita (nunca su autor)',
        params: IdParams,
        body: VisitDecision,
        response: { 200: Visit },
      },
    },
    async (request) => decideVisit(...who(request), request.params.id, request.body),
  );

  // ── Liquidation ────────────────────────────────────────────────────────────────────────────
  r.get(
    '/grants/agreements/:id/liquidation',
    {
      config: { permission: P.read },
      schema: {
        tags: tagLiquidation,
        security,
        summary:
          'Conciliación (desembolsado, justificado, reintegrado, por línea), reintegros y liquidaciones',
        params: IdParams,
        response: { 200: LiquidationView },
      },
    },
    async (request) => getReconciliation(deps, requirePrincipal(request), request.params.id),
  );

  r.post(
    '/grants/agreements/:id/refunds',
    {
      config: { permission: P.read },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags: tagLiquidation,
        security,
        summary:
          'Registrar un reintegro (la ONG o Tesorería) con su referencia de depósito y comprobante opcional',
        params: IdParams,
        body: RefundCreate,
        response: { 201: LiquidationView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordRefund(...who(request), request.params.id, request.body)),
  );

  r.post(
    '/grants/agreements/:id/liquidation',
    {
      config: { permission: P.read },
      schema: {
        tags: tagLiquidation,
        security,
        summary: 'Presentar la liquidación (informe final); abre la aprobación de finanzas y monitoreo',
        description:
          'Exige todos los comprobantes revisados, ningún desembolso en trámite y desembolsado = justificado + reintegrado.',
        params: IdParams,
        body: LiquidationSubmit,
        response: { 201: LiquidationView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await submitLiquidation(...who(request), request.params.id, request.body)),
  );

  r.post(
    '/grants/liquidations/:id/decision',
    {
      config: { permission: P.liquidate },
      schema: {
        tags: tagLiquidation,
        security,
        summary:
          'Aprobar o devolver una liquidación (paso de finanzas o de monitoreo; dos personas distintas)',
        params: IdParams,
        body: LiquidationDecision,
        response: { 200: LiquidationView },
      },
    },
    async (request) => decideLiquidation(...who(request), request.params.id, request.body),
  );

  r.post(
    '/grants/agreements/:id/close',
    {
      config: { permission: P.liquidate },
      schema: {
        tags: tagLiquidation,
        security,
        summary: 'Cerrar un convenio liquidado: acta de cierre en PDF con SHA-256; el plan pasa a closed',
        params: IdParams,
        response: { 200: AgreementDetail },
      },
    },
    async (request) => {
      await closeAgreement(...who(request), request.params.id);
      return getAgreement(deps, await access(request), request.params.id);
    },
  );
}
