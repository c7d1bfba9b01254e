import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import { requestContext } from '../../platform/http/request-context.js';
import { requirePrincipal } from '../../platform/http/route-config.js';
import { sendXlsx } from '../../platform/xlsx.js';
import {
  ActionBody,
  CaseParams,
  CaseSchema,
  DefinitionList,
  InboxList,
  InboxQuery,
} from './workflow.schemas.js';
import { actOnCase, getCase, listDefinitions, listInbox } from './workflow.service.js';

const tags = ['flujos de aprobación'];
const security = [{ bearerAuth: [] }];

/**
 * Routes are open to any authenticated user: what each one may see or do depends on the permission
 * of each step in the case's scope, checked by the service (with segregation of duties).
 */
export async function workflowRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/workflow/inbox',
    {
      config: { authenticated: true },
      schema: {
        tags,
        security,
        summary:
          'Mi bandeja: pasos que esperan mi decisión (vencidos primero, luego por fecha límite); format=xlsx la descarga',
        querystring: InboxQuery,
        response: { 200: InboxList },
      },
    },
    async (request, reply) => {
      const items = await listInbox(deps, requirePrincipal(request), request.query.limit);
      if (request.query.format !== 'xlsx') return { items };
      return sendXlsx(reply, {
        fileName: `bandeja_${new Date().toISOString().slice(0, 10)}`,
        sheet: 'Bandeja',
        columns: [
          { header: 'Caso', kind: 'text', value: (i) => i.title, width: 40 },
          { header: 'Flujo', kind: 'text', value: (i) => i.definition.nameEs, width: 30 },
          { header: 'Paso', kind: 'text', value: (i) => i.step.nameEs, width: 28 },
          { header: 'Abierto (UTC)', kind: 'datetime', value: (i) => i.openedAt },
          { header: 'Vence (UTC)', kind: 'datetime', value: (i) => i.dueAt },
          { header: 'Vencido', kind: 'boolean', value: (i) => i.overdue },
        ],
        rows: items,
        parameters: [['Casos', String(items.length)]],
      });
    },
  );

  r.get(
    '/workflow/definitions',
    {
      config: { authenticated: true },
      schema: {
        tags,
        security,
        summary:
          'Definiciones de flujos (pasos, permisos, listas de verificación, plazos, separación de funciones)',
        response: { 200: DefinitionList },
      },
    },
    async () => ({ items: await listDefinitions(deps) }),
  );

  r.get(
    '/workflow/cases/:id',
    {
      config: { authenticated: true },
      schema: {
        tags,
        security,
        summary:
          'Expediente de aprobación: pasos y acciones (quién, motivo, lista de verificación, huellas SHA-256)',
        params: CaseParams,
        response: { 200: CaseSchema },
      },
    },
    async (request) => getCase(deps, requirePrincipal(request), request.params.id),
  );

  r.post(
    '/workflow/cases/:id/actions',
    {
      config: { authenticated: true },
      schema: {
        tags,
        security,
        summary:
          'Resolver un paso: aprobar, devolver con observaciones o rechazar (motivo obligatorio); acepta Idempotency-Key',
        params: CaseParams,
        body: ActionBody,
        response: { 200: CaseSchema },
      },
    },
    async (request) =>
      actOnCase(deps, requestContext(request), requirePrincipal(request), request.params.id, request.body),
  );
}
