import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { CONTENT_TYPES, type ExportTable, toCsv, toXlsx } from './export.js';
import {
  escalationsTable,
  lateTable,
  responseTimesTable,
  satisfactionTable,
  utilisationTable,
  volumesTable,
} from './kpis.exports.js';
import { KPI_PERMISSIONS as P } from './kpis.policy.js';
import {
  Escalations,
  EscalationsQuery,
  LateIncidents,
  LateQuery,
  ResponseTimes,
  ResponseTimesQuery,
  Satisfaction,
  SatisfactionQuery,
  Utilisation,
  UtilisationQuery,
  Volumes,
  VolumesQuery,
} from './kpis.schemas.js';
import {
  escalationStats,
  incidentVolumes,
  type KpiCaller,
  lateIncidents,
  responseTimes,
  satisfaction,
} from './kpis.service.js';
import { unitUtilisation } from './utilisation.js';

const tags = ['911 indicadores'];
const security = [{ bearerAuth: [] }];
const FORMAT_NOTE =
  ' Con format=csv o format=xlsx la misma tabla se descarga como archivo adjunto (encabezados en español).';

function caller(request: FastifyRequest): KpiCaller {
  return { principal: requirePrincipal(request), locale: requestContext(request).locale };
}

/** JSON as is, or the table as a CSV/XLSX attachment. */
async function respond<D, R>(
  reply: FastifyReply,
  format: 'json' | 'csv' | 'xlsx' | undefined,
  data: D,
  table: (data: D) => ExportTable<R>,
): Promise<D | FastifyReply> {
  if (!format || format === 'json') return data;
  const t = table(data);
  const body = format === 'csv' ? toCsv(t) : await toXlsx(t);
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${t.fileName}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

export async function kpiRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const route = <Q extends TSchema, S extends TSchema>(
    summary: string,
    description: string,
    querystring: Q,
    response: S,
  ) => ({
    config: { permission: P.read },
    schema: {
      tags,
      security,
      summary,
      description: description + FORMAT_NOTE,
      querystring,
      response: { 200: response },
    },
  });

  r.get(
    '/kpis/volumes',
    route(
      'Volumen de incidentes',
      'Incidentes creados en el periodo, por tipo, familia, estado, canal, prioridad, territorio u hora/día/semana/mes.',
      VolumesQuery,
      Volumes,
    ),
    async (request, reply) =>
      respond(reply, request.query.format, await incidentVolumes(deps, caller(request), request.query), (d) =>
        volumesTable(d, request.query),
      ),
  );

  r.get(
    '/kpis/response-times',
    route(
      'Tiempos de respuesta (p50 / p90) y cumplimiento NENA de atención',
      'Atención (T1−T0), registro (T2−T1), despacho (T3−T2), salida (T4−T3, por unidad), traslado (T5−T4, por ' +
        'unidad), llegada (T5−T2) y cierre (T6−T2), con el % de llamadas atendidas en 15 s y 20 s y la alerta ' +
        'cuando queda bajo 90 % / 95 % (NENA-STA-020).',
      ResponseTimesQuery,
      ResponseTimes,
    ),
    async (request, reply) =>
      respond(reply, request.query.format, await responseTimes(deps, caller(request), request.query), (d) =>
        responseTimesTable(d, request.query),
      ),
  );

  r.get(
    '/kpis/unit-utilisation',
    route(
      'Uso del tiempo de las unidades',
      'Parte del periodo que cada unidad pasó asignada, en camino, en el lugar, disponible o fuera de servicio.',
      UtilisationQuery,
      Utilisation,
    ),
    async (request, reply) =>
      respond(reply, request.query.format, await unitUtilisation(deps, caller(request), request.query), (d) =>
        utilisationTable(d, request.query),
      ),
  );

  r.get(
    '/kpis/late-incidents',
    route(
      'Incidentes abiertos con demora',
      'Incidentes abiertos que superan ahora los tiempos objetivo de despacho o llegada de su prioridad.',
      LateQuery,
      LateIncidents,
    ),
    async (request, reply) =>
      respond(reply, request.query.format, await lateIncidents(deps, caller(request), request.query), (d) =>
        lateTable(d, request.query),
      ),
  );

  r.get(
    '/kpis/escalations',
    route(
      'Escalamientos por demoras',
      'Escalamientos levantados en el periodo, recibidos o pendientes, con la demora y el tiempo hasta recibirlos.',
      EscalationsQuery,
      Escalations,
    ),
    async (request, reply) =>
      respond(reply, request.query.format, await escalationStats(deps, caller(request), request.query), (d) =>
        escalationsTable(d, request.query),
      ),
  );

  r.get(
    '/kpis/satisfaction',
    route(
      'Satisfacción ciudadana',
      'Encuestas de satisfacción de los casos con código de seguimiento creados en el periodo: promedio, ' +
        'distribución de 1 a 5 y tasa de respuesta (encuestas / casos cerrados evaluables).',
      SatisfactionQuery,
      Satisfaction,
    ),
    async (request, reply) =>
      respond(reply, request.query.format, await satisfaction(deps, caller(request), request.query), (d) =>
        satisfactionTable(d, request.query),
      ),
  );
}
