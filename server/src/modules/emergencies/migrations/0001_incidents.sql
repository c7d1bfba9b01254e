-- 911 incidents: type catalogue, lifecycle as data, incidents, callers (personal data apart),
-- append-only timeline and notes, possible duplicates, attachments with chain of custody.

CREATE FUNCTION emergencies_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% es de solo inserción: % no está permitido', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TABLE incident_types (
  code              text PRIMARY KEY,
  parent_code       text REFERENCES incident_types (code),
  family            text NOT NULL,
  name_es           text NOT NULL,
  name_en           text NOT NULL,
  default_priority  smallint NOT NULL CHECK (default_priority BETWEEN 1 AND 4),
  referral          text CHECK (referral IN ('fire', 'medical')),
  questions         jsonb NOT NULL DEFAULT '[]'::jsonb,
  keywords          text NOT NULL DEFAULT '',
  active            boolean NOT NULL DEFAULT true,
  sort_order        integer NOT NULL DEFAULT 0
);

CREATE TABLE incident_statuses (
  code      text PRIMARY KEY,
  name_es   text NOT NULL,
  name_en   text NOT NULL,
  is_open   boolean NOT NULL,
  public_es text NOT NULL,
  public_en text NOT NULL
);

-- The state machine: which action moves an incident from one status to another.
CREATE TABLE incident_transitions (
  action          text NOT NULL,
  from_status     text NOT NULL REFERENCES incident_statuses (code),
  to_status       text NOT NULL REFERENCES incident_statuses (code),
  requires_reason boolean NOT NULL DEFAULT false,
  PRIMARY KEY (action, from_status)
);

CREATE TABLE closure_codes (
  code     text PRIMARY KEY,
  name_es  text NOT NULL,
  name_en  text NOT NULL,
  active   boolean NOT NULL DEFAULT true
);

CREATE TABLE incident_folio_counters (
  year  integer PRIMARY KEY,
  last  integer NOT NULL
);

CREATE TABLE incidents (
  id                   uuid PRIMARY KEY,
  folio                text NOT NULL UNIQUE,
  channel              text NOT NULL,
  type_code            text REFERENCES incident_types (code),
  family               text,
  priority             smallint CHECK (priority BETWEEN 1 AND 4),
  suggested_priority   smallint CHECK (suggested_priority BETWEEN 1 AND 4),
  status               text NOT NULL REFERENCES incident_statuses (code),
  summary              text NOT NULL,
  answers              jsonb NOT NULL DEFAULT '{}'::jsonb,
  lon                  double precision,
  lat                  double precision,
  location_text        text,
  location_flag        text CHECK (location_flag IN ('outside_country', 'approximate', 'unlocated')),
  department_code      text,
  municipality_pcode   text,
  district_name        text,
  call_received_at     timestamptz,
  call_answered_at     timestamptz,
  created_at           timestamptz NOT NULL,
  first_assigned_at    timestamptz,
  first_en_route_at    timestamptz,
  first_on_scene_at    timestamptz,
  cleared_at           timestamptz,
  closed_at            timestamptz,
  cancelled_at         timestamptz,
  closure_code         text REFERENCES closure_codes (code),
  closure_summary      text,
  duplicate_of         uuid REFERENCES incidents (id),
  external_source      text,
  external_ref         text,
  tracking_code        text UNIQUE,
  tracking_secret_hash text,
  created_by_type      text NOT NULL,
  created_by           text,
  updated_at           timestamptz NOT NULL,
  version              integer NOT NULL DEFAULT 1,
  CHECK ((lon IS NULL) = (lat IS NULL)),
  CHECK (status <> 'closed' OR (closure_code IS NOT NULL AND closure_summary IS NOT NULL))
);
CREATE INDEX incidents_open_idx ON incidents (status, priority, created_at)
  WHERE status IN ('received', 'classified', 'dispatched', 'en_route', 'on_scene');
CREATE INDEX incidents_territory_idx ON incidents (department_code, municipality_pcode, created_at);
CREATE INDEX incidents_created_idx ON incidents (created_at);
CREATE INDEX incidents_family_geo_idx ON incidents (family, lat, lon) WHERE lat IS NOT NULL;
CREATE UNIQUE INDEX incidents_external_idx ON incidents (external_source, external_ref)
  WHERE external_ref IS NOT NULL;

-- Caller personal data lives apart: only permitted roles read it, and every read is audited.
CREATE TABLE incident_callers (
  id           uuid PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  phone        text,
  name         text,
  email        text,
  anonymous    boolean NOT NULL DEFAULT false,
  channel      text NOT NULL,
  received_at  timestamptz NOT NULL
);
CREATE INDEX incident_callers_incident_idx ON incident_callers (incident_id);
CREATE INDEX incident_callers_phone_idx ON incident_callers (phone) WHERE phone IS NOT NULL;

-- Timeline: every step of the case, attributed and reasoned. Append-only.
CREATE TABLE incident_timeline (
  id           uuid PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  at           timestamptz NOT NULL,
  kind         text NOT NULL,
  from_status  text,
  to_status    text,
  actor_type   text NOT NULL,
  actor_id     text,
  actor_name   text,
  reason       text,
  data         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, at);
CREATE TRIGGER incident_timeline_append_only BEFORE UPDATE OR DELETE ON incident_timeline
  FOR EACH ROW EXECUTE FUNCTION emergencies_refuse_change();

-- Notes and narrative: a correction is a new note that references the one it corrects.
CREATE TABLE incident_notes (
  id           uuid PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  at           timestamptz NOT NULL,
  author_type  text NOT NULL,
  author_id    text,
  author_name  text,
  kind         text NOT NULL CHECK (kind IN ('narrative', 'note', 'correction', 'citizen', 'field')),
  text         text NOT NULL,
  corrects     uuid REFERENCES incident_notes (id)
);
CREATE INDEX incident_notes_incident_idx ON incident_notes (incident_id, at);
CREATE TRIGGER incident_notes_append_only BEFORE UPDATE OR DELETE ON incident_notes
  FOR EACH ROW EXECUTE FUNCTION emergencies_refuse_change();

CREATE TABLE incident_duplicate_candidates (
  incident_id   uuid NOT NULL REFERENCES incidents (id),
  candidate_id  uuid NOT NULL REFERENCES incidents (id),
  distance_m    integer NOT NULL,
  minutes_apart integer NOT NULL,
  flagged_at    timestamptz NOT NULL,
  PRIMARY KEY (incident_id, candidate_id)
);

CREATE TABLE incident_links (
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  linked_id    uuid NOT NULL REFERENCES incidents (id),
  kind         text NOT NULL CHECK (kind IN ('duplicate_of', 'related')),
  at           timestamptz NOT NULL,
  PRIMARY KEY (incident_id, linked_id)
);
