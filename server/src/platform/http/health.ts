import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { type MigrationSource, migrationsUpToDate } from '../db/migrate.js';
import type { AppDeps } from '../deps.js';

const HealthBody = Type.Object({ status: Type.String(), uptimeSeconds: Type.Number() });
const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  migrations: Type.Union([Type.Literal('ok'), Type.Literal('pending'), Type.Literal('unknown')]),
  databaseKind: Type.String(),
});

export function registerHealthRoutes(app: FastifyInstance, deps: AppDeps, sources: MigrationSource[]): void {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: { tags: ['plataforma'], summary: 'El proceso está vivo', response: { 200: HealthBody } },
    },
    async () => ({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) }),
  );
  app.get(
    '/ready',
    {
      config: { public: true },
      schema: {
        tags: ['plataforma'],
        summary: 'La base de datos responde y las migraciones están aplicadas',
        response: { 200: ReadyBody, 503: ReadyBody },
      },
    },
    async (_request, reply) => {
      let database: 'ok' | 'unreachable' = 'ok';
      let migrations: 'ok' | 'pending' | 'unknown' = 'unknown';
      try {
        await sql`SELECT 1`.execute(deps.db);
        migrations = (await migrationsUpToDate(deps.db, sources)) ? 'ok' : 'pending';
      } catch {
        database = 'unreachable';
      }
      const ready = database === 'ok' && migrations === 'ok';
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        database,
        migrations,
        databaseKind: deps.database.kind,
      });
    },
  );
}
