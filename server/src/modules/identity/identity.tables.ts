import type { Generated } from 'kysely';
import type { Json } from '../../platform/db/schema.js';
import type { ScopeLevel } from '../../platform/http/principal.js';

export interface RolesTable {
  code: string;
  name_es: string;
  name_en: string;
  mfa_required: boolean;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  dui: string | null;
  active: Generated<boolean>;
  password_hash: string;
  password_changed_at: Date;
  must_change_password: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  mfa_secret_enc: string | null;
  mfa_enabled_at: Date | null;
  /** Secret being enrolled, encrypted; becomes mfa_secret_enc once a code confirms it. */
  mfa_pending_secret_enc: Generated<string | null>;
  /** Last accepted TOTP time step (replay guard). */
  mfa_last_step: Generated<number | null>;
  created_at: Date;
  updated_at: Date;
  deactivated_at: Date | null;
}

export interface RoleAssignmentsTable {
  id: string;
  user_id: string;
  role_code: string;
  scope_level: ScopeLevel;
  scope_code: string | null;
  granted_by: string | null;
  granted_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date;
  mfa_verified: Generated<boolean>;
  revoked_at: Date | null;
  revoke_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface RefreshTokensTable {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  replaced_by: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  permissions: Json<string[]>;
  scope_level: ScopeLevel;
  scope_code: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

/** Failed logins of usernames that do not exist (same lockout answers for every username). */
export interface LoginThrottleTable {
  username_key: string;
  failures: Generated<number>;
  locked_until: Date | null;
  last_failure_at: Date;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    roles: RolesTable;
    users: UsersTable;
    role_assignments: RoleAssignmentsTable;
    sessions: SessionsTable;
    refresh_tokens: RefreshTokensTable;
    api_keys: ApiKeysTable;
    login_throttle: LoginThrottleTable;
  }
}
