import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import { GEO_ATTRIBUTION, GEO_ATTRIBUTION_TEXT, GEO_CODE_NOTE } from './geo.attribution.js';
import type { BoundaryLayer } from './geo.boundaries.js';
import {
  Attribution,
  BoundaryCollection,
  Department,
  District,
  DistrictsQuery,
  LocateQuery,
  LocateResult,
  MunicipalitiesQuery,
  Municipality,
  PlaceResult,
  SearchQuery,
} from './geo.schemas.js';
import {
  boundaryDocument,
  listDepartments,
  listDistricts,
  listMunicipalities,
  locate,
  searchPlaces,
} from './geo.service.js';

const TAGS = ['geo'];
const AUTH = [{ bearerAuth: [] }];

function sendBoundaries(layer: BoundaryLayer, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const doc = boundaryDocument(layer);
  reply
    .header('etag', doc.etag)
    .header('cache-control', 'public, max-age=3600')
    .header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === doc.etag) return reply.code(304).send();
  reply.type('application/geo+json; charset=utf-8');
  if (/\bgzip\b/i.test(request.headers['accept-encoding'] ?? '')) {
    return reply.header('content-encoding', 'gzip').send(doc.gzipped);
  }
  return reply.send(doc.body);
}

export async function geoRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/geo/departments',
    {
      config: { authenticated: true },
      schema: {
        tags: TAGS,
        summary: 'Departamentos (14), en orden oficial 01–14',
        security: AUTH,
        response: { 200: Type.Array(Department) },
      },
    },
    async () => listDepartments(deps),
  );

  r.get(
    '/geo/municipalities',
    {
      config: { authenticated: true },
      schema: {
        tags: TAGS,
        summary: 'Municipios (44, reforma 2024), opcionalmente de un departamento',
        security: AUTH,
        querystring: MunicipalitiesQuery,
        response: { 200: Type.Array(Municipality) },
      },
    },
    async (request) => listMunicipalities(deps, { department: request.query.department }),
  );

  r.get(
    '/geo/districts',
    {
      config: { authenticated: true },
      schema: {
        tags: TAGS,
        summary: 'Distritos (262, antiguos municipios), opcionalmente de un municipio o departamento',
        security: AUTH,
        querystring: DistrictsQuery,
        response: { 200: Type.Array(District) },
      },
    },
    async (request) =>
      listDistricts(deps, { municipality: request.query.municipality, department: request.query.department }),
  );

  r.get(
    '/geo/locate',
    {
      config: { authenticated: true },
      schema: {
        tags: TAGS,
        summary: 'Departamento, municipio, distrito y cuerpo de agua en un punto (lon/lat WGS84)',
        security: AUTH,
        querystring: LocateQuery,
        response: { 200: LocateResult },
      },
    },
    async (request) => locate(request.query.lon, request.query.lat),
  );

  r.get(
    '/geo/search',
    {
      config: { authenticated: true },
      schema: {
        tags: TAGS,
        summary: 'Buscar departamentos, municipios, distritos y cuerpos de agua por nombre',
        security: AUTH,
        querystring: SearchQuery,
        response: { 200: Type.Array(PlaceResult) },
      },
    },
    async (request) =>
      searchPlaces(request.query.q, {
        limit: request.query.limit ?? 10,
        ...(request.query.kind ? { kinds: request.query.kind } : {}),
      }),
  );

  r.get(
    '/geo/boundaries/departments.geojson',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        summary: 'Límites departamentales simplificados (GeoJSON) para mapas',
        response: { 200: BoundaryCollection },
      },
    },
    async (request, reply) => sendBoundaries('departments', request, reply),
  );

  r.get(
    '/geo/boundaries/municipalities.geojson',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        summary: 'Límites municipales simplificados (GeoJSON) para mapas',
        response: { 200: BoundaryCollection },
      },
    },
    async (request, reply) => sendBoundaries('municipalities', request, reply),
  );

  r.get(
    '/geo/attribution',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        summary: 'Atribución y licencias de los datos territoriales',
        response: { 200: Attribution },
      },
    },
    async () => ({ text: GEO_ATTRIBUTION_TEXT, codeNote: GEO_CODE_NOTE, sources: [...GEO_ATTRIBUTION] }),
  );
}
