import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pickLocale, t } from '../i18n/catalog.js';
import { AppError } from './errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const base = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.params?.missingProperty;
  const extra = issue.params?.additionalProperty;
  const name = [base, missing ?? extra].filter(Boolean).join('.');
  return [context, name].filter(Boolean).join('.') || context || '(cuerpo)';
}

function spanishValidationMessage(issue: ValidationIssue): string {
  const p = issue.params ?? {};
  if (p.missingProperty) return 'es obligatorio';
  if (p.additionalProperty) return 'no es un campo permitido';
  if (typeof p.type === 'string') return `debe ser de tipo ${p.type}`;
  if (typeof p.limit === 'number' && issue.message?.includes('fewer'))
    return `debe tener al menos ${p.limit}`;
  if (typeof p.limit === 'number' && issue.message?.includes('more'))
    return `debe tener como máximo ${p.limit}`;
  if (typeof p.limit === 'number' && issue.message?.includes('>='))
    return `debe ser mayor o igual que ${p.limit}`;
  if (typeof p.limit === 'number' && issue.message?.includes('<='))
    return `debe ser menor o igual que ${p.limit}`;
  if (p.allowedValues) return `debe ser uno de: ${(p.allowedValues as unknown[]).join(', ')}`;
  if (p.format) return `debe tener el formato ${String(p.format)}`;
  if (p.pattern) return 'no tiene el formato esperado';
  return issue.message ?? 'no es válido';
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const locale = pickLocale(request.headers['accept-language']);
  const body: ErrorBody = {
    error: { code: error.code, message: t(locale, `errors.${error.code}`, error.params) },
  };
  if (error.details !== undefined) body.error.details = error.details;
  return reply.status(error.status).type('application/json; charset=utf-8').send(body);
}

/** Maps every error to `{ error: { code, message, details? } }`; bad input is always a 4xx. */
export function toAppError(error: FastifyError | AppError | Error, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (fe.validation) {
    const locale = pickLocale(request.headers['accept-language']);
    const details = fe.validation.map((issue) => {
      const field = fieldOf(issue, fe.validationContext === 'body' ? undefined : fe.validationContext);
      const message = locale === 'es' ? spanishValidationMessage(issue) : (issue.message ?? 'is invalid');
      return { field, message };
    });
    return new AppError('VALIDATION_FAILED', 400, {}, details);
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON', 400);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 415, {
        contentType: request.headers['content-type'] ?? '(ninguno)',
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 413);
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) return new AppError('MALFORMED_JSON', 400);
  if (fe.statusCode === 429) {
    return new AppError('RATE_LIMITED', 429, {
      retryAfter: (fe as { retryAfter?: number }).retryAfter ?? 60,
    });
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', fe.statusCode, {}, [
      { field: '(solicitud)', message: fe.message },
    ]);
  }
  return new AppError('INTERNAL', 500, { requestId: request.id });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request);
    if (appError.status >= 500) request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const fallback = notFoundFallbacks.get(app);
    if (fallback && (await fallback(request, reply))) return reply;
    return sendError(
      request,
      reply,
      new AppError('ROUTE_NOT_FOUND', 404, { method: request.method, url: request.url.split('?')[0] }),
    );
  });
}

/** Answers a request no route matched (e.g. the web app's files); returns false to fall through to the JSON 404. */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

const notFoundFallbacks = new WeakMap<FastifyInstance, NotFoundFallback>();

/**
 * Installs a fallback in the root 404 handler. Scopes with their own not-found handler (e.g. Open311,
 * whose errors are a list) keep it: Fastify sends unmatched URLs under their prefix to them.
 */
export function setNotFoundFallback(app: FastifyInstance, fallback: NotFoundFallback): void {
  notFoundFallbacks.set(app, fallback);
}
