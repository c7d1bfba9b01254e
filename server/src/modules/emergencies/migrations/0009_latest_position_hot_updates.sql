-- unit_latest_position is rewritten by every AVL batch (one row per unit that moved). Recommendation
-- now reads available units' positions from memory (dispatch/unit-index.ts); the (lat, lon) index
-- only served the SQL fallback, which scans a few thousand rows just as well. Without an index on
-- the columns that change, and with free space left in each page, PostgreSQL updates the rows in
-- place (HOT updates: no new index entries), which is most of the cost of the upsert.
DROP INDEX unit_latest_position_geo_idx;
ALTER TABLE unit_latest_position SET (fillfactor = 50);
