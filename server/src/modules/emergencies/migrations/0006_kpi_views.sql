-- KPIs of the 911 module (modules/emergencies/kpis): read-only views over incidents and
-- assignments with the NENA call-processing intervals in seconds, and a unit status log for the
-- out-of-service share of unit utilisation.
--
-- Intervals (docs/standards/nena-apco.md §4). NULL when either time point is missing or when the
-- later one precedes the earlier one (bad clock or data entry): such pairs are not measured.
CREATE VIEW kpi_incident_times AS
SELECT
  i.id,
  i.folio,
  i.channel,
  i.type_code,
  i.family,
  i.priority,
  i.status,
  i.department_code,
  i.municipality_pcode,
  i.created_at,
  i.closed_at,
  i.tracking_code IS NOT NULL AS citizen_trackable,
  -- T1 − T0: answer time (NENA-STA-020).
  CASE WHEN i.call_answered_at >= i.call_received_at
    THEN extract(epoch FROM i.call_answered_at - i.call_received_at)::double precision END AS answer_s,
  -- T2 − T1: call entry (answered → incident created in CAD).
  CASE WHEN i.created_at >= i.call_answered_at
    THEN extract(epoch FROM i.created_at - i.call_answered_at)::double precision END AS call_entry_s,
  -- T3 − T2: time to dispatch (created → first unit assigned).
  CASE WHEN i.first_assigned_at >= i.created_at
    THEN extract(epoch FROM i.first_assigned_at - i.created_at)::double precision END AS dispatch_s,
  -- T5 − T2: time to arrive (created → first unit on scene).
  CASE WHEN i.first_on_scene_at >= i.created_at
    THEN extract(epoch FROM i.first_on_scene_at - i.created_at)::double precision END AS arrive_s,
  -- T6 − T2: time to close (created → closed with disposition).
  CASE WHEN i.closed_at >= i.created_at
    THEN extract(epoch FROM i.closed_at - i.created_at)::double precision END AS close_s
FROM incidents i;

-- Each unit's own turnout (T4 − T3) and travel (T5 − T4), with the dimensions of its incident.
CREATE VIEW kpi_assignment_times AS
SELECT
  a.id,
  a.unit_id,
  a.incident_id,
  i.channel,
  i.type_code,
  i.family,
  i.priority,
  i.status,
  i.department_code,
  i.municipality_pcode,
  i.created_at,
  CASE WHEN a.en_route_at >= a.assigned_at
    THEN extract(epoch FROM a.en_route_at - a.assigned_at)::double precision END AS turnout_s,
  CASE WHEN a.on_scene_at >= a.en_route_at
    THEN extract(epoch FROM a.on_scene_at - a.en_route_at)::double precision END AS travel_s
FROM incident_assignments a
JOIN incidents i ON i.id = a.incident_id;

-- Every status a unit took and when, written by the database itself whatever the code path (service,
-- seed, import), so that the time a unit spent out of service can be measured over any period.
-- Append-only. Busy time is measured from incident_assignments (see kpis/utilisation.ts).
CREATE TABLE unit_status_log (
  id        bigserial PRIMARY KEY,
  unit_id   uuid NOT NULL REFERENCES units (id),
  status    text NOT NULL,
  at        timestamptz NOT NULL
);
CREATE INDEX unit_status_log_unit_idx ON unit_status_log (unit_id, at);
CREATE INDEX unit_status_log_oos_idx ON unit_status_log (at) WHERE status = 'out_of_service';

CREATE FUNCTION unit_status_log_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO unit_status_log (unit_id, status, at) VALUES (NEW.id, NEW.status, NEW.status_changed_at);
  RETURN NULL;
END;
$$;
CREATE TRIGGER units_status_logged_on_insert AFTER INSERT ON units
  FOR EACH ROW EXECUTE FUNCTION unit_status_log_append();
CREATE TRIGGER units_status_logged_on_update AFTER UPDATE OF status ON units
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION unit_status_log_append();
CREATE TRIGGER unit_status_log_append_only BEFORE UPDATE OR DELETE ON unit_status_log
  FOR EACH ROW EXECUTE FUNCTION emergencies_refuse_change();

-- Units that existed before this migration: only their current status, since it last changed, is
-- known (their earlier history is not guessed; utilisation measures them from that moment on).
INSERT INTO unit_status_log (unit_id, status, at)
SELECT id, status, status_changed_at FROM units;
