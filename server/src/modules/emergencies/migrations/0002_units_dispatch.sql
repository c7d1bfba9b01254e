-- Units, crews, AVL positions, assignments (dispatch), response-time targets and escalations.

CREATE TABLE stations (
  id                  uuid PRIMARY KEY,
  code                text NOT NULL UNIQUE,
  name                text NOT NULL,
  department_code     text NOT NULL,
  municipality_pcode  text,
  lon                 double precision,
  lat                 double precision
);

CREATE TABLE units (
  id                  uuid PRIMARY KEY,
  call_sign           text NOT NULL UNIQUE,
  kind                text NOT NULL CHECK (kind IN ('patrol_car', 'motorcycle', 'foot', 'specialised')),
  capabilities        jsonb NOT NULL DEFAULT '[]'::jsonb,
  station_id          uuid REFERENCES stations (id),
  department_code     text NOT NULL,
  municipality_pcode  text,
  status              text NOT NULL DEFAULT 'out_of_service'
                      CHECK (status IN ('available', 'assigned', 'en_route', 'on_scene', 'out_of_service')),
  status_changed_at   timestamptz NOT NULL,
  device_id           text UNIQUE,
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX units_status_idx ON units (status, department_code) WHERE active;

CREATE TABLE unit_crew (
  id          uuid PRIMARY KEY,
  unit_id     uuid NOT NULL REFERENCES units (id),
  user_id     uuid NOT NULL REFERENCES users (id),
  role        text NOT NULL DEFAULT 'member',
  from_at     timestamptz NOT NULL,
  to_at       timestamptz
);
CREATE INDEX unit_crew_user_idx ON unit_crew (user_id) WHERE to_at IS NULL;
CREATE UNIQUE INDEX unit_crew_one_active_unit_per_user ON unit_crew (user_id) WHERE to_at IS NULL;

-- Latest position of each unit, kept hot for recommendation queries.
CREATE TABLE unit_latest_position (
  unit_id      uuid PRIMARY KEY REFERENCES units (id),
  lon          double precision NOT NULL,
  lat          double precision NOT NULL,
  speed_kmh    double precision,
  heading      double precision,
  accuracy_m   double precision,
  recorded_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL
);
CREATE INDEX unit_latest_position_geo_idx ON unit_latest_position (lat, lon);

-- Position history: append-only, partitioned by month (a default partition catches the rest).
CREATE TABLE unit_positions (
  unit_id      uuid NOT NULL,
  recorded_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL,
  lon          double precision NOT NULL,
  lat          double precision NOT NULL,
  speed_kmh    double precision,
  heading      double precision,
  accuracy_m   double precision,
  source       text NOT NULL,
  attributes   jsonb
) PARTITION BY RANGE (recorded_at);
CREATE TABLE unit_positions_default PARTITION OF unit_positions DEFAULT;
CREATE INDEX unit_positions_unit_time_idx ON unit_positions (unit_id, recorded_at);

CREATE TABLE incident_assignments (
  id             uuid PRIMARY KEY,
  incident_id    uuid NOT NULL REFERENCES incidents (id),
  unit_id        uuid NOT NULL REFERENCES units (id),
  assigned_at    timestamptz NOT NULL,
  assigned_by    text,
  reason         text,
  acknowledged_at timestamptz,
  en_route_at    timestamptz,
  on_scene_at    timestamptz,
  cleared_at     timestamptz,
  released_at    timestamptz,
  release_reason text,
  released_by    text
);
-- A unit can never hold two active assignments: the database enforces it under concurrency.
CREATE UNIQUE INDEX incident_assignments_one_active_per_unit ON incident_assignments (unit_id)
  WHERE released_at IS NULL AND cleared_at IS NULL;
CREATE INDEX incident_assignments_incident_idx ON incident_assignments (incident_id);

CREATE TABLE response_targets (
  priority           smallint PRIMARY KEY CHECK (priority BETWEEN 1 AND 4),
  answer_seconds     integer NOT NULL CHECK (answer_seconds > 0),
  dispatch_seconds   integer NOT NULL CHECK (dispatch_seconds > 0),
  on_scene_seconds   integer NOT NULL CHECK (on_scene_seconds > 0),
  updated_at         timestamptz NOT NULL,
  updated_by         text
);

CREATE TABLE incident_escalations (
  id           uuid PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  stage        text NOT NULL CHECK (stage IN ('answer', 'dispatch', 'on_scene')),
  raised_at    timestamptz NOT NULL,
  late_by_s    integer NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text,
  UNIQUE (incident_id, stage)
);
