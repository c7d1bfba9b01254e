-- AVL ingestion (modules/emergencies/avl).
--
-- One history row per unit and fix time: the same fix sent twice (a device re-sending its buffer,
-- a field app retrying a batch, two servers both receiving an MQTT message) is stored once
-- (INSERT ... ON CONFLICT DO NOTHING). On a partitioned table a unique index must contain the
-- partition key; (unit_id, recorded_at) does. It replaces the plain index of 0002 (same columns).
DROP INDEX unit_positions_unit_time_idx;
CREATE UNIQUE INDEX unit_positions_unit_time_key ON unit_positions (unit_id, recorded_at);

-- Monthly partitions (unit_positions_yYYYYmMM) are created ahead by avl/partitions.ts at start and
-- daily; unit_positions_default stays as the safety net for anything outside them.
