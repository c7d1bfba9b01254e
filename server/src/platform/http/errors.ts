/**
 * The one error type services throw. `code` is stable (clients and tests rely on it); the message
 * is looked up in the i18n catalogue as `errors.<code>` when the response is written.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, unknown> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const notFound = (entity?: string) => new AppError('NOT_FOUND', 404, { entity });
export const conflict = (code = 'CONFLICT', params: Record<string, unknown> = {}) =>
  new AppError(code, 409, params);
export const badRequest = (code: string, params: Record<string, unknown> = {}, details?: unknown) =>
  new AppError(code, 400, params, details);
export const forbidden = (permission: string) => new AppError('FORBIDDEN', 403, { permission });
export const unauthenticated = (code = 'UNAUTHENTICATED') => new AppError(code, 401);
