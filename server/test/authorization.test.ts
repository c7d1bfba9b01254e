import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredRoute } from '../src/app.js';
import { ROLES } from '../src/modules/identity/index.js';
import { isKnownPermission, permissionsOfRole } from '../src/platform/http/permissions.js';
import {
  canInScope,
  hasNationalPermission,
  hasPermission,
  type Principal,
  type Scope,
  type ScopeTarget,
  scopeCovers,
} from '../src/platform/http/principal.js';
import { routeAccessDeclared } from '../src/platform/http/route-config.js';
import { buildTestApp, type TestApp } from './build-app.js';
import { bearer, loginAs, makeUser } from './factories.js';

/**
 * The authorization net: every route of the whole app (all modules) declares who may call it, and
 * the route-level check refuses every role that lacks the declared permission. Services add the
 * territorial scope checks on top (tested in each module).
 */
describe('route authorization net', () => {
  let t: TestApp;
  let routes: RegisteredRoute[];
  const tokens = new Map<string, string>();
  const placeholder = randomUUID();

  /** HEAD routes that Fastify adds for every GET share the GET's declaration: check the GET. */
  const checked = () =>
    routes.filter((r) => r.method !== 'HEAD' || !routes.some((g) => g.method === 'GET' && g.url === r.url));

  /** A concrete URL for a route pattern: every path parameter becomes a random uuid. */
  const concrete = (url: string) =>
    url
      .split('/')
      .map((segment) => (segment.startsWith(':') ? placeholder : segment === '*' ? 'x' : segment))
      .join('/');

  const call = (route: RegisteredRoute, token?: string) =>
    t.app.inject({
      method: route.method as 'GET',
      url: concrete(route.url),
      headers: token ? bearer(token) : {},
      ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
    });

  beforeAll(async () => {
    t = await buildTestApp();
    routes = t.routes;
    // One session per role (privileged roles go through MFA inside loginAs), reused by every route.
    await Promise.all(
      ROLES.map(async (role) =>
        tokens.set(role.code, await loginAs(t.app, await makeUser(t.deps, role.code))),
      ),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sees the routes of every module', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.some((r) => r.url === '/api/v1/auth/login' && r.method === 'POST')).toBe(true);
    expect(routes.some((r) => r.url === '/metrics')).toBe(true);
  });

  it('every route declares permission, authenticated or public', () => {
    const undeclared = checked()
      .filter((r) => !routeAccessDeclared(r.config))
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('every declared permission is in the catalogue', () => {
    const unknown = checked()
      .filter((r) => typeof r.config.permission === 'string' && !isKnownPermission(r.config.permission))
      .map((r) => `${r.method} ${r.url} → ${r.config.permission}`);
    expect(unknown).toEqual([]);
  });

  it('refuses anonymous callers with 401 on every non-public route', async () => {
    const failures: string[] = [];
    for (const route of checked()) {
      if (route.config.public || !routeAccessDeclared(route.config)) continue;
      const res = await call(route);
      if (res.statusCode !== 401)
        failures.push(`${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses with 403 every role that lacks the permission of a route', async () => {
    const failures: string[] = [];
    let checks = 0;
    for (const route of checked()) {
      const permission = route.config.permission;
      if (!permission || route.config.public) continue;
      for (const role of ROLES) {
        if (permissionsOfRole(role.code).has(permission)) continue;
        checks++;
        const res = await call(route, tokens.get(role.code));
        if (res.statusCode !== 403 || res.json().error?.code !== 'FORBIDDEN') {
          failures.push(
            `${route.method} ${route.url} as ${role.code}: ${res.statusCode} ${res.body.slice(0, 120)}`,
          );
        }
      }
    }
    expect(checks).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('lets every role through the route-level check of authenticated GET routes', async () => {
    // GET only: calling state-changing routes (logout, password change) would end the sessions.
    const failures: string[] = [];
    for (const route of checked()) {
      if (route.method !== 'GET') continue;
      if (!route.config.authenticated || route.config.permission || route.config.public) continue;
      for (const role of ROLES) {
        const res = await call(route, tokens.get(role.code));
        if (res.statusCode === 401 || (res.statusCode === 403 && res.json().error?.code === 'FORBIDDEN')) {
          failures.push(`${route.method} ${route.url} as ${role.code}: ${res.statusCode}`);
        }
        if (res.statusCode >= 500)
          failures.push(`${route.method} ${route.url} as ${role.code}: ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('principal scope functions', () => {
  const national: Scope = { level: 'national', code: null };
  const sanSalvador: Scope = { level: 'department', code: 'SV-SS' };
  const municipality: Scope = { level: 'municipality', code: 'SV0614' };
  const unit: Scope = { level: 'unit', code: 'unidad-7' };

  it.each<[string, Scope, ScopeTarget, boolean]>([
    ['national covers an empty target', national, {}, true],
    ['national covers any department', national, { department: 'SV-LI' }, true],
    ['department covers itself', sanSalvador, { department: 'SV-SS', municipality: 'SV0614' }, true],
    ['department does not cover another', sanSalvador, { department: 'SV-LI' }, false],
    ['department does not cover an unknown location', sanSalvador, {}, false],
    ['department does not cover a bare municipality', sanSalvador, { municipality: 'SV0614' }, false],
    ['municipality covers itself', municipality, { department: 'SV-SS', municipality: 'SV0614' }, true],
    ['municipality does not cover its department', municipality, { department: 'SV-SS' }, false],
    ['municipality does not cover another', municipality, { municipality: 'SV0615' }, false],
    ['unit covers itself', unit, { unit: 'unidad-7' }, true],
    ['unit does not cover another', unit, { unit: 'unidad-8' }, false],
    ['unit does not cover its territory', unit, { department: 'SV-SS', municipality: 'SV0614' }, false],
    [
      'a null code never matches a null target',
      { level: 'department', code: null },
      { department: null },
      false,
    ],
    ['a null unit never matches a missing unit', { level: 'unit', code: null }, {}, false],
  ])('scopeCovers: %s', (_name, scope, target, expected) => {
    expect(scopeCovers(scope, target)).toBe(expected);
  });

  const principal = (grants: Record<string, Scope[]>): Principal => ({
    kind: 'user',
    id: randomUUID(),
    name: 'Prueba',
    sessionId: randomUUID(),
    roles: [],
    grants: new Map(Object.entries(grants)),
  });
  const dispatcher = principal({
    'incident.create': [sanSalvador, unit],
    'incident.read': [national],
    'incident.close': [],
  });

  it.each<[string, Principal | null, string, ScopeTarget, boolean]>([
    ['nobody', null, 'incident.create', {}, false],
    ['inside one of its scopes', dispatcher, 'incident.create', { department: 'SV-SS' }, true],
    [
      'inside its other scope',
      dispatcher,
      'incident.create',
      { department: 'SV-LI', unit: 'unidad-7' },
      true,
    ],
    ['outside its scopes', dispatcher, 'incident.create', { department: 'SV-LI', unit: 'unidad-9' }, false],
    ['a permission it does not hold', dispatcher, 'incident.reassign', { department: 'SV-SS' }, false],
    ['a permission with no scopes', dispatcher, 'incident.close', { department: 'SV-SS' }, false],
    ['a national permission anywhere', dispatcher, 'incident.read', { department: 'SV-MO' }, true],
  ])('canInScope: %s', (_name, who, permission, target, expected) => {
    expect(canInScope(who, permission, target)).toBe(expected);
  });

  it.each<[string, Principal | null, string, boolean, boolean]>([
    ['nobody', null, 'incident.read', false, false],
    ['national grant', dispatcher, 'incident.read', true, true],
    ['territorial grant only', dispatcher, 'incident.create', true, false],
    ['empty scope list', dispatcher, 'incident.close', false, false],
    ['not granted', dispatcher, 'incident.reassign', false, false],
  ])('hasPermission / hasNationalPermission: %s', (_name, who, permission, has, national) => {
    expect(hasPermission(who, permission)).toBe(has);
    expect(hasNationalPermission(who, permission)).toBe(national);
  });
});
