import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditPersonalDataRead } from '../../../platform/audit/personal-data.js';
import type { AppDeps } from '../../../platform/deps.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { listExpiringDocuments } from '../red-flags/expiring.service.js';
import { redFlagOverview } from '../red-flags/overview.service.js';
import {
  ExpiringDocumentList,
  ExpiringDocumentsQuery,
  RedFlagOverview,
  RedFlagOverviewQuery,
  RedFlagReport,
} from '../red-flags/red-flags.schemas.js';
import { computeRedFlags } from '../red-flags/red-flags.service.js';
import { assertSeesOrganisation, grantsAccess } from '../shared/access.js';
import { sendXlsx } from '../shared/export.js';
import { DOCUMENT_BODY_LIMIT } from '../shared/files.js';
import {
  BoardMember,
  BoardMemberCreate,
  BoardMemberParams,
  BoardMemberUpdate,
  Declaration,
  DeclarationCreate,
  DocumentParams,
  DocumentUpload,
  LinkedUser,
  NgoDocument,
  Organisation,
  OrganisationCreate,
  OrganisationDetail,
  OrganisationList,
  OrganisationListQuery,
  OrganisationParams,
  OrganisationStatusChange,
  OrganisationUpdate,
  UserLink,
  UserParams,
} from './registry.schemas.js';
import {
  addBoardMember,
  changeOrganisationStatus,
  createOrganisation,
  getOrganisation,
  linkUser,
  listOrganisations,
  readDocumentFile,
  recordDeclaration,
  unlinkUser,
  updateBoardMember,
  updateOrganisation,
  uploadDocument,
} from './registry.service.js';

const tags = ['fondos ONG: registro'];
const security = [{ bearerAuth: [] }];

const TYPE_ES = { association: 'Asociación', foundation: 'Fundación' } as const;
const STATUS_ES = {
  active: 'Activa',
  suspended: 'Suspendida',
  barred: 'Inhabilitada',
  dissolved: 'Disuelta',
} as const;

export async function registryRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const access = (request: FastifyRequest) => grantsAccess(deps.db, requirePrincipal(request));

  r.get(
    '/grants/organisations',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Organizaciones (asociaciones y fundaciones) con filtros; format=xlsx descarga la lista',
        description: 'El personal de una ONG sólo ve su propia organización.',
        querystring: OrganisationListQuery,
        response: { 200: OrganisationList },
      },
    },
    async (request, reply) => {
      const a = await access(request);
      if (request.query.format !== 'xlsx') return listOrganisations(deps, a, request.query);
      const list = await listOrganisations(deps, a, request.query, { unlimited: true });
      return sendXlsx(reply, {
        fileName: `ong-organizaciones_${new Date().toISOString().slice(0, 10)}`,
        sheet: 'Organizaciones',
        columns: [
          { header: 'Nombre', kind: 'text', value: (o) => o.name, width: 40 },
          { header: 'Siglas', kind: 'text', value: (o) => o.acronym },
          { header: 'Tipo', kind: 'text', value: (o) => TYPE_ES[o.type] },
          { header: 'N.º registro RAFSFL', kind: 'text', value: (o) => o.registryNumber },
          { header: 'Fecha de inscripción', kind: 'text', value: (o) => o.registryDate },
          { header: 'NIT', kind: 'text', value: (o) => o.nit },
          { header: 'Municipio (pcode)', kind: 'text', value: (o) => o.municipalityPcode },
          {
            header: 'Representante legal',
            kind: 'text',
            value: (o) => o.legalRepresentative.name,
            width: 30,
          },
          {
            header: 'Credencial vigente hasta',
            kind: 'text',
            value: (o) => o.legalRepresentative.credentialValidUntil,
          },
          { header: 'Junta directiva vigente hasta', kind: 'text', value: (o) => o.boardValidUntil },
          { header: 'RAEX', kind: 'text', value: (o) => o.raexStatus },
          { header: 'Estado', kind: 'text', value: (o) => STATUS_ES[o.status] },
          { header: 'Motivo del estado', kind: 'text', value: (o) => o.statusReason },
          { header: 'Registrada (UTC)', kind: 'datetime', value: (o) => o.createdAt },
        ],
        rows: list.items,
        parameters: [
          ['Filtro de texto', request.query.q ?? '—'],
          ['Estado', request.query.status ?? 'todos'],
          ['Tipo', request.query.type ?? 'todos'],
          ['Municipio', request.query.municipalityPcode ?? request.query.department ?? 'todos'],
          ['Total', String(list.total)],
        ],
      });
    },
  );

  r.post(
    '/grants/organisations',
    {
      config: { permission: P.registryManage },
      schema: {
        tags,
        security,
        summary: 'Registrar una organización (NIT y DUI con dígito verificador comprobado)',
        body: OrganisationCreate,
        response: { 201: Organisation },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createOrganisation(deps, requestContext(request), request.body)),
  );

  r.get(
    '/grants/organisations/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Ficha de una organización: junta directiva, documentos, declaraciones y usuarios',
        params: OrganisationParams,
        response: { 200: OrganisationDetail },
      },
    },
    async (request) =>
      getOrganisation(deps, requestContext(request), await access(request), request.params.id),
  );

  r.patch(
    '/grants/organisations/:id',
    {
      config: { permission: P.registryManage },
      schema: {
        tags,
        security,
        summary: 'Actualizar datos de una organización (no su estado)',
        params: OrganisationParams,
        body: OrganisationUpdate,
        response: { 200: Organisation },
      },
    },
    async (request) => updateOrganisation(deps, requestContext(request), request.params.id, request.body),
  );

  r.post(
    '/grants/organisations/:id/status',
    {
      config: { permission: P.organisationStatus },
      schema: {
        tags,
        security,
        summary: 'Cambiar el estado de una organización (suspender, inhabilitar, reactivar), con motivo',
        params: OrganisationParams,
        body: OrganisationStatusChange,
        response: { 200: Organisation },
      },
    },
    async (request) =>
      changeOrganisationStatus(deps, requestContext(request), request.params.id, request.body),
  );

  r.post(
    '/grants/organisations/:id/board-members',
    {
      config: { permission: P.registryManage },
      schema: {
        tags,
        security,
        summary: 'Agregar un miembro de la junta directiva',
        params: OrganisationParams,
        body: BoardMemberCreate,
        response: { 201: BoardMember },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addBoardMember(deps, requestContext(request), request.params.id, request.body)),
  );

  r.patch(
    '/grants/organisations/:id/board-members/:memberId',
    {
      config: { permission: P.registryManage },
      schema: {
        tags,
        security,
        summary: 'Corregir o cerrar (fecha de fin) el período de un miembro de la junta directiva',
        params: BoardMemberParams,
        body: BoardMemberUpdate,
        response: { 200: BoardMember },
      },
    },
    async (request) =>
      updateBoardMember(
        deps,
        requestContext(request),
        request.params.id,
        request.params.memberId,
        request.body,
      ),
  );

  r.post(
    '/grants/organisations/:id/documents',
    {
      config: { permission: P.documentsUpload },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        security,
        summary: 'Cargar un documento (PDF, JPEG o PNG en base64, máx. 10 MB; se guarda su SHA-256)',
        params: OrganisationParams,
        body: DocumentUpload,
        response: { 201: NgoDocument },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await uploadDocument(
            deps,
            requestContext(request),
            await access(request),
            request.params.id,
            request.body,
          ),
        ),
  );

  r.get(
    '/grants/organisations/:id/documents/:documentId/file',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Descargar un documento (se comprueba su SHA-256 antes de entregarlo)',
        params: DocumentParams,
      },
    },
    async (request, reply) => {
      const file = await readDocumentFile(
        deps,
        await access(request),
        request.params.id,
        request.params.documentId,
      );
      return reply
        .header('content-type', file.mime)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(file.fileName)}"`)
        .header('x-content-sha256', file.sha256)
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  );

  r.post(
    '/grants/organisations/:id/declarations',
    {
      config: { permission: P.declarationsRecord },
      schema: {
        tags,
        security,
        summary: 'Registrar una declaración de conflicto de interés',
        params: OrganisationParams,
        body: DeclarationCreate,
        response: { 201: Declaration },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await recordDeclaration(
            deps,
            requestContext(request),
            await access(request),
            request.params.id,
            request.body,
          ),
        ),
  );

  r.post(
    '/grants/organisations/:id/users',
    {
      config: { permission: P.usersLink },
      schema: {
        tags,
        security,
        summary: 'Vincular un usuario del portal (rol Personal de ONG) a la organización',
        params: OrganisationParams,
        body: UserLink,
        response: { 201: LinkedUser },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await linkUser(deps, requestContext(request), request.params.id, request.body)),
  );

  r.post(
    '/grants/organisations/:id/users/:userId/unlink',
    {
      config: { permission: P.usersLink },
      schema: {
        tags,
        security,
        summary: 'Desvincular un usuario del portal de la organización',
        params: UserParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await unlinkUser(deps, requestContext(request), request.params.id, request.params.userId);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/grants/organisations/:id/red-flags',
    {
      config: { permission: P.redFlagsRead },
      schema: {
        tags,
        security,
        summary: 'Alertas (banderas rojas) de una organización, cada una explicada',
        params: OrganisationParams,
        response: { 200: RedFlagReport },
      },
    },
    async (request) => {
      assertSeesOrganisation(await access(request), request.params.id);
      const ctx = requestContext(request);
      const report = await computeRedFlags(deps, request.params.id, ctx.locale);
      const personal = report.flags.some((f) => 'dui' in f.details);
      if (personal) {
        // Flags about people name them with their DUI: reading them is audited.
        await auditPersonalDataRead(deps, ctx, {
          entityType: 'ngo_organisation',
          entityId: request.params.id,
          fields: ['redFlags.dui'],
          purpose: 'grants.organisation.red_flags',
        });
      }
      return report;
    },
  );

  r.get(
    '/grants/red-flags',
    {
      config: { permission: P.redFlagsRead },
      schema: {
        tags,
        security,
        summary:
          'Alertas de todas las organizaciones (tablero interno); format=xlsx descarga una fila por alerta',
        querystring: RedFlagOverviewQuery,
        response: { 200: RedFlagOverview },
      },
    },
    async (request, reply) => {
      const ctx = requestContext(request);
      const overview = await redFlagOverview(deps, request.query, ctx.locale);
      if (overview.items.some((i) => i.flags.some((f) => 'dui' in f.details))) {
        await auditPersonalDataRead(deps, ctx, {
          entityType: 'ngo_organisation',
          entityId: 'red-flags-overview',
          fields: ['redFlags.dui'],
          purpose: 'grants.red_flags.overview',
        });
      }
      if (request.query.format !== 'xlsx') return overview;
      const SEVERITY_ES = { high: 'Alta', medium: 'Media', low: 'Baja' } as const;
      const rows = overview.items.flatMap((i) =>
        i.flags.map((f) => ({ organisation: i.organisationName, ...f })),
      );
      return sendXlsx(reply, {
        fileName: `ong-alertas_${overview.evaluatedOn}`,
        sheet: 'Alertas',
        columns: [
          { header: 'Organización', kind: 'text', value: (r) => r.organisation, width: 40 },
          { header: 'Severidad', kind: 'text', value: (r) => SEVERITY_ES[r.severity] },
          { header: 'Código', kind: 'text', value: (r) => r.code, width: 34 },
          { header: 'Explicación', kind: 'text', value: (r) => r.message, width: 90 },
        ],
        rows,
        parameters: [
          ['Fecha de evaluación', overview.evaluatedOn],
          ['Severidad', request.query.severity ?? 'todas'],
          ['Código', request.query.code ?? 'todos'],
          ['Incluye organizaciones inactivas', request.query.includeInactive ? 'Sí' : 'No'],
        ],
      });
    },
  );

  r.get(
    '/grants/documents/expiring',
    {
      config: { permission: P.redFlagsRead },
      schema: {
        tags,
        security,
        summary: 'Documentos vencidos o por vencer (alerta de vencimiento); format=xlsx descarga la lista',
        querystring: ExpiringDocumentsQuery,
        response: { 200: ExpiringDocumentList },
      },
    },
    async (request, reply) => {
      const list = await listExpiringDocuments(deps, request.query);
      if (request.query.format !== 'xlsx') return list;
      return sendXlsx(reply, {
        fileName: `ong-documentos-por-vencer_${list.evaluatedOn}`,
        sheet: 'Documentos por vencer',
        columns: [
          { header: 'Organización', kind: 'text', value: (d) => d.organisationName, width: 40 },
          { header: 'Tipo de documento', kind: 'text', value: (d) => d.kind },
          { header: 'Archivo', kind: 'text', value: (d) => d.fileName, width: 30 },
          { header: 'Vigente hasta', kind: 'text', value: (d) => d.validUntil },
          { header: 'Días restantes', kind: 'integer', value: (d) => d.daysLeft },
          { header: 'Vencido', kind: 'boolean', value: (d) => d.expired },
        ],
        rows: list.items,
        parameters: [
          ['Fecha de evaluación', list.evaluatedOn],
          ['Días de anticipación', String(request.query.days ?? 30)],
        ],
      });
    },
  );
}
