-- Shared approval workflow: definitions as data (versioned), cases, their steps, an append-only
-- history of actions (who, outcome, reason, checklist answers, document hashes) and the deadline
-- notices already sent (reminders and escalations, once each).

CREATE FUNCTION workflow_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% es de solo inserción: % no está permitido', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- A definition never changes once stored: a changed definition is a new version. Cases keep the
-- version they were opened with.
CREATE TABLE workflow_definitions (
  code        text NOT NULL,
  version     integer NOT NULL CHECK (version > 0),
  name_es     text NOT NULL,
  name_en     text NOT NULL,
  spec        jsonb NOT NULL,
  checksum    text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (code, version)
);
CREATE TRIGGER workflow_definitions_immutable BEFORE UPDATE OR DELETE ON workflow_definitions
  FOR EACH ROW EXECUTE FUNCTION workflow_refuse_change();

CREATE TABLE workflow_cases (
  id                  uuid PRIMARY KEY,
  definition_code     text NOT NULL,
  definition_version  integer NOT NULL,
  subject_type        text NOT NULL,
  subject_id          text NOT NULL,
  title               text NOT NULL,
  scope_department    text,
  scope_municipality  text,
  scope_unit          text,
  status              text NOT NULL CHECK (status IN ('open', 'approved', 'returned', 'rejected')),
  stage               integer NOT NULL CHECK (stage >= 0),
  opened_by           uuid,
  opened_by_name      text,
  -- People who may not act on the case (e.g. users linked to the organisation under review).
  excluded_user_ids   jsonb NOT NULL DEFAULT '[]'::jsonb,
  excluded_duis       jsonb NOT NULL DEFAULT '[]'::jsonb,
  opened_at           timestamptz NOT NULL,
  closed_at           timestamptz,
  updated_at          timestamptz NOT NULL,
  FOREIGN KEY (definition_code, definition_version) REFERENCES workflow_definitions (code, version),
  CHECK ((status = 'open') = (closed_at IS NULL))
);
-- One open case per subject and definition.
CREATE UNIQUE INDEX workflow_cases_open_subject_key ON workflow_cases (definition_code, subject_type, subject_id)
  WHERE status = 'open';
CREATE INDEX workflow_cases_subject_idx ON workflow_cases (subject_type, subject_id);

CREATE TABLE workflow_case_steps (
  case_id       uuid NOT NULL REFERENCES workflow_cases (id),
  step_code     text NOT NULL,
  stage         integer NOT NULL CHECK (stage >= 0),
  permission    text NOT NULL,
  -- waiting: a later stage; open: can be acted on now; approved/returned/rejected: acted;
  -- cancelled: the case ended before this step was acted on.
  status        text NOT NULL CHECK (status IN ('waiting', 'open', 'approved', 'returned', 'rejected', 'cancelled')),
  opened_at     timestamptz,
  remind_at     timestamptz,
  due_at        timestamptz,
  completed_at  timestamptz,
  completed_by  uuid,
  PRIMARY KEY (case_id, step_code),
  CHECK (status <> 'waiting' OR opened_at IS NULL),
  CHECK (status IN ('waiting', 'cancelled') OR (opened_at IS NOT NULL AND due_at IS NOT NULL))
);
CREATE INDEX workflow_case_steps_open_idx ON workflow_case_steps (permission, due_at) WHERE status = 'open';

CREATE TABLE workflow_actions (
  id           uuid PRIMARY KEY,
  case_id      uuid NOT NULL REFERENCES workflow_cases (id),
  step_code    text NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('approve', 'return', 'reject')),
  actor_id     uuid NOT NULL,
  actor_name   text NOT NULL,
  reason       text,
  checklist    jsonb NOT NULL DEFAULT '[]'::jsonb,
  documents    jsonb NOT NULL DEFAULT '[]'::jsonb,
  data         jsonb NOT NULL DEFAULT '{}'::jsonb,
  acted_at     timestamptz NOT NULL,
  CHECK (outcome = 'approve' OR (reason IS NOT NULL AND length(btrim(reason)) > 0))
);
CREATE INDEX workflow_actions_case_idx ON workflow_actions (case_id, acted_at);
CREATE INDEX workflow_actions_actor_idx ON workflow_actions (actor_id, case_id);
-- One action per step of a case: a step is acted on once.
CREATE UNIQUE INDEX workflow_actions_step_key ON workflow_actions (case_id, step_code);
CREATE TRIGGER workflow_actions_append_only BEFORE UPDATE OR DELETE ON workflow_actions
  FOR EACH ROW EXECUTE FUNCTION workflow_refuse_change();

CREATE TABLE workflow_deadline_notices (
  case_id     uuid NOT NULL REFERENCES workflow_cases (id),
  step_code   text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('reminder', 'escalation')),
  sent_at     timestamptz NOT NULL,
  recipients  integer NOT NULL,
  PRIMARY KEY (case_id, step_code, kind)
);
