-- Outgoing notifications (SMS, e-mail, WhatsApp): an outbox that a sender loop drains with retries.
-- A row is queued inside the transaction of the change that causes it, so it exists exactly when
-- that change committed; delivery happens afterwards, at least once per row.

CREATE TABLE notifications (
  id                   uuid PRIMARY KEY,
  channel              text NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp')),
  recipient            text NOT NULL,
  template             text NOT NULL,
  locale               text NOT NULL CHECK (locale IN ('es', 'en')),
  params               jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Parameters that must not rest in clear (e.g. a tracking secret): AES-256-GCM, erased once the
  -- notification was sent or given up.
  sealed_params        text,
  status               text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts             integer NOT NULL DEFAULT 0,
  max_attempts         integer NOT NULL CHECK (max_attempts > 0),
  next_attempt_at      timestamptz NOT NULL,
  last_error           text,
  transport            text,
  provider_message_id  text,
  dedupe_key           text UNIQUE,
  entity_type          text,
  entity_id            text,
  created_at           timestamptz NOT NULL,
  sent_at              timestamptz,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX notifications_entity_idx ON notifications (entity_type, entity_id);
CREATE INDEX notifications_created_idx ON notifications (created_at);
