import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/http/errors.js';
import { requestContext } from '../../../platform/http/request-context.js';
import { suggestPriority } from '../catalog.js';
import { catalogAdminRoutes } from './catalog-admin.routes.js';
import type { EmergenciesDeps } from './incidents.deps.js';
import { PERMISSIONS as P } from './incidents.policy.js';
import { ClosureCodeList, IncidentTypeList, SuggestPriorityBody } from './incidents.schemas.js';

const tags = ['911 catálogos'];
const security = [{ bearerAuth: [] }];

interface StoredQuestion {
  code: string;
  textEs: string;
  textEn: string;
  priorityIfYes: number;
}

export async function catalogRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/incident-types',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security,
        summary: 'Catálogo jerárquico de tipos de incidente con preguntas guiadas',
        response: { 200: IncidentTypeList },
      },
    },
    async (request) => {
      const { locale } = requestContext(request);
      const rows = await deps.db
        .selectFrom('incident_types')
        .selectAll()
        .where('active', '=', true)
        .orderBy('sort_order')
        .execute();
      return {
        items: rows.map((t) => ({
          code: t.code,
          parentCode: t.parent_code,
          family: t.family,
          name: locale === 'en' ? t.name_en : t.name_es,
          defaultPriority: t.default_priority,
          referral: t.referral,
          keywords: t.keywords,
          questions: (t.questions as StoredQuestion[]).map((q) => ({
            code: q.code,
            text: locale === 'en' ? q.textEn : q.textEs,
            priorityIfYes: q.priorityIfYes,
          })),
        })),
      };
    },
  );

  r.post(
    '/incident-types/suggest-priority',
    {
      config: { permission: P.read, noIdempotency: true },
      schema: {
        tags,
        security,
        summary: 'Prioridad sugerida según el tipo y las respuestas a las preguntas guiadas',
        body: SuggestPriorityBody,
        response: { 200: Type.Object({ suggestedPriority: Type.Integer() }) },
      },
    },
    async (request) => {
      const type = await deps.db
        .selectFrom('incident_types')
        .select(['default_priority', 'questions', 'active'])
        .where('code', '=', request.body.typeCode)
        .executeTakeFirst();
      if (!type?.active) throw new AppError('UNKNOWN_INCIDENT_TYPE', 400, { code: request.body.typeCode });
      return {
        suggestedPriority: suggestPriority(
          { priority: type.default_priority, questions: type.questions as StoredQuestion[] },
          request.body.answers,
        ),
      };
    },
  );

  r.get(
    '/closure-codes',
    {
      config: { permission: P.read },
      schema: { tags, security, summary: 'Códigos de cierre', response: { 200: ClosureCodeList } },
    },
    async (request) => {
      const { locale } = requestContext(request);
      const rows = await deps.db
        .selectFrom('closure_codes')
        .selectAll()
        .where('active', '=', true)
        .orderBy('code')
        .execute();
      return { items: rows.map((c) => ({ code: c.code, name: locale === 'en' ? c.name_en : c.name_es })) };
    },
  );

  await catalogAdminRoutes(app, deps);
}
