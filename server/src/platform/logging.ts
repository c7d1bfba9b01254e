import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { Config } from '../config.js';

/**
 * Paths that must never reach the logs: credentials, tokens and personal data. Request bodies are
 * not logged at all; URLs are logged without their query string (it may carry a token).
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

export function createLogger(config: Config, stream?: NodeJS.WritableStream): FastifyBaseLogger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redactado]' },
    base: { service: 'centinela' },
    serializers: {
      req: (req: { method: string; url: string; id: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  return (stream ? pino(options, stream as pino.DestinationStream) : pino(options)) as FastifyBaseLogger;
}
