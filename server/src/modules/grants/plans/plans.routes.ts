import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { grantsAccess } from '../shared/access.js';
import { sendXlsx } from '../shared/export.js';
import {
  PlanCreate,
  PlanDetail,
  PlanDiff,
  PlanDiffQuery,
  PlanDraftUpdate,
  PlanList,
  PlanListQuery,
  PlanParams,
  PlanVersion,
  PlanVersionParams,
  PlanVersionSummary,
  PlanWithdraw,
} from './plans.schemas.js';
import {
  createPlan,
  diffPlanVersions,
  getPlan,
  getPlanVersion,
  listPlans,
  listPlanVersions,
  submitPlan,
  updatePlanDraft,
  withdrawPlan,
} from './plans.service.js';

const tags = ['fondos ONG: planes'];
const security = [{ bearerAuth: [] }];

export const PLAN_STATUS_ES: Record<string, string> = {
  draft: 'Borrador',
  submitted: 'Presentado',
  under_review: 'En revisión',
  returned: 'Devuelto con observaciones',
  approved: 'Aprobado',
  rejected: 'Rechazado',
  withdrawn: 'Retirado',
  agreement_signed: 'Convenio firmado',
  in_execution: 'En ejecución',
  suspended: 'Suspendido',
  liquidation_submitted: 'Liquidación presentada',
  liquidation_overdue: 'Liquidación vencida',
  liquidated: 'Liquidado',
  closed: 'Cerrado',
};

export async function planRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const access = (request: FastifyRequest) => grantsAccess(deps.db, requirePrincipal(request));

  r.get(
    '/grants/plans',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Planes de trabajo con filtros; format=xlsx descarga la lista',
        description: 'El personal de una ONG sólo ve los planes de su organización.',
        querystring: PlanListQuery,
        response: { 200: PlanList },
      },
    },
    async (request, reply) => {
      const a = await access(request);
      if (request.query.format !== 'xlsx') return listPlans(deps, a, request.query);
      const list = await listPlans(deps, a, request.query, { unlimited: true });
      return sendXlsx(reply, {
        fileName: `ong-planes_${new Date().toISOString().slice(0, 10)}`,
        sheet: 'Planes',
        columns: [
          { header: 'Código', kind: 'text', value: (p) => p.code },
          { header: 'Título', kind: 'text', value: (p) => p.title, width: 40 },
          { header: 'Organización', kind: 'text', value: (p) => p.organisationName, width: 36 },
          { header: 'Convocatoria', kind: 'text', value: (p) => p.callCode },
          { header: 'Estado', kind: 'text', value: (p) => PLAN_STATUS_ES[p.status] ?? p.status },
          { header: 'Versión vigente', kind: 'integer', value: (p) => p.currentVersion },
          { header: 'Solicitado (US$)', kind: 'usd', value: (p) => p.requestedCents },
          { header: 'Aprobado (US$)', kind: 'usd', value: (p) => p.approvedCents },
          { header: 'Presentado (UTC)', kind: 'datetime', value: (p) => p.submittedAt },
          { header: 'Plazo de liquidación (UTC)', kind: 'datetime', value: (p) => p.liquidationDueAt },
          { header: 'Registrado por el ministerio', kind: 'boolean', value: (p) => p.registeredByStaff },
        ],
        rows: list.items,
        parameters: [
          ['Estado', request.query.status ?? 'todos'],
          ['Convocatoria', request.query.callId ?? 'todas'],
          ['Organización', request.query.organisationId ?? 'todas'],
          ['Filtro de texto', request.query.q ?? '—'],
          ['Total', String(list.total)],
        ],
      });
    },
  );

  r.post(
    '/grants/plans',
    {
      config: { permission: P.ngoSubmit },
      schema: {
        tags,
        security,
        summary: 'Formular un plan de trabajo (borrador, versión 1) para una convocatoria abierta',
        description:
          'El personal de ONG formula para su organización; el ministerio puede registrar un plan recibido en papel indicando organisationId.',
        body: PlanCreate,
        response: { 201: PlanDetail },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createPlan(deps, requestContext(request), await access(request), request.body)),
  );

  r.get(
    '/grants/plans/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Un plan con su versión vigente (contenido y líneas presupuestarias) y sus versiones',
        params: PlanParams,
        response: { 200: PlanDetail },
      },
    },
    async (request) => getPlan(deps, await access(request), request.params.id),
  );

  r.put(
    '/grants/plans/:id/draft',
    {
      config: { permission: P.ngoSubmit },
      schema: {
        tags,
        security,
        summary: 'Guardar el borrador (o la corrección de un plan devuelto, que crea una nueva versión)',
        params: PlanParams,
        body: PlanDraftUpdate,
        response: { 200: PlanDetail },
      },
    },
    async (request) =>
      updatePlanDraft(deps, requestContext(request), await access(request), request.params.id, request.body),
  );

  r.post(
    '/grants/plans/:id/submit',
    {
      config: { permission: P.ngoSubmit },
      schema: {
        tags,
        security,
        summary: 'Presentar la versión vigente del plan (queda congelada con su SHA-256) para revisión',
        params: PlanParams,
        response: { 200: PlanDetail },
      },
    },
    async (request) => submitPlan(deps, requestContext(request), await access(request), request.params.id),
  );

  r.post(
    '/grants/plans/:id/withdraw',
    {
      config: { permission: P.ngoSubmit },
      schema: {
        tags,
        security,
        summary: 'Retirar un plan en borrador o devuelto (con motivo)',
        params: PlanParams,
        body: PlanWithdraw,
        response: { 200: PlanDetail },
      },
    },
    async (request) =>
      withdrawPlan(deps, requestContext(request), await access(request), request.params.id, request.body),
  );

  r.get(
    '/grants/plans/:id/versions',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Versiones de un plan',
        params: PlanParams,
        response: { 200: Type.Object({ items: Type.Array(PlanVersionSummary) }) },
      },
    },
    async (request) => ({ items: await listPlanVersions(deps, await access(request), request.params.id) }),
  );

  r.get(
    '/grants/plans/:id/versions/:version',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Una versión de un plan, completa',
        params: PlanVersionParams,
        response: { 200: PlanVersion },
      },
    },
    async (request) => getPlanVersion(deps, await access(request), request.params.id, request.params.version),
  );

  r.get(
    '/grants/plans/:id/diff',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Diferencias entre dos versiones: campo por campo y por línea presupuestaria',
        params: PlanParams,
        querystring: PlanDiffQuery,
        response: { 200: PlanDiff },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from === to) throw new AppError('PLAN_DIFF_SAME_VERSION', 400, { version: from });
      return diffPlanVersions(deps, await access(request), request.params.id, from, to);
    },
  );
}
