import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { ALPR_PERMISSIONS as P } from './alpr.policy.js';
import {
  IdParams,
  PlateReadAccepted,
  PlateReadBody,
  PlateReadList,
  PlateReadQuery,
  WatchlistCreate,
  WatchlistEntry,
  WatchlistList,
  WatchlistQuery,
  WatchlistUpdate,
} from './alpr.schemas.js';
import {
  addToWatchlist,
  listWatchlist,
  receivePlateRead,
  searchPlateReads,
  updateWatchlistEntry,
} from './alpr.service.js';
import './alpr.messages.js';
import './alpr.tables.js';

const tags = ['911 lectura de placas (ALPR)'];
const bearer = [{ bearerAuth: [] }];
const machine: { [scheme: string]: string[] }[] = [{ apiKey: [] }, { bearerAuth: [] }];

export async function alprRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/alpr/watchlist',
    {
      config: { permission: P.watchlistRead },
      schema: {
        tags,
        security: bearer,
        summary: 'Lista de placas buscadas',
        querystring: WatchlistQuery,
        response: { 200: WatchlistList },
      },
    },
    async (request) => listWatchlist(deps, request.query),
  );

  r.post(
    '/alpr/watchlist',
    {
      config: { permission: P.watchlistManage },
      schema: {
        tags,
        security: bearer,
        summary: 'Agregar una placa a la lista (con motivo auditado)',
        description:
          'La placa se normaliza (mayúsculas, sin espacios ni guiones: P123-456 → P123456). ' +
          '`changeReason` es obligatorio y queda en la bitácora de auditoría.',
        body: WatchlistCreate,
        response: { 201: WatchlistEntry },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addToWatchlist(deps, requestContext(request), requirePrincipal(request), request.body)),
  );

  r.patch(
    '/alpr/watchlist/:id',
    {
      config: { permission: P.watchlistManage },
      schema: {
        tags,
        security: bearer,
        summary: 'Modificar o retirar (active: false) una placa de la lista (con motivo auditado)',
        params: IdParams,
        body: WatchlistUpdate,
        response: { 200: WatchlistEntry },
      },
    },
    async (request) => updateWatchlistEntry(deps, requestContext(request), request.params.id, request.body),
  );

  r.post(
    '/webhooks/alpr/reads',
    {
      config: { permission: P.readIngest, apiKey: true },
      schema: {
        tags,
        security: machine,
        summary: 'Recibir una lectura de placa (lectores ALPR; idempotente por readId)',
        description:
          'Clave de API con `alpr.read.ingest`. La lectura se guarda siempre (solo inserción) y se compara ' +
          'con la lista de placas buscadas; la respuesta no revela si hubo coincidencia.',
        body: PlateReadBody,
        response: { 200: PlateReadAccepted, 201: PlateReadAccepted },
      },
    },
    async (request, reply) => {
      const result = await receivePlateRead(deps, requestContext(request), request.body);
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  r.get(
    '/alpr/reads',
    {
      config: { permission: P.readsSearch },
      schema: {
        tags,
        security: bearer,
        summary: 'Historial de lecturas de placas (consulta auditada con su propósito)',
        querystring: PlateReadQuery,
        response: { 200: PlateReadList },
      },
    },
    async (request) => searchPlateReads(deps, requestContext(request), request.query),
  );
}
