-- Platform tables: tamper-evident audit log, transactional outbox, idempotent requests.

CREATE TABLE audit_log (
  leaf_index   bigint PRIMARY KEY CHECK (leaf_index >= 0),
  id           uuid NOT NULL UNIQUE,
  occurred_at  timestamptz NOT NULL,
  actor_type   text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system', 'anonymous')),
  actor_id     text,
  actor_name   text,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text,
  changes      jsonb,
  reason       text,
  request_id   text,
  ip           text,
  prev_hash    text NOT NULL,
  leaf_hash    text NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, leaf_index);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_type, actor_id, leaf_index);
CREATE INDEX audit_log_time_idx ON audit_log (occurred_at);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log es de solo inserción: % no está permitido', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Signed tree heads (RFC 6962 style), appended by the signer.
CREATE TABLE audit_tree_head (
  tree_size   bigint PRIMARY KEY CHECK (tree_size >= 0),
  root_hash   text NOT NULL,
  signed_at   timestamptz NOT NULL,
  key_id      text NOT NULL,
  signature   text NOT NULL
);
CREATE TRIGGER audit_tree_head_no_update BEFORE UPDATE OR DELETE ON audit_tree_head
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TABLE outbox (
  seq           bigserial PRIMARY KEY,
  id            uuid NOT NULL UNIQUE,
  type          text NOT NULL,
  topic         text NOT NULL,
  entity_type   text,
  entity_id     text,
  payload       jsonb NOT NULL,
  scope         jsonb NOT NULL DEFAULT '{}'::jsonb,
  permission    text,
  actor_type    text NOT NULL,
  actor_id      text,
  occurred_at   timestamptz NOT NULL,
  published_at  timestamptz,
  publish_seq   bigint UNIQUE
);
CREATE INDEX outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL;

CREATE TABLE consumed_events (
  consumer     text NOT NULL,
  event_id     uuid NOT NULL,
  consumed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE idempotency_keys (
  principal     text NOT NULL,
  key           text NOT NULL,
  method        text NOT NULL,
  route         text NOT NULL,
  body_hash     text NOT NULL,
  status_code   integer,
  response_body text,
  content_type  text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz,
  PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
