import type { FastifyInstance } from 'fastify';
import { bearer } from '../factories.js';

/** Issues an API key through the identity API (the caller must hold identity.apikeys.manage). */
export async function issueApiKey(
  app: FastifyInstance,
  adminToken: string,
  name: string,
  permissions: string[],
  scope: { level: 'national' | 'unit'; code: string | null } = { level: 'national', code: null },
): Promise<{ id: string; key: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: bearer(adminToken),
    payload: { name, permissions, scope },
  });
  if (res.statusCode !== 201) throw new Error(`api key ${name}: ${res.statusCode} ${res.body}`);
  const body = res.json() as { id: string; key: string };
  return { id: body.id, key: body.key };
}

export function apiKeyHeader(key: string): Record<string, string> {
  return { 'x-api-key': key };
}

/** Polls until `check` returns a value (MQTT delivery is asynchronous). */
export async function waitFor<T>(check: () => Promise<T | undefined | null>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null) return value;
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
