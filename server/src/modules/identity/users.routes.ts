import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../platform/http/request-context.js';
import { requirePrincipal } from '../../platform/http/route-config.js';
import type { IdentityDeps } from './identity.deps.js';
import { IDENTITY_PERMISSIONS as P } from './identity.policy.js';
import {
  DeactivateUserBody,
  Done,
  IdParams,
  OptionalReason,
  RequiredReason,
  SessionList,
} from './identity.schemas.js';
import { resetMfa } from './mfa.service.js';
import { assignRole, changeRoleScope, revokeRole } from './roles.service.js';
import { listSessions } from './sessions.service.js';
import {
  AssignmentParams,
  RoleAssign,
  RoleScopeChange,
  UserCreate,
  UserDetail,
  UserList,
  UserListQuery,
  UserRole,
  UserUpdate,
} from './users.schemas.js';
import {
  createUser,
  deactivateUser,
  getUser,
  listUsers,
  reactivateUser,
  updateUser,
} from './users.service.js';

const TAGS = ['identidad: usuarios'];
const BEARER = [{ bearerAuth: [] }];
const BEARER_OR_KEY: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKey: [] }];

export async function usersRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/users',
    {
      config: { permission: P.usersRead, apiKey: true },
      schema: {
        tags: TAGS,
        summary: 'Listar usuarios con sus roles',
        security: BEARER_OR_KEY,
        querystring: UserListQuery,
        response: { 200: UserList },
      },
    },
    async (request) => listUsers(deps, request.query),
  );

  r.get(
    '/users/:id',
    {
      config: { permission: P.usersRead, apiKey: true },
      schema: {
        tags: TAGS,
        summary: 'Ver un usuario con sus datos personales (lectura auditada)',
        security: BEARER_OR_KEY,
        params: IdParams,
        response: { 200: UserDetail },
      },
    },
    async (request) => getUser(deps, requestContext(request), request.params.id),
  );

  r.post(
    '/users',
    {
      config: { permission: P.usersManage },
      schema: {
        tags: TAGS,
        summary: 'Crear un usuario (contraseña inicial que debe cambiar al entrar)',
        security: BEARER,
        body: UserCreate,
        response: { 201: UserDetail },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createUser(deps, requestContext(request), request.body)),
  );

  r.patch(
    '/users/:id',
    {
      config: { permission: P.usersManage },
      schema: {
        tags: TAGS,
        summary: 'Modificar nombre, correo o DUI',
        security: BEARER,
        params: IdParams,
        body: UserUpdate,
        response: { 200: UserDetail },
      },
    },
    async (request) => updateUser(deps, requestContext(request), request.params.id, request.body),
  );

  r.post(
    '/users/:id/deactivate',
    {
      config: { permission: P.usersManage },
      schema: {
        tags: TAGS,
        summary:
          'Desactivar un usuario (cierra todas sus sesiones; nunca se elimina; opcionalmente revoca las claves de API que emitió)',
        security: BEARER,
        params: IdParams,
        body: DeactivateUserBody,
        response: { 200: UserDetail },
      },
    },
    async (request) =>
      deactivateUser(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.body.reason,
        { revokeApiKeys: request.body.revokeApiKeys },
      ),
  );

  r.post(
    '/users/:id/reactivate',
    {
      config: { permission: P.usersManage },
      schema: {
        tags: TAGS,
        summary: 'Reactivar un usuario',
        security: BEARER,
        params: IdParams,
        body: OptionalReason,
        response: { 200: UserDetail },
      },
    },
    async (request) =>
      reactivateUser(deps, requestContext(request), request.params.id, request.body?.reason ?? null),
  );

  r.post(
    '/users/:id/roles',
    {
      config: { permission: P.rolesAssign },
      schema: {
        tags: TAGS,
        summary: 'Asignar un rol con ámbito (nacional, departamento, municipio o unidad)',
        description: 'Nadie puede asignarse un rol a sí mismo (segregación de funciones).',
        security: BEARER,
        params: IdParams,
        body: RoleAssign,
        response: { 201: UserRole },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await assignRole(
            deps,
            requestContext(request),
            requirePrincipal(request),
            request.params.id,
            request.body,
          ),
        ),
  );

  r.post(
    '/users/:id/roles/:assignmentId/revoke',
    {
      config: { permission: P.rolesAssign },
      schema: {
        tags: TAGS,
        summary: 'Revocar una asignación de rol (con motivo)',
        security: BEARER,
        params: AssignmentParams,
        body: RequiredReason,
        response: { 200: Done },
      },
    },
    async (request) => {
      await revokeRole(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.params.assignmentId,
        request.body.reason,
      );
      return { status: 'ok' as const };
    },
  );

  r.post(
    '/users/:id/roles/:assignmentId/scope',
    {
      config: { permission: P.rolesAssign },
      schema: {
        tags: TAGS,
        summary: 'Cambiar el ámbito de una asignación de rol (con motivo)',
        description:
          'En una sola transacción revoca la asignación y concede el mismo rol en el nuevo ámbito. ' +
          'Quien la cambia debe cubrir ambos ámbitos; nadie cambia sus propias asignaciones.',
        security: BEARER,
        params: AssignmentParams,
        body: RoleScopeChange,
        response: { 200: UserRole },
      },
    },
    async (request) =>
      changeRoleScope(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.params.assignmentId,
        request.body,
      ),
  );

  r.get(
    '/users/:id/sessions',
    {
      config: { permission: P.sessionsManage },
      schema: {
        tags: TAGS,
        summary: 'Sesiones activas de un usuario',
        security: BEARER,
        params: IdParams,
        response: { 200: SessionList },
      },
    },
    async (request) => ({
      items: await listSessions(deps, request.params.id, requirePrincipal(request).sessionId),
    }),
  );

  r.post(
    '/users/:id/mfa/reset',
    {
      config: { permission: P.usersManage },
      schema: {
        tags: TAGS,
        summary: 'Restablecer el MFA de un usuario (teléfono perdido); debe inscribirse de nuevo',
        security: BEARER,
        params: IdParams,
        body: RequiredReason,
        response: { 200: Done },
      },
    },
    async (request) => {
      await resetMfa(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.id,
        request.body.reason,
      );
      return { status: 'ok' as const };
    },
  );
}
