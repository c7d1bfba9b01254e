import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { hasPermission } from '../../../platform/http/principal.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { Nullable, Uuid } from '../agreements/agreements.schemas.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { sendXlsx } from '../shared/export.js';
import { grantsDashboard, iatiActivitiesXml, publicGrants, publicGrantsCsv } from './transparency.service.js';

const Indicator = Type.Object({
  code: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  baseline: Type.Number(),
  target: Type.Number(),
  actual: Nullable(Type.Number()),
});
const PublicGrants = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  organisations: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      acronym: Nullable(Type.String()),
      type: Type.String(),
      municipalityPcode: Type.String(),
      agreements: Type.Integer(),
      agreementCents: Type.Integer(),
      disbursedCents: Type.Integer(),
    }),
  ),
  agreements: Type.Array(
    Type.Object({
      id: Uuid,
      number: Type.String(),
      organisationId: Uuid,
      organisationName: Type.String(),
      planCode: Type.String(),
      title: Type.String(),
      status: Type.String(),
      programme: Type.String(),
      callCode: Type.String(),
      fiscalYear: Type.Integer(),
      startsOn: Type.String(),
      endsOn: Type.String(),
      signedOn: Type.String(),
      approvedCents: Type.Integer(),
      agreementCents: Type.Integer(),
      disbursedCents: Type.Integer(),
      justifiedCents: Type.Integer(),
      refundedCents: Type.Integer(),
      liquidatedCents: Type.Integer(),
      indicators: Type.Array(Indicator),
    }),
  ),
  totals: Type.Object({
    agreementCents: Type.Integer(),
    disbursedCents: Type.Integer(),
    justifiedCents: Type.Integer(),
    refundedCents: Type.Integer(),
    liquidatedCents: Type.Integer(),
  }),
});

const FundsRow = Type.Object({
  plans: Type.Integer(),
  amountCents: Type.Integer(),
  disbursedCents: Type.Integer(),
});
const Dashboard = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  byStatus: Type.Array(Type.Intersect([Type.Object({ status: Type.String() }), FundsRow])),
  byProgramme: Type.Array(Type.Intersect([Type.Object({ programme: Type.String() }), FundsRow])),
  overdueReviews: Type.Array(
    Type.Object({
      caseId: Uuid,
      title: Type.String(),
      workflow: Type.String(),
      step: Type.String(),
      dueAt: Type.String(),
      daysOverdue: Type.Integer(),
    }),
  ),
  overdueLiquidations: Type.Array(
    Type.Object({
      planId: Uuid,
      planCode: Type.String(),
      title: Type.String(),
      status: Type.String(),
      organisationName: Type.String(),
      agreementNumber: Nullable(Type.String()),
      liquidationDueAt: Type.String(),
      daysOverdue: Type.Integer(),
    }),
  ),
  redFlags: Type.Object({
    total: Type.Integer({ description: 'Comprobantes con alertas + alertas de organizaciones' }),
    flaggedReceipts: Type.Integer(),
    duplicateReceipts: Type.Integer(),
    organisationsFlagged: Type.Integer({ description: 'Organizaciones con al menos una alerta' }),
    organisationFlags: Type.Integer({ description: 'Alertas de organizaciones (grants/red-flags)' }),
    organisationHighFlags: Type.Integer(),
    organisations: Type.Array(
      Type.Object({
        organisationId: Uuid,
        organisationName: Type.String(),
        high: Type.Integer(),
        medium: Type.Integer(),
        low: Type.Integer(),
        codes: Type.Array(Type.String()),
      }),
    ),
  }),
});
const DashboardQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')])),
    list: Type.Optional(
      Type.Union(
        [
          Type.Literal('byStatus'),
          Type.Literal('byProgramme'),
          Type.Literal('overdueReviews'),
          Type.Literal('overdueLiquidations'),
          Type.Literal('redFlags'),
        ],
        {
          description: 'Con format=xlsx: la lista a descargar (byStatus por defecto)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Public transparency data (no personal data) and the internal dashboard. */
export async function transparencyRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['fondos ONG: transparencia'];

  r.get(
    '/public/grants',
    {
      config: { public: true, rateLimitPerMinute: 60 },
      schema: {
        tags,
        summary:
          'Fondos públicos a ONG: organizaciones, convenios, montos (aprobado, desembolsado, justificado, liquidado) e indicadores',
        description:
          'Sin datos personales: ni DUI, ni nombres de la junta directiva o del representante legal, ni cuentas bancarias.',
        response: { 200: PublicGrants },
      },
    },
    async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').send(await publicGrants(deps)),
  );

  r.get(
    '/public/grants.csv',
    {
      config: { public: true, rateLimitPerMinute: 30 },
      schema: { tags, summary: 'Los mismos datos públicos en CSV (un renglón por convenio)' },
    },
    async (_request, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="fondos-ong_${new Date().toISOString().slice(0, 10)}.csv"`,
        )
        .send(publicGrantsCsv(await publicGrants(deps))),
  );

  r.get(
    '/public/grants/iati.xml',
    {
      config: { public: true, rateLimitPerMinute: 30 },
      schema: {
        tags,
        summary: 'Actividades con forma IATI 2.03 (un iati-activity por convenio)',
        description:
          'Transacciones: 2 compromiso (convenio), 3 desembolso, 4 gasto (comprobantes aprobados por mes). Un reintegro se publica como desembolso negativo (tipo 3, valor < 0, descripción «Reintegro»).',
      },
    },
    async (_request, reply) =>
      reply.header('content-type', 'application/xml; charset=utf-8').send(await iatiActivitiesXml(deps)),
  );

  r.get(
    '/grants/dashboard',
    {
      config: { permission: P.readAll },
      schema: {
        tags,
        security: [{ bearerAuth: [] }],
        summary:
          'Tablero interno: fondos por estado y por programa, revisiones y liquidaciones vencidas, alertas; format=xlsx&list=… descarga una lista',
        querystring: DashboardQuery,
        response: { 200: Dashboard },
      },
    },
    async (request, reply) => {
      const data = await grantsDashboard(deps);
      // Which organisations carry red flags is for holders of grant.redflags.read (counts stay).
      if (!hasPermission(requirePrincipal(request), P.redFlagsRead)) data.redFlags.organisations = [];
      if (request.query.format !== 'xlsx') return data;
      const list = request.query.list ?? 'byStatus';
      const day = new Date().toISOString().slice(0, 10);
      const parameters: [string, string][] = [['Generado', data.generatedAt]];
      if (list === 'byStatus' || list === 'byProgramme') {
        const source =
          list === 'byStatus'
            ? data.byStatus.map((x) => ({ ...x, key: x.status as string }))
            : data.byProgramme.map((x) => ({ ...x, key: x.programme }));
        const rows = source.map((x) => ({
          key: x.key,
          plans: x.plans,
          amountCents: x.amountCents,
          disbursedCents: x.disbursedCents,
        }));
        return sendXlsx(reply, {
          fileName: `ong-fondos-${list === 'byStatus' ? 'por-estado' : 'por-programa'}_${day}`,
          sheet: list === 'byStatus' ? 'Por estado' : 'Por programa',
          columns: [
            {
              header: list === 'byStatus' ? 'Estado' : 'Programa',
              kind: 'text',
              value: (x) => x.key,
              width: 36,
            },
            { header: 'Planes', kind: 'integer', value: (x) => x.plans },
            { header: 'Monto', kind: 'usd', value: (x) => x.amountCents },
            { header: 'Desembolsado', kind: 'usd', value: (x) => x.disbursedCents },
          ],
          rows,
          parameters,
        });
      }
      if (list === 'overdueReviews') {
        return sendXlsx(reply, {
          fileName: `ong-revisiones-vencidas_${day}`,
          sheet: 'Revisiones vencidas',
          columns: [
            { header: 'Expediente', kind: 'text', value: (x) => x.title, width: 50 },
            { header: 'Flujo', kind: 'text', value: (x) => x.workflow },
            { header: 'Paso', kind: 'text', value: (x) => x.step },
            { header: 'Vencía', kind: 'datetime', value: (x) => x.dueAt },
            { header: 'Días de atraso', kind: 'integer', value: (x) => x.daysOverdue },
          ],
          rows: data.overdueReviews,
          parameters,
        });
      }
      if (list === 'redFlags') {
        return sendXlsx(reply, {
          fileName: `ong-alertas-por-organizacion_${day}`,
          sheet: 'Alertas por organización',
          columns: [
            { header: 'Organización', kind: 'text', value: (x) => x.organisationName, width: 40 },
            { header: 'Altas', kind: 'integer', value: (x) => x.high },
            { header: 'Medias', kind: 'integer', value: (x) => x.medium },
            { header: 'Bajas', kind: 'integer', value: (x) => x.low },
            { header: 'Alertas', kind: 'text', value: (x) => x.codes.join(', '), width: 60 },
          ],
          rows: data.redFlags.organisations,
          parameters: [
            ...parameters,
            ['Comprobantes con alertas', String(data.redFlags.flaggedReceipts)],
            ['Total de alertas', String(data.redFlags.total)],
          ],
        });
      }
      return sendXlsx(reply, {
        fileName: `ong-liquidaciones-vencidas_${day}`,
        sheet: 'Liquidaciones vencidas',
        columns: [
          { header: 'Plan', kind: 'text', value: (x) => x.planCode },
          { header: 'Convenio', kind: 'text', value: (x) => x.agreementNumber },
          { header: 'Organización', kind: 'text', value: (x) => x.organisationName, width: 40 },
          { header: 'Estado', kind: 'text', value: (x) => x.status },
          { header: 'Límite', kind: 'datetime', value: (x) => x.liquidationDueAt },
          { header: 'Días de atraso', kind: 'integer', value: (x) => x.daysOverdue },
        ],
        rows: data.overdueLiquidations,
        parameters,
      });
    },
  );
}
