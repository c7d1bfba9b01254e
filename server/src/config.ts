import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * MADE-UP PLACEHOLDER, not the ministry's real IATI organisation identifier: the default of
 * GRANTS_IATI_ORG_REF until the ministry registers its own (the IATI export says so while it is used).
 */
export const PLACEHOLDER_IATI_ORG_REF = 'SV-NIT-0614-010101-001-0';

/** The only reader of process.env. Parsed and validated once at start. */
const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  NATS_URL: Type.Optional(Type.String({ pattern: '^(nats|tls)://' })),
  MQTT_URL: Type.Optional(Type.String({ pattern: '^(mqtt|mqtts|ws|wss)://' })),
  AVL_OSMAND_PORT: Type.Optional(Type.Integer({ minimum: -1, maximum: 65535 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  AUDIT_SIGNING_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{43}=?$' })),
  DATA_ENCRYPTION_KEY: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 3600, default: 900 }),
  REFRESH_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 3600, maximum: 2_592_000, default: 43_200 }),
  AUDIT_SIGN_INTERVAL_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 60 }),
  CORS_ORIGINS: Type.String({ default: '' }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  SEED_DEMO: Type.Optional(Type.Boolean()),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600 }),
  RATE_LIMIT_LOGIN_MAX: Type.Integer({ minimum: 1, default: 10 }),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 32 })),
  NOTIFY_SMS_TRANSPORT: Type.Union([Type.Literal('log'), Type.Literal('webhook')], { default: 'log' }),
  NOTIFY_SMS_WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  NOTIFY_SMS_WEBHOOK_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  NOTIFY_EMAIL_TRANSPORT: Type.Union([Type.Literal('log'), Type.Literal('smtp')], { default: 'log' }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://[^/?#]+' })),
  NOTIFY_EMAIL_FROM: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
  MESSAGING_THREAD_WINDOW_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 30 }),
  GRANTS_IATI_ORG_REF: Type.String({
    pattern: '^[A-Z]{2,}-[A-Za-z0-9._-]+$',
    maxLength: 100,
    default: PLACEHOLDER_IATI_ORG_REF,
  }),
});
type Env = Static<typeof EnvSchema>;

/** Every variable this file reads (the repository's .env.example documents each one; a test checks). */
export const ENV_VARIABLES: readonly string[] = Object.keys(EnvSchema.properties);

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  natsUrl: string | undefined;
  mqttUrl: string | undefined;
  /** OsmAnd (Traccar Client) listener port for AVL; 0 = any free port, -1 = disabled. */
  avlOsmandPort: number;
  logLevel: string;
  jwtSecret: string;
  auditSigningKey: string;
  dataEncryptionKey: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  auditSignIntervalSeconds: number;
  corsOrigins: string[];
  trustProxy: boolean;
  seedDemo: boolean;
  rateLimitMax: number;
  rateLimitLoginMax: number;
  /** Bearer token a Prometheus scraper may present on /metrics (see platform/metrics.ts). */
  metricsToken: string | undefined;
  /** Outgoing notifications (modules/notifications): which transport carries each channel. */
  notify: {
    /** SMS and WhatsApp: `log` (development: only recorded) or `webhook` (HTTP gateway). */
    smsTransport: 'log' | 'webhook';
    smsWebhookUrl: string | undefined;
    smsWebhookToken: string | undefined;
    emailTransport: 'log' | 'smtp';
    smtpUrl: string | undefined;
    emailFrom: string | undefined;
  };
  /** Messages of one sender within this many minutes thread into the same open incident. */
  messagingThreadWindowMinutes: number;
  /** The ministry's IATI organisation identifier (reporting-org of the NGO funds IATI export). */
  grantsIatiOrgRef: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuración inválida:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEV_SECRETS_FILE = 'dev-secrets.json';

interface DevSecrets {
  JWT_SECRET: string;
  AUDIT_SIGNING_KEY: string;
  DATA_ENCRYPTION_KEY: string;
}

/** Development only: secrets generated once and kept in the data folder, never used in production. */
function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, DEV_SECRETS_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets = generateSecrets();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function generateSecrets(): DevSecrets {
  return {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    AUDIT_SIGNING_KEY: randomBytes(32).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
}

function envErrors(raw: Record<string, unknown>): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const e of Value.Errors(EnvSchema, raw)) {
    const name = e.path.slice(1) || '(raíz)';
    if (seen.has(name)) continue;
    seen.add(name);
    // Never echo the value: it may be a secret.
    problems.push(`${name}: valor inválido (${e.message})`);
  }
  return problems;
}

/** Words that make up the example secrets found in tutorials, .env templates and jwt.io. */
const WEAK_SECRET_WORDS = new Set(
  (
    'secret secreto jwt key clave token password contrasena changeme change cambiar cambie me my your tu su ' +
    'this esto with con a an the el la un una to de por please favor replace reemplazar reemplace long largo ' +
    'larga random aleatorio aleatoria string cadena value valor here aqui default example ejemplo test prueba ' +
    'dev development desarrollo prod production produccion centinela mjsp bit bits super supersecret ' +
    'insecure inseguro not no do use usar en for para only solo este esta ese uno nuevo nueva cambiame'
  ).split(' '),
);

/**
 * True when a JWT secret is a known weak default: made only of example words and numbers
 * ("your-256-bit-secret", "change-me-to-a-long-random-secret"), or of very few distinct characters.
 */
export function isWeakSecret(secret: string): boolean {
  if (new Set(secret).size < 10) return true;
  const words = secret
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)
    .filter(Boolean);
  return words.every((w) => WEAK_SECRET_WORDS.has(w) || /^[0-9]+$/.test(w));
}

/** A 32-byte Ed25519 seed in base64url (43 characters, optional single '=' padding). */
function isAuditSeed(value: string): boolean {
  const bytes = Buffer.from(value, 'base64url');
  return bytes.length === 32 && bytes.toString('base64url') === value.replace(/=$/, '');
}

/**
 * Parses the environment. In production every secret must come from the environment and demo data
 * is refused; elsewhere missing secrets are generated into DATA_DIR so `npm start` just works.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = source[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(EnvSchema, Value.Convert(EnvSchema, raw)) as Record<string, unknown>;
  // Every problem is reported at once (format errors and production refusals), each naming its variable.
  const problems = envErrors(withDefaults);
  const invalid = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
  const env = withDefaults as Env;
  if (env.JWT_SECRET && !invalid.has('JWT_SECRET') && isWeakSecret(env.JWT_SECRET)) {
    problems.push(
      'JWT_SECRET: es un valor de ejemplo o predecible; genere uno aleatorio (p. ej. openssl rand -base64 48)',
    );
  }
  if (env.METRICS_TOKEN && !invalid.has('METRICS_TOKEN') && isWeakSecret(env.METRICS_TOKEN)) {
    problems.push('METRICS_TOKEN: es un valor de ejemplo o predecible; genere uno aleatorio');
  }
  if (env.AUDIT_SIGNING_KEY && !invalid.has('AUDIT_SIGNING_KEY') && !isAuditSeed(env.AUDIT_SIGNING_KEY)) {
    problems.push('AUDIT_SIGNING_KEY: debe decodificar a exactamente 32 bytes (base64url)');
  }

  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(typeof env.DATA_DIR === 'string' ? env.DATA_DIR : path.join(repoRoot, 'data'));
  if (production) {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET: obligatorio en producción (mínimo 32 caracteres)');
    if (!env.AUDIT_SIGNING_KEY)
      problems.push(
        'AUDIT_SIGNING_KEY: obligatorio en producción (semilla Ed25519 de 32 bytes en base64url)',
      );
    if (!env.DATA_ENCRYPTION_KEY)
      problems.push('DATA_ENCRYPTION_KEY: obligatorio en producción (64 caracteres hexadecimales)');
    if (!env.DATABASE_URL)
      problems.push(
        'DATABASE_URL: obligatorio en producción (PostgreSQL; la base embebida es para desarrollo)',
      );
    if (env.SEED_DEMO) problems.push('SEED_DEMO: los usuarios de demostración no se permiten en producción');
    if (!env.PUBLIC_URL) problems.push('PUBLIC_URL: obligatorio en producción (URL pública https://...)');
    else if (!invalid.has('PUBLIC_URL') && !env.PUBLIC_URL.startsWith('https://'))
      problems.push('PUBLIC_URL: en producción debe usar https://');
    const dev = existsSync(path.join(dataDir, DEV_SECRETS_FILE))
      ? loadOrCreateDevSecrets(dataDir)
      : undefined;
    if (dev && env.JWT_SECRET === dev.JWT_SECRET)
      problems.push('JWT_SECRET: es el secreto de desarrollo; genere uno nuevo');
    if (env.NOTIFY_SMS_WEBHOOK_URL?.startsWith('http://'))
      problems.push('NOTIFY_SMS_WEBHOOK_URL: en producción debe usar https://');
  }
  if (env.NOTIFY_SMS_TRANSPORT === 'webhook' && !env.NOTIFY_SMS_WEBHOOK_URL)
    problems.push('NOTIFY_SMS_WEBHOOK_URL: obligatoria cuando NOTIFY_SMS_TRANSPORT=webhook');
  if (env.NOTIFY_EMAIL_TRANSPORT === 'smtp') {
    if (!env.SMTP_URL) problems.push('SMTP_URL: obligatoria cuando NOTIFY_EMAIL_TRANSPORT=smtp');
    if (!env.NOTIFY_EMAIL_FROM)
      problems.push('NOTIFY_EMAIL_FROM: obligatorio cuando NOTIFY_EMAIL_TRANSPORT=smtp');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dev = production ? undefined : loadOrCreateDevSecrets(dataDir);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    natsUrl: env.NATS_URL,
    mqttUrl: env.MQTT_URL,
    // Disabled by default under test, so that parallel test files do not compete for port 5055.
    avlOsmandPort: env.AVL_OSMAND_PORT ?? (env.NODE_ENV === 'test' ? -1 : 5055),
    logLevel: env.LOG_LEVEL,
    jwtSecret: env.JWT_SECRET ?? dev!.JWT_SECRET,
    auditSigningKey: env.AUDIT_SIGNING_KEY ?? dev!.AUDIT_SIGNING_KEY,
    dataEncryptionKey: env.DATA_ENCRYPTION_KEY ?? dev!.DATA_ENCRYPTION_KEY,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    auditSignIntervalSeconds: env.AUDIT_SIGN_INTERVAL_SECONDS,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    trustProxy: env.TRUST_PROXY,
    seedDemo: env.SEED_DEMO ?? !production,
    rateLimitMax: env.RATE_LIMIT_MAX,
    rateLimitLoginMax: env.RATE_LIMIT_LOGIN_MAX,
    metricsToken: env.METRICS_TOKEN,
    notify: {
      smsTransport: env.NOTIFY_SMS_TRANSPORT,
      smsWebhookUrl: env.NOTIFY_SMS_WEBHOOK_URL,
      smsWebhookToken: env.NOTIFY_SMS_WEBHOOK_TOKEN,
      emailTransport: env.NOTIFY_EMAIL_TRANSPORT,
      smtpUrl: env.SMTP_URL,
      emailFrom: env.NOTIFY_EMAIL_FROM,
    },
    messagingThreadWindowMinutes: env.MESSAGING_THREAD_WINDOW_MINUTES,
    grantsIatiOrgRef: env.GRANTS_IATI_ORG_REF,
  };
}
