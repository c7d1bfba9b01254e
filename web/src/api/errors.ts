import { t } from '../i18n';

export interface ErrorDetail {
  field?: string;
  message?: string;
  [key: string]: unknown;
}

/**
 * An error answered by the server (`{ error: { code, message, details? } }`, message already in the
 * user's language) or a network failure (code NETWORK). Screens show `message` as is.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(code: string, message: string, status: number, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** Field-level messages of a VALIDATION_FAILED answer, keyed by field name. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!Array.isArray(this.details)) return out;
    for (const d of this.details as ErrorDetail[]) {
      if (d && typeof d.field === 'string' && typeof d.message === 'string') out[d.field] ??= d.message;
    }
    return out;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Builds an ApiError from a non-2xx status and its parsed body (if any). */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const error = (body as ErrorBody | null | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(error.code, error.message, status, error.details);
  }
  return new ApiError('UNKNOWN', t('errors.UNKNOWN', { status }), status);
}

export function networkError(cause: unknown): ApiError {
  const error = new ApiError('NETWORK', t('errors.NETWORK'), 0);
  (error as { cause?: unknown }).cause = cause;
  return error;
}

/** Any thrown value as an ApiError (unexpected exceptions keep their message). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TypeError) return networkError(error);
  return new ApiError('UNKNOWN', error instanceof Error ? error.message : String(error), 0);
}
