-- Identity: users (never deleted), roles, scoped role assignments, sessions, refresh tokens, API keys.

CREATE TABLE roles (
  code          text PRIMARY KEY,
  name_es       text NOT NULL,
  name_en       text NOT NULL,
  mfa_required  boolean NOT NULL DEFAULT false
);

CREATE TABLE users (
  id                    uuid PRIMARY KEY,
  username              text NOT NULL,
  display_name          text NOT NULL,
  email                 text,
  dui                   text,
  active                boolean NOT NULL DEFAULT true,
  password_hash         text NOT NULL,
  password_changed_at   timestamptz NOT NULL,
  must_change_password  boolean NOT NULL DEFAULT false,
  failed_logins         integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  mfa_secret_enc        text,
  mfa_enabled_at        timestamptz,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  deactivated_at        timestamptz
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

CREATE FUNCTION users_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'los usuarios no se eliminan: desactívelos' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users FOR EACH ROW EXECUTE FUNCTION users_refuse_delete();

CREATE TABLE role_assignments (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id),
  role_code    text NOT NULL REFERENCES roles (code),
  scope_level  text NOT NULL CHECK (scope_level IN ('national', 'department', 'municipality', 'unit')),
  scope_code   text,
  granted_by   uuid REFERENCES users (id),
  granted_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  revoked_by   uuid REFERENCES users (id),
  CHECK ((scope_level = 'national') = (scope_code IS NULL))
);
CREATE INDEX role_assignments_user_idx ON role_assignments (user_id) WHERE revoked_at IS NULL;

CREATE TABLE sessions (
  id             uuid PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users (id),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  last_used_at   timestamptz NOT NULL,
  mfa_verified   boolean NOT NULL DEFAULT false,
  revoked_at     timestamptz,
  revoke_reason  text,
  ip             text,
  user_agent     text
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
  id           uuid PRIMARY KEY,
  session_id   uuid NOT NULL REFERENCES sessions (id),
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  replaced_by  uuid
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY,
  name          text NOT NULL,
  prefix        text NOT NULL UNIQUE,
  key_hash      text NOT NULL,
  permissions   jsonb NOT NULL,
  scope_level   text NOT NULL CHECK (scope_level IN ('national', 'department', 'municipality', 'unit')),
  scope_code    text,
  created_by    uuid NOT NULL REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz,
  revoked_at    timestamptz,
  revoked_by    uuid REFERENCES users (id),
  last_used_at  timestamptz,
  CHECK ((scope_level = 'national') = (scope_code IS NULL))
);
