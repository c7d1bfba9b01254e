import type { FastifyRequest } from 'fastify';
import type { AppDeps, Authentication, Authenticator } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import { activeAssignments, grantsFromAssignments } from './grants.js';
import { createTokenSigner, type TokenSigner } from './tokens.js';

const NONE: Authentication = { principal: null, mfaPendingUserId: null };

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
  return null;
}

/** Resolves `Authorization: Bearer <access token>` into a principal with its scoped grants. */
export function createIdentityAuthenticator(deps: AppDeps, signer?: TokenSigner): Authenticator {
  const tokens = signer ?? createTokenSigner(deps.config.jwtSecret);
  return {
    async authenticate(request) {
      const token = bearerToken(request);
      if (!token) return NONE;
      const now = deps.clock.now();
      const claims = await tokens.verify(token, now);
      if (!claims) throw new AppError('TOKEN_INVALID', 401);
      if (claims.typ === 'mfa') return { principal: null, mfaPendingUserId: claims.sub };
      if (!claims.sid) throw new AppError('TOKEN_INVALID', 401);
      const row = await deps.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'users.id',
          'users.display_name',
          'users.active',
          'sessions.revoked_at',
          'sessions.expires_at',
        ])
        .where('sessions.id', '=', claims.sid)
        .where('sessions.user_id', '=', claims.sub)
        .executeTakeFirst();
      if (!row?.active || row.revoked_at || row.expires_at <= now) throw new AppError('TOKEN_INVALID', 401);
      const assignments = await activeAssignments(deps.db, row.id);
      return {
        principal: {
          kind: 'user',
          id: row.id,
          name: row.display_name,
          sessionId: claims.sid,
          roles: [...new Set(assignments.map((a) => a.role_code))],
          grants: grantsFromAssignments(assignments),
        },
        mfaPendingUserId: null,
      };
    },
  };
}
