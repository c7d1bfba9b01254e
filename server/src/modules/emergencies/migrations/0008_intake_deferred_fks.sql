-- Intake (incidents.service.ts createIncidentInTx) writes an incident's caller, narrative note,
-- timeline and duplicate candidates BEFORE the incident row itself, so that the folio counter row
-- lock (taken just before the incident row is inserted, held until commit) covers as few statements
-- as possible: every concurrent intake waits for it. The references to the incident from those
-- tables are therefore checked at commit instead of at each statement; a dangling reference still
-- fails the whole transaction.
ALTER TABLE incident_callers ALTER CONSTRAINT incident_callers_incident_id_fkey
  DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE incident_notes ALTER CONSTRAINT incident_notes_incident_id_fkey
  DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE incident_timeline ALTER CONSTRAINT incident_timeline_incident_id_fkey
  DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE incident_duplicate_candidates ALTER CONSTRAINT incident_duplicate_candidates_incident_id_fkey
  DEFERRABLE INITIALLY DEFERRED;
