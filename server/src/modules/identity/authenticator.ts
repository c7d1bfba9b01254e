import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { AppDeps, Authentication, Authenticator } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import { authenticateApiKey } from './api-keys.service.js';
import { type ActiveAssignment, grantsFromAssignments } from './grants.js';
import { roleRequiresMfa } from './roles.js';
import { createTokenSigner, type TokenSigner } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Identity: the route stays usable while the user must change their password (login returned
     * mustChangePassword: true); every other route answers 403 PASSWORD_CHANGE_REQUIRED until then.
     */
    allowDuringPasswordChange?: boolean;
  }
}

/** json_agg arrives parsed from pg and PGlite; a driver that hands back text is parsed here. */
function parseAssignments(value: ActiveAssignment[] | string): ActiveAssignment[] {
  return typeof value === 'string' ? (JSON.parse(value) as ActiveAssignment[]) : value;
}

const NONE: Authentication = { principal: null, mfaPendingUserId: null };

type Credentials = { kind: 'bearer'; token: string } | { kind: 'api_key'; key: string };

/** `Authorization: Bearer <jwt>`, `Authorization: ApiKey <key>` or `X-API-Key: <key>`. */
function credentialsOf(request: FastifyRequest): Credentials | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const [scheme = '', ...rest] = header.trim().split(/\s+/);
    const value = rest.join(' ');
    if (scheme.toLowerCase() === 'bearer' && value) return { kind: 'bearer', token: value };
    if (scheme.toLowerCase() === 'apikey' && value) return { kind: 'api_key', key: value };
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim()) return { kind: 'api_key', key: apiKey.trim() };
  return null;
}

/**
 * Resolves request credentials into a principal with its scoped grants: user sessions (access
 * tokens, checked against the session row on every request so revocation is immediate), logins
 * waiting for MFA (mfa tokens, only for routes with config.mfaPending) and API keys.
 */
export function createIdentityAuthenticator(deps: AppDeps, signer?: TokenSigner): Authenticator {
  const tokens = signer ?? createTokenSigner(deps.config.jwtSecret);
  // Requests of one session that arrive while its row is being read share that read (nothing is
  // kept after it completes, so a revocation still counts from the next read on).
  const inFlight = new Map<string, ReturnType<typeof selectSession>>();
  const selectSession = (sid: string, userId: string) =>
    // The session, its user and the user's active role assignments in one statement.
    deps.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'users.id',
        'users.display_name',
        'users.active',
        'users.must_change_password',
        'sessions.revoked_at',
        'sessions.expires_at',
        'sessions.mfa_verified',
        sql<ActiveAssignment[]>`(
          SELECT coalesce(json_agg(json_build_object(
            'role_code', ra.role_code, 'scope_level', ra.scope_level, 'scope_code', ra.scope_code)), '[]'::json)
          FROM role_assignments ra WHERE ra.user_id = users.id AND ra.revoked_at IS NULL)`.as('assignments'),
      ])
      .where('sessions.id', '=', sid)
      .where('sessions.user_id', '=', userId)
      .executeTakeFirst();
  const readSession = (sid: string, userId: string) => {
    const key = `${sid}:${userId}`;
    let read = inFlight.get(key);
    if (!read) {
      read = selectSession(sid, userId).finally(() => inFlight.delete(key));
      inFlight.set(key, read);
    }
    return read;
  };
  return {
    async authenticate(request) {
      const credentials = credentialsOf(request);
      if (!credentials) return NONE;
      if (credentials.kind === 'api_key') {
        return { principal: await authenticateApiKey(deps, credentials.key), mfaPendingUserId: null };
      }
      const now = deps.clock.now();
      const claims = await tokens.verify(credentials.token, now);
      if (!claims) throw new AppError('TOKEN_INVALID', 401);
      if (claims.typ === 'mfa') return { principal: null, mfaPendingUserId: claims.sub };
      if (!claims.sid) throw new AppError('TOKEN_INVALID', 401);
      const row = await readSession(claims.sid, claims.sub);
      if (!row?.active || row.revoked_at || row.expires_at <= now) throw new AppError('TOKEN_INVALID', 401);
      if (row.must_change_password && !request.routeOptions.config?.allowDuringPasswordChange) {
        throw new AppError('PASSWORD_CHANGE_REQUIRED', 403);
      }
      // A role that requires MFA grants nothing in a session that was not MFA-verified (e.g. the
      // role was assigned after this login).
      const assignments = parseAssignments(row.assignments).filter(
        (a) => row.mfa_verified || !roleRequiresMfa([a.role_code]),
      );
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
