import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Nullable } from '../../../platform/http/nullable.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { PHOTO_BODY_LIMIT } from '../citizen/attachments.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { IdParams } from '../incidents/incidents.schemas.js';
import { FIELD_PERMISSIONS as P } from './field.policy.js';
import {
  collectEvidence,
  listEvidence,
  listFieldReports,
  readAttachmentContent,
  recordCustodyStep,
  submitFieldReport,
} from './field.service.js';
import { fieldsFor } from './report-fields.js';

const tags = ['911 campo'];
const security = [{ bearerAuth: [] }];
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

const FieldReportBody = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      description: 'Generado por el cliente: reenviar el mismo informe no lo duplica',
    }),
    fields: Type.Record(Type.String({ maxLength: 60 }), Type.Unknown(), { maxProperties: 40 }),
    narrative: Type.String({ minLength: 1, maxLength: 20_000 }),
    writtenAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
const FieldReport = Type.Object({
  id: Type.String({ format: 'uuid' }),
  unitId: Nullable(Type.String({ format: 'uuid' })),
  author: Type.Object({ id: Type.String(), name: Type.String() }),
  fields: Type.Record(Type.String(), Type.Unknown()),
  narrative: Type.String(),
  writtenAt: Type.String({ format: 'date-time' }),
  receivedAt: Type.String({ format: 'date-time' }),
});
const FieldSpecList = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      kind: Type.String(),
      label: Type.String(),
      options: Type.Optional(Type.Array(Type.String())),
      required: Type.Boolean(),
    }),
  ),
});
const EvidenceBody = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Generado por el cliente (idempotencia)' }),
    description: Type.String({ minLength: 3, maxLength: 2000 }),
    photo: Type.Object(
      {
        data: Type.String({ minLength: 4, maxLength: PHOTO_BODY_LIMIT }),
        mime: Type.Optional(Type.String({ maxLength: 40 })),
        fileName: Type.Optional(Type.String({ maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    collectedAt: Type.Optional(Type.String({ format: 'date-time' })),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    locationText: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const CustodyBody = Type.Object(
  {
    action: Type.Union(
      ['transferred', 'received', 'sealed', 'analysed', 'stored', 'released'].map((a) => Type.Literal(a)),
    ),
    toHolderId: Type.Optional(Type.String({ format: 'uuid' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    locationText: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const Evidence = Type.Object({
  attachmentId: Type.String({ format: 'uuid' }),
  description: Type.String(),
  collectedAt: Type.String({ format: 'date-time' }),
  sha256: Type.String(),
  mime: Type.String(),
  sizeBytes: Type.Integer(),
  fileName: Type.String(),
  holderId: Nullable(Type.String()),
  pendingRecipientId: Nullable(Type.String()),
  chainIntact: Type.Boolean(),
  firstBrokenSeq: Nullable(Type.Integer()),
  custody: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      action: Type.String(),
      actor: Type.Object({ id: Type.String(), name: Type.String() }),
      holder: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
      at: Type.String({ format: 'date-time' }),
      lon: Nullable(Type.Number()),
      lat: Nullable(Type.Number()),
      locationText: Nullable(Type.String()),
      note: Nullable(Type.String()),
      entryHash: Type.String(),
    }),
  ),
});
const AttachmentParams = Type.Object(
  { attachmentId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export async function fieldEvidenceRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/incidents/:id/field-report-fields',
    {
      config: { permission: 'incident.read' },
      schema: {
        tags,
        security,
        summary: 'Campos del informe de campo para este tipo de incidente',
        params: IdParams,
        response: { 200: FieldSpecList },
      },
    },
    async (request) => {
      const { locale } = requestContext(request);
      const incident = await deps.db
        .selectFrom('incidents')
        .select('family')
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      return {
        items: fieldsFor(incident?.family ?? null).map((f) => ({
          code: f.code,
          kind: f.kind,
          label: locale === 'en' ? f.labelEn : f.labelEs,
          ...(f.options ? { options: f.options } : {}),
          required: !!f.required,
        })),
      };
    },
  );
  r.post(
    '/incidents/:id/field-reports',
    {
      config: { permission: P.reportWrite },
      schema: {
        tags,
        security,
        summary: 'Informe de campo (campos por tipo + narrativa); idempotente por id',
        params: IdParams,
        body: FieldReportBody,
        response: {
          201: Type.Object({ id: Type.String(), replayed: Type.Boolean() }),
          200: Type.Object({ id: Type.String(), replayed: Type.Boolean() }),
        },
      },
    },
    async (request, reply) => {
      const result = await submitFieldReport(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.body,
      );
      return reply.status(result.replayed ? 200 : 201).send(result);
    },
  );
  r.get(
    '/incidents/:id/field-reports',
    {
      config: { permission: 'incident.read' },
      schema: {
        tags,
        security,
        summary: 'Informes de campo del incidente',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(FieldReport) }) },
      },
    },
    async (request) => ({
      items: await listFieldReports(deps, requirePrincipal(request), request.params.id),
    }),
  );
  r.post(
    '/incidents/:id/evidence',
    {
      bodyLimit: PHOTO_BODY_LIMIT,
      config: { permission: P.evidenceCollect },
      schema: {
        tags,
        security,
        summary: 'Registrar una evidencia fotográfica (SHA-256, quién, cuándo, dónde); idempotente por id',
        params: IdParams,
        body: EvidenceBody,
        response: {
          201: Type.Object({ attachmentId: Type.String(), sha256: Type.String(), replayed: Type.Boolean() }),
          200: Type.Object({ attachmentId: Type.String(), sha256: Type.String(), replayed: Type.Boolean() }),
        },
      },
    },
    async (request, reply) => {
      const result = await collectEvidence(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.body,
      );
      return reply.status(result.replayed ? 200 : 201).send(result);
    },
  );
  r.get(
    '/incidents/:id/evidence',
    {
      config: { permission: P.evidenceRead },
      schema: {
        tags,
        security,
        summary: 'Evidencias con su cadena de custodia verificada',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Evidence) }) },
      },
    },
    async (request) => ({
      items: await listEvidence(deps, requestContext(request), requirePrincipal(request), request.params.id),
    }),
  );
  r.post(
    '/evidence/:attachmentId/custody',
    {
      config: { permission: P.evidenceCustody },
      schema: {
        tags,
        security,
        summary: 'Registrar entrega, recepción, sellado, análisis, resguardo o devolución',
        params: AttachmentParams,
        body: CustodyBody,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await recordCustodyStep(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.attachmentId,
        request.body as never,
      );
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/attachments/:attachmentId/content',
    {
      config: { permission: 'incident.read' },
      schema: {
        tags,
        security,
        summary: 'Descargar un adjunto (verificado por SHA-256; descarga auditada)',
        params: AttachmentParams,
      },
    },
    async (request, reply) => {
      const file = await readAttachmentContent(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.attachmentId,
      );
      return reply
        .type(file.mime)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(file.fileName)}"`)
        .header('x-content-sha256', file.sha256)
        .send(file.bytes);
    },
  );
}
