-- Identity hardening: MFA enrolment state and replay guard, throttling of unknown usernames, unique DUI.

-- A TOTP secret being enrolled (encrypted like mfa_secret_enc) and the last accepted TOTP time step,
-- so a code cannot be replayed inside its validity window.
ALTER TABLE users ADD COLUMN mfa_pending_secret_enc text;
ALTER TABLE users ADD COLUMN mfa_last_step integer;

CREATE UNIQUE INDEX users_dui_key ON users (dui) WHERE dui IS NOT NULL;

-- Failed logins for usernames that do not exist, so that lockout answers the same way for every
-- username (no enumeration). Known users keep their counters in users.failed_logins/locked_until.
CREATE TABLE login_throttle (
  username_key     text PRIMARY KEY,
  failures         integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  last_failure_at  timestamptz NOT NULL
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);
