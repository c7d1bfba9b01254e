-- Citizen intake channels (web report, Open311 GeoReport v2, messaging webhook) and citizen follow-up.

-- Files attached to an incident (citizen photos first; evidence chain of custody builds on it).
-- The file lives at <DATA_DIR>/<storage_key>, content-addressed by its SHA-256. Append-only.
CREATE TABLE incident_attachments (
  id                uuid PRIMARY KEY,
  incident_id       uuid NOT NULL REFERENCES incidents (id),
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  mime              text NOT NULL,
  size_bytes        integer NOT NULL CHECK (size_bytes > 0),
  file_name         text NOT NULL,
  storage_key       text NOT NULL,
  source            text NOT NULL,
  uploaded_by_type  text NOT NULL,
  uploaded_by       text,
  uploaded_at       timestamptz NOT NULL,
  lon               double precision,
  lat               double precision,
  CHECK ((lon IS NULL) = (lat IS NULL))
);
CREATE INDEX incident_attachments_incident_idx ON incident_attachments (incident_id, uploaded_at);
CREATE INDEX incident_attachments_sha_idx ON incident_attachments (sha256);
CREATE TRIGGER incident_attachments_append_only BEFORE UPDATE OR DELETE ON incident_attachments
  FOR EACH ROW EXECUTE FUNCTION emergencies_refuse_change();

-- How a citizen who reported (web or messaging) wants to hear back: language and channel.
CREATE TABLE citizen_followups (
  incident_id     uuid PRIMARY KEY REFERENCES incidents (id),
  locale          text NOT NULL CHECK (locale IN ('es', 'en')),
  notify_channel  text CHECK (notify_channel IN ('sms', 'email', 'whatsapp')),
  created_at      timestamptz NOT NULL
);

-- Recent public submissions, for the per-phone limit and the repeated-text check. IP and phone are
-- kept only as keyed hashes, not linked to the incident (anonymous reports stay unlinkable), and
-- rows older than a day are pruned.
CREATE TABLE citizen_submissions (
  id          uuid PRIMARY KEY,
  at          timestamptz NOT NULL,
  channel     text NOT NULL,
  ip_hash     text,
  phone_hash  text,
  text_hash   text NOT NULL
);
CREATE INDEX citizen_submissions_phone_idx ON citizen_submissions (phone_hash, at) WHERE phone_hash IS NOT NULL;
CREATE INDEX citizen_submissions_ip_idx ON citizen_submissions (ip_hash, at) WHERE ip_hash IS NOT NULL;
CREATE INDEX citizen_submissions_at_idx ON citizen_submissions (at);

-- Failed tracking look-ups per code (existing or not), to stop guessing of tracking secrets.
CREATE TABLE citizen_tracking_failures (
  id             uuid PRIMARY KEY,
  tracking_code  text NOT NULL,
  at             timestamptz NOT NULL
);
CREATE INDEX citizen_tracking_failures_code_idx ON citizen_tracking_failures (tracking_code, at);

-- Satisfaction survey: one per incident, only after it was closed.
CREATE TABLE citizen_surveys (
  incident_id   uuid PRIMARY KEY REFERENCES incidents (id),
  rating        smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment       text,
  submitted_at  timestamptz NOT NULL
);

-- Open311 GeoReport v2 requests: what the client sent besides what the incident keeps.
CREATE TABLE open311_requests (
  incident_id    uuid PRIMARY KEY REFERENCES incidents (id),
  api_key_id     text NOT NULL,
  service_code   text NOT NULL,
  attributes     jsonb NOT NULL DEFAULT '{}'::jsonb,
  media_url      text,
  device_id      text,
  account_id     text,
  submitted_at   timestamptz NOT NULL
);
CREATE INDEX open311_requests_submitted_idx ON open311_requests (submitted_at);

-- Messages received through the messaging webhook (SMS/WhatsApp gateway). Idempotent per
-- (provider, message_id); messages of one sender within a window thread into the same incident.
CREATE TABLE messaging_messages (
  id           uuid PRIMARY KEY,
  provider     text NOT NULL,
  message_id   text NOT NULL,
  sender       text NOT NULL,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  outcome      text NOT NULL CHECK (outcome IN ('created', 'threaded')),
  received_at  timestamptz NOT NULL,
  processed_at timestamptz NOT NULL,
  UNIQUE (provider, message_id)
);
CREATE INDEX messaging_messages_sender_idx ON messaging_messages (sender, received_at);
