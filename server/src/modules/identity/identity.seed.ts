import { randomUUID } from 'node:crypto';
import { systemContext } from '../../platform/context.js';
import type { AppDeps } from '../../platform/deps.js';
import type { DemoCredential } from '../../platform/module.js';
import { provisionMfaSecret } from './mfa.service.js';
import { hashPassword } from './passwords.js';
import { ROLES, roleRequiresMfa } from './roles.js';

/** Keeps the roles table in step with the role catalogue in code. */
export async function syncRoles(deps: AppDeps): Promise<void> {
  for (const role of ROLES) {
    await deps.db
      .insertInto('roles')
      .values({ code: role.code, name_es: role.nameEs, name_en: role.nameEn, mfa_required: role.mfaRequired })
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({ name_es: role.nameEs, name_en: role.nameEn, mfa_required: role.mfaRequired }),
      )
      .execute();
  }
}

export const DEMO_PASSWORD = 'Centinela#2026';

/**
 * TOTP secret of the demo users whose role requires MFA (base32 of "centinela-demo-2026!"). It is
 * printed at start so a newcomer can add it to an authenticator app. Demo data only.
 */
export const DEMO_TOTP_SECRET = 'MNSW45DJNZSWYYJNMRSW23ZNGIYDENRB';

/** One demo user per role, national scope. Usernames are Spanish, like the people who use them. */
export const DEMO_USERS: { username: string; displayName: string; role: string }[] = [
  { username: 'admin', displayName: 'Ana Administradora', role: 'administrator' },
  { username: 'operador', displayName: 'Oscar Operador 911', role: 'call_taker' },
  { username: 'despachador', displayName: 'Diana Despachadora', role: 'dispatcher' },
  { username: 'supervisor', displayName: 'Samuel Supervisor', role: 'supervisor' },
  { username: 'agente', displayName: 'Agente Alicia Campos', role: 'field_officer' },
  { username: 'analista', displayName: 'Andrés Analista', role: 'analyst' },
  { username: 'asuntos.internos', displayName: 'Irene Asuntos Internos', role: 'internal_affairs' },
  { username: 'auditor', displayName: 'Aurora Auditora', role: 'auditor' },
  { username: 'revisor.juridico', displayName: 'Julio Revisor Jurídico', role: 'ngo_legal_reviewer' },
  {
    username: 'revisor.financiero',
    displayName: 'Fernanda Revisora Financiera',
    role: 'ngo_financial_reviewer',
  },
  {
    username: 'revisor.monitoreo',
    displayName: 'Mónica Revisora de Monitoreo',
    role: 'ngo_monitoring_reviewer',
  },
  {
    username: 'admin.contratos',
    displayName: 'Carlos Administrador de Contratos',
    role: 'contract_administrator',
  },
  { username: 'custodio', displayName: 'Cecilia Custodia de Bienes', role: 'asset_custodian' },
  { username: 'comite.descargo', displayName: 'Comité de Descargo', role: 'disposal_committee' },
];

/** Creates a user with one scoped role, audited. Used by the demo seed and by test factories. */
export async function createUserWithRole(
  deps: AppDeps,
  input: {
    username: string;
    displayName: string;
    password: string;
    role: string;
    scope?: { level: 'national' | 'department' | 'municipality' | 'unit'; code: string | null };
  },
): Promise<string> {
  const id = randomUUID();
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.password);
  const scope = input.scope ?? { level: 'national', code: null };
  await deps.tx(systemContext(), async (uow) => {
    await uow.db
      .insertInto('users')
      .values({
        id,
        username: input.username,
        display_name: input.displayName,
        password_hash: passwordHash,
        password_changed_at: now,
        created_at: now,
        updated_at: now,
        mfa_secret_enc: null,
        mfa_enabled_at: null,
        locked_until: null,
        deactivated_at: null,
        email: null,
        dui: null,
      })
      .execute();
    await uow.db
      .insertInto('role_assignments')
      .values({
        id: randomUUID(),
        user_id: id,
        role_code: input.role,
        scope_level: scope.level,
        scope_code: scope.code,
        granted_by: null,
        granted_at: now,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    uow.audit({
      action: 'identity.user.created',
      entityType: 'user',
      entityId: id,
      after: { username: input.username, displayName: input.displayName, role: input.role, scope },
    });
  });
  return id;
}

export async function seedDemoUsers(deps: AppDeps): Promise<DemoCredential[]> {
  const credentials: DemoCredential[] = [];
  for (const demo of DEMO_USERS) {
    const existing = await deps.db
      .selectFrom('users')
      .select(['id', 'mfa_enabled_at'])
      .where('username', '=', demo.username)
      .executeTakeFirst();
    const id = existing?.id ?? (await createUserWithRole(deps, { ...demo, password: DEMO_PASSWORD }));
    const credential: DemoCredential = { username: demo.username, password: DEMO_PASSWORD, role: demo.role };
    if (roleRequiresMfa([demo.role])) {
      if (!existing?.mfa_enabled_at) await provisionMfaSecret(deps, systemContext(), id, DEMO_TOTP_SECRET);
      credential.note = `MFA TOTP secreto: ${DEMO_TOTP_SECRET}`;
    }
    credentials.push(credential);
  }
  return credentials;
}
