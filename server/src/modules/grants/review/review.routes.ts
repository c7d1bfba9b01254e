import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { Nullable } from '../../../platform/http/nullable.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { getPlanReview } from './review.service.js';

export const PlanReview = Type.Object({
  planId: Type.String({ format: 'uuid' }),
  status: Type.String(),
  currentVersion: Type.Integer(),
  requestedCents: Type.Integer(),
  approvedCents: Nullable(Type.Integer()),
  cases: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      title: Type.String(),
      status: Type.String(),
      openedAt: Type.String({ format: 'date-time' }),
      closedAt: Nullable(Type.String({ format: 'date-time' })),
      steps: Type.Array(
        Type.Object({
          code: Type.String(),
          nameEs: Type.String(),
          nameEn: Type.String(),
          status: Type.String(),
          dueAt: Nullable(Type.String({ format: 'date-time' })),
          overdue: Type.Boolean(),
          completedAt: Nullable(Type.String({ format: 'date-time' })),
        }),
      ),
      actions: Type.Array(
        Type.Object({
          step: Type.String(),
          outcome: Type.String(),
          reason: Nullable(Type.String()),
          actedAt: Type.String({ format: 'date-time' }),
          actor: Nullable(
            Type.String({ description: 'Nombre del revisor (sólo para el personal del ministerio)' }),
          ),
        }),
      ),
    }),
  ),
});

/** Review routes of the grants module (registered by the grants module's routes). */
export async function planReviewRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/grants/plans/:id/review',
    {
      config: { permission: P.read },
      schema: {
        tags: ['fondos a ONG'],
        security: [{ bearerAuth: [] }],
        summary: 'Revisión de un plan: expedientes (actual y devueltos), pasos, observaciones y decisiones',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: PlanReview },
      },
    },
    async (request) => getPlanReview(deps, requirePrincipal(request), request.params.id),
  );
}
