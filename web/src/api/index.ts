export { api, authFetch, refreshSession, unwrap } from './client';
export { ApiError, apiErrorFrom, networkError, toApiError } from './errors';
export type { paths } from './schema';
export {
  endSession,
  getSession,
  type Session,
  type SessionEndReason,
  startSession,
  subscribeSession,
  type TokenPair,
  takeEndReason,
} from './session';
export type { ApiBody, ApiQuery, ApiResponse, GeoAttribution, LoginAnswer, Me, MfaEnrollment } from './types';
