import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARIABLES, generateSecrets, isWeakSecret, loadConfig } from './config.js';

const freshDir = () => mkdtempSync(path.join(tmpdir(), 'centinela-config-'));

function production(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const secrets = generateSecrets();
  return {
    NODE_ENV: 'production',
    DATA_DIR: freshDir(),
    DATABASE_URL: 'postgres://centinela:clave@db.interna:5432/centinela',
    PUBLIC_URL: 'https://centinela.seguridad.gob.sv',
    ...secrets,
    ...overrides,
  };
}

/** The ConfigError's problems, or a failure if the config loaded. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const p of problems) expect((error as ConfigError).message).toContain(p);
    return problems;
  }
  throw new Error('the configuration was accepted');
}

/** A 32-byte key in standard base64 that is not also valid base64url. */
function standardBase64Key(): string {
  for (;;) {
    const key = randomBytes(32).toString('base64');
    if (/[+/]/.test(key)) return key;
  }
}

const named = (problems: string[]) => problems.map((p) => p.slice(0, p.indexOf(':'))).sort();

describe('loadConfig', () => {
  it('loads a complete production configuration', () => {
    const env = production({
      PORT: '9090',
      CORS_ORIGINS: 'https://a.gob.sv, https://b.gob.sv',
      TRUST_PROXY: 'true',
      METRICS_TOKEN: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
    });
    const config = loadConfig(env);
    expect(config).toMatchObject({
      env: 'production',
      port: 9090,
      databaseUrl: env.DATABASE_URL,
      publicUrl: env.PUBLIC_URL,
      jwtSecret: env.JWT_SECRET,
      auditSigningKey: env.AUDIT_SIGNING_KEY,
      dataEncryptionKey: env.DATA_ENCRYPTION_KEY,
      metricsToken: env.METRICS_TOKEN,
      corsOrigins: ['https://a.gob.sv', 'https://b.gob.sv'],
      trustProxy: true,
      seedDemo: false,
      logLevel: 'warn',
    });
    // Production never writes development secrets.
    expect(existsSync(path.join(env.DATA_DIR!, 'dev-secrets.json'))).toBe(false);
  });

  it('refuses production without secrets, database and public URL, naming each one', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATA_DIR: freshDir() });
    expect(named(problems)).toEqual(
      ['AUDIT_SIGNING_KEY', 'DATABASE_URL', 'DATA_ENCRYPTION_KEY', 'JWT_SECRET', 'PUBLIC_URL'].sort(),
    );
    for (const p of problems) expect(p).toMatch(/obligatorio en producción/);
  });

  it.each([['JWT_SECRET'], ['AUDIT_SIGNING_KEY'], ['DATA_ENCRYPTION_KEY'], ['DATABASE_URL'], ['PUBLIC_URL']])(
    'refuses production without %s alone',
    (name) => {
      expect(named(problemsOf(production({ [name]: undefined })))).toEqual([name]);
    },
  );

  it('refuses demo data, plain http and the development secret in production', () => {
    expect(named(problemsOf(production({ SEED_DEMO: 'true' })))).toEqual(['SEED_DEMO']);
    expect(named(problemsOf(production({ PUBLIC_URL: 'http://centinela.gob.sv' })))).toEqual(['PUBLIC_URL']);

    const dataDir = freshDir();
    const dev = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    const problems = problemsOf(production({ DATA_DIR: dataDir, JWT_SECRET: dev.jwtSecret }));
    expect(named(problems)).toEqual(['JWT_SECRET']);
    expect(problems[0]).toMatch(/secreto de desarrollo/);
  });

  it('reports every problem at once, format errors and production refusals together', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      DATA_DIR: freshDir(),
      PORT: 'ochenta',
      LOG_LEVEL: 'verbose',
      SEED_DEMO: 'true',
    });
    expect(named(problems)).toEqual(
      [
        'AUDIT_SIGNING_KEY',
        'DATABASE_URL',
        'DATA_ENCRYPTION_KEY',
        'JWT_SECRET',
        'LOG_LEVEL',
        'PORT',
        'PUBLIC_URL',
        'SEED_DEMO',
      ].sort(),
    );
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['LOG_LEVEL', 'verbose'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['DATABASE_POOL_MAX', '0'],
    ['PUBLIC_URL', 'centinela.gob.sv'],
    ['DATA_ENCRYPTION_KEY', 'abc123'],
    ['TRUST_PROXY', 'quizás'],
    ['ACCESS_TOKEN_TTL_SECONDS', '10'],
    ['NATS_URL', 'http://nats:4222'],
    ['METRICS_TOKEN', 'corto'],
  ])('names %s when it is invalid (%s)', (name, value) => {
    const problems = problemsOf({ NODE_ENV: 'development', DATA_DIR: freshDir(), [name]: value });
    expect(named(problems)).toEqual([name]);
  });

  it('never echoes a secret value in the error', () => {
    const short = 'secreto-corto-filtrado';
    const error = (() => {
      try {
        loadConfig({ NODE_ENV: 'development', DATA_DIR: freshDir(), JWT_SECRET: short });
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(error.message).toContain('JWT_SECRET');
    expect(error.message).not.toContain(short);
  });

  it('requires AUDIT_SIGNING_KEY to decode to exactly 32 bytes of base64url', () => {
    const dir = freshDir();
    const ok = randomBytes(32).toString('base64url');
    expect(
      loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, AUDIT_SIGNING_KEY: ok }).auditSigningKey,
    ).toBe(ok);
    for (const bad of [
      randomBytes(31).toString('base64url'),
      randomBytes(33).toString('base64url'),
      standardBase64Key(), // standard alphabet ('+' or '/'), not base64url
      'x'.repeat(64),
      `${ok.slice(0, 42)}B`.replace(/B$/, ok.endsWith('B') ? 'C' : 'B'), // 43 chars, stray low bits
    ]) {
      const problems = problemsOf({ NODE_ENV: 'development', DATA_DIR: dir, AUDIT_SIGNING_KEY: bad });
      expect(named(problems), bad).toEqual(['AUDIT_SIGNING_KEY']);
    }
  });

  it.each([
    'your-256-bit-secret-your-256-bit-secret',
    'change-me-to-a-long-random-secret-string',
    'CAMBIAR_ESTE_SECRETO_POR_UNO_ALEATORIO_2026',
    'centinela-jwt-secret-development-only-1234',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    '0123456789012345678901234567890123456789',
  ])('refuses the weak JWT_SECRET %s', (secret) => {
    expect(isWeakSecret(secret)).toBe(true);
    const problems = problemsOf(production({ JWT_SECRET: secret }));
    expect(named(problems)).toEqual(['JWT_SECRET']);
    expect(problems[0]).toMatch(/ejemplo o predecible/);
  });

  it('accepts random secrets', () => {
    for (let i = 0; i < 50; i++) {
      expect(isWeakSecret(generateSecrets().JWT_SECRET)).toBe(false);
      expect(isWeakSecret(randomBytes(24).toString('hex'))).toBe(false);
    }
  });

  it('generates development secrets once in DATA_DIR and reuses them', () => {
    const dataDir = freshDir();
    const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    const file = path.join(dataDir, 'dev-secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      JWT_SECRET: first.jwtSecret,
      AUDIT_SIGNING_KEY: first.auditSigningKey,
      DATA_ENCRYPTION_KEY: first.dataEncryptionKey,
    });
    const second = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.auditSigningKey).toBe(first.auditSigningKey);
    expect(second.dataEncryptionKey).toBe(first.dataEncryptionKey);
    expect(first.seedDemo).toBe(true);
    expect(first.env).toBe('development');

    const other = loadConfig({ NODE_ENV: 'development', DATA_DIR: freshDir() });
    expect(other.jwtSecret).not.toBe(first.jwtSecret);
    // A secret from the environment wins over the generated one.
    const explicit = generateSecrets().JWT_SECRET;
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, JWT_SECRET: explicit }).jwtSecret).toBe(
      explicit,
    );
  });

  it('treats empty variables as unset and applies defaults', () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: freshDir(), PORT: '', LOG_LEVEL: '' });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'info',
      databasePoolMax: 10,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 43_200,
      corsOrigins: [],
      trustProxy: false,
      rateLimitMax: 600,
      rateLimitLoginMax: 10,
      metricsToken: undefined,
    });
  });
});

describe('.env.example', () => {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.env.example');
  const text = readFileSync(file, 'utf8');
  const entries = text
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);

  it('documents every variable config.ts reads, each with a comment, and nothing else', () => {
    const names = entries.map(([name]) => name);
    expect([...names].sort()).toEqual([...ENV_VARIABLES].sort());
    const lines = text.split('\n');
    for (const name of names) {
      const index = lines.findIndex((l) => l.startsWith(`${name}=`));
      expect(lines[index - 1], `${name} needs a comment above it`).toMatch(/^# /);
    }
  });

  it('is a valid development configuration as written', () => {
    const env = Object.fromEntries(entries) as NodeJS.ProcessEnv;
    expect(loadConfig({ ...env, DATA_DIR: freshDir() }).env).toBe('development');
  });
});
