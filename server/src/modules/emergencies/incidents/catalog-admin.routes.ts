import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../../platform/http/request-context.js';
import './catalog-admin.messages.js';
import { CATALOG_ADMIN_PERMISSIONS } from './catalog-admin.policy.js';
import {
  AdminIncidentType,
  AdminIncidentTypeList,
  AdminIncidentTypeQuery,
  IncidentTypeCreate,
  IncidentTypeUpdate,
  TypeCodeParams,
  TypeReasonBody,
} from './catalog-admin.schemas.js';
import {
  createIncidentType,
  listAdminIncidentTypes,
  setIncidentTypeActive,
  updateIncidentType,
} from './catalog-admin.service.js';
import type { EmergenciesDeps } from './incidents.deps.js';
import { PERMISSIONS as P } from './incidents.policy.js';

const tags = ['911 catálogos: administración'];
const security = [{ bearerAuth: [] }];

/**
 * Administration of incident types and their guided questions. The intake reads the same table
 * through GET /incident-types (active types only, names in the caller's language).
 */
export async function catalogAdminRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/catalog/incident-types',
    {
      config: { permission: CATALOG_ADMIN_PERMISSIONS.typesRead },
      schema: {
        tags,
        security,
        summary: 'Catálogo completo de tipos de incidente (ambos idiomas, también desactivados)',
        querystring: AdminIncidentTypeQuery,
        response: { 200: AdminIncidentTypeList },
      },
    },
    async (request) => listAdminIncidentTypes(deps, request.query.includeInactive),
  );

  r.post(
    '/catalog/incident-types',
    {
      config: { permission: P.typesManage },
      schema: {
        tags,
        security,
        summary: 'Crear un tipo de incidente con sus preguntas guiadas (con motivo)',
        description:
          'Una familia se escribe `FAMILIA` sin padre; un subtipo `FAMILIA.SUBTIPO` con `parentCode` = FAMILIA. ' +
          'Acepta `Idempotency-Key`.',
        body: IncidentTypeCreate,
        response: { 201: AdminIncidentType },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createIncidentType(deps, requestContext(request), request.body)),
  );

  r.patch(
    '/catalog/incident-types/:code',
    {
      config: { permission: P.typesManage },
      schema: {
        tags,
        security,
        summary: 'Modificar nombres, prioridad, derivación, palabras clave, orden o preguntas (con motivo)',
        description: '`questions` reemplaza la lista completa de preguntas guiadas.',
        params: TypeCodeParams,
        body: IncidentTypeUpdate,
        response: { 200: AdminIncidentType },
      },
    },
    async (request) => updateIncidentType(deps, requestContext(request), request.params.code, request.body),
  );

  r.post(
    '/catalog/incident-types/:code/deactivate',
    {
      config: { permission: P.typesManage },
      schema: {
        tags,
        security,
        summary: 'Desactivar un tipo (deja de ofrecerse al registrar; nunca se elimina)',
        params: TypeCodeParams,
        body: TypeReasonBody,
        response: { 200: AdminIncidentType },
      },
    },
    async (request) =>
      setIncidentTypeActive(deps, requestContext(request), request.params.code, false, request.body.reason),
  );

  r.post(
    '/catalog/incident-types/:code/reactivate',
    {
      config: { permission: P.typesManage },
      schema: {
        tags,
        security,
        summary: 'Reactivar un tipo desactivado',
        params: TypeCodeParams,
        body: TypeReasonBody,
        response: { 200: AdminIncidentType },
      },
    },
    async (request) =>
      setIncidentTypeActive(deps, requestContext(request), request.params.code, true, request.body.reason),
  );
}
