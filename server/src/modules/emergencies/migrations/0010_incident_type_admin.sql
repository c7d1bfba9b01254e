-- Incident types edited by administrators through the API (catalog-admin.routes.ts). The reference
-- seed runs at every start and upserts the shipped catalogue; it must not undo an administrator's
-- change, so it leaves alone the rows that carry updated_by.
ALTER TABLE incident_types
  ADD COLUMN updated_at timestamptz,
  ADD COLUMN updated_by uuid;
