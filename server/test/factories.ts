import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createUserWithRole } from '../src/modules/identity/index.js';
import type { AppDeps } from '../src/platform/deps.js';

export const TEST_PASSWORD = 'Prueba#Segura2026';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: string;
}

/** Creates a user holding `role` (national scope unless given). */
export async function makeUser(
  deps: AppDeps,
  role: string,
  overrides: Partial<{
    username: string;
    password: string;
    scope: { level: 'national' | 'department' | 'municipality' | 'unit'; code: string | null };
  }> = {},
): Promise<TestUser> {
  const username = overrides.username ?? `${role}.${randomUUID().slice(0, 8)}`;
  const password = overrides.password ?? TEST_PASSWORD;
  const id = await createUserWithRole(deps, {
    username,
    displayName: `Prueba ${role}`,
    password,
    role,
    ...(overrides.scope ? { scope: overrides.scope } : {}),
  });
  return { id, username, password, role };
}

/** Logs in through the API and returns the access token. */
export async function loginAs(
  app: FastifyInstance,
  user: { username: string; password: string },
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: user.username, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${user.username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { status: string; accessToken?: string };
  if (!body.accessToken) throw new Error(`login ${user.username} needs more steps: ${res.body}`);
  return body.accessToken;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
