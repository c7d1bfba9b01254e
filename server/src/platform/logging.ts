import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { Config } from '../config.js';

export const REDACTED = '[redactado]';

/**
 * Paths that must never reach the logs: credentials, tokens and personal data. Request bodies are
 * not logged at all; URLs are logged without their query string (it may carry a token). These fixed
 * paths are the fast path; `scrubSensitive` below also catches the same keys at any depth.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  '*.phone',
  '*.callerPhone',
  '*.dui',
];

/** Key fragments (lower case, letters only) whose values are credentials or personal data. */
const SENSITIVE_KEY_PARTS = [
  'password',
  'passwd',
  'secret',
  'token',
  'authorization',
  'cookie',
  'apikey',
  'phone',
  'telefono',
  'celular',
  'dui',
  'totp',
  'mfacode',
  'otpcode',
];

export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z]/g, '');
  return SENSITIVE_KEY_PARTS.some((part) => k.includes(part));
}

const ERROR_FIELDS = ['code', 'statusCode', 'constraint', 'table', 'column', 'schema', 'severity', 'routine'];

/**
 * Errors keep their type, message, stack and diagnostic codes only. Database errors carry the
 * statement's parameters (PGlite: `params`, `query`) and the offending values (`detail`: "Key
 * (dui)=(...) already exists"), and validation errors carry the request data: none of that is logged.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const source = error as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const field of ERROR_FIELDS) {
    const value = source[field];
    if (typeof value === 'string' || typeof value === 'number') out[field] = value;
  }
  if (source.cause !== undefined && depth < 3) out.cause = serializeError(source.cause, depth + 1);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a copy of a log object with sensitive keys censored at any depth (plain objects and arrays
 * only; class instances such as the request are left to their serializers) and errors reduced by
 * `serializeError`. The caller's object is never modified.
 */
export function scrubSensitive(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value instanceof Error) return serializeError(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => scrubSensitive(item, depth + 1, seen));
  }
  if (!isPlainObject(value)) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSensitiveKey(key) && item !== null && item !== undefined
        ? REDACTED
        : scrubSensitive(item, depth + 1, seen);
  }
  return out;
}

export function createLogger(config: Config, stream?: NodeJS.WritableStream): FastifyBaseLogger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    base: { service: 'centinela' },
    formatters: {
      // Runs before the serializers below, on every log call's object.
      log: (object) => {
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(object)) {
          out[key] =
            key === 'req' || key === 'res' || key === 'err'
              ? value
              : isSensitiveKey(key) && value !== null && value !== undefined
                ? REDACTED
                : scrubSensitive(value);
        }
        return out;
      },
    },
    serializers: {
      // Only method, path (never the query string: it may carry a token) and the route pattern.
      req: (req: { method: string; url: string; id: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
        route: req.routeOptions?.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
  };
  return (stream ? pino(options, stream as pino.DestinationStream) : pino(options)) as FastifyBaseLogger;
}
