import createClient from 'openapi-fetch';
import { acceptLanguage } from '../i18n';
import { ApiError, apiErrorFrom, networkError } from './errors';
import type { paths } from './schema';
import { endSession, getSession, startSession, type TokenPair } from './session';

const REFRESH_PATH = '/api/v1/auth/refresh';
/** Answers of these paths are about credentials themselves: a 401 there is final, not a cue to refresh. */
const NO_REFRESH = ['/api/v1/auth/login', REFRESH_PATH, '/api/v1/auth/mfa/', '/api/v1/auth/logout'];

let refreshing: Promise<boolean> | null = null;

/**
 * Exchanges the refresh token for a new pair (the server rotates it: the old one becomes invalid, and
 * presenting it again revokes the session). Concurrent callers share one request. A refusal ends the
 * session with reason `expired`; a network failure keeps it (the next call may succeed).
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= runRefresh().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function runRefresh(): Promise<boolean> {
  const session = getSession();
  if (!session) return false;
  let response: Response;
  try {
    response = await fetch(REFRESH_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': acceptLanguage() },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
  } catch {
    return false;
  }
  // The user logged out (or logged in again) while this was in flight: leave the new state alone.
  if (getSession()?.refreshToken !== session.refreshToken) return getSession() !== null;
  if (!response.ok) {
    endSession('expired');
    return false;
  }
  startSession((await response.json()) as TokenPair);
  return true;
}

function prepare(request: Request): Request {
  if (!request.headers.has('accept-language')) request.headers.set('accept-language', acceptLanguage());
  const session = getSession();
  if (session && !request.headers.has('authorization')) {
    request.headers.set('authorization', `Bearer ${session.accessToken}`);
  }
  return request;
}

/**
 * fetch with the session's bearer token and language; on 401 refreshes the tokens once and replays
 * the request with the new access token.
 */
export async function authFetch(input: Request): Promise<Response> {
  const explicitAuth = input.headers.has('authorization');
  const replay = explicitAuth ? null : input.clone();
  const sentWith = getSession()?.accessToken;
  const response = await fetch(prepare(input));
  if (response.status !== 401 || !replay || !sentWith) return response;
  const path = new URL(input.url, window.location.origin).pathname;
  if (NO_REFRESH.some((p) => path.startsWith(p))) return response;
  // Another request may already have refreshed while this one was in flight.
  const fresh = getSession()?.accessToken !== sentWith || (await refreshSession());
  if (!fresh || !getSession()) return response;
  return fetch(prepare(replay));
}

/** The typed API client. Paths and bodies are checked against the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', fetch: authFetch });

interface FetchResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an `api.GET/POST/...` call and returns its data, or throws an ApiError carrying the server's
 * `{code, message}` (message in the user's language), or code NETWORK when the server is unreachable.
 *
 *   const me = await unwrap(api.GET('/api/v1/auth/me'));
 */
export async function unwrap<D>(call: Promise<FetchResult<D>>): Promise<D> {
  let result: FetchResult<D>;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw networkError(error);
  }
  if (!result.response.ok) throw apiErrorFrom(result.response.status, result.error);
  return result.data as D;
}
