import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AUDIT_PERMISSIONS } from './audit.policy.js';
import {
  ConsistencyQuery,
  ConsistencyResponse,
  EntryList,
  EntryListQuery,
  EntryParams,
  EntryProofQuery,
  EntryWithProof,
  TreeHeadResponse,
} from './audit.schemas.js';
import {
  type AuditDeps,
  getConsistencyProof,
  getEntryWithProof,
  getLatestTreeHead,
  listEntries,
} from './audit.service.js';

const TAGS = ['auditoría'];
const SECURITY = [{ bearerAuth: [] }];

export async function auditRoutes(app: FastifyInstance, deps: AuditDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/audit/tree-head',
    {
      config: { permission: AUDIT_PERMISSIONS.verify, apiKey: true },
      schema: {
        tags: TAGS,
        summary: 'Última cabeza de árbol firmada (Ed25519) del registro de auditoría y la clave pública',
        security: [...SECURITY, { apiKey: [] }],
        response: { 200: TreeHeadResponse },
      },
    },
    async () => getLatestTreeHead(deps),
  );
  r.get(
    '/audit/entries',
    {
      config: { permission: AUDIT_PERMISSIONS.read },
      schema: {
        tags: TAGS,
        summary: 'Entradas del registro de auditoría, de la más reciente a la más antigua, con filtros',
        security: SECURITY,
        querystring: EntryListQuery,
        response: { 200: EntryList },
      },
    },
    async (request) => listEntries(deps, request.query),
  );
  r.get(
    '/audit/entries/:leafIndex',
    {
      config: { permission: AUDIT_PERMISSIONS.read },
      schema: {
        tags: TAGS,
        summary: 'Una entrada y su prueba de inclusión (RFC 6962) en la última cabeza firmada o en treeSize',
        security: SECURITY,
        params: EntryParams,
        querystring: EntryProofQuery,
        response: { 200: EntryWithProof },
      },
    },
    async (request) => getEntryWithProof(deps, request.params.leafIndex, request.query.treeSize),
  );
  r.get(
    '/audit/consistency',
    {
      config: { permission: AUDIT_PERMISSIONS.verify, apiKey: true },
      schema: {
        tags: TAGS,
        summary: 'Prueba de consistencia (RFC 6962) entre dos tamaños del registro de auditoría',
        security: [...SECURITY, { apiKey: [] }],
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyResponse },
      },
    },
    async (request) => getConsistencyProof(deps, request.query.first, request.query.second),
  );
}
