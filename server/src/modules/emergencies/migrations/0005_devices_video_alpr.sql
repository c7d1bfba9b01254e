-- Machine intake channels of the 911 module: panic buttons and other alert devices, video analytics
-- (Frigate NVR events and review items) and ALPR plate reads, with one feed of machine alerts that the
-- command centre watches live.

-- ---------------------------------------------------------------------------------------------------
-- Alert devices (panic buttons, alarm panels, citizen apps). The owner's name and contact are personal
-- data: the API shows them only to permitted roles and audits every read.
CREATE TABLE alert_devices (
  id                  uuid PRIMARY KEY,
  code                text NOT NULL UNIQUE,
  kind                text NOT NULL CHECK (kind IN ('panic_button', 'alarm_panel', 'app')),
  description         text,
  owner_name          text,
  owner_contact       text,
  lon                 double precision,
  lat                 double precision,
  address             text,
  department_code     text,
  municipality_pcode  text,
  district_name       text,
  active              boolean NOT NULL DEFAULT true,
  api_key_id          uuid,
  last_alert_at       timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  CHECK ((lon IS NULL) = (lat IS NULL)),
  -- Fixed devices have a fixed location; only apps may send theirs with each alert.
  CHECK (kind = 'app' OR lon IS NOT NULL)
);
CREATE INDEX alert_devices_api_key_idx ON alert_devices (api_key_id) WHERE api_key_id IS NOT NULL;

-- Every alert a device sent, idempotent by the device's own alert id. Append-only.
CREATE TABLE device_alerts (
  id            uuid PRIMARY KEY,
  device_id     uuid NOT NULL REFERENCES alert_devices (id),
  alert_id      text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('panic', 'test', 'cancel')),
  lon           double precision,
  lat           double precision,
  triggered_at  timestamptz,
  received_at   timestamptz NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN
                  ('incident_created', 'attached', 'test_logged', 'cancel_noted', 'cancel_without_incident')),
  incident_id   uuid REFERENCES incidents (id),
  actor_type    text NOT NULL,
  actor_id      text,
  UNIQUE (device_id, alert_id),
  CHECK ((lon IS NULL) = (lat IS NULL))
);
CREATE INDEX device_alerts_device_idx ON device_alerts (device_id, received_at);
CREATE INDEX device_alerts_incident_idx ON device_alerts (incident_id) WHERE incident_id IS NOT NULL;
CREATE TRIGGER device_alerts_append_only BEFORE UPDATE OR DELETE ON device_alerts
  FOR EACH ROW EXECUTE FUNCTION emergencies_refuse_change();

-- ---------------------------------------------------------------------------------------------------
-- Cameras: `name` is the camera's name in Frigate (events carry it); also used by ALPR readers.
CREATE TABLE video_cameras (
  id                  uuid PRIMARY KEY,
  name                text NOT NULL UNIQUE,
  description         text,
  lon                 double precision NOT NULL,
  lat                 double precision NOT NULL,
  department_code     text,
  municipality_pcode  text,
  district_name       text,
  frigate_base_url    text,
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);

-- What to do with a detection: per camera (camera_id) or for every camera (camera_id NULL).
CREATE TABLE video_rules (
  id              uuid PRIMARY KEY,
  camera_id       uuid REFERENCES video_cameras (id),
  name            text NOT NULL,
  label           text NOT NULL,
  zones           jsonb NOT NULL DEFAULT '[]'::jsonb,
  min_score       double precision NOT NULL DEFAULT 0 CHECK (min_score BETWEEN 0 AND 1),
  schedule        jsonb,
  action          text NOT NULL CHECK (action IN ('create_incident', 'attach_nearby', 'alert_only')),
  attach_meters   integer NOT NULL DEFAULT 300 CHECK (attach_meters BETWEEN 1 AND 50000),
  attach_minutes  integer NOT NULL DEFAULT 30 CHECK (attach_minutes BETWEEN 1 AND 1440),
  priority        smallint NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 4),
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX video_rules_camera_idx ON video_rules (camera_id) WHERE active;

-- ---------------------------------------------------------------------------------------------------
-- Alerts raised by machines (video events, Frigate review items, ALPR watchlist matches): the feed the
-- command centre watches. `frigate_event_ids` lets event and review alerts deduplicate each other.
CREATE TABLE machine_alerts (
  id                  uuid PRIMARY KEY,
  source              text NOT NULL CHECK (source IN ('frigate_event', 'frigate_review', 'alpr')),
  title               text NOT NULL,
  camera_id           uuid REFERENCES video_cameras (id),
  camera_name         text,
  label               text,
  score               double precision,
  priority            smallint CHECK (priority BETWEEN 1 AND 4),
  lon                 double precision,
  lat                 double precision,
  department_code     text,
  municipality_pcode  text,
  occurred_at         timestamptz NOT NULL,
  raised_at           timestamptz NOT NULL,
  ended_at            timestamptz,
  frigate_event_ids   jsonb NOT NULL DEFAULT '[]'::jsonb,
  review_id           text,
  plate               text,
  watchlist_id        uuid,
  alpr_read_id        uuid,
  rule_id             uuid REFERENCES video_rules (id),
  incident_id         uuid REFERENCES incidents (id),
  incident_action     text CHECK (incident_action IN ('created', 'attached')),
  explanation         jsonb NOT NULL DEFAULT '{}'::jsonb,
  thumbnail_url       text,
  snapshot_url        text,
  clip_url            text,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX machine_alerts_raised_idx ON machine_alerts (raised_at);
CREATE INDEX machine_alerts_territory_idx ON machine_alerts (department_code, municipality_pcode, raised_at);
CREATE INDEX machine_alerts_watchlist_idx ON machine_alerts (watchlist_id, raised_at)
  WHERE watchlist_id IS NOT NULL;

-- Frigate tracked objects (frigate/events), keyed on the event id: the last state and the decision.
CREATE TABLE video_events (
  id                 uuid PRIMARY KEY,
  frigate_id         text NOT NULL UNIQUE,
  camera_name        text NOT NULL,
  camera_id          uuid REFERENCES video_cameras (id),
  label              text,
  sub_label          text,
  top_score          double precision,
  score              double precision,
  zones              jsonb NOT NULL DEFAULT '[]'::jsonb,
  false_positive     boolean NOT NULL DEFAULT false,
  has_snapshot       boolean NOT NULL DEFAULT false,
  has_clip           boolean NOT NULL DEFAULT false,
  start_time         timestamptz,
  end_time           timestamptz,
  frame_time         timestamptz,
  last_type          text NOT NULL,
  messages           integer NOT NULL DEFAULT 0,
  recognized_plate   text,
  state              jsonb NOT NULL DEFAULT '{}'::jsonb,
  decision           text NOT NULL DEFAULT 'pending' CHECK (decision IN
                       ('pending', 'ignored', 'alert_only', 'incident_created', 'attached')),
  explanation        jsonb NOT NULL DEFAULT '{}'::jsonb,
  rule_id            uuid REFERENCES video_rules (id),
  alert_id           uuid REFERENCES machine_alerts (id),
  incident_id        uuid REFERENCES incidents (id),
  first_seen_at      timestamptz NOT NULL,
  last_seen_at       timestamptz NOT NULL
);
CREATE INDEX video_events_camera_idx ON video_events (camera_name, last_seen_at);
CREATE INDEX video_events_seen_idx ON video_events (last_seen_at);

-- Frigate review items (frigate/reviews): severity `alert` opens a machine alert.
CREATE TABLE video_reviews (
  id             uuid PRIMARY KEY,
  review_id      text NOT NULL UNIQUE,
  camera_name    text NOT NULL,
  camera_id      uuid REFERENCES video_cameras (id),
  severity       text,
  detections     jsonb NOT NULL DEFAULT '[]'::jsonb,
  objects        jsonb NOT NULL DEFAULT '[]'::jsonb,
  zones          jsonb NOT NULL DEFAULT '[]'::jsonb,
  start_time     timestamptz,
  end_time       timestamptz,
  last_type      text NOT NULL,
  messages       integer NOT NULL DEFAULT 0,
  state          jsonb NOT NULL DEFAULT '{}'::jsonb,
  decision       text NOT NULL DEFAULT 'pending' CHECK (decision IN
                   ('pending', 'ignored', 'alert_opened', 'deduplicated')),
  explanation    jsonb NOT NULL DEFAULT '{}'::jsonb,
  alert_id       uuid REFERENCES machine_alerts (id),
  first_seen_at  timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL
);

-- ---------------------------------------------------------------------------------------------------
-- ALPR watchlist. `plate` is normalised (uppercase, no spaces, dashes or dots): P123-456 → P123456.
CREATE TABLE alpr_watchlist (
  id             uuid PRIMARY KEY,
  plate          text NOT NULL,
  plate_display  text NOT NULL,
  reason         text NOT NULL CHECK (reason IN ('stolen', 'alert', 'wanted')),
  priority       text NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
  source         text NOT NULL,
  notes          text,
  active         boolean NOT NULL DEFAULT true,
  added_by       text NOT NULL,
  added_at       timestamptz NOT NULL,
  expires_at     timestamptz,
  updated_at     timestamptz NOT NULL,
  version        integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX alpr_watchlist_active_plate_idx ON alpr_watchlist (plate) WHERE active;

-- Plate reads, kept append-only for analysis.
-- Retention: reads that raised no alert (no watchlist match, or a match below the confidence threshold)
-- are deleted after 90 days by the module's purge job (ALPR_UNALERTED_RETENTION_DAYS in
-- alpr/retention.ts), the only deletion allowed; reads that raised an alert are kept with the alert and
-- the incident they caused. Nothing may update a read.
CREATE TABLE alpr_reads (
  id                  uuid PRIMARY KEY,
  read_id             text NOT NULL UNIQUE,
  source              text NOT NULL CHECK (source IN ('webhook', 'frigate')),
  plate_raw           text NOT NULL,
  plate               text NOT NULL,
  confidence          double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  camera_id           uuid REFERENCES video_cameras (id),
  lon                 double precision NOT NULL,
  lat                 double precision NOT NULL,
  department_code     text,
  municipality_pcode  text,
  read_at             timestamptz NOT NULL,
  received_at         timestamptz NOT NULL,
  image_url           text,
  watchlist_id        uuid REFERENCES alpr_watchlist (id),
  outcome             text NOT NULL CHECK (outcome IN
                        ('no_match', 'below_threshold', 'alert', 'incident_created', 'attached')),
  explanation         jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor_type          text NOT NULL,
  actor_id            text
);
CREATE INDEX alpr_reads_plate_idx ON alpr_reads (plate, read_at);
CREATE INDEX alpr_reads_read_at_idx ON alpr_reads (read_at);

CREATE FUNCTION alpr_reads_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('centinela.alpr_retention_purge', true) = 'on'
     AND OLD.outcome IN ('no_match', 'below_threshold') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'alpr_reads es de solo inserción: % no está permitido', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER alpr_reads_append_only BEFORE UPDATE OR DELETE ON alpr_reads
  FOR EACH ROW EXECUTE FUNCTION alpr_reads_guard();

ALTER TABLE machine_alerts ADD CONSTRAINT machine_alerts_watchlist_fk
  FOREIGN KEY (watchlist_id) REFERENCES alpr_watchlist (id);
ALTER TABLE machine_alerts ADD CONSTRAINT machine_alerts_alpr_read_fk
  FOREIGN KEY (alpr_read_id) REFERENCES alpr_reads (id);
