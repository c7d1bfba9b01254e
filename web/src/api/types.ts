import type { paths } from './schema';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = paths[P][M] extends infer O
  ? O extends { responses: unknown }
    ? O
    : never
  : never;

/** The JSON body of the 200 (or 201) answer of an operation: `ApiResponse<'/api/v1/auth/me', 'get'>`. */
export type ApiResponse<P extends keyof paths, M extends Method = 'get'> =
  Operation<P, M> extends {
    responses: infer R;
  }
    ? R extends { 200: { content: { 'application/json': infer B } } }
      ? B
      : R extends { 201: { content: { 'application/json': infer B } } }
        ? B
        : never
    : never;

/** The JSON request body of an operation. */
export type ApiBody<P extends keyof paths, M extends Method = 'post'> =
  Operation<P, M> extends {
    requestBody?: { content: { 'application/json': infer B } };
  }
    ? B
    : never;

/** The query parameters of an operation. */
export type ApiQuery<P extends keyof paths, M extends Method = 'get'> =
  Operation<P, M> extends {
    parameters: { query?: infer Q };
  }
    ? NonNullable<Q>
    : never;

export type Me = ApiResponse<'/api/v1/auth/me'>;
export type LoginAnswer = ApiResponse<'/api/v1/auth/login', 'post'>;
export type MfaEnrollment = ApiResponse<'/api/v1/auth/mfa/enroll', 'post'>;
export type GeoAttribution = ApiResponse<'/api/v1/geo/attribution'>;
