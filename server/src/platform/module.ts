import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.js';

export interface DemoCredential {
  username: string;
  password: string;
  role: string;
  note?: string;
}

/** One bounded context. `app.ts` assembles the server from a list of these. */
export interface ModuleDefinition {
  name: string;
  /** Folder of `NNNN_name.sql` migrations owned by the module. */
  migrationsDir?: string;
  /** Registers the module's HTTP routes (already prefixed under /api/v1 unless `routePrefix` says otherwise). */
  routes?: (app: FastifyInstance, deps: AppDeps) => Promise<void>;
  routePrefix?: string;
  /** Reference data every installation needs (idempotent; runs at every start). */
  seed?: (deps: AppDeps) => Promise<void>;
  /** Demo data for development; never runs in production. Returns credentials to print. */
  seedDemo?: (deps: AppDeps) => Promise<DemoCredential[] | undefined>;
  /** Background work (timers, consumers) started after the server is ready. */
  start?: (deps: AppDeps) => Promise<void>;
  /** Stops what `start` started for this app (the same deps; one process may run several apps). */
  stop?: (deps: AppDeps) => Promise<void>;
}
