import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { grantsAccess } from '../shared/access.js';
import { sendXlsx } from '../shared/export.js';
import {
  Call,
  CallClose,
  CallCreate,
  CallList,
  CallListQuery,
  CallParams,
  CallUpdate,
} from './calls.schemas.js';
import { closeCall, createCall, getCall, listCalls, publishCall, updateCall } from './calls.service.js';

const tags = ['fondos ONG: convocatorias'];
const security = [{ bearerAuth: [] }];
const STATUS_ES = {
  draft: 'Borrador',
  published: 'Publicada',
  closed: 'Cerrada',
  cancelled: 'Anulada',
} as const;

export async function callRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const access = (request: FastifyRequest) => grantsAccess(deps.db, requirePrincipal(request));

  r.get(
    '/grants/calls',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Convocatorias con su sobre presupuestario y lo comprometido; format=xlsx descarga la lista',
        description: 'El personal de ONG sólo ve convocatorias publicadas o cerradas.',
        querystring: CallListQuery,
        response: { 200: CallList },
      },
    },
    async (request, reply) => {
      const a = await access(request);
      if (request.query.format !== 'xlsx') return listCalls(deps, a, request.query);
      const list = await listCalls(deps, a, request.query, { unlimited: true });
      return sendXlsx(reply, {
        fileName: `ong-convocatorias_${new Date().toISOString().slice(0, 10)}`,
        sheet: 'Convocatorias',
        columns: [
          { header: 'Código', kind: 'text', value: (c) => c.code },
          { header: 'Programa', kind: 'text', value: (c) => c.programme, width: 30 },
          { header: 'Título', kind: 'text', value: (c) => c.title, width: 40 },
          { header: 'Ejercicio', kind: 'integer', value: (c) => c.fiscalYear },
          { header: 'Específico', kind: 'text', value: (c) => c.budgetSpecific },
          { header: 'Sobre (US$)', kind: 'usd', value: (c) => c.budgetEnvelopeCents },
          { header: 'Comprometido (US$)', kind: 'usd', value: (c) => c.committedCents },
          { header: 'Disponible (US$)', kind: 'usd', value: (c) => c.remainingCents },
          { header: 'Abre', kind: 'text', value: (c) => c.opensOn },
          { header: 'Cierra', kind: 'text', value: (c) => c.closesOn },
          { header: 'Estado', kind: 'text', value: (c) => STATUS_ES[c.status] },
        ],
        rows: list.items,
        parameters: [
          ['Estado', request.query.status ?? 'todos'],
          ['Programa', request.query.programme ?? 'todos'],
          ['Ejercicio', request.query.fiscalYear ? String(request.query.fiscalYear) : 'todos'],
          ['Total', String(list.total)],
        ],
      });
    },
  );

  r.post(
    '/grants/calls',
    {
      config: { permission: P.callManage },
      schema: {
        tags,
        security,
        summary: 'Crear una convocatoria (borrador): programa, sobre en centavos, elegibilidad y fechas',
        body: CallCreate,
        response: { 201: Call },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCall(deps, requestContext(request), request.body)),
  );

  r.get(
    '/grants/calls/:id',
    {
      config: { permission: P.read },
      schema: { tags, security, summary: 'Una convocatoria', params: CallParams, response: { 200: Call } },
    },
    async (request) => getCall(deps, await access(request), request.params.id),
  );

  r.patch(
    '/grants/calls/:id',
    {
      config: { permission: P.callManage },
      schema: {
        tags,
        security,
        summary: 'Corregir una convocatoria en borrador',
        params: CallParams,
        body: CallUpdate,
        response: { 200: Call },
      },
    },
    async (request) => updateCall(deps, requestContext(request), request.params.id, request.body),
  );

  r.post(
    '/grants/calls/:id/publish',
    {
      config: { permission: P.callManage },
      schema: {
        tags,
        security,
        summary: 'Publicar una convocatoria',
        params: CallParams,
        response: { 200: Call },
      },
    },
    async (request) => publishCall(deps, requestContext(request), request.params.id),
  );

  r.post(
    '/grants/calls/:id/close',
    {
      config: { permission: P.callManage },
      schema: {
        tags,
        security,
        summary: 'Cerrar una convocatoria publicada, o anularla con motivo (cancel=true)',
        params: CallParams,
        body: CallClose,
        response: { 200: Call },
      },
    },
    async (request) => closeCall(deps, requestContext(request), request.params.id, request.body),
  );
}
