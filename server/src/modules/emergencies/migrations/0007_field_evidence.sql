-- Field reports (client-generated ids: offline-friendly, a report sent twice is stored once) and the
-- evidence chain of custody over incident_attachments (hash-chained, append-only).

CREATE TABLE field_reports (
  id             uuid PRIMARY KEY,
  incident_id    uuid NOT NULL REFERENCES incidents (id),
  assignment_id  uuid REFERENCES incident_assignments (id),
  unit_id        uuid REFERENCES units (id),
  author_id      uuid NOT NULL REFERENCES users (id),
  family         text,
  fields         jsonb NOT NULL,
  narrative      text NOT NULL,
  content_hash   text NOT NULL,
  written_at     timestamptz NOT NULL,
  received_at    timestamptz NOT NULL
);
CREATE INDEX field_reports_incident_idx ON field_reports (incident_id, received_at);
CREATE TRIGGER field_reports_append_only BEFORE UPDATE OR DELETE ON field_reports
  FOR EACH ROW EXECUTE FUNCTION emergencies_refuse_change();

CREATE TABLE evidence_items (
  attachment_id  uuid PRIMARY KEY REFERENCES incident_attachments (id),
  incident_id    uuid NOT NULL REFERENCES incidents (id),
  client_id      uuid NOT NULL UNIQUE,
  description    text NOT NULL,
  collected_by   uuid NOT NULL REFERENCES users (id),
  collected_at   timestamptz NOT NULL
);
CREATE TRIGGER evidence_items_append_only BEFORE UPDATE OR DELETE ON evidence_items
  FOR EACH ROW EXECUTE FUNCTION emergencies_refuse_change();

CREATE TABLE evidence_custody (
  id              uuid PRIMARY KEY,
  attachment_id   uuid NOT NULL REFERENCES evidence_items (attachment_id),
  seq             integer NOT NULL,
  action          text NOT NULL CHECK (action IN ('collected', 'transferred', 'received', 'sealed', 'analysed', 'stored', 'released')),
  actor_id        uuid NOT NULL REFERENCES users (id),
  holder_id       uuid REFERENCES users (id),
  at              timestamptz NOT NULL,
  lon             double precision,
  lat             double precision,
  location_text   text,
  note            text,
  prev_hash       text NOT NULL,
  entry_hash      text NOT NULL,
  UNIQUE (attachment_id, seq)
);
CREATE TRIGGER evidence_custody_append_only BEFORE UPDATE OR DELETE ON evidence_custody
  FOR EACH ROW EXECUTE FUNCTION emergencies_refuse_change();
